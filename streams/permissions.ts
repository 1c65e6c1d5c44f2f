// Who may do what on NATS, written once: one NATS user per role (the collector, the sink, the archiver, the reader
// and the streams/schema jobs), each allowed the subjects its client library calls need and nothing else — and the
// `authorization` block of nats.conf rendered from it, which `npm start` gives its nats-server and deploy/k8s ships
// (base/nats/users.conf, checked against this by the manifests test). Passwords are not in it: each is a variable
// ($NATS_PASSWORD_<ROLE>) the server reads from its environment. Wire: nats-server configuration syntax.
import { DLQ_SUBJECTS, EVENT_SUBJECTS, REDRIVE_SUBJECT, RELAYED_SUBJECTS } from '../shared/mod.ts';
import { CATALOG_BUCKET } from './catalog-registry.ts';
import { PRIVACY_BUCKET } from './privacy-register.ts';
import { ARCHIVER_CONSUMER, DLQ_STREAM, EVENTS_STREAM, RELAYED_STREAM, SINK_CONSUMER } from './definitions.ts';

export const NATS_ROLES = ['collector', 'sink', 'archiver', 'reader', 'jobs'] as const;
/** A NATS user: its name is its role. `jobs`: `npm run streams:apply` and `npm run catalog -- apply`. */
export type NatsRole = (typeof NATS_ROLES)[number];

interface Permissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[] };
}

/** Replies come to `<prefix>.…`: each user has its own inboxes, so no user can read another's answers. */
export const inboxPrefixOf = (user: string): string => `_INBOX_${user}`;
/** The variable of nats-server's environment holding a role's password. */
export const passwordVariableOf = (role: NatsRole): string => `NATS_PASSWORD_${role.toUpperCase()}`;

const API = '$JS.API';
/** Acks are published to the reply subject of each message delivered: `$JS.ACK.<stream>.<consumer>.…`, and in the
 *  form with a domain and an account hash servers may send (`$JS.ACK.<domain>.<hash>.<stream>.<consumer>.…`). */
const acks = (stream: string, consumer: string) => [
  `$JS.ACK.${stream}.${consumer}.>`,
  `$JS.ACK.*.*.${stream}.${consumer}.>`,
];
/** Pulling a durable consumer's messages, acking them, and reading its state. */
const consume = (stream: string, consumer: string) => [
  `${API}.CONSUMER.INFO.${stream}.${consumer}`,
  `${API}.CONSUMER.MSG.NEXT.${stream}.${consumer}`,
  ...acks(stream, consumer),
];

/** Reading a KV bucket: a get (direct, or through the stream's leader), the bucket's state, and a watch, the keys or
 *  the history (an ordered push consumer, created, asked about, deleted when it resets). */
const kvRead = (bucket: string) => [
  `${API}.STREAM.INFO.KV_${bucket}`,
  `${API}.STREAM.MSG.GET.KV_${bucket}`,
  `${API}.DIRECT.GET.KV_${bucket}`,
  `${API}.DIRECT.GET.KV_${bucket}.>`,
  `${API}.CONSUMER.CREATE.KV_${bucket}.>`,
  `${API}.CONSUMER.INFO.KV_${bucket}.*`,
  `${API}.CONSUMER.DELETE.KV_${bucket}.*`,
];
/** Writing a KV bucket (a put, or a create or update with the expected revision); `create`: the bucket too. */
const kvWrite = (bucket: string, create = false) => [
  ...kvRead(bucket),
  `$KV.${bucket}.>`,
  ...(create ? [`${API}.STREAM.CREATE.KV_${bucket}`] : []),
];
const CATALOG_READ = kvRead(CATALOG_BUCKET);
/** Publishing versions, and creating the bucket when it is missing. */
const CATALOG_WRITE = kvWrite(CATALOG_BUCKET, true);

/** Reading dead letters: the stream's state, an ordered consumer over `dlq.>` (a listing, a redrive's walk), one
 *  letter by sequence. */
const DLQ_READ = [
  `${API}.STREAM.INFO.${DLQ_STREAM}`,
  `${API}.CONSUMER.CREATE.${DLQ_STREAM}.*.${DLQ_SUBJECTS}`,
  `${API}.CONSUMER.MSG.NEXT.${DLQ_STREAM}.*`,
  `${API}.STREAM.MSG.GET.${DLQ_STREAM}`,
];

/** What each role's client publishes, subject by subject. Every client also asks for the account's JetStream info
 *  (`$JS.API.INFO`, nats.js checks it) and subscribes to its own inboxes, nothing else. */
