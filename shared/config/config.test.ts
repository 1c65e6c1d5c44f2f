// Configuration: defaults for local use, and bad values refused with the variable named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadCatalogFiles } from '../node/mod.ts';
import { ConfigError, ENV_VARS, loadConfig, typeKeysOf } from './load.ts';
import { archiveLocation } from './places.ts';
import { signingProblems } from './relay-secrets.ts';
import { GROUPS, ROLES, settingsOf } from './roles.ts';
import { SETTINGS, type Env } from './settings.ts';

/** A Standard Webhooks secret: whsec_ and 32 random bytes in base64. */
const SECRET = `whsec_${btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (i * 37) % 256)))}`;

test('defaults need no environment at all', () => {
  const cfg = loadConfig({});
  assert.is(cfg.collector.port, 8080);
  assert.is(cfg.clickhouse.database, 'edge_events');
  assert.is(cfg.clickhouse.url, undefined, 'embedded engine by default');
  assert.is(cfg.nats.url, undefined, 'local nats-server by default');
  assert.is(cfg.collector.bodyLimitBytes, 1024 * 1024);
});

test('every bad variable is named in one error', () => {
  try {
    loadConfig({
      PORT: 'eighty',
      CLICKHOUSE_URL: 'tcp://x',
      CLICKHOUSE_DATABASE: 'drop table',
      SINK_BATCH_WAIT_MS: '10',
      UNRELATED: 'x',
    });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT=', 'CLICKHOUSE_URL=', 'CLICKHOUSE_DATABASE=', 'SINK_BATCH_WAIT_MS='])
      assert.ok(msg.includes(name), `${name} in ${msg}`);
    assert.not.ok(msg.includes('UNRELATED'));
  }
});

test('an ack wait that a fetch could outlast is refused', () => {
  assert.throws(
    () => loadConfig({ SINK_ACK_WAIT_SECONDS: '1' }),
    /SINK_ACK_WAIT_SECONDS="1": must be at least twice SINK_BATCH_WAIT_MS/,
  );
  assert.is(loadConfig({ SINK_ACK_WAIT_SECONDS: '2' }).sink.ackWaitSeconds, 2);
});

test('values are parsed into their types', () => {
  const cfg = loadConfig({
    PORT: '9000',
    NATS_URL: 'nats://a:4222,nats://b:4222',
    CLICKHOUSE_URL: 'http://ch:8123',
    SINK_BATCH_SIZE: '10000',
  });
  assert.is(cfg.collector.port, 9000);
  assert.is(cfg.nats.url, 'nats://a:4222,nats://b:4222');
  assert.is(cfg.sink.batchSize, 10000);
});

test('relays: parsed, their types resolved to catalog keys once the catalog is known, mistakes named', () => {
  const cfg = loadConfig({
    RELAYS:
      '[{"name":"crm","kind":"nats","types":["PageVisit","cart_add"]},' +
      '{"name":"hook","kind":"webhook","url":"http://127.0.0.1:9/x","allow_http":true,"secret_env":"HOOK_SECRET"}]',
    HOOK_SECRET: SECRET,
  });
  assert.equal(
    cfg.relays.map((r) => [r.name, r.kind, typeKeysOf(r.types, loadCatalogFiles('catalog'), 'RELAYS')]),
    [
      ['crm', 'nats', ['page_visit', 'cart_add']],
      ['hook', 'webhook', undefined],
    ],
  );
  assert.throws(
    () => typeKeysOf(['Nope'], loadCatalogFiles('catalog'), 'RELAYS (x)'),
    /RELAYS \(x\): unknown event type "Nope"/,
  );
  assert.is(cfg.relays[1]!.max_attempts, 8);
  for (const [bad, why] of [
    ['not json', /RELAYS=.*expected JSON/],
    ['[{"name":"x","kind":"nats","types":[]}]', /RELAYS=.* at 0\.types: name at least one type/],
    ['[{"name":"x","kind":"webhook","url":"ftp://h","secret_env":"HOOK_SECRET"}]', /at 0\.url/],
    ['[{"name":"x","kind":"nats"},{"name":"x","kind":"nats"}]', /unique/],
    ['[{"name":"x","kind":"webhook","url":"http://h/in","secret_env":"HOOK_SECRET"}]', /at 0\.url: expected https/],
    ['[{"name":"x","kind":"webhook","url":"https://h/in"}]', /at 0\.secret_env/],
  ] as const) {
    assert.throws(() => loadConfig({ RELAYS: bad, HOOK_SECRET: SECRET }), why);
  }
});

