// The console's files: the page (one HTML shell), its script and styles (bundled from reader/console/web by
// `npm run build` into dist/console: preact and uPlot from npm, no CDN), and Swagger UI's files from the
// swagger-ui-dist package for the API docs page. Read once, then served from memory. The pages hold no inline script
// or style: the reader's Content-Security-Policy (reader/access/guard.ts) allows only its own files.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const CONSOLE_DIST = 'dist/console';

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  png: 'image/png',
};

/** Where each served name is read from. */
function sourceOf(name: string): string | undefined {
  if (['app.js', 'app.css', 'docs.js'].includes(name)) return join(CONSOLE_DIST, name);
  if (name === 'swagger-ui.css' || name === 'swagger-ui-bundle.js') {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    return join(dir, name);
  }
  return undefined;
}

const cache = new Map<string, Promise<{ type: string; body: Uint8Array } | undefined>>();

export function assetOf(name: string): Promise<{ type: string; body: Uint8Array } | undefined> {
  let asset = cache.get(name);
  if (!asset) {
    const path = sourceOf(name);
    asset = path
      ? readFile(path).then(
          (body) => ({ type: TYPES[name.split('.').pop()!] ?? 'application/octet-stream', body }),
          () => undefined,
        )
      : Promise.resolve(undefined);
    cache.set(name, asset);
  }
  return asset;
}

export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-events console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/console/assets/app.js"></script>
</body>
</html>
`;

/** Swagger UI over the collector's and the reading API's OpenAPI documents (seed 001's /docs). */
export const docsPage = (): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edge-events API docs</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/swagger-ui.css">
</head>
<body>
<p><a href="/console/">← console</a></p>
<div id="collector-docs"></div>
<div id="reader-docs"></div>
<script src="/console/assets/swagger-ui-bundle.js"></script>
<script src="/console/assets/docs.js"></script>
</body>
</html>
`;
