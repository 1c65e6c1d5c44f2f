// `npm run privacy -- delete --user <id> [--suppress] [--wait] | status <request id>`: erasure requests from the
// command line, as POST and GET /v1/privacy/deletions make them (streams' privacy register, as the reader's NATS
// user). delete records the request and prints its id; with --wait it follows it until every place has answered.
import { connect } from '@nats-io/transport-node';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../shared/config/mod.ts';
import { createLogger } from '../shared/node/mod.ts';
import { natsAccessOf, natsOptions, openPrivacyRegister, statusOf, type Erasure } from '../streams/mod.ts';

const USAGE = 'usage: npm run privacy -- delete --user <user_id> [--suppress] [--wait] | status <request id>';

const cfg = loadConfigOrExit();
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { user: { type: 'string' }, suppress: { type: 'boolean' }, wait: { type: 'boolean' } },
});
const [command, arg] = positionals;

const show = (e: Erasure) =>
  [
    `${e.id}  ${statusOf(e)}  user ${JSON.stringify(e.user_id)}${e.suppress ? ', suppressed' : ''}, ` +
      `asked ${new Date(e.requested_at).toISOString()}`,
    ...Object.entries(e.places).map(
      ([place, p]) =>
        `  ${place.padEnd(13)} ${new Date(p.done_at).toISOString()}  ` +
        Object.entries(p.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
    ),
  ].join('\n');

if (!((command === 'delete' && values.user) || (command === 'status' && arg))) {
  console.error(USAGE);
  process.exit(2);
}
const nc = await connect(natsOptions(natsAccessOf(cfg, 'reader'), 'edge-events privacy'));
try {
  const register = await openPrivacyRegister(nc, { create: false }, createLogger('privacy', 'warn')).catch(() => {
    throw new Error('the privacy register is not there yet: a sink makes it when it starts');
  });
  let e =
    command === 'delete' ? await register.request(values.user!, values.suppress ?? false) : await register.get(arg!);
  if (!e) {
    console.error(`no erasure request ${arg}`);
    process.exitCode = 1;
  } else {
    while (values.wait && statusOf(e) === 'pending') {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      e = (await register.get(e.id)) ?? e;
    }
    console.log(show(e));
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await nc.close();
}
