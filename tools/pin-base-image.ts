// `npx tsx tools/pin-base-image.ts [IMAGE@DIGEST …] | --check`: pins the Dockerfile's base images (its
// `ARG …NODE_IMAGE=<image>` lines) by digest, `node:24-bookworm-slim@sha256:<64 hex>`, so a release build gets the
// bytes that were reviewed, not whatever the tag points at that day. With no argument it asks Docker Hub for each
// tag's digest (the registry API over HTTPS: an anonymous pull token from auth.docker.io, then a HEAD of the
// manifest list on registry-1.docker.io, whose Docker-Content-Digest header is the multi-platform index digest); or
// pass digests found elsewhere, e.g. `node:24-bookworm-slim@$(crane digest node:24-bookworm-slim)`. `--check` exits
// 1 while an image is not pinned (a release gate).
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const ARG_LINE = /^ARG (\w*NODE_IMAGE)=(\S*)$/gm;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface BaseImage {
  /** The ARG naming it. */
  arg: string;
  /** name:tag */
  image: string;
  /** When pinned. */
  digest?: string;
}

/** The base images of a Dockerfile (`ARG …NODE_IMAGE=<image>[@<digest>]` lines). */
export function baseImagesOf(dockerfile: string): BaseImage[] {
  const found = [...dockerfile.matchAll(ARG_LINE)].map(([, arg = '', ref = '']) => {
    const [image = '', digest] = ref.split('@');
    if (digest !== undefined && !DIGEST.test(digest))
      throw new Error(`ARG ${arg}: "${digest}" is not a sha256 digest (sha256:<64 lowercase hex>)`);
    return digest ? { arg, image, digest } : { arg, image };
  });
  if (!found.length) throw new Error('the Dockerfile has no `ARG …NODE_IMAGE=<image>` line');
  return found;
}

/** `<name:tag>@sha256:<64 hex>` → the image and its digest. */
export function parsePin(ref: string): { image: string; digest: string } {
  const [image = '', digest = ''] = ref.split('@');
  if (!image || !DIGEST.test(digest)) throw new Error(`not <image>@sha256:<64 hex>: ${ref}`);
  return { image, digest };
}

/** The Dockerfile with each image of `digests` pinned to its digest (a previous pin replaced). */
export function pinnedDockerfile(dockerfile: string, digests: Map<string, string>): string {
  const images = baseImagesOf(dockerfile).map((b) => b.image);
  for (const [image, digest] of digests) {
    if (!images.includes(image)) throw new Error(`the Dockerfile has no base ${image} (it has ${images.join(', ')})`);
    if (!DIGEST.test(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  }
  return dockerfile.replace(ARG_LINE, (line, arg: string, ref: string) => {
    const image = ref.split('@')[0]!;
    const digest = digests.get(image);
    return digest ? `ARG ${arg}=${image}@${digest}` : line;
  });
}

/** The index digest of `image` (`name:tag` of Docker Hub's library) as the registry serves it now. */
export async function registryDigest(
  image: string,
  hosts = { auth: 'https://auth.docker.io', registry: 'https://registry-1.docker.io' },
): Promise<string> {
  const [name = '', tag = 'latest'] = image.split(':');
  const repository = name.includes('/') ? name : `library/${name}`;
  const tokenUrl = `${hosts.auth}/token?service=registry.docker.io&scope=repository:${repository}:pull`;
  const tokenResponse = await fetch(tokenUrl);
  if (!tokenResponse.ok) throw new Error(`${hosts.auth}: pull token refused (HTTP ${tokenResponse.status})`);
  const { token } = (await tokenResponse.json()) as { token?: string };
  const manifest = await fetch(`${hosts.registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      authorization: `Bearer ${token}`,
      accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ].join(', '),
    },
  });
  const digest = manifest.headers.get('docker-content-digest') ?? '';
  if (!manifest.ok || !DIGEST.test(digest))
    throw new Error(`${hosts.registry}: no digest for ${image} (HTTP ${manifest.status})`);
  return digest;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const bases = baseImagesOf(dockerfile);
  if (args[0] === '--check') {
    for (const b of bases) console.log(`${b.arg}: ${b.image}${b.digest ? `@${b.digest}` : ' NOT PINNED'}`);
    if (bases.some((b) => !b.digest)) {
      console.error('run `npx tsx tools/pin-base-image.ts` where Docker Hub is reachable');
      process.exit(1);
    }
  } else {
    const digests = new Map<string, string>();
    for (const { image, digest } of args.map(parsePin)) digests.set(image, digest);
    if (!args.length)
      for (const { image } of bases) {
        const digest = await registryDigest(image).catch((err: Error) => {
          const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
          console.error(
            `${err.message}${cause}\nWhere a registry is reachable, pass the digests: ` +
              `npx tsx tools/pin-base-image.ts ${image}@$(crane digest ${image}) …`,
          );
          process.exit(1);
        });
        digests.set(image, digest);
      }
    writeFileSync('Dockerfile', pinnedDockerfile(dockerfile, digests));
    for (const b of baseImagesOf(readFileSync('Dockerfile', 'utf8')))
      console.log(`ARG ${b.arg}=${b.image}${b.digest ? `@${b.digest}` : ' (NOT PINNED)'}`);
  }
}
