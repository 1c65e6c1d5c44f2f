// Who may do what, read off the permission set as nats-server matches subjects (`*` one token, `>` the rest; a deny
// wins): each role's must-nots stay refused, and the rendered nats.conf names every user with its password variable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NATS_ROLES, natsAuthorization, permissionsOf, type NatsRole } from './permissions.ts';

const matches = (pattern: string, subject: string) => {
  const [p, s] = [pattern.split('.'), subject.split('.')];
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
};
const mayPublish = (role: NatsRole, subject: string) => {
  const { allow, deny = [] } = permissionsOf(role).publish;
  return allow.some((a) => matches(a, subject)) && !deny.some((d) => matches(d, subject));
};
const maySubscribe = (role: NatsRole, subject: string) =>
  permissionsOf(role).subscribe.allow.some((a) => matches(a, subject));
const may = (role: NatsRole, subjects: string[]) => subjects.filter((s) => mayPublish(role, s));

const ADMIN = [
  '$JS.API.STREAM.DELETE.EVENTS',
  '$JS.API.STREAM.PURGE.EVENTS',
  '$JS.API.STREAM.DELETE.KV_catalog',
  '$JS.API.STREAM.PURGE.DLQ',
  '$JS.API.CONSUMER.DELETE.EVENTS.sink',
  '$JS.API.STREAM.MSG.DELETE.EVENTS',
  '$JS.API.STREAM.UPDATE.EVENTS',
  '$JS.API.ACCOUNT.PURGE.x',
];
const SINK_PULL = ['$JS.API.CONSUMER.MSG.NEXT.EVENTS.sink', '$JS.ACK.EVENTS.sink.1.5.5.1700000000.0'];
const ARCHIVER_PULL = ['$JS.API.CONSUMER.MSG.NEXT.EVENTS.archiver', '$JS.ACK.EVENTS.archiver.1.5.5.1700000000.0'];
const CATALOG_WRITE = ['$KV.catalog.current', '$JS.API.STREAM.CREATE.KV_catalog'];
const CATALOG_READ = ['$JS.API.DIRECT.GET.KV_catalog.$KV.catalog.current', '$JS.API.STREAM.MSG.GET.KV_catalog'];

test('the collector publishes events and reads the catalog, nothing else', () => {
  assert.equal(may('collector', ['events.page_visit', ...CATALOG_READ]), ['events.page_visit', ...CATALOG_READ]);
  const never = [...ADMIN, ...SINK_PULL, ...ARCHIVER_PULL, ...CATALOG_WRITE, 'dlq.page_visit', 'relay.crm.events.x'];
  assert.equal(may('collector', never), []);
  assert.equal(may('collector', ['$JS.API.CONSUMER.CREATE.EVENTS.x.events.>', '$JS.API.STREAM.INFO.DLQ']), []);
});

test("the sink pulls its consumer and the relays', writes dead letters, relays and the catalog, redrives", () => {
  const does = [...SINK_PULL, '$JS.API.CONSUMER.MSG.NEXT.EVENTS.relay_crm', 'dlq.x', 'relay.crm.events.x'];
  // A redrive it is asked for: the letters read, published back to their subjects, deleted.
  const redrives = [
    '$JS.API.CONSUMER.CREATE.DLQ.oc_2.dlq.page_visit',
    '$JS.API.CONSUMER.MSG.NEXT.DLQ.oc_2',
    '$JS.API.STREAM.MSG.GET.DLQ',
    '$JS.API.STREAM.MSG.DELETE.DLQ',
    'events.page_visit',
  ];
  assert.equal(may('sink', [...does, ...CATALOG_WRITE, ...redrives]), [...does, ...CATALOG_WRITE, ...redrives]);
  assert.equal(may('sink', [...ADMIN, ...ARCHIVER_PULL]), []);
  assert.ok(maySubscribe('sink', 'control.redrive'), 'it answers redrive requests');
});

test('the archiver pulls its own consumer and dead-letters; the jobs manage, never delete', () => {
  assert.equal(may('archiver', [...ARCHIVER_PULL, 'dlq.x']), [...ARCHIVER_PULL, 'dlq.x']);
  assert.equal(may('archiver', [...ADMIN, ...SINK_PULL, ...CATALOG_WRITE, 'events.x']), []);
  const manage = ['$JS.API.STREAM.CREATE.EVENTS', '$JS.API.STREAM.UPDATE.DLQ', '$JS.API.CONSUMER.CREATE.EVENTS.sink'];
  assert.equal(may('jobs', [...manage, ...CATALOG_WRITE]), [...manage, ...CATALOG_WRITE]);
  assert.equal(
    may('jobs', ADMIN),
    ['$JS.API.STREAM.UPDATE.EVENTS'],
    'updating a stream is applying its limits; deleting, purging are not',
  );
  assert.equal(may('jobs', ['events.x', 'dlq.x', ...SINK_PULL]), []);
});

test('the reader reads what the console shows and asks for redrives; it never publishes events or pulls', () => {
  const reads = [
    '$JS.API.STREAM.LIST',
    '$JS.API.CONSUMER.LIST.EVENTS',
    '$JS.API.CONSUMER.CREATE.EVENTS.oc_1.events.>',
    '$JS.API.CONSUMER.CREATE.DLQ.oc_2.dlq.page_visit',
    '$JS.API.CONSUMER.MSG.NEXT.DLQ.oc_2',
    'control.redrive',
    ...CATALOG_READ,
  ];
  assert.equal(may('reader', reads), reads);
  const never = [
    ...ADMIN,
    ...SINK_PULL,
    ...ARCHIVER_PULL,
    ...CATALOG_WRITE,
    '$JS.API.CONSUMER.CREATE.EVENTS.sink.events.>',
    '$JS.API.CONSUMER.CREATE.EVENTS.x',
    '$JS.API.CONSUMER.DURABLE.CREATE.EVENTS.x',
    'dlq.page_visit',
    'relay.crm.events.x',
    'events.page_visit',
    '$JS.API.STREAM.MSG.DELETE.DLQ',
  ];
  assert.equal(may('reader', never), []);
});

test("each user subscribes to its own inboxes (the sink to redrive requests): no one reads another's replies", () => {
  for (const role of NATS_ROLES) {
    assert.ok(maySubscribe(role, `_INBOX_${role}.abc.1`), role);
    for (const other of ['_INBOX.abc.1', '_INBOX_x.abc.1', 'events.page_visit', '$JS.API.INFO', '>'])
      assert.not.ok(maySubscribe(role, other), `${role}: ${other}`);
    if (role !== 'sink') assert.not.ok(maySubscribe(role, 'control.redrive'), `${role}: control.redrive`);
    for (const o of NATS_ROLES.filter((r) => r !== role)) assert.not.ok(maySubscribe(role, `_INBOX_${o}.a`));
  }
});

test('nats.conf: every role a user, its password a variable of the environment, never a value', () => {
  const conf = natsAuthorization();
  for (const role of NATS_ROLES) {
    assert.match(conf, `user: ${role}\n      password: $NATS_PASSWORD_${role.toUpperCase()}\n`);
  }
  assert.is([...conf.matchAll(/password: (\S+)/g)].filter((m) => !m[1]!.startsWith('$NATS_PASSWORD_')).length, 0);
  assert.is([...conf.matchAll(/allow_responses: true/g)].length, NATS_ROLES.length);
});

test.run();
