// SQL identifiers: every name that reaches a statement — a database, table, view, column or cluster, whether it comes
// from a catalog file, a published catalog version or the configuration — is checked to be a plain identifier and
// written in backticks, so no name can close its quoting or add SQL. The catalog's schema and the configuration
// refuse other names first; this is the last check, where the SQL is written.

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

class UnsafeName extends Error {
  override name = 'UnsafeName';
}

/** `name` itself once checked to be a plain identifier (letters, digits, _): for a name inside a string literal
 *  or a pattern (`WHERE database = '…'`, a ZooKeeper path, merge()'s regexp). Throws for anything else. */
export function plainName(name: string): string {
  if (typeof name !== 'string' || !PLAIN.test(name))
    throw new UnsafeName(`not a plain SQL identifier: ${JSON.stringify(String(name)).slice(0, 80)}`);
  return name;
}

/** `name` in backticks, once checked. */
export const ident = (name: string): string => `\`${plainName(name)}\``;

/** `db`.`name`, both checked. */
export const qualified = (db: string, name: string): string => `${ident(db)}.${ident(name)}`;
