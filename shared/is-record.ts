// Whether a parsed JSON value is an object (not null, not an array): what an event must be.
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
