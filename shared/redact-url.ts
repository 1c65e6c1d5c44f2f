// URLs as they may be shown to people (logs, errors, traces, pages): the user name and password a URL carries
// (`nats://user:pass@host`, `http://default:pw@clickhouse:8123`) and the values of query parameters that name a
// credential (`?password=`, `?access_token=`, `X-Amz-Signature=`, ClickHouse's `http_header_authorization=`) are
// replaced. Works on any text: one URL, a comma-separated list (NATS_URL) or a message that quotes URLs.
// Runtime-neutral.

const CENSOR = '***';
/** `scheme://` then user info up to the last `@` before the host. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"',]*(?:@[^\s/?#@"',]*)*@/gi;
/** A server written without a scheme (NATS_URL takes `user:pass@host:port`): user info at the start of an entry,
 *  before a host with a port (an e-mail address has none). */
const BARE_USER_INFO = /(^|[\s,])[^\s/?#@"',:]+(?::[^\s/?#@"',]*)?@(?=[^\s/?#@"',:]+:\d+(?:[\s,/]|$))/g;
/** A query parameter whose name says it carries a credential. */
const SECRET_PARAM = /([?&][\w.-]*(?:pass|secret|token|auth|key|credential|sig)[\w.-]*=)[^&#\s"',]*/gi;

/** `text` with every URL's credentials replaced by `***`. */
export function redactUrl(text: string): string {
  return text
    .replace(USER_INFO, `$1${CENSOR}@`)
    .replace(BARE_USER_INFO, `$1${CENSOR}@`)
    .replace(SECRET_PARAM, `$1${CENSOR}`);
}
