// Kubernetes manifests and container image: every kustomize overlay builds, validates against the API schemas,
// sets exactly the variables the processes read, and runs secure, bounded, probed pods that drain in time; each
// connects to NATS as its own role's user, and the TLS option renders. And the Dockerfile, statically: Node 24 (the
// collector 20; pinned by digest for a release), images without build tools, install-time telemetry off.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { ENV_VARS } from '../../shared/config/mod.ts';
import { loadCatalogFiles } from '../../shared/node/mod.ts';
import { ARCHIVER_CONSUMER, consumerSpecs, EVENTS_STREAM, SINK_CONSUMER, streamSpecs } from '../../streams/mod.ts';
import { BUNDLES, bundleOf } from '../../tools/build.ts';
import {
  copies,
  dockerIgnored,
  dockerStages,
  envOf,
  filesUnder,
  last,
  resolveStage,
  runtimeImports,
} from './checks/image.ts';
import { allows, type Endpoint } from './checks/network.ts';
import { clickHouseUserProblems } from './checks/clickhouse.ts';
import { natsTlsProblems, natsUserProblems } from './checks/nats.ts';
import {
  buildKustomization,
  buildOverlay,
  findKubectl,
  K8S_DIR,
  named,
  ofKind,
  overlayNames,
  readObjects,
  REPO_DIR,
  type Build,
} from './checks/render.ts';
import { isScaledObject, validateObject } from './checks/schema.ts';
import { confSetting, containerPort, EXTERNAL_SECRETS, natsOf, one, processes, seconds } from './checks/stack.ts';
import {
  allContainers,
  containerEnv,
  imageTag,
  JOB_COMMANDS,
  quantity,
  roleOf,
  workloads,
  type Role,
} from './checks/workloads.ts';

