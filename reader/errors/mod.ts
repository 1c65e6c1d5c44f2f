// The reading process's one error type: what a request cannot get, and why — thrown by the parameter checks, the
// queries and the console's routes, and turned into an answer in one place (answerOf, which the app's onError calls):
// an HTTP status from the kind, and a JSON body { error, reason?, issues? }. Its own door, so that the console's
// routes (reader/console) reach it without going through the reader's door, which mounts them.

/** A bad input, named: `path` is the parameter or body field (a dot path), `message` what is wrong with it. */
export interface Issue {
  path: string;
  message: string;
}

const STATUS = {
  /** A bad parameter or body: the issues name each. */
  invalid: 400,
  /** No credentials, or unknown ones. */
  unauthenticated: 401,
  /** Credentials that may not do this. */
  forbidden: 403,
  'not-found': 404,
  /** A body over the limit. */
  'too-large': 413,
  /** A body not sent as JSON. */
  'unsupported-media': 415,
  /** Too much at once (queries, live tails, sign-ins): try again after Retry-After. */
  busy: 429,
  /** This server cannot answer it (an old ClickHouse, a catalog without what a report reads), with the reason. */
  'not-supported': 501,
  /** A service this request went to did not answer. */
  upstream: 502,
  /** A service this request needs is not connected; or a query went over this reader's limits (time, memory). */
  unavailable: 503,
} as const;

type ReaderErrorKind = keyof typeof STATUS;

export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly kind: ReaderErrorKind,
    /** The answer's `error`. */
    message: string,
    readonly detail: { reason?: string; issues?: Issue[]; headers?: Record<string, string> } = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get status(): (typeof STATUS)[ReaderErrorKind] {
    return STATUS[this.kind];
  }
}

/** Bad query parameters, each named. */
export const invalidParameters = (issues: Issue[]) => new ReaderError('invalid', 'invalid parameters', { issues });

/** One bad query parameter. */
export const invalidParameter = (path: string, message: string) => invalidParameters([{ path, message }]);

/** A bad request body, each field named. */
export const invalidBody = (issues: Issue[]) => new ReaderError('invalid', 'invalid body', { issues });

/** The HTTP answer to an error: its status, JSON body and headers. */
export function answerOf(err: ReaderError): {
  status: ReaderError['status'];
  body: { error: string; reason?: string; issues?: Issue[] };
  headers: Record<string, string>;
} {
  const { reason, issues, headers = {} } = err.detail;
  return {
    status: err.status,
    body: { error: err.message, ...(reason !== undefined ? { reason } : {}), ...(issues ? { issues } : {}) },
    headers,
  };
}
