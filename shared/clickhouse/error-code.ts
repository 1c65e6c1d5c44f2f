// The code of a ClickHouse error (a number from the server's list, e.g. 60 UNKNOWN_TABLE), however it arrived: as
// `.code` on the client's ClickHouseError, or only in the text old servers (18.16) answer with.
export function errorCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (typeof e?.code === 'number') return e.code;
  const m = /Code: (\d+)[.,]/.exec(String(e?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** NO_ZOOKEEPER, TABLE_IS_READ_ONLY (a replica without its ZooKeeper session), UNKNOWN_STATUS_OF_INSERT, and
 *  KEEPER_EXCEPTION (a session lost mid-request): the cluster's coordination is away for now. */
const COORDINATION_AWAY = new Set([225, 242, 319, 999]);

/** Whether a cluster's ZooKeeper or Keeper is away: a statement that failed for it can be run again shortly. */
export const isCoordinationAway = (err: unknown): boolean => COORDINATION_AWAY.has(errorCode(err) ?? 0);
