// Where archive files go: an S3-compatible bucket (ARCHIVE_URL=s3://bucket/prefix; AWS S3, MinIO, R2, Ceph…) or a
// local folder (a path; what `npm start` uses). put() is all or nothing — S3 stores an object whole or not at all, a
// folder gets a temporary file renamed into place — so a killed archiver never leaves half a file under its name.
// Every S3 request is signed by aws4fetch and bounded by ARCHIVE_TIMEOUT_MS: a dead endpoint fails fast (with no
// timeout, a write to one hung for minutes). Wire: S3 REST (PUT, GET with Range, ListObjectsV2) over fetch.
import { AwsClient } from 'aws4fetch';
import { mkdir, open, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../shared/config/mod.ts';
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

export function openStore(cfg: Config['archive']): ObjectStore {
  return cfg.url.startsWith('s3://') ? s3Store(cfg) : folderStore(resolve(cfg.url));
}

function folderStore(root: string): ObjectStore {
  let serial = 0;
  return {
    where: root,
    async put(key, body) {
      const path = join(root, key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${serial++}.tmp`;
      await writeFile(tmp, body, { flush: true });
      await rename(tmp, path);
    },
    async get(key, range) {
      const file = await open(join(root, key));
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
      const out: StoredObject[] = [];
      const walk = async (dir: string): Promise<void> => {
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
          const path = join(dir, e.name);
          const key = relative(root, path).split(sep).join('/');
          if (e.isDirectory()) {
            if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path);
          } else if (key.startsWith(prefix) && !key.endsWith('.tmp')) out.push({ key, size: (await stat(path)).size });
        }
      };
      await walk(root);
      return out;
    },
  };
}

function s3Store(cfg: Config['archive']): ObjectStore {
  const url = new URL(cfg.url);
  const bucket = url.hostname;
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  const base = path ? `${path}/` : '';
  const endpoint = (cfg.s3Endpoint ?? `https://s3.${cfg.s3Region}.amazonaws.com`).replace(/\/$/, '');
  const aws = new AwsClient({
    accessKeyId: cfg.accessKeyId ?? '',
    secretAccessKey: cfg.secretAccessKey ?? '',
    region: cfg.s3Region,
    service: 's3',
  });
  // Path-style addressing (endpoint/bucket/key): every S3-compatible server takes it.
  const objectUrl = (key: string) =>
    `${endpoint}/${bucket}/${(base + key).split('/').map(encodeURIComponent).join('/')}`;
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
        const query = new URLSearchParams({ 'list-type': '2', prefix: base + prefix });
        if (token) query.set('continuation-token', token);
        const xml = await (await request(`LIST ${prefix}`, `${endpoint}/${bucket}?${query}`)).text();
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