const PUBLISH: Record<NatsRole, Permissions['publish']> = {
  // Publishes events (PubAck to its inbox), says ready once stream EVENTS answers, reads the catalog.
  collector: {
    allow: [EVENT_SUBJECTS, `${API}.STREAM.INFO.${EVENTS_STREAM}`, ...CATALOG_READ, ...kvRead(PRIVACY_BUCKET)],
  },
  // Pulls its consumer and every relay's (any consumer of EVENTS but the archiver's: relays are named in RELAYS),
  // dead-letters, relays, publishes catalog versions, and redrives dead letters when asked (control.redrive): it
  // reads each, publishes it back to its event subject, then deletes it.
  sink: {
    allow: [
      `${API}.CONSUMER.INFO.${EVENTS_STREAM}.*`,
      `${API}.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.*`,
      ...acks(EVENTS_STREAM, '*'),
      DLQ_SUBJECTS,
      RELAYED_SUBJECTS,
      ...CATALOG_WRITE,
      ...DLQ_READ,
      `${API}.STREAM.MSG.DELETE.${DLQ_STREAM}`,
      EVENT_SUBJECTS,
      // The privacy register: made by the sink; it answers for the hot tables and the dead letters.
      ...kvWrite(PRIVACY_BUCKET, true),
    ],
    deny: consume(EVENTS_STREAM, ARCHIVER_CONSUMER),
  },
  // Pulls its own consumer, dead-letters what can never be archived (a bug's), reads the catalog.
  // Answers erasure requests for the archive.
  archiver: {
    allow: [...consume(EVENTS_STREAM, ARCHIVER_CONSUMER), DLQ_SUBJECTS, ...CATALOG_READ, ...kvWrite(PRIVACY_BUCKET)],
  },
  // The console: streams and consumers listed, the live tail and the dead-letter listing (ordered consumers with a
  // filter, on EVENTS and DLQ, never under the sink's or the archiver's name), a letter read, and a redrive asked of a
  // sink (control.redrive): it publishes no event and deletes no letter itself. No acks: ordered consumers take none.
  reader: {
    allow: [
      `${API}.STREAM.LIST`,
      `${API}.STREAM.NAMES`,
      `${API}.STREAM.INFO.*`,
      `${API}.CONSUMER.LIST.*`,
      `${API}.CONSUMER.INFO.*.*`,
      `${API}.CONSUMER.CREATE.${EVENTS_STREAM}.*.${EVENT_SUBJECTS}`,
      `${API}.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.*`,
      ...DLQ_READ,
      REDRIVE_SUBJECT,
      ...CATALOG_READ,
      // Erasure requests: made and read (POST and GET /v1/privacy/deletions, npm run privacy).
      ...kvWrite(PRIVACY_BUCKET),
    ],
    deny: [SINK_CONSUMER, ARCHIVER_CONSUMER].flatMap((c) => [
      `${API}.CONSUMER.CREATE.${EVENTS_STREAM}.${c}.>`,
      `${API}.CONSUMER.MSG.NEXT.${EVENTS_STREAM}.${c}`,
    ]),
  },
  // Creates and updates the streams and the durable consumers (never deletes or purges), and publishes the catalog.
  jobs: {
    allow: [
      ...[EVENTS_STREAM, RELAYED_STREAM, DLQ_STREAM].flatMap((s) =>
        ['INFO', 'CREATE', 'UPDATE'].map((op) => `${API}.STREAM.${op}.${s}`),
      ),
      `${API}.CONSUMER.INFO.${EVENTS_STREAM}.*`,
      `${API}.CONSUMER.CREATE.${EVENTS_STREAM}.>`,
      `${API}.CONSUMER.DURABLE.CREATE.${EVENTS_STREAM}.*`,
      ...CATALOG_WRITE,
    ],
  },
};

/** What a role subscribes to besides its inboxes: the requests it answers. */
const SUBSCRIBE: Partial<Record<NatsRole, string[]>> = { sink: [REDRIVE_SUBJECT] };

/** A role's permissions as nats-server applies them: with the JetStream info request and its own inboxes. */
export function permissionsOf(role: NatsRole): Permissions {
  const { allow, deny } = PUBLISH[role];
  return {
    publish: { allow: [`${API}.INFO`, ...allow], ...(deny ? { deny } : {}) },
    subscribe: { allow: [`${inboxPrefixOf(role)}.>`, ...(SUBSCRIBE[role] ?? [])] },
  };
}

const list = (subjects: string[], indent: string) =>
  `[\n${subjects.map((s) => `${indent}  ${JSON.stringify(s)}`).join('\n')}\n${indent}]`;

/**
 * The `authorization` block of nats.conf: every role's user, its password from the server's environment. Each may
 * also answer once each message sent to it with a reply subject (allow_responses): a KV watcher's flow control.
 */
export function natsAuthorization(): string {
  const users = NATS_ROLES.map((role) => {
    const p = permissionsOf(role);
    const i = '          ';
    const lines = [
      `      user: ${role}`,
      `      password: $${passwordVariableOf(role)}`,
      '      permissions: {',
      '        publish: {',
      `          allow: ${list(p.publish.allow, i)}`,
      ...(p.publish.deny ? [`          deny: ${list(p.publish.deny, i)}`] : []),
      '        }',
      `        subscribe: { allow: [${p.subscribe.allow.map((s) => JSON.stringify(s)).join(', ')}] }`,
      '        allow_responses: true',
      '      }',
    ];
    return `    {\n${lines.join('\n')}\n    }`;
  });
  return [
    '# The NATS users of edge-events, one per role, and what each may publish and subscribe to. Generated from',
    '# streams/permissions.ts (`npm run generate`); do not edit. Passwords: $NATS_PASSWORD_<ROLE> of the environment.',
    'authorization {',
    '  users: [',
    users.join('\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}
