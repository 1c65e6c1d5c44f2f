// uvu suites that stand on running services, named for what they start before the first test: the servers
// (servicesSuite), a NATS connection to them (natsSuite), the collector and the sink in-process too (pipelineSuite).
// After the last test they stop in reverse order: a NATS server a test froze is thawed first, then what the file
// started on top is stopped (its `stop`, since its own hooks run after the suite's), then the suite's own parts, then
// the servers.
import { connect } from '@nats-io/transport-node';
import { suite, type Test } from 'uvu';
import { createLogger } from '../../shared/node/mod.ts';
import { connectNats, type NatsConnection, type NatsLink } from '../../streams/mod.ts';
import { stopLeftServices } from './processes.ts';
import { applyStreams, startPipeline, startServices, type Engine, type Pipeline, type Services } from './harness.ts';

export interface ServicesContext {
  services: Services;
}
export interface NatsContext extends ServicesContext {
  /** A connection as a process of the product has it (connectNats: waits for the server, reconnects forever). */
  link: NatsLink;
  /** A plain connection of the test's own, to look at the server's state beside what the link does. */
  nc: NatsConnection;
}
export interface PipelineContext extends ServicesContext {
  p: Pipeline;
}

export interface ServicesSuiteOptions<C> {
  /** Default 'none': nats-server only. */
  engine?: Engine | 'none';
  natsCluster?: boolean;
  clickhouseCluster?: boolean;
  /** Applies the configured streams and consumers (`services.config()`) once the servers run. */
  streams?: boolean;
  /** Stops what the file's own before hooks started, before anything of the suite's stops. It also runs when one of
   *  them failed part-way: stop only what is there. */
  stop?(ctx: C): unknown;
}

/** A suite whose before hook starts the servers, then its `own` parts; its after hook stops them in reverse order,
 *  after the file's `stop`. */
function suiteOn<C extends ServicesContext>(
  name: string,
  o: ServicesSuiteOptions<C>,
  own?: { start(ctx: C): Promise<void>; stop(ctx: C): unknown },
): Test<C> {
  const test = suite<C>(name);
  test.before(async (ctx) => {
    const { natsCluster, clickhouseCluster } = o;
    ctx.services = await startServices(o.engine ?? 'none', { natsCluster, clickhouseCluster });
    if (o.streams) await applyStreams(ctx.services.config());
    await own?.start(ctx);
  });
  test.after(async (ctx) => {
    ctx.services?.nats.thaw();
    await o.stop?.(ctx);
    await own?.stop(ctx);
    await stopLeftServices();
    await ctx.services?.cleanup();
  });
  return test;
}

/** `ctx.services`: real servers in a temporary folder (startServices). */
export function servicesSuite<C extends object = {}>(
  name: string,
  o: ServicesSuiteOptions<ServicesContext & C> = {},
): Test<ServicesContext & C> {
  return suiteOn(name, o);
}

/** `ctx.services`: a nats-server (streams applied with `streams`); `ctx.link` and `ctx.nc`: two connections to it. */
export function natsSuite<C extends object = {}>(
  name: string,
  o: Omit<ServicesSuiteOptions<NatsContext & C>, 'engine' | 'clickhouseCluster'> = {},
): Test<NatsContext & C> {
  return suiteOn<NatsContext & C>(name, o, {
    async start(ctx) {
      ctx.link = await connectNats(ctx.services.nats.url, name, createLogger('test', 'silent'));
      ctx.nc = await connect({ servers: ctx.services.nats.url });
    },
    async stop(ctx) {
      await ctx.link?.nc.close();
      await ctx.nc?.close();
    },
  });
}

/** `ctx.services` on `engine`, and `ctx.p`: streams applied, the sink and the collector started in-process with the
 *  configuration `env` overrides. */
export function pipelineSuite<C extends object = {}>(
  name: string,
  o: Omit<ServicesSuiteOptions<PipelineContext & C>, 'engine' | 'streams'> & {
    engine: Engine;
    env?: Record<string, string>;
  },
): Test<PipelineContext & C> {
  return suiteOn<PipelineContext & C>(name, o, {
    async start(ctx) {
      ctx.p = await startPipeline(ctx.services, o.env);
    },
    stop: (ctx) => ctx.p?.stop(),
  });
}
