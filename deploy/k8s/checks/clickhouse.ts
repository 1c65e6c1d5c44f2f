// For the manifest tests: ClickHouse's users. The reader connects as the read-only user of the users.d file the
// ClickHouse pod mounts (profile readonly = 2, SELECT on the reader's database alone, nothing else granted), with the
// password ClickHouse reads from its environment out of a Secret key that is the reader's alone; the sink and
// schema-apply keep the writer's user; every ClickHouse password is a Secret's, none is written in a manifest or a
// ClickHouse config file. A small XML reader stands in for a parser (the files are ours and plain).
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { generatedFrom, named, ofKind, type Build } from './render.ts';
import { one, processes } from './stack.ts';
import { allContainers, workloads } from './workloads.ts';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Elements, attributes and text of a plain XML file (no CDATA, no entities beyond the five, no DOCTYPE). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const open = [root];
  const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
  for (const m of body.matchAll(/<(\/?)([\w.:-]+)((?:\s+[\w.:-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g)) {
    const top = open.at(-1)!;
    if (m[5] !== undefined) {
      top.text += unescape(m[5]);
      continue;
    }
    if (m[1]) {
      if (top.name !== m[2] || open.length === 1) throw new Error(`XML: </${m[2]}> closes <${top.name}>`);
      top.text = top.text.trim();
      open.pop();
      continue;
    }
    const attrs = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/([\w.:-]+)\s*=\s*"([^"]*)"/g)].map((a) => [a[1]!, unescape(a[2]!)]),
    );
    const element: XmlElement = { name: m[2]!, attrs, children: [], text: '' };
    top.children.push(element);
    if (!m[4]) open.push(element);
  }
  if (open.length !== 1) throw new Error(`XML: <${open.at(-1)!.name}> is not closed`);
  if (/</.test(body.replace(/<(\/?)([\w.:-]+)((?:\s+[\w.:-]+\s*=\s*"[^"]*")*)\s*(\/?)>/g, '')))
    throw new Error('XML: a tag this reader does not understand');
  return root;
}

export const child = (e: XmlElement | undefined, name: string) => e?.children.find((c) => c.name === name);
const children = (e: XmlElement | undefined, name: string) => e?.children.filter((c) => c.name === name) ?? [];

/** The users.d file the ClickHouse pod mounts from a ConfigMap, and the elements its users may have. */
const USERS_D = '/etc/clickhouse-server/users.d/';
const READER_USER_KEYS = ['password', 'networks', 'profile', 'quota', 'grants'];
const CREDENTIALS_SECRET = 'clickhouse-credentials';

const secretKeyOf = (env: IEnvVar[] | undefined, name: string) => {
  const ref = env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
  return ref && `${generatedFrom(ref.name ?? '')}/${ref.key}`;
};

/** The users.d files of the ClickHouse pod that come from ConfigMaps of the build, by mount path. */
export function clickHouseUsersFiles(b: Build): Map<string, string> {
  const ch = named(ofKind(b.objects, StatefulSet.is), 'clickhouse');
  const pod = ch.spec!.template.spec!;
  const files = new Map<string, string>();
  for (const m of pod.containers[0]!.volumeMounts ?? []) {
    const source = pod.volumes?.find((v) => v.name === m.name)?.configMap;
    if (!m.mountPath.startsWith(USERS_D) || !source) continue;
    const data = named(ofKind(b.objects, ConfigMap.is), source.name ?? '').data ?? {};
    files.set(m.mountPath, data[m.subPath ?? ''] ?? '');
  }
  return files;
}

/** What is wrong with the ClickHouse users of a build (nothing: []). */
export function clickHouseUserProblems(b: Build): string[] {
  const problems: string[] = [];
  const ch = named(ofKind(b.objects, StatefulSet.is), 'clickhouse');
  const server = ch.spec!.template.spec!.containers[0]!;
  const reader = one(b, 'reader');
  const where = `${b.overlay} reader`;
  const writerPassword = secretKeyOf(server.env, 'CLICKHOUSE_PASSWORD');
  const writerUser = secretKeyOf(server.env, 'CLICKHOUSE_USER');

  // The sink and schema-apply: the writer's user, the one the image's entrypoint creates.
  for (const p of processes(b).filter((p) => p.role === 'sink' || p.role === 'schema:apply'))
    if (
      secretKeyOf(p.container.env, 'CLICKHOUSE_USER') !== writerUser ||
      secretKeyOf(p.container.env, 'CLICKHOUSE_PASSWORD') !== writerPassword
    )
      problems.push(`${p.where}: not the writer's user (${writerUser}, ${writerPassword})`);

  // The reader: a user of a mounted users.d file, by name.
  const name = reader.cfg.clickhouse.user;
  const literal = reader.container.env?.find((e) => e.name === 'CLICKHOUSE_USER');
  if (!literal || literal.valueFrom || !name) problems.push(`${where}: CLICKHOUSE_USER is not written out as a name`);
  const users = [...clickHouseUsersFiles(b)].flatMap(([path, xml]) => {
    const doc = child(parseXml(xml), 'clickhouse') ?? child(parseXml(xml), 'yandex');
    return (child(doc, 'users')?.children ?? []).map((user) => ({ path, doc, user }));
  });
  const found = users.filter((u) => u.user.name === name);
  if (found.length !== 1) {
    problems.push(`${where}: ${found.length} users named ${name} in the ClickHouse pod's users.d files`);
    return problems;
  }
  const { path, doc, user } = found[0]!;
  const at = `${where}: user ${name} (${path})`;
  const extra = user.children.map((c) => c.name).filter((n) => !READER_USER_KEYS.includes(n));
  if (extra.length) problems.push(`${at}: unexpected ${extra.join(', ')} (access beyond its grants)`);

  // readonly = 2: its profile, defined in the same file, says so.
  const profileName = child(user, 'profile')?.text;
  const profile = child(child(doc, 'profiles'), profileName ?? '');
  const readonly = children(profile, 'readonly');
  const last = (n: string) => profile?.children.map((c) => c.name).lastIndexOf(n) ?? -1;
  // Settings apply in order: a parent profile named after readonly would set it again.
  if (!profile || readonly.length !== 1 || readonly[0]!.text !== '2' || last('profile') > last('readonly'))
    problems.push(`${at}: profile ${profileName} does not set readonly = 2`);
  if (child(profile, 'constraints')) problems.push(`${at}: profile ${profileName} has constraints this test ignores`);

  // SELECT on the reader's database, nothing else.
  const grants = children(child(user, 'grants'), 'query').map((q) => q.text.replace(/\s+/g, ' '));
  const database = reader.cfg.clickhouse.database;
  if (grants.length !== 1 || grants[0] !== `GRANT SELECT ON ${database}.*`)
    problems.push(`${at}: grants ${JSON.stringify(grants)}, not only SELECT on ${database}.*`);

  // The password: from ClickHouse's environment, out of a Secret key the reader holds and nobody else.
  const passwords = user.children.filter((c) => c.name.startsWith('password'));
  const variable = passwords[0]?.attrs.from_env;
  if (passwords.length !== 1 || passwords[0]!.name !== 'password' || !variable || passwords[0]!.text)
    problems.push(`${at}: the password is not <password from_env="…"/>`);
  const key = variable && secretKeyOf(server.env, variable);
  if (variable && !key?.startsWith(`${CREDENTIALS_SECRET}/`))
    problems.push(`${at}: ${variable} is no key of Secret ${CREDENTIALS_SECRET}`);
  if (secretKeyOf(reader.container.env, 'CLICKHOUSE_PASSWORD') !== key)
    problems.push(`${where}: CLICKHOUSE_PASSWORD is not ${key}, the key ClickHouse checks it against`);
  if (key === writerPassword) problems.push(`${where}: the reader's password is the writer's`);
  const readerKeys = (reader.container.env ?? []).map((e) => secretKeyOf([e], e.name));
  const whole = (reader.container.envFrom ?? []).some(
    (f) => generatedFrom(f.secretRef?.name ?? '') === CREDENTIALS_SECRET,
  );
  if (whole || readerKeys.includes(writerPassword) || readerKeys.includes(writerUser))
    problems.push(`${where}: reaches the writer's credentials`);
  for (const p of processes(b).filter((p) => p.role !== 'reader'))
    if (key && (p.container.env ?? []).some((e) => secretKeyOf([e], e.name) === key))
      problems.push(`${p.where}: holds the reader's ClickHouse password`);
  return [...problems, ...inlinePasswords(b)];
}

/** Passwords written into the build: a *PASSWORD* variable with a value, or a password in a ClickHouse XML file. */
function inlinePasswords(b: Build): string[] {
  const problems: string[] = [];
  for (const w of workloads(b.objects))
    for (const c of allContainers(w))
      for (const e of c.env ?? [])
        if (/PASSWORD/.test(e.name) && !e.valueFrom?.secretKeyRef)
          problems.push(`${b.overlay} ${w.name} ${c.name}: ${e.name} is not from a Secret`);
  const walk = (e: XmlElement, file: string): string[] => [
    ...(/^password/.test(e.name) && (e.text || !e.attrs.from_env) ? [`${b.overlay}: ${file}: <${e.name}> inline`] : []),
    ...e.children.flatMap((c) => walk(c, file)),
  ];
  for (const m of ofKind(b.objects, ConfigMap.is))
    for (const [file, text] of Object.entries(m.data ?? {}))
      if (file.endsWith('.xml')) problems.push(...walk(parseXml(text), `${generatedFrom(m.metadata.name)}/${file}`));
  return problems;
}
