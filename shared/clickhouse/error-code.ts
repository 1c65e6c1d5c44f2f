// The code of a ClickHouse error (a number from the server's list, e.g. 60 UNKNOWN_TABLE), however it arrived: as
// `.code` on the client's ClickHouseError, or only in the text old servers (18.16) answer with.
export function errorCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  if (typeof e?.code === 'number') return e.code;
  const m = /Code: (\d+)[.,]/.exec(String(e?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}
