// Whether a request comes from this machine's own browser or tools, and whether it is the page's own: pure checks on
// an HTTP request's headers. A reader listening on loopback trusts its machine (the console and, without READ_KEYS,
// the reading API are open there), so it answers only requests that name it by a loopback name in `Host` (a page of
// another site reaching it by DNS rebinding names its own host), and never treats as local a request a same-host
// reverse proxy forwarded (`Forwarded`, `X-Forwarded-*`, `X-Real-IP`). A state-changing request must come from the
// page itself: an `Origin` naming the host it was sent to, and a JSON body (which a form of another site cannot send).

/** The loopback addresses and names a reader may listen on. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The host names a reader on loopback answers to: the loopback names and its own listen address. */
export function loopbackNames(listenHost: string): Set<string> {
  const own = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  return new Set(['localhost', '127.0.0.1', '[::1]', own.toLowerCase()]);
}

/** The name part of a `Host` value (`name`, `name:port`, `[v6]:port`), lowercased; undefined when malformed. */
export function hostName(host: string): string | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host.trim());
  return m?.[1]!.toLowerCase();
}

/** Whether a `Host` value names one of `names` (any port: a rebinding page's host is its own name). */
export function hostAllowed(host: string | undefined, names: ReadonlySet<string>): boolean {
  const name = host === undefined ? undefined : hostName(host);
  return name !== undefined && names.has(name);
}

/** Headers a proxy adds: a request carrying any of them was forwarded, whatever address it came from. */
const FORWARDING = /^(forwarded|x-forwarded-.+|x-real-ip|x-original-forwarded-for|via)$/i;

export function isForwarded(headers: Headers): boolean {
  for (const name of headers.keys()) if (FORWARDING.test(name)) return true;
  return false;
}

/** Whether an `Origin` names the host the request was sent to (`Host`, port included); `null` or absent: no. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

/** Whether a `Content-Type` is JSON (`application/json`, parameters allowed). */
export const isJson = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
