// The sink's health: ready when its NATS link is connected and ClickHouse answers a ping. Either may still be
// awaited at start (undefined): the sink is then live but not ready.
import type { ClickHouse } from '../shared/clickhouse/mod.ts';
import type { NatsLink } from '../streams/mod.ts';

export interface Readiness {
  nats: boolean;
  clickhouse: boolean;
}

export async function readiness(link: NatsLink | undefined, ch: ClickHouse | undefined): Promise<Readiness> {
  const clickhouse =
    (await ch?.client.ping().then(
      (r) => r.success,
      () => false,
    )) ?? false;
  return { nats: link?.connected() ?? false, clickhouse };
}
