// For the manifest tests: NATS users and TLS. The servers' users.conf is the permission set of the code
// (streams/permissions.ts), each user's password reaches the servers from Secret nats-users, and every edge-events
// container connects as its own role's user with that user's key of the Secret and no other. With the TLS option
// (deploy/k8s/tls), the servers require TLS of clients and of each other with the certificate of Secret nats-tls, and
// every process connects over TLS, checking the servers against the CA alone of that Secret.
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { Secret } from 'kubernetes-models/v1/Secret';
import { basename, dirname } from 'node:path';
import { NATS_ROLES, natsAuthorization, passwordVariableOf, type NatsRole } from '../../../streams/mod.ts';
import { generatedFrom, ofKind, type Build } from './render.ts';
import { confSetting, natsOf, processes } from './stack.ts';
import type { Role } from './workloads.ts';

/** The NATS user each kind of container connects as. */
export const NATS_USER_OF: Record<Role, NatsRole> = {
  collector: 'collector',
  sink: 'sink',
  reader: 'reader',
  archiver: 'archiver',
  'streams:apply': 'jobs',
  'schema:apply': 'jobs',
};
const USERS_SECRET = 'nats-users';
const TLS_SECRET = 'nats-tls';

const secretKeyOf = (env: IEnvVar[] | undefined, name: string) => {
  const ref = env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
  return ref && `${generatedFrom(ref.name ?? '')}/${ref.key}`;
};

/** What is wrong with the NATS users of a build (nothing: []). */
export function natsUserProblems(b: Build): string[] {
  const problems: string[] = [];
  const { container, conf, files } = natsOf(b);
  if (files['users.conf'] !== natsAuthorization())
    problems.push(`${b.overlay}: base/nats/users.conf is not streams/permissions.ts's (run npm run generate)`);
  if (!/^include \.\/users\.conf$/m.test(conf)) problems.push(`${b.overlay}: nats.conf does not include users.conf`);
  for (const role of NATS_ROLES)
    if (secretKeyOf(container.env, passwordVariableOf(role)) !== `${USERS_SECRET}/${role}`)
      problems.push(`${b.overlay}: the NATS servers lack ${passwordVariableOf(role)} (Secret ${USERS_SECRET})`);
  for (const p of processes(b)) {
    const user = NATS_USER_OF[p.role];
    if (p.env.get('NATS_USER')?.value !== user) problems.push(`${p.where}: NATS_USER is not ${user}`);
    if (secretKeyOf(p.container.env, 'NATS_PASSWORD') !== `${USERS_SECRET}/${user}`)
      problems.push(`${p.where}: NATS_PASSWORD is not key ${user} of Secret ${USERS_SECRET}`);
    const keys = (p.container.env ?? []).map((e) => secretKeyOf([e], e.name)).filter((k) => k?.startsWith('nats-'));
    const whole = [
      ...(p.container.envFrom ?? []).map((f) => f.secretRef?.name),
      ...(p.workload.pod.volumes ?? []).filter((v) => !v.secret?.items).map((v) => v.secret?.secretName),
    ].filter((n) => n && generatedFrom(n) === USERS_SECRET);
    if (keys.some((k) => k !== `${USERS_SECRET}/${user}` && k !== `${TLS_SECRET}/ca.crt`) || whole.length)
      problems.push(`${p.where}: reaches another NATS user's password`);
  }
  // A Secret the build holds (dev): passwords nats-server reads from its environment as the strings they are (a
  // letter first: `1e3` or `true` would be read as a number or a flag), each its own.
  const secret = ofKind(b.objects, Secret.is).find((s) => generatedFrom(s.metadata.name) === USERS_SECRET);
  if (secret) {
    const values = NATS_ROLES.map((r) => Buffer.from(secret.data?.[r] ?? '', 'base64').toString('utf8'));
    if (!values.every((v) => /^[A-Za-z][A-Za-z0-9]{23,}$/.test(v)) || new Set(values).size !== values.length)
      problems.push(`${b.overlay}: Secret ${USERS_SECRET}: a letter then 23+ letters or digits, one per user`);
  }
  return problems;
}

/** What is wrong with NATS over TLS in a build that asks for it (nothing: []). */
export function natsTlsProblems(b: Build): string[] {
  const problems: string[] = [];
  const { container, pod, files } = natsOf(b);
  const mount = container.volumeMounts?.find(
    (m) => pod.volumes?.find((v) => v.name === m.name)?.secret?.secretName === TLS_SECRET,
  );
  for (const file of ['tls.conf', 'cluster-tls.conf']) {
    const text = files[file] ?? '';
    if (!/^tls \{/m.test(text)) problems.push(`${b.overlay}: ${file} has no tls block`);
    for (const key of ['cert_file', 'key_file', 'ca_file'])
      if (!mount || dirname(confSetting(text, key)) !== mount.mountPath)
        problems.push(`${b.overlay}: ${file} ${key} is not in the mounted Secret ${TLS_SECRET}`);
  }
  if (confSetting(files['cluster-tls.conf'] ?? '', 'verify') !== 'true')
    problems.push(`${b.overlay}: routes must check the other server's certificate too (verify: true)`);
  for (const p of processes(b)) {
    if (!p.cfg.nats.url?.split(',').every((u) => u.trim().startsWith('tls://')))
      problems.push(`${p.where}: NATS_URL is not tls://`);
    const ca = p.cfg.nats.caFile ?? '';
    const caMount = p.container.volumeMounts?.find((m) => m.mountPath === dirname(ca));
    const source = p.workload.pod.volumes?.find((v) => v.name === caMount?.name)?.secret;
    const items = source?.items ?? [];
    if (
      source?.secretName !== TLS_SECRET ||
      items.length !== 1 ||
      items[0]?.key !== 'ca.crt' ||
      items[0].path !== basename(ca)
    )
      problems.push(`${p.where}: NATS_CA_FILE is not ca.crt alone of Secret ${TLS_SECRET}`);
  }
  return problems;
}
