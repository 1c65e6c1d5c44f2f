// The base-image pins: reading and rewriting the Dockerfile's `ARG …NODE_IMAGE` lines, and asking a registry (a
// stand-in for Docker Hub on 127.0.0.1) for a tag's digest.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseImagesOf, parsePin, pinnedDockerfile, registryDigest } from './pin-base-image.ts';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
const OTHER = `sha256:${'f'.repeat(64)}`;
const DOCKERFILE = readFileSync('Dockerfile', 'utf8');

test('the Dockerfile names its bases; pinning writes image@digest, one image at a time or all', () => {
  const bases = baseImagesOf(DOCKERFILE);
  assert.equal(
    bases.map((b) => [b.arg, b.image, b.digest]),
    [
      ['NODE_IMAGE', 'node:24-bookworm-slim', undefined],
      ['COLLECTOR_NODE_IMAGE', 'node:20-bookworm-slim', undefined],
    ],
  );
  const one = pinnedDockerfile(DOCKERFILE, new Map([['node:24-bookworm-slim', DIGEST]]));
  assert.equal(
    baseImagesOf(one).map((b) => b.digest),
    [DIGEST, undefined],
  );
  assert.ok(one.includes(`ARG NODE_IMAGE=node:24-bookworm-slim@${DIGEST}\n`));
  assert.is(one.replace(`@${DIGEST}`, ''), DOCKERFILE, 'nothing else changes');
  const both = pinnedDockerfile(one, new Map([...bases.map((b): [string, string] => [b.image, OTHER])]));
  assert.equal(
    baseImagesOf(both).map((b) => b.digest),
    [OTHER, OTHER],
    'an earlier pin replaced',
  );
  assert.throws(() => pinnedDockerfile(DOCKERFILE, new Map([['node:22-bookworm-slim', DIGEST]])), /no base node:22/);
  assert.throws(() => baseImagesOf('ARG NODE_IMAGE=node:24@sha256:ABC\n'), /not a sha256 digest/);
  assert.throws(() => baseImagesOf('FROM node:24\n'), /no `ARG …NODE_IMAGE/);
});

test('a pin given on the command line: image@sha256:<64 hex>', () => {
  assert.equal(parsePin(`node:24-bookworm-slim@${DIGEST}`), { image: 'node:24-bookworm-slim', digest: DIGEST });
  assert.throws(() => parsePin(DIGEST), /not <image>@sha256/);
  assert.throws(() => parsePin('node:24-bookworm-slim@sha256:abc'), /not <image>@sha256/);
});

test('a registry: an anonymous pull token, then the manifest list digest from a HEAD', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/token?')) return res.end(JSON.stringify({ token: 't0k' }));
    const index = (req.headers.accept ?? '').includes('application/vnd.oci.image.index.v1+json');
    if (req.headers.authorization !== 'Bearer t0k' || !index) return res.writeHead(401).end();
    if (req.url?.endsWith('/nope')) return res.writeHead(404).end();
    res.writeHead(200, { 'docker-content-digest': DIGEST }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    assert.is(await registryDigest('node:24-bookworm-slim', { auth: url, registry: url }), DIGEST);
    assert.equal(seen, [
      'GET /token?service=registry.docker.io&scope=repository:library/node:pull',
      'HEAD /v2/library/node/manifests/24-bookworm-slim',
    ]);
    const refused = await registryDigest('node:nope', { auth: url, registry: url }).catch((err: Error) => err);
    assert.match(String(refused), /no digest for node:nope \(HTTP 404\)/);
  } finally {
    server.close();
  }
});

test.run();
