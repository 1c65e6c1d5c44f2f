# Container images of edge-events, one build with four targets: `--target collector`, `--target sink`,
# `--target reader` and `--target archiver` (the deploy Jobs run `npm run streams:apply` / `npm run schema:apply` in the sink image).
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only: no devDependencies and no optional chdb (the embedded ClickHouse, ~550 MB).
# Install scripts must run: esbuild (under tsx) fetches its platform binary there when optional packages are
# omitted. Then keep only the uWebSockets.js binary this Node loads (Debian: glibc), and prove it loads.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
 && keep="uws_$(node -p 'process.platform + "_" + process.arch + "_" + process.versions.modules').node" \
 && find node_modules/uWebSockets.js/binaries -name 'uws_*.node' ! -name "$keep" -delete \
 && node -e "if (!String(require('uWebSockets.js').App).includes('[native code]')) process.exit(1)" \
 && test ! -e node_modules/chdb

# Code and dependencies owned by root, run as the image's unprivileged node user (uid 1000). With a read-only
# root filesystem, mount an emptyDir at /tmp (tsx's cache, npm's cache and logs, for the Jobs).
FROM ${NODE_IMAGE} AS runtime
ENV NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY tools/build.ts ./tools/
COPY shared ./shared
COPY streams ./streams
COPY process ./process
COPY collector ./collector
COPY sink ./sink
# The reading process and its console (the page is bundled from reader/console/web by npm run build).
COPY reader ./reader
# The archiver (the cold tier).
COPY archive ./archive
# The command-line tools: the deploy Jobs run streams:apply and schema:apply (cli/streams.ts, cli/catalog.ts).
COPY cli ./cli
# The event catalog the processes read at start (EVENT_CATALOG=catalog).
COPY catalog ./catalog
# The collector, the sink, the reader and the archiver run as esbuild bundles (dist/), without a TypeScript loader;
# the console's page is bundled into dist/console.
RUN npm run build
USER 1000:1000

# `npm run sink` without npm in between (node is PID 1 and gets SIGTERM itself).
FROM runtime AS sink
EXPOSE 8081
CMD ["node", "dist/sink/main.mjs"]

# `npm run collector` without npm in between; its heap cap bounds memory under a flood.
FROM runtime AS collector
EXPOSE 8080
CMD ["node", "--max-old-space-size=96", "dist/collector/main.mjs"]

# `npm run reader` without npm in between: the reading API and the web console.
FROM runtime AS reader
EXPOSE 8082
CMD ["node", "dist/reader/main.mjs"]

# `npm run archiver` without npm in between: the cold tier, Parquet files to S3.
FROM runtime AS archiver
EXPOSE 8083
CMD ["node", "dist/archive/main.mjs"]