/** Variables the processes read that no deployment sets, and why. */
const NOT_SET: Record<string, string> = {
  DATA_DIR: 'state of npm start and of the embedded engine, neither of which runs here',
  COLLECTOR_WRITE_KEYS: 'write keys come from a Secret file instead (COLLECTOR_SOURCES_FILE)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'OTEL_EXPORTER_OTLP_ENDPOINT covers traces',
  LOADGEN_RPS: 'a load generator inside npm start only',
  DEMO_DATA: 'demo data for npm start only',
  ARCHIVE_S3_ENDPOINT: 'AWS S3 by default; set it for MinIO, R2 or another S3-compatible service',
  NATS_CA_FILE: 'TLS to NATS is an option: the tls kustomization (deploy/k8s/tls) sets it',
  TRUST_PROXY: 'retired (refused when true): TRUSTED_PROXIES replaced it',
  GEOIP_DB: 'the country database shipped in the image by default; mount a GeoLite2 file and set it for cities',
  EDGE_POP_DOMAINS: 'a hub with points of presence: no overlay for them yet (#24)',
  EDGE_HUB_DOMAIN: 'a point of presence: no overlay for one yet (#24)',
};
const NATS = ['NATS_URL', 'NATS_USER', 'NATS_PASSWORD'];
const REQUIRED: Record<Role, string[]> = {
  collector: NATS,
  sink: [...NATS, 'CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD'],
  reader: [...NATS, 'CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'CONSOLE_TOKEN'],
  archiver: [...NATS, 'ARCHIVE_URL'],
  'streams:apply': NATS,
  'schema:apply': [...NATS, 'CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD'],
};
/** request_timeout of the ClickHouse client (shared/clickhouse/connect.ts): the longest an insert in hand takes. */
const INSERT_TIMEOUT_S = 60;
/** Time for the rest of a stop (NATS drain, ack flush) beyond the waits the settings bound. */
const STOP_MARGIN_S = 10;

const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  scarfSettings?: { enabled?: boolean };
};
const lock = JSON.parse(readFileSync(join(REPO_DIR, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    { version?: string; dev?: boolean; optional?: boolean; devOptional?: boolean; hasInstallScript?: boolean }
  >;
};
/** Whether `npm ci --omit=dev --omit=optional` leaves a package out: only with devDependencies or optional ones. */
const notInProduction = (path: string) => {
  const entry = lock.packages[path];
  return !entry || !!(entry.dev || entry.devOptional || entry.optional);
};
const dockerfile = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
const stages = dockerStages(dockerfile);
const targets = {
  collector: resolveStage(stages, 'collector'),
  sink: resolveStage(stages, 'sink'),
  reader: resolveStage(stages, 'reader'),
  archiver: resolveStage(stages, 'archiver'),
};
/** Install-time telemetry and nags off, wherever npm installs: the Dockerfile's stages and CI (.ci/run). */
const TELEMETRY_OFF = {
  DO_NOT_TRACK: '1',
  SCARF_ANALYTICS: 'false',
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
};
/** Production packages with an install script the images skip (`npm ci --ignore-scripts`), and why that is safe. */
const SCRIPTS_SKIPPED: Record<string, string> = {
  '@scarf/scarf': "swagger-ui-dist's install analytics: the script only reports the install",
};
const installs = (instructions: Array<{ op: string; args: string }>) =>
  instructions.filter((i) => i.op === 'RUN' && i.args.includes('npm ci'));
const buildsBundles = (instructions: Array<{ op: string; args: string }>) =>
  instructions.some((i) => i.op === 'RUN' && i.args === 'npm run build');
const imageUid = Number(last(targets.sink.instructions, 'USER')?.split(':')[0]);
const adapterRules = readObjects(join(K8S_DIR, 'monitoring', 'prometheus-adapter-rules.yaml'));
const kubectl = findKubectl();
const builds: Build[] = kubectl ? overlayNames().map((overlay) => buildOverlay(kubectl, overlay)) : [];
/** The TLS option, layered on prod. */
const tls = kubectl ? buildKustomization(kubectl, join(K8S_DIR, 'tls'), 'tls') : undefined;
const prod = builds.find((b) => b.overlay === 'prod');
const catalog = loadCatalogFiles('catalog');

const maxOldSpaceMiB = (args: string) => Number(/--max-old-space-size=(\d+)/.exec(args)?.[1] ?? NaN);

test('kubectl is on PATH and every overlay builds with kubectl kustomize', () => {
  assert.ok(kubectl, 'kubectl not found on PATH (npm test installs Debian kubernetes-client when missing)');
  assert.equal(
    builds.map((b) => b.overlay),
    ['dev', 'prod'],
  );
  for (const b of builds) assert.is(b.error, undefined, `overlay ${b.overlay}: ${b.error}`);
});

test('every object validates against the Kubernetes API schemas (KEDA ScaledObject by hand)', async () => {
  const errors: string[] = [];
  for (const obj of [...adapterRules, ...builds.flatMap((b) => b.objects)])
    await validateObject(obj).catch((err: Error) => errors.push(err.message));
  assert.equal(errors, []);
});

test('everything lives in the namespace the overlay creates; mounted ConfigMaps and Secrets exist', () => {
  for (const b of builds) {
    const [ns, ...more] = ofKind(b.objects, Namespace.is);
    assert.is(more.length, 0);
    const outside = b.objects.filter((o) => !Namespace.is(o) && o.metadata.namespace !== ns?.metadata.name);
    assert.equal(
      outside.map((o) => `${o.kind} ${o.metadata.name}`),
      [],
      `${b.overlay}: outside namespace ${ns?.metadata.name}`,
    );
    const exists = (kind: string, name = '') => b.objects.some((o) => o.kind === kind && o.metadata.name === name);
    const dangling = workloads(b.objects).flatMap((w) =>
      (w.pod.volumes ?? [])
        .filter(
          (v) =>
            (v.configMap && !exists('ConfigMap', v.configMap.name)) ||
            (v.secret && !exists('Secret', v.secret.secretName) && !((v.secret.secretName ?? '') in EXTERNAL_SECRETS)),
        )
        .map((v) => `${w.name}: volume ${v.name}`),
    );
    assert.equal(dangling, [], `${b.overlay}: volumes of missing ConfigMaps or Secrets`);
  }
});

test('settings: variables set on our containers are ones the processes read; required ones are set and parse', () => {
  const problems: string[] = [];
  for (const p of builds.flatMap(processes)) {
    for (const [name, { source }] of p.env) {
      if (!ENV_VARS.includes(name) && name !== 'NODE_OPTIONS' && !/^OTEL_[A-Z0-9_]+$/.test(name))
        problems.push(`${p.where}: ${name} (${source}) is read by nothing`);
    }
    for (const name of REQUIRED[p.role])
      if (!p.env.get(name)?.value) problems.push(`${p.where}: ${p.role} needs ${name}`);
  }
  assert.equal(problems, []);
});

test('settings: every variable the processes read is set by some overlay (ConfigMap, Secret or container)', () => {
  const set = new Set(builds.flatMap(processes).flatMap((p) => [...p.env.keys()]));
  const missing = ENV_VARS.filter((name) => !set.has(name) && !(name in NOT_SET));
  assert.equal(
    missing,
    [],
    'add them to edge-events-config in deploy/k8s/base/kustomization.yaml (or to NOT_SET here, with the reason)',
  );
  assert.equal(
    Object.keys(NOT_SET).filter((name) => !ENV_VARS.includes(name)),
    [],
    'NOT_SET names variables nothing reads',
  );
});

test('settings: addresses name Services of the build, ports and files match the containers', () => {
  for (const b of builds) {
    const services = ofKind(b.objects, Service.is);
    for (const p of processes(b)) {
      for (const address of [
        ...(p.cfg.nats.url?.split(',') ?? []),
        ...(p.cfg.clickhouse.url ? [p.cfg.clickhouse.url] : []),
      ]) {
        const url = new URL(address.trim());
        const service = services.find((s) => s.metadata.name === url.hostname.split('.')[0]);
        assert.ok(
          service?.spec?.ports?.some((port) => port.port === Number(url.port)),
          `${p.where}: ${address} is no Service port`,
        );
      }
      const port = { collector: p.cfg.collector.port, sink: p.cfg.sink.port, reader: p.cfg.reader.port }[
        p.role as 'collector' | 'sink' | 'reader'
      ];
      // The console's scrape targets are Services of the build, on their ports.
      if (p.role === 'reader') {
        for (const address of [...p.cfg.reader.console.collectors, ...p.cfg.reader.console.sinks]) {
          const url = new URL(address);
          const service = services.find((s) => s.metadata.name === url.hostname);
          assert.ok(
            service?.spec?.clusterIP === 'None' && service.spec.ports?.some((sp) => sp.port === Number(url.port)),
            `${p.where}: ${address} is a headless Service's port`,
          );
        }
      }
      if (port !== undefined)
        assert.ok(
          p.container.ports?.some((cp) => cp.containerPort === port),
          `${p.where}: listens on ${port}`,
        );
      const file = p.cfg.collector.sourcesFile;
      if (file) {
        const mount = p.container.volumeMounts?.find((m) => dirname(file) === m.mountPath);
        const volume = p.workload.pod.volumes?.find((v) => v.name === mount?.name);
        assert.ok(
          volume?.secret?.secretName === 'collector-sources' && file.endsWith('/sources.json'),
          `${p.where}: ${file} is the mounted Secret's key`,
        );
      }
    }
  }
});

test('collector: per-IP limits on, X-Forwarded-For trusted only from named proxies, bodies under a deadline', () => {
  for (const b of builds) {
    const { collector } = one(b, 'collector').cfg;
    assert.ok(collector.ipRateLimit.rps > 0, `${b.overlay}: RATE_LIMIT_IP_RPS is on`);
    assert.ok(collector.ipRateLimit.burst >= collector.ipRateLimit.rps, `${b.overlay}: a burst of at least a second`);
    // The Service keeps client IPs (or SNATs, in dev): nobody in front writes X-Forwarded-For for the collector.
    assert.is(collector.trustedProxies, undefined, `${b.overlay}: TRUSTED_PROXIES trusts no proxy`);
    assert.ok(collector.bodyTimeoutMs <= 10_000, `${b.overlay}: BODY_TIMEOUT_MS within uWS's own 10 s`);
  }
  const service = named(ofKind(prod?.objects ?? [], Service.is), 'collector');
  assert.is(service.spec?.externalTrafficPolicy, 'Local', 'prod: the load balancer keeps client IPs');
});

test('streams Job declares the consumer the sink pulls from, on streams the NATS cluster can hold', () => {
  for (const b of builds) {
    const [job, sink] = [one(b, 'streams:apply').cfg, one(b, 'sink').cfg];
    assert.equal(
      consumerSpecs(job, catalog),
      consumerSpecs(sink, catalog),
      `${b.overlay}: same SINK_* and RELAYS for Job and sink`,
    );
    const { sts: nats, env: natsEnv } = natsOf(b);
    assert.ok(
      streamSpecs(job.stream).every((s) => (s.num_replicas ?? 1) <= (nats.spec?.replicas ?? 1)),
      `${b.overlay}: STREAM_REPLICAS`,
    );
    const maxFileStore = Number(natsEnv.get('JS_MAX_FILE_STORE')?.value);
    const volume = quantity(nats.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage);
    assert.ok(
      2 * job.stream.maxBytes < maxFileStore && maxFileStore < volume,
      `${b.overlay}: 2 × STREAM_MAX_BYTES < JS_MAX_FILE_STORE < volume`,
    );
  }
});

test('pods run as non-root with read-only root, no privileges, capabilities or service account token', () => {
  const problems: string[] = [];
  for (const b of builds) {
    for (const w of workloads(b.objects)) {
      const where = `${b.overlay} ${w.kind} ${w.name}`;
      const pod = w.pod.securityContext;
      if (w.pod.automountServiceAccountToken !== false) problems.push(`${where}: automountServiceAccountToken`);
      if (pod?.runAsNonRoot !== true || !(Number(pod.runAsUser) > 0))
        problems.push(`${where}: runAsNonRoot with a numeric runAsUser`);
      for (const c of allContainers(w)) {
        const sc = c.securityContext;
        if ((sc?.seccompProfile ?? pod?.seccompProfile)?.type !== 'RuntimeDefault')
          problems.push(`${where} ${c.name}: seccompProfile`);
        if (sc?.allowPrivilegeEscalation !== false || sc.readOnlyRootFilesystem !== true || sc.privileged)
          problems.push(`${where} ${c.name}: escalation/read-only`);
        if (!sc?.capabilities?.drop?.includes('ALL') || sc.capabilities.add?.length)
          problems.push(`${where} ${c.name}: capabilities`);
        if (!roleOf(c)) continue;
        if ((sc?.runAsUser ?? pod?.runAsUser) !== imageUid)
          problems.push(`${where} ${c.name}: runs as the image's user ${imageUid}`);
        const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
        if (!w.pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir)
          problems.push(`${where} ${c.name}: emptyDir at /tmp (the OS temp folder)`);
      }
    }
  }
  assert.equal(problems, []);
});

test('every container has CPU and memory requests within limits; heap caps fit the memory limits', () => {
  const problems: string[] = [];
  for (const b of builds) {
    for (const w of workloads(b.objects)) {
      for (const c of allContainers(w)) {
        const where = `${b.overlay} ${w.kind} ${w.name} ${c.name}`;
        for (const r of ['cpu', 'memory']) {
          const [request, limit] = [c.resources?.requests?.[r], c.resources?.limits?.[r]];
          if (request === undefined || limit === undefined || quantity(request) > quantity(limit))
            problems.push(`${where}: ${r} request ${request} limit ${limit}`);
        }
        const role = roleOf(c);
        const heapArgs =
          c.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ??
          (role === 'collector' ? last(targets.collector.instructions, 'CMD')! : '');
        const heap = maxOldSpaceMiB(heapArgs) * 2 ** 20;
        if (heap >= quantity(c.resources?.limits?.memory))
          problems.push(`${where}: heap ${heapArgs} over the memory limit`);
      }
    }
  }
  assert.equal(problems, []);
});

test('long-running containers are probed; ours on /readyz and /healthz of their own port', () => {
  for (const b of builds) {
    for (const w of workloads(b.objects).filter((w) => w.kind !== 'Job')) {
      for (const c of w.pod.containers) {
        assert.ok(
          c.readinessProbe && c.livenessProbe,
          `${b.overlay} ${w.name} ${c.name}: readiness and liveness probes`,
        );
      }
    }
    for (const p of processes(b).filter((p) => p.role === 'collector' || p.role === 'sink')) {
      const port = p.role === 'collector' ? p.cfg.collector.port : p.cfg.sink.port;
      const { readinessProbe: ready, livenessProbe: live } = p.container;
      assert.equal(
        [ready?.httpGet?.path, containerPort(p.container, ready?.httpGet?.port)],
        ['/readyz', port],
        `${p.where}: readiness`,
      );
      assert.equal(
        [live?.httpGet?.path, containerPort(p.container, live?.httpGet?.port)],
        ['/healthz', port],
        `${p.where}: liveness`,
      );
    }
  }
});

test('termination grace periods outlast the drains (collector, sink, NATS lame duck)', () => {
  for (const b of builds) {
    const collector = one(b, 'collector');
    const sleep = Number(collector.container.lifecycle?.preStop?.exec?.command?.join(' ').match(/^sleep (\d+)$/)?.[1]);
    assert.ok(sleep >= 1, `${b.overlay}: collector preStop sleep`);
    const collectorDrain = sleep + collector.cfg.collector.publishTimeoutMs / 1000 + STOP_MARGIN_S;
    assert.ok(
      Number(collector.workload.pod.terminationGracePeriodSeconds) >= collectorDrain,
      `${b.overlay}: collector grace ≥ ${collectorDrain} s`,
    );
    const sink = one(b, 'sink');
    const sinkDrain = INSERT_TIMEOUT_S + sink.cfg.sink.batchWaitMs / 1000 + STOP_MARGIN_S;
    assert.ok(
      Number(sink.workload.pod.terminationGracePeriodSeconds) >= sinkDrain,
      `${b.overlay}: sink grace ≥ ${sinkDrain} s`,
    );
    const { conf, pod } = natsOf(b);
    const lameDuck =
      seconds(confSetting(conf, 'lame_duck_grace_period')) + seconds(confSetting(conf, 'lame_duck_duration'));
    assert.ok(Number(pod.terminationGracePeriodSeconds) > lameDuck, `${b.overlay}: NATS grace > ${lameDuck} s`);
  }
});

test('NATS: JetStream cluster with named servers, routes, file store on volumes, health probes, lame-duck stop', () => {
  for (const b of builds) {
    const { sts, container: c, conf, env } = natsOf(b);
    const replicas = sts.spec?.replicas ?? 1;
    assert.ok(
      replicas >= 3 && sts.spec?.podManagementPolicy === 'Parallel',
      `${b.overlay}: 3+ servers started together`,
    );
    assert.match(c.image ?? '', /^nats:2\.10\.\d+(-alpine)?$/);
    const headless = named(ofKind(b.objects, Service.is), sts.spec!.serviceName!);
    assert.ok(
      headless.spec?.clusterIP === 'None' && headless.spec.publishNotReadyAddresses,
      `${b.overlay}: headless, names before readiness`,
    );
    assert.equal(
      [...conf.matchAll(/nats:\/\/([\w.-]+):6222/g)].map((m) => m[1]),
      [...Array(replicas).keys()].map((i) => `nats-${i}.${headless.metadata.name}`),
    );
    assert.ok(
      confSetting(conf, 'server_name') === '$POD_NAME' && env.get('POD_NAME')?.value === '<metadata.name>',
      `${b.overlay}: server_name`,
    );
    assert.is(confSetting(conf, 'max_file_store'), '$JS_MAX_FILE_STORE');
    const data = sts.spec?.volumeClaimTemplates?.map((t) => t.metadata?.name) ?? [];
    assert.ok(
      c.volumeMounts?.some((m) => m.mountPath === confSetting(conf, 'store_dir') && data.includes(m.name)),
      `${b.overlay}: store_dir on a claim`,
    );
    const pidFile = confSetting(conf, 'pid_file');
    assert.equal(c.lifecycle?.preStop?.exec?.command, ['nats-server', '--signal', `ldm=${pidFile}`]);
    assert.ok(
      c.volumeMounts?.some((m) => m.mountPath === dirname(pidFile)),
      `${b.overlay}: pid file on a volume`,
    );
    const monitor = Number(confSetting(conf, 'http_port'));
    assert.equal(
      [c.readinessProbe?.httpGet?.path, containerPort(c, c.readinessProbe?.httpGet?.port)],
      ['/healthz?js-enabled-only=true', monitor],
    );
    assert.ok(
      c.livenessProbe?.httpGet?.path?.startsWith('/healthz') &&
        containerPort(c, c.livenessProbe.httpGet.port) === monitor,
    );
    const pdb = ofKind(b.objects, PodDisruptionBudget.is).find(
      (p) => p.spec?.selector?.matchLabels?.['app.kubernetes.io/name'] === 'nats',
    );
    assert.is(pdb?.spec?.maxUnavailable, 1, `${b.overlay}: NATS keeps its quorum through drains`);
  }
});

test('NATS users: the servers run the permission set of the code; each workload connects as its own role', () => {
  assert.equal(builds.flatMap(natsUserProblems), []);
});

test('TLS between pods (deploy/k8s/tls): renders, validates; servers require it, every process uses it', async () => {
  assert.ok(tls && !tls.error, `tls: ${tls?.error}`);
  const errors: string[] = [];
  for (const obj of tls.objects) await validateObject(obj).catch((err: Error) => errors.push(err.message));
  assert.equal(errors, []);
  assert.equal([...natsTlsProblems(tls), ...natsUserProblems(tls)], []);
  assert.equal(natsTlsProblems(prod!).length > 0, true, 'prod alone is not the TLS option');
});

test("ClickHouse: the sink's credentials and database, data on a volume, a writable users.d", () => {
  for (const b of builds) {
    const ch = named(ofKind(b.objects, StatefulSet.is), 'clickhouse');
    const c = ch.spec!.template.spec!.containers[0]!;
    const env = containerEnv(c, b.objects, EXTERNAL_SECRETS);
    const sink = one(b, 'sink');
    for (const name of ['CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD'])
      assert.equal(env.get(name), sink.env.get(name), `${b.overlay}: ${name}`);
    assert.is(env.get('CLICKHOUSE_DB')?.value, sink.cfg.clickhouse.database);
    const claims = ch.spec?.volumeClaimTemplates?.map((t) => t.metadata?.name) ?? [];
    assert.ok(
      c.volumeMounts?.some((m) => m.mountPath === '/var/lib/clickhouse' && claims.includes(m.name)),
      `${b.overlay}: data on a claim`,
    );
    assert.ok(
      c.volumeMounts?.some((m) => m.mountPath === '/etc/clickhouse-server/users.d'),
      `${b.overlay}: the entrypoint writes the user there`,
    );
  }
});

test('ClickHouse users: the reader is read-only (readonly = 2, SELECT on its database); passwords from Secrets', () => {
  assert.equal([...builds, tls!].flatMap(clickHouseUserProblems), []);
});

test('prod: ClickHouse replicated — the cluster the processes name, every replica and Keeper peer configured', () => {
  const b = prod!;
  const sink = one(b, 'sink');
  const cluster = sink.cfg.clickhouse.cluster;
  assert.is(cluster, 'edge_events', 'CLICKHOUSE_CLUSTER is set');
  const configMap = (prefix: string) =>
    ofKind(b.objects, ConfigMap.is).find((m) => m.metadata?.name?.startsWith(`${prefix}-`))!;
  const xml = configMap('clickhouse-cluster').data?.['cluster.xml'] ?? '';
  assert.match(xml, new RegExp(`<remote_servers>\\s*<${cluster}>`), 'remote_servers defines the cluster');
  const ch = named(ofKind(b.objects, StatefulSet.is), 'clickhouse');
  const hosts = [...xml.matchAll(/<host>(clickhouse-\d+)\.clickhouse<\/host>/g)].map((m) => m[1]);
  const pods = Array.from({ length: ch.spec!.replicas ?? 1 }, (_, i) => `clickhouse-${i}`);
  assert.equal(hosts, pods, 'every ClickHouse pod is a replica of the cluster');
  const c = ch.spec!.template.spec!.containers[0]!;
  const env = new Map(c.env?.map((e) => [e.name, e]));
  for (const name of ['CLICKHOUSE_SHARD', 'POD_FQDN'])
    assert.ok(xml.includes(`from_env="${name}"`) && env.has(name), `${name}: set on the pod, read by the config`);
  const mount = c.volumeMounts?.find((m) => m.mountPath === '/etc/clickhouse-server/config.d');
  const volume = ch.spec!.template.spec!.volumes?.find((v) => v.name === mount?.name);
  assert.is(volume?.configMap?.name, configMap('clickhouse-cluster').metadata?.name, 'the config is mounted');
  assert.equal(
    c.ports?.map((p) => p.containerPort).sort(),
    [8123, 9000, 9009],
    'HTTP, queries between nodes, part fetches',
  );
  const keeper = named(ofKind(b.objects, StatefulSet.is), 'clickhouse-keeper');
  const raft = configMap('clickhouse-keeper').data?.['keeper_config.xml'] ?? '';
  const peers = [...raft.matchAll(/<hostname>(clickhouse-keeper-\d+)\.clickhouse-keeper<\/hostname>/g)].map(
    (m) => m[1],
  );
  const keeperPods = Array.from({ length: keeper.spec!.replicas ?? 1 }, (_, i) => `clickhouse-keeper-${i}`);
  assert.equal(peers, keeperPods, 'every Keeper pod is a Raft peer');
  assert.equal(
    [...xml.matchAll(/<host>(clickhouse-keeper-\d+)\.clickhouse-keeper<\/host>/g)].map((m) => m[1]),
    peers,
  );
  assert.ok(keeperPods.length >= 3 && keeperPods.length % 2 === 1, 'an odd quorum that survives one node');
});

test("collector: HPA on CPU and requests/s (the adapter rule's metric), PDB, replicas left to the HPA", () => {
  const rules = parseYaml(
    named(ofKind(adapterRules, ConfigMap.is), 'prometheus-adapter-edge-events').data?.['config.yaml'] ?? '',
  ) as {
    rules: Array<{ seriesQuery: string; name: { as: string } }>;
  };
  const rule = rules.rules.find((r) => r.seriesQuery.startsWith('edge_events_http_requests_total'));
  for (const b of builds) {
    const hpa = named(ofKind(b.objects, HorizontalPodAutoscaler.is), 'collector');
    const target = named(ofKind(b.objects, Deployment.is), hpa.spec!.scaleTargetRef.name);
    assert.is(target.spec?.replicas, undefined, `${b.overlay}: replicas in the Deployment would fight the HPA`);
    assert.ok(
      hpa.spec?.metrics?.some((m) => m.resource?.name === 'cpu'),
      `${b.overlay}: CPU`,
    );
    for (const m of hpa.spec?.metrics?.filter((m) => m.type === 'Pods') ?? [])
      assert.is(m.pods?.metric.name, rule?.name.as);
    const pdb = ofKind(b.objects, PodDisruptionBudget.is).find(
      (p) => p.spec?.selector?.matchLabels?.['app.kubernetes.io/name'] === 'collector',
    );
    assert.ok(pdb, `${b.overlay}: collector PDB`);
  }
  const prodHpa = named(ofKind(prod?.objects ?? [], HorizontalPodAutoscaler.is), 'collector');
  assert.ok(
    (prodHpa.spec?.minReplicas ?? 1) >= 3 && prodHpa.spec?.metrics?.some((m) => m.type === 'Pods'),
    'prod: 3+ collectors, requests/s',
  );
});

test('KEDA scales the sink and the archiver on consumer lag (prod), within what max_ack_pending lets them take', () => {
  assert.equal(
    prod?.objects
      .filter(isScaledObject)
      .map((so) => so.spec.scaleTargetRef.name)
      .sort(),
    ['archiver', 'sink'],
  );
  const consumerOf: Record<string, string> = { sink: SINK_CONSUMER, archiver: ARCHIVER_CONSUMER };
  for (const b of builds) {
    for (const so of b.objects.filter(isScaledObject)) {
      const target = named(ofKind(b.objects, Deployment.is), so.spec.scaleTargetRef.name);
      assert.is(target.spec?.replicas, undefined, `${b.overlay}: replicas left to KEDA`);
      const role = target.metadata.name!;
      const proc = one(b, role as Role);
      const consumer = consumerOf[role]!;
      const maxAckPending =
        consumerSpecs(proc.cfg, catalog).find((c) => c.config.durable_name === consumer)?.config.max_ack_pending ?? 0;
      const [trigger, ...more] = so.spec.triggers;
      assert.is(more.length, 0);
      const { sts } = natsOf(b);
      assert.equal(trigger, {
        type: 'nats-jetstream',
        metadata: {
          ...trigger?.metadata,
          natsServerMonitoringEndpoint: `${sts.spec?.serviceName}.${so.metadata.namespace}.svc.cluster.local:8222`,
          account: '$G',
          stream: EVENTS_STREAM,
          consumer,
        },
      });
      // What the running processes hold unacked (the sinks' batches, the archivers' open files) counts as lag.
      assert.ok(
        Number(trigger?.metadata.lagThreshold) >= maxAckPending,
        `${b.overlay}: ${role} lagThreshold ≥ max_ack_pending ${maxAckPending}`,
      );
      assert.ok((so.spec.minReplicaCount ?? 0) >= 1, `${b.overlay}: ${role} never 0`);
      if (role === 'sink')
        assert.ok(
          (so.spec.maxReplicaCount ?? 100) * proc.cfg.sink.batchSize <= maxAckPending,
          `${b.overlay}: maxReplicaCount × SINK_BATCH_SIZE ≤ max_ack_pending`,
        );
    }
  }
});

test('NetworkPolicies: only the collector is reachable from outside; each pod reaches exactly what it uses', () => {
  const egress: Record<string, string[]> = {
    collector: ['nats:4222'],
    sink: ['clickhouse:8123', 'nats:4222'],
    reader: ['archiver:8083', 'clickhouse:8123', 'collector:8080', 'nats:4222', 'sink:8081'],
    archiver: ['nats:4222', 'outside:443'],
    'streams-apply': ['nats:4222'],
    'schema-apply': ['clickhouse:8123', 'nats:4222'],
    nats: ['nats:6222'],
    clickhouse: [],
  };
  // prod runs ClickHouse replicated: the replicas reach each other and Keeper, the Keeper nodes each other.
  const replicated: Record<string, string[]> = {
    clickhouse: ['clickhouse-keeper:9181', 'clickhouse:9000', 'clickhouse:9009'],
    'clickhouse-keeper': ['clickhouse-keeper:9234'],
  };
  for (const b of builds) {
    const policies = ofKind(b.objects, NetworkPolicy.is);
    const pods = workloads(b.objects).map((w) => ({
      endpoint: {
        name: w.labels['app.kubernetes.io/name'] ?? w.name,
        namespace: w.namespace,
        labels: w.labels,
      } as Endpoint,
      ports: allContainers(w).flatMap((c) => c.ports?.map((p) => p.containerPort) ?? []),
    }));
    const outside: Endpoint = { name: 'outside', labels: {} };
    const targets = [
      ...pods.flatMap((p) => p.ports.map((port) => ({ to: p.endpoint, port }))),
      { to: outside, port: 443 },
    ];
    const reach = (from: Endpoint) =>
      targets
        .filter((t) => allows(policies, from, t.to, t.port))
        .map((t) => `${t.to.name}:${t.port}`)
        .sort();
    assert.equal(reach(outside), ['collector:8080', 'outside:443'], `${b.overlay}: from outside`);
    const dns: Endpoint = { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
    for (const { endpoint } of pods) {
      const expected = (b.overlay === 'prod' ? replicated[endpoint.name] : undefined) ?? egress[endpoint.name];
      assert.equal(reach(endpoint), expected, `${b.overlay}: ${endpoint.name} reaches`);
      assert.ok(allows(policies, endpoint, dns, 53, 'UDP'), `${b.overlay}: ${endpoint.name} resolves names`);
    }
    const from = (namespace: string): Endpoint => ({ name: namespace, namespace, labels: {} });
    const natsPod = pods.find((p) => p.endpoint.name === 'nats')!.endpoint;
    const sinkPod = pods.find((p) => p.endpoint.name === 'sink')!.endpoint;
    assert.ok(allows(policies, from('keda'), natsPod, 8222), `${b.overlay}: KEDA reads NATS monitoring`);
    assert.ok(allows(policies, from('monitoring'), sinkPod, 8081), `${b.overlay}: Prometheus scrapes the sink`);
    const collectorPod = pods.find((p) => p.endpoint.name === 'collector')!.endpoint;
    for (const pod of [collectorPod, sinkPod])
      assert.ok(allows(policies, pod, from('monitoring'), 4318), `${b.overlay}: ${pod.name} sends traces`);
  }
});

test('Jobs run bundles of npm scripts in the sink image, retry until their service answers, and clean up', () => {
  for (const b of builds) {
    for (const job of ofKind(b.objects, Job.is)) {
      const container = job.spec?.template.spec?.containers[0];
      const role = container && roleOf(container);
      assert.ok(
        role && role in JOB_COMMANDS && /(^|\/)edge-events[-/]sink(:|$)/.test(container.image ?? ''),
        `${b.overlay}: Job ${job.metadata.name} runs \`node dist/cli/….mjs\` in the sink image`,
      );
      assert.ok(
        (job.spec?.backoffLimit ?? 0) >= 3 && job.spec?.ttlSecondsAfterFinished !== undefined,
        `${b.overlay}: Job ${job.metadata.name} retries, then goes`,
      );
    }
    assert.equal(
      processes(b)
        .map((p) => p.role)
        .sort(),
      ['archiver', 'collector', 'reader', 'schema:apply', 'sink', 'streams:apply'],
    );
  }
});

test('images carry explicit tags (never latest) in every overlay', () => {
  const images = builds.flatMap((b) =>
    workloads(b.objects).flatMap((w) => allContainers(w).map((c) => `${b.overlay}: ${c.image}`)),
  );
  assert.equal(
    images.filter((i) => [undefined, 'latest'].includes(imageTag(i.split(': ')[1]!))),
    [],
  );
});

test('Dockerfile: Node 24 on Debian slim, the collector 20 (pinned by digest for a release), non-root, CMDs', () => {
  // A supported Node LTS on Debian slim (uWebSockets.js needs glibc); tools/pin-base-image.ts writes the digests.
  // The collector stays on Node 20 (end of life) until its uWebSockets.js loads on 24 (deploy/k8s/README.md, Images).
  const bases = Object.entries({
    NODE_IMAGE: 'node:24-bookworm-slim',
    COLLECTOR_NODE_IMAGE: 'node:20-bookworm-slim',
    BINARY_IMAGE: 'gcr.io/distroless/cc-debian12:nonroot',
  }).map(([arg, image]) => {
    const [, ref, digest] =
      new RegExp(`^ARG ${arg}=(${image}(?:@(sha256:[0-9a-f]{64}))?)$`, 'm').exec(dockerfile) ?? [];
    assert.ok(ref, `ARG ${arg}=${image}, or with @sha256:<64 hex> (pinned)`);
    if (!digest)
      console.warn(
        `NOT PINNED: the Dockerfile's ${arg}=${image} has no digest. Before a release, where Docker Hub is ` +
          'reachable: `npx tsx tools/pin-base-image.ts` (`--check` fails until then; deploy/k8s/README.md, Images).',
      );
    return ref!;
  });
  const [base, collectorBase] = bases;
  for (const stage of stages)
    assert.ok(bases.includes(stage.from) || stages.some((s) => s.name === stage.from), `${stage.name}: FROM an ARG`);
  for (const [name, target] of Object.entries(targets)) {
    assert.is(target.base, name === 'collector' ? collectorBase : base, `${name}: its Node`);
    assert.equal(
      JSON.parse(last(target.instructions, 'CMD') ?? '[]'),
      pkg.scripts[name]?.split(' '),
      `${name}: CMD is npm run ${name}`,
    );
    assert.ok(
      imageUid > 0 && last(target.instructions, 'USER') === last(targets.sink.instructions, 'USER'),
      `${name}: non-root`,
    );
  }
});

test('Dockerfile: the images hold the bundles and production packages only: no esbuild, tsx, npm or sources', () => {
  for (const name of ['esbuild', 'tsx', 'typescript'])
    assert.ok(notInProduction(`node_modules/${name}`), `${name}: not a production package`);
  for (const [name, target] of Object.entries(targets)) {
    const runs = target.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    assert.equal(
      runs.filter((r) => /(^|&&|;)\s*(npm|npx|yarn|corepack)\s/.test(r)),
      [],
      `${name}: runs no package manager (no npm cache, no install into the image)`,
    );
    assert.ok(
      runs.some((r) => /^rm -rf \/usr\/local\/lib\/node_modules\s.*\/usr\/local\/bin\/npm\s/.test(r)),
      `${name}: npm removed`,
    );
    for (const copy of copies(target.instructions)) {
      if (copy.from === undefined) {
        // From the build context: data (the catalog), never TypeScript.
        assert.equal(
          copy.sources.flatMap(filesUnder).filter((f) => /\.tsx?$/.test(f)),
          [],
          `${name}: sources copied from the build context`,
        );
        continue;
      }
      const from = resolveStage(stages, copy.from).instructions;
      if (copy.sources.every((source) => source === '/app/node_modules')) {
        assert.ok(installs(from).length > 0, `${name}: node_modules from ${copy.from} comes from npm ci`);
        assert.is(
          resolveStage(stages, copy.from).base,
          targets.collector.base,
          `${name}: node_modules installed on the collector's Node (it keeps the uWebSockets.js binary that loads)`,
        );
        for (const i of installs(from))
          assert.ok(
            ['--omit=dev', '--omit=optional', '--ignore-scripts'].every((flag) => i.args.includes(flag)),
            `${name}: node_modules from ${copy.from}: no devDependencies (esbuild, tsx), no chdb, no install scripts`,
          );
      } else {
        assert.ok(
          copy.sources.every((source) => source === '/app/dist') && buildsBundles(from),
          `${name}: copies only dist/ (the bundles) from ${copy.from}, not its node_modules or sources`,
        );
      }
    }
  }
  const everyInstall = installs(stages.flatMap((s) => s.instructions));
  assert.ok(everyInstall.length >= 2);
  for (const i of everyInstall) assert.ok(i.args.includes('--ignore-scripts'), `no install scripts: ${i.args}`);
  // The production packages need no install script; the build runs esbuild from its platform packages.
  const scripted = Object.entries(lock.packages)
    .filter(([path, e]) => path && e.hasInstallScript && !notInProduction(path))
    .map(([path]) => path.split('node_modules/').at(-1)!);
  assert.equal(
    scripted.filter((name) => !(name in SCRIPTS_SKIPPED)),
    [],
    'production packages whose install script the images skip (--ignore-scripts): is that safe?',
  );
  for (const platform of ['linux-x64', 'linux-arm64'])
    assert.is(
      lock.packages[`node_modules/@esbuild/${platform}`]?.version,
      lock.packages['node_modules/esbuild']?.version,
    );
});

test('install-time telemetry off: every Dockerfile stage that runs npm, CI (.ci/run), and package.json', () => {
  const ci = readFileSync(join(REPO_DIR, '.ci', 'run'), 'utf8');
  for (const stage of stages) {
    const resolved = resolveStage(stages, stage.name).instructions;
    if (!resolved.some((i) => i.op === 'RUN' && /(^|&&|;)\s*npm\s/.test(i.args))) continue;
    const env = envOf(resolved);
    for (const [key, value] of Object.entries(TELEMETRY_OFF)) {
      assert.is(env.get(key), value, `${stage.name}: ENV ${key}=${value}`);
      assert.match(ci, new RegExp(`^export ${key}=${value}$`, 'm'), `.ci/run: export ${key}=${value}`);
    }
  }
  assert.is(pkg.scarfSettings?.enabled, false, 'scarfSettings.enabled: false (any npm install of this package)');
});

test(
  'Dockerfile: the build stage holds every file the bundles load; ' + 'the bundles import production packages only',
  () => {
    const build = stages.filter((s) => buildsBundles(s.instructions));
    assert.is(build.length, 1, 'one stage runs npm run build');
    const copied = copies(resolveStage(stages, build[0]!.name).instructions)
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources);
    // What the images and the Jobs run: bundles this build makes.
    const bundles = Object.values(BUNDLES).map(bundleOf);
    const commands = [
      ...Object.values(targets).map((t) => JSON.parse(last(t.instructions, 'CMD') ?? '[]') as string[]),
      ...Object.values(JOB_COMMANDS),
    ];
    for (const command of commands)
      assert.ok(
        command[0] === 'node' && command.some((arg) => bundles.includes(arg)),
        `${command.join(' ')}: node running a bundle of npm run build`,
      );
    const inContext = (f: string) => !dockerIgnored(f) && copied.some((c) => f === c || f.startsWith(`${c}/`));
    const tooling = runtimeImports(['tools/build.ts']);
    const { files, packages } = runtimeImports(Object.values(BUNDLES));
    assert.equal(
      [...tooling.files, ...files].filter((f) => !inContext(f)),
      [],
      'not in the build stage',
    );
    for (const c of copies(stages.flatMap((s) => s.instructions)).filter((c) => c.from === undefined))
      for (const source of c.sources) assert.not.ok(dockerIgnored(source), `${source} is in the build context`);
    assert.ok(dockerIgnored('node_modules') && dockerIgnored('.data') && dockerIgnored('sink/retry.test.ts'));
    const unavailable = [...packages].filter(([name, dynamicOnly]) => {
      const entry = lock.packages[`node_modules/${name}`];
      return !entry || entry.dev || entry.devOptional || (entry.optional && !dynamicOnly);
    });
    assert.equal(
      unavailable.map(([name]) => name),
      [],
      'imported at runtime but not installed by npm ci --omit=dev --omit=optional',
    );
    assert.equal(
      [...tooling.packages.keys()].filter((name) => !lock.packages[`node_modules/${name}`]),
      [],
      'the build imports packages the lock holds',
    );
  },
);

test('README: how to create the Secrets the prod overlay expects', () => {
  const readme = readFileSync(join(K8S_DIR, 'README.md'), 'utf8');
  for (const [name, keys] of Object.entries(EXTERNAL_SECRETS)) {
    assert.ok(
      readme.includes(`create secret generic ${name}`) && keys.every((k) => readme.includes(k)),
      `README creates Secret ${name}`,
    );
  }
});

test.run();
