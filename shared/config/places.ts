// The settings that name places — servers (URLs), folders, files — checked by their form when a process starts, so
// a value that would be taken for something else (an S3 server's URL for a relative folder, `tcp://` for an HTTP
// server) stops start-up with the variable named and the forms it takes, instead of being used. Only the form is
// checked: nothing here touches the network or the disk. A message never repeats the value (a URL may hold a
// password); it may name the scheme.
import * as v from 'valibot';

/** A scheme of two characters or more (`C:` is a drive, not a scheme). */
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

const schemeOf = (text: string) => SCHEME.exec(text)?.[1]?.toLowerCase();

const parseUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

/** A schema: the trimmed text, refused with `problem(text)` (when it gives one) and the forms it may take. */
const form = (problem: (text: string) => string | undefined, forms: string) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const why = problem(dataset.value);
      if (why) addIssue({ message: `${why}; expected ${forms}` });
    }),
  );

/** What is wrong with `text` as a URL of one of `schemes` naming a server, or undefined. */
function urlProblem(text: string, schemes: readonly string[], opts: { query?: boolean } = {}): string | undefined {
  const scheme = schemeOf(text);
  if (!scheme) return 'not a URL (no scheme)';
  if (!schemes.includes(scheme)) return `unsupported scheme "${scheme}:"`;
  const url = parseUrl(text);
  if (!url || !url.hostname) return 'not a URL with a host';
  if (url.hash || (!opts.query && url.search)) return 'a URL with a query or a fragment';
  return undefined;
}

/** What is wrong with `text` as a path of the local file system, or undefined. */
function pathProblem(text: string): string | undefined {
  if (!text) return 'empty';
  if (text.includes('\0')) return 'a path with a NUL character';
  const scheme = schemeOf(text);
  if (scheme) return `a URL ("${scheme}:"), not a path`;
  return undefined;
}

/** An http(s) URL of a server, e.g. `http://clickhouse:8123`; `query`: it may carry a query (client options). */
export const httpUrl = (example: string, opts: { query?: boolean } = {}) =>
  form((s) => urlProblem(s, ['http', 'https'], opts), `an http:// or https:// URL such as ${example}`);

/** Comma-separated http(s) base URLs. */
export const httpUrls = (example: string) =>
  form(
    (s) =>
      s
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => urlProblem(part, ['http', 'https']))
        .find(Boolean),
    `comma-separated http:// or https:// URLs such as ${example}`,
  );

/** What NATS_URL takes: comma-separated `nats://` or `tls://` URLs (credentials may be in them), or `host:port`. */
const NATS_FORMS = 'comma-separated nats://host:port or tls://host:port URLs (or host:port)';
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/;

export const natsUrls = form((text) => {
  const parts = text.split(',').map((part) => part.trim());
  for (const part of parts) {
    if (!part) return 'an empty server in the list';
    if (HOST_PORT.test(part) && !/^[A-Za-z][A-Za-z0-9+.-]+:\D/.test(part)) continue;
    const scheme = schemeOf(part);
    if (scheme === 'ws' || scheme === 'wss')
      return `unsupported scheme "${scheme}:" (the processes speak NATS over TCP, not websockets)`;
    const problem = urlProblem(part, ['nats', 'tls']);
    if (problem) return problem;
  }
  return undefined;
}, NATS_FORMS);

/** A folder or file of the local file system (relative to the working directory, or absolute). */
export const localPath = (what: 'a folder' | 'a file') => form(pathProblem, `${what} path (no URL)`);

/** Comma-separated local paths. */
export const localPaths = (what: string) =>
  form(
    (text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map(pathProblem)
        .find(Boolean) ?? (text.split(',').some((p) => p.trim()) ? undefined : 'empty'),
    `${what}, comma-separated (paths, no URLs)`,
  );

/** A listen address: a host name or an IP address, without scheme, brackets or port. */
export const listenHost = form(
  (text) =>
    /^[A-Za-z0-9._-]+$/.test(text) || (/:.*:/.test(text) && /^[0-9A-Fa-f:.]+$/.test(text))
      ? undefined
      : 'not a host name or an IP address',
  'a host name or an IP address, such as 0.0.0.0, 127.0.0.1 or ::',
);

/** Where the archive goes, as ARCHIVE_URL says it (store.ts opens it). */
export type ArchiveLocation =
  | { kind: 'folder'; path: string }
  /** `endpoint`: the server an http(s) ARCHIVE_URL names (else ARCHIVE_S3_ENDPOINT, or AWS S3). */
  | { kind: 's3'; bucket: string; prefix: string; endpoint?: string };

export const ARCHIVE_FORMS =
  's3://bucket/prefix, http(s)://host:port/bucket/prefix (an S3-compatible server such as MinIO, path-style), ' +
  'file:///folder or a folder path';

/** Bucket names as S3-compatible services take them (3 characters or more; AWS's rules, plus the upper case and _
 *  some servers allow). */
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{2,254}$/;

/** Where ARCHIVE_URL names, or what is wrong with it (a string). */
export function archiveLocation(text: string): ArchiveLocation | string {
  const scheme = schemeOf(text);
  if (!scheme) return pathProblem(text) ?? { kind: 'folder', path: text };
  const url = parseUrl(text);
  if (!url) return 'not a URL';
  if (url.search || url.hash) return 'a URL with a query or a fragment';
  if (url.username || url.password)
    return 'credentials in the URL (they go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return 'a URL with a malformed %-escape';
  }
  if (segments.some((s) => s === '.' || s === '..' || /[/\\\0]/.test(s)))
    return 'a path with . or .. segments, escaped slashes, backslashes or NUL';
  if (scheme === 'file') {
    if (url.hostname && url.hostname !== 'localhost') return 'a file: URL of another host';
    return segments.length ? { kind: 'folder', path: `/${segments.join('/')}` } : 'a file: URL with no folder';
  }
  if (scheme === 's3') {
    if (url.port) return 'an s3: URL with a port (the server goes in ARCHIVE_S3_ENDPOINT)';
    if (!BUCKET.test(url.hostname) || url.hostname.includes('..')) return 'an s3: URL with no valid bucket name';
    return { kind: 's3', bucket: url.hostname, prefix: segments.join('/') };
  }
  if (scheme === 'http' || scheme === 'https') {
    const [bucket, ...prefix] = segments;
    if (!url.hostname) return 'an http(s) URL with no host';
    if (!bucket || !BUCKET.test(bucket) || bucket.includes('..'))
      return 'an http(s) URL with no valid bucket name (http(s)://host:port/bucket/prefix)';
    return { kind: 's3', bucket, prefix: prefix.join('/'), endpoint: `${url.protocol}//${url.host}` };
  }
  return `unsupported scheme "${scheme}:"`;
}

export const archiveUrl = form((text) => {
  const where = archiveLocation(text);
  return typeof where === 'string' ? where : undefined;
}, ARCHIVE_FORMS);