test('a webhook relay: https unless allow_http, no credentials in RELAYS, its secret from the named variable', () => {
  const relays = (url: string, more = {}) =>
    JSON.stringify([{ name: 'hook', kind: 'webhook', url, secret_env: 'HOOK_SECRET', ...more }]);
  const hook = loadConfig({ RELAYS: relays('https://hook.example/in'), HOOK_SECRET: SECRET }, 'sink').relays[0]!;
  assert.is(hook.kind === 'webhook' && hook.allow_http, false);
  assert.is(hook.kind === 'webhook' && hook.signing.keys[0]!.length, 32);
  assert.equal(signingProblems([hook]), []);
  // A missing or malformed secret: what the sink refuses to start with, naming RELAYS and the variable, never the
  // value; the tools that only read RELAYS (streams:apply) need no secret.
  const problems = (value?: string) =>
    signingProblems(loadConfig({ RELAYS: relays('https://hook.example/in'), HOOK_SECRET: value }, 'sink').relays);
  assert.equal(problems(), [
    'RELAYS at 0.secret_env (relay hook): HOOK_SECRET is not set: it must hold the signing secret, whsec_ and the ' +
      'base64 of 24 to 64 random bytes',
  ]);
  for (const bad of ['whsec_not-base64!', 'whsec_AAAA', 'a-plain-password-of-some-length', `${SECRET} whsec_AA`]) {
    const [problem] = problems(bad);
    assert.match(
      problem!,
      new RegExp(`^RELAYS at 0\\.secret_env \\(relay hook\\): HOOK_SECRET \\(<redacted, ${bad.length} `),
    );
    assert.not.ok(problem!.includes(bad.slice(6, 14)), problem);
  }
  assert.equal(problems(`${SECRET} ${SECRET.replace('whsec_A', 'whsec_B')}`), [], 'two secrets while rotating');
  const error = (env: Record<string, string>) => {
    try {
      loadConfig(env, 'sink');
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.match(error({ RELAYS: relays('http://hook.example/in'), HOOK_SECRET: SECRET }), /RELAYS=.* at 0\.url/);
  const withPassword = error({ RELAYS: relays('https://u:pa55word@hook.example/in'), HOOK_SECRET: SECRET });
  assert.match(withPassword, /no user name or password in the URL/);
  assert.not.ok(withPassword.includes('pa55word'), withPassword);
});

test('each process validates only the settings of its role', () => {
  const env = { SINK_BATCH_SIZE: 'lots', PORT: 'eighty', READER_PORT: 'x', ARCHIVE_FILE_BYTES: '1' };
  const named = (role: keyof typeof ROLES) => {
    try {
      loadConfig(env, role);
      return [];
    } catch (err) {
      return [...(err as Error).message.matchAll(/^ {2}([A-Z_]+)=/gm)].map((m) => m[1]);
    }
  };
  assert.equal(named('collector'), ['PORT']);
  assert.equal(named('sink'), ['SINK_BATCH_SIZE']);
  assert.equal(named('archiver'), ['ARCHIVE_FILE_BYTES']);
  assert.equal(named('reader'), ['READER_PORT', 'PORT']);
  assert.equal(named('all').sort(), ['ARCHIVE_FILE_BYTES', 'PORT', 'READER_PORT', 'SINK_BATCH_SIZE']);
  const collector = loadConfig({ PORT: '9000' }, 'collector');
  assert.equal(Object.keys(collector).sort(), [
    'catalog',
    'collector',
    'dataDir',
    'logLevel',
    'nats',
    'stream',
    'telemetry',
  ]);
  assert.is(collector.collector.port, 9000);
});

test('each section is built only from the settings its group declares', () => {
  for (const [name, group] of Object.entries(GROUPS)) {
    const values = {} as Env;
    const read = new Set<string>();
    const parsed = new Proxy(values, {
      get(_, key: string) {
        read.add(key);
        return { EVENT_CATALOG: 'c', LOG_LEVEL: 'info', CORS_ORIGINS: '*', RELAYS: [] }[key] ?? undefined;
      },
    });
    group.build(parsed);
    const undeclared = [...read].filter((k) => !(group.vars as readonly string[]).includes(k));
    assert.equal(undeclared, [], `group ${name}`);
  }
  for (const name of ENV_VARS) assert.ok(settingsOf('all').includes(name as keyof typeof SETTINGS), name);
});

test('a secret is never repeated in a configuration error', () => {
  for (const [name, value] of [
    ['READ_KEYS', 'short'],
    ['CONSOLE_TOKEN', 'tiny'],
    ['COLLECTOR_WRITE_KEYS', '[{"name":"w","key":"s3cr3t"}]'],
    ['NATS_URL', 'http://user:pa55word@nats'],
  ] as const) {
    const message = (() => {
      try {
        loadConfig({ [name]: value });
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    assert.match(message, new RegExp(`${name}=<redacted, ${value.length} characters>`));
    assert.not.ok(message.includes(value), `${name}: ${message}`);
  }
});

/** The configuration error of `env`, or '' when it is accepted. */
const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return '';
  } catch (err) {
    assert.instance(err, ConfigError);
    return (err as Error).message;
  }
};

test('every setting that names a place refuses a form it cannot use, naming itself and the forms it takes', () => {
  const refused: [name: string, value: string, forms: RegExp][] = [
    ['ARCHIVE_URL', 'ftp://host/archive', /unsupported scheme "ftp:"; expected s3:\/\/bucket\/prefix, http\(s\):\/\//],
    ['ARCHIVE_URL', 'minio:9000/bucket', /unsupported scheme "minio:"; expected s3:/],
    ['ARCHIVE_URL', 's3://', /no valid bucket name/],
    ['ARCHIVE_URL', 's3://bucket:9000/x', /with a port/],
    ['ARCHIVE_URL', 'http://minio:9000', /no valid bucket name/],
    ['ARCHIVE_URL', 'http://minio:9000/b', /no valid bucket name/],
    ['ARCHIVE_URL', 'http://minio:9000/bucket?x=1', /query/],
    ['ARCHIVE_URL', 'http://AKIA:s3cr3tkey@minio:9000/bucket', /credentials in the URL/],
    ['ARCHIVE_S3_ENDPOINT', 'minio:9000', /expected an http:\/\/ or https:\/\/ URL/],
    ['CLICKHOUSE_URL', 'tcp://clickhouse:9000', /unsupported scheme "tcp:"; expected an http:\/\/ or https:\/\/ URL/],
    ['CLICKHOUSE_URL', 'clickhouse:8123', /expected an http/],
    ['CLICKHOUSE_URL', 'http://', /expected an http/],
    ['NATS_URL', 'http://nats:4222', /unsupported scheme "http:"; expected comma-separated nats:\/\//],
    ['NATS_URL', 'wss://nats:443', /websockets/],
    ['NATS_URL', 'nats://a:4222,', /an empty server/],
    ['NATS_URL', 'nats://', /not a URL with a host/],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'otel:4318', /expected an http/],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://otel:4317', /unsupported scheme "grpc:"/],
    ['DATA_DIR', 's3://bucket/data', /a URL \("s3:"\), not a path; expected a folder path/],
    ['EVENT_CATALOG', 'catalog,https://example.com/c.yaml', /a URL \("https:"\), not a path; expected YAML files/],
    ['COLLECTOR_SOURCES_FILE', 'file:///run/secrets/sources.json', /expected a file path/],
    ['HOST', 'http://0.0.0.0', /not a host name or an IP address/],
    ['READER_HOST', '127.0.0.1:8082', /not a host name or an IP address/],
    ['CONSOLE_COLLECTORS', 'collector:8080', /expected comma-separated http/],
    ['CONSOLE_SINKS', 'http://a:8081,ftp://b', /unsupported scheme "ftp:"/],
    ['CONSOLE_ARCHIVERS', 'archiver', /not a URL/],
  ];
  for (const [name, value, forms] of refused) {
    const message = refusal({ [name]: value });
    assert.match(message, new RegExp(`^  ${name}=`, 'm'), `${name}=${value}: ${message}`);
    assert.match(message, forms, `${name}=${value}: ${message}`);
  }
  assert.not.match(refusal({ ARCHIVE_URL: 'http://AKIA:s3cr3tkey@minio:9000/bucket' }), /s3cr3t|AKIA/);
});

test('the forms of places that work are accepted', () => {
  const cfg = loadConfig({
    ARCHIVE_URL: 's3://bucket/events',
    ARCHIVE_S3_ENDPOINT: 'http://minio:9000',
    CLICKHOUSE_URL: 'https://user:pw@ch.example:8443/?compress=1',
    NATS_URL: 'nats://u:p@a:4222, tls://b:4222,localhost:4222,127.0.0.1,nats:4222',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
    DATA_DIR: '/var/lib/edge-events',
    EVENT_CATALOG: 'catalog, teams/a.yaml',
    COLLECTOR_SOURCES_FILE: '/run/secrets/sources.json',
    HOST: '::',
    READER_HOST: 'reader.internal',
    CONSOLE_COLLECTORS: 'http://a:8080/, https://b',
  });
  assert.is(cfg.archive.url, 's3://bucket/events');
  assert.is(loadConfig({ HOST: '0.0.0.0' }).collector.host, '0.0.0.0');
  assert.is(loadConfig({}).archive.url, '.data/archive');
  assert.is(loadConfig({ ARCHIVE_URL: 'http://minio:9000/bucket' }).archive.url, 'http://minio:9000/bucket');
});

test('ARCHIVE_URL: the form S3-compatible servers document (http://host:port/bucket) is a bucket, path-style', () => {
  assert.equal(archiveLocation('http://minio:9000/bucket'), {
    kind: 's3',
    bucket: 'bucket',
    prefix: '',
    endpoint: 'http://minio:9000',
  });
  assert.equal(archiveLocation('https://r2.example/archive/edge/events/'), {
    kind: 's3',
    bucket: 'archive',
    prefix: 'edge/events',
    endpoint: 'https://r2.example',
  });
  assert.equal(archiveLocation('s3://bucket/a/b'), { kind: 's3', bucket: 'bucket', prefix: 'a/b' });
  assert.equal(archiveLocation('file:///var/lib/archive'), { kind: 'folder', path: '/var/lib/archive' });
  assert.equal(archiveLocation('.data/archive'), { kind: 'folder', path: '.data/archive' });
  assert.equal(archiveLocation('/abs/archive'), { kind: 'folder', path: '/abs/archive' });
  for (const bad of ['s3://bkt/a%2F..%2Fb', 's3://bkt/a%5Cb', 'http://h/bkt/%E0', 'file://other/x', 'gs://bkt/x'])
    assert.type(archiveLocation(bad), 'string', bad);
});

test('ARCHIVE_S3_ENDPOINT is refused where it would be ignored: beside a folder or a URL naming its own server', () => {
  const endpoint = { ARCHIVE_S3_ENDPOINT: 'http://minio:9000' };
  assert.match(
    refusal(endpoint),
    /ARCHIVE_S3_ENDPOINT=.*: used only with ARCHIVE_URL=s3:\/\/bucket\/prefix, and ARCHIVE_URL names a folder/,
  );
  assert.match(refusal({ ...endpoint, ARCHIVE_URL: '/srv/archive' }), /names a folder/);
  assert.match(refusal({ ...endpoint, ARCHIVE_URL: 'http://minio:9000/bucket' }), /names its own server/);
  assert.is(refusal({ ...endpoint, ARCHIVE_URL: 's3://bucket/p' }), '');
  assert.is(refusal({ ...endpoint, ARCHIVE_URL: 'ftp://x' }).match(/ARCHIVE_/g)?.length, 1, 'one problem at a time');
  assert.ok(loadConfig({ ...endpoint, ARCHIVE_URL: '/srv/archive' }, 'collector'), 'a collector reads neither');
});

test.run();
