// Where archive files go: an S3-compatible bucket (ARCHIVE_URL=s3://bucket/prefix, or
// http(s)://host:port/bucket/prefix naming the server; AWS S3, MinIO, R2, Ceph…) or a local folder (a path; what `npm
// start` uses). put() is all or nothing — S3 stores an object whole or not at all, a folder gets a temporary file
// renamed into place — so a killed archiver never leaves half a file under its name. A key is a relative path of
// plain segments (no `.`, `..`, empty segment or backslash): it cannot leave its bucket's prefix, and the folder store
// also resolves every path and refuses one outside its root (through a link too).
// Every S3 request is signed by aws4fetch and bounded by ARCHIVE_TIMEOUT_MS: a dead endpoint fails fast (with no
// timeout, a write to one hung for minutes). Wire: S3 REST (PUT, GET with Range, ListObjectsV2) over fetch.
import { AwsClient } from 'aws4fetch';
import { mkdir, open, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ARCHIVE_FORMS, archiveLocation, ConfigError, type Config } from '../shared/config/mod.ts';
import { redactUrl } from '../shared/mod.ts';

export interface StoredObject {
  key: string;
  size: number;
}

export interface ObjectStore {
  /** Where, for people: the folder or s3://bucket/prefix. */
  readonly where: string;
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or those in [start, end). */
  get(key: string, range?: [start: number, end: number]): Promise<Uint8Array>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<StoredObject[]>;
}

class StoreError extends Error {
  override name = 'StoreError';
}

/** A key (or, `prefix`, the start of one) as a relative path of plain segments; throws for anything else. */
function checkedKey(key: string, prefix = false): string {
  const segments = typeof key === 'string' ? key.split('/') : ['..'];
  const last = segments.length - 1;
  const bad = segments.some(
    (s, i) => s === '.' || s === '..' || /[\\\0]/.test(s) || (s === '' && !(prefix && i === last)),
  );
  if (bad || (!prefix && key === ''))
    throw new StoreError(`not an archive key: ${JSON.stringify(String(key)).slice(0, 80)}`);
  return key;
}

export function openStore(cfg: Config['archive']): ObjectStore {
  const where = archiveLocation(cfg.url);
  if (typeof where === 'string') throw new ConfigError(`ARCHIVE_URL: ${where}; expected ${ARCHIVE_FORMS}`);
  return where.kind === 's3' ? s3Store(cfg, where) : folderStore(resolve(where.path));
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function folderStore(root: string): ObjectStore {
  let serial = 0;
  const inside = (base: string, path: string) => {
    const rel = relative(base, path);
    return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  /** The file of `key`: resolved, and refused unless it lies inside the root. */
  const pathOf = (key: string) => {
    const path = resolve(root, checkedKey(key));
    if (path === root || !inside(root, path)) throw new StoreError(`${key}: outside the archive folder`);
    return path;
  };
  /** Refuses a path that a link inside the root takes outside it (checked on the deepest part that exists). */
  const stillInside = async (path: string) => {
    let existing = path;
    while (existing !== root && !(await exists(existing))) existing = dirname(existing);
    const [realRoot, real] = await Promise.all([realpath(root), realpath(existing)]);
    if (!inside(realRoot, real)) throw new StoreError(`${relative(root, path)}: leads outside the archive folder`);
  };
  return {
    where: root,
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(root, { recursive: true });
      await stillInside(dirname(path));
      await mkdir(dirname(path), { recursive: true });
      await stillInside(dirname(path));
      const tmp = `${path}.${process.pid}.${serial++}.tmp`;
      // A new file, whatever a crashed run left (a link there is removed, not followed); rename replaces a link too.
      await rm(tmp, { force: true });
      await writeFile(tmp, body, { flush: true, flag: 'wx' });
      await rename(tmp, path);
    },
    async get(key, range) {
      const path = pathOf(key);
      await stillInside(path);
      const file = await open(path);
      try {
        const size = range ? range[1] - range[0] : (await file.stat()).size;
        const out = new Uint8Array(size);
        await file.read(out, 0, size, range?.[0] ?? 0);
        return out;
      } finally {
        await file.close();
      }
    },
    async list(prefix) {
      checkedKey(prefix, true);
      const out: StoredObject[] = [];
      const walk = async (dir: string): Promise<void> => {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          const path = join(dir, e.name);
          const key = relative(root, path).split(sep).join('/');
          // Links are not followed: only what lies in the folder is listed.
          if (e.isDirectory()) {
            if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path);
          } else if (e.isFile() && key.startsWith(prefix) && !key.endsWith('.tmp'))
            out.push({ key, size: (await stat(path)).size });
        }
      };
      await walk(root);
      return out;
    },
  };
}

function s3Store(cfg: Config['archive'], where: { bucket: string; prefix: string; endpoint?: string }): ObjectStore {
  const { bucket } = where;
  const base = where.prefix ? `${where.prefix}/` : '';
  const endpoint = (where.endpoint ?? cfg.s3Endpoint ?? `https://s3.${cfg.s3Region}.amazonaws.com`).replace(/\/$/, '');
  const aws = new AwsClient({
    accessKeyId: cfg.accessKeyId ?? '',
    secretAccessKey: cfg.secretAccessKey ?? '',
    region: cfg.s3Region,
    service: 's3',
  });
  // Path-style addressing (endpoint/bucket/key): every S3-compatible server takes it.
  const objectUrl = (key: string) =>
    `${endpoint}/${encodeURIComponent(bucket)}/` +
    (base + checkedKey(key)).split('/').map(encodeURIComponent).join('/');
  const request = async (what: string, target: string, init: RequestInit = {}) => {
    let res: Response;
    try {
      res = await aws.fetch(target, { ...init, signal: AbortSignal.timeout(cfg.timeoutMs) });
    } catch (err) {
      throw new StoreError(`${what}: ${(err as Error).message}`, { cause: err });
    }
    if (!res.ok) throw new StoreError(`${what}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res;
  };
  return {
    where: redactUrl(cfg.url),
    async put(key, body) {
      await request(`PUT ${key}`, objectUrl(key), { method: 'PUT', body: body as Uint8Array<ArrayBuffer> });
    },
    async get(key, range) {
      const headers = range ? { range: `bytes=${range[0]}-${range[1] - 1}` } : undefined;
      const res = await request(`GET ${key}`, objectUrl(key), { headers });
      return new Uint8Array(await res.arrayBuffer());
    },
    async list(prefix) {
      const out: StoredObject[] = [];
      let token: string | undefined;
      do {
        const query = new URLSearchParams({ 'list-type': '2', prefix: base + checkedKey(prefix, true) });
        if (token) query.set('continuation-token', token);
        const xml = await (
          await request(`LIST ${prefix}`, `${endpoint}/${encodeURIComponent(bucket)}?${query}`)
        ).text();
        for (const [, body] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
          const key = unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(body!)?.[1] ?? '');
          out.push({ key: key.slice(base.length), size: Number(/<Size>(\d+)<\/Size>/.exec(body!)?.[1] ?? 0) });
        }
        token = /<IsTruncated>true<\/IsTruncated>/.test(xml)
          ? unescapeXml(/<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(xml)?.[1] ?? '')
          : undefined;
      } while (token);
      return out.sort((a, b) => (a.key < b.key ? -1 : 1));
    },
  };
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
