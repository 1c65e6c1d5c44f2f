# Container images of edge-events, one build with five targets: `--target collector`, `--target sink`,
# `--target reader`, `--target archiver`, and `--target collector-binary` (the single-file collector alone). The deploy Jobs run the tools' bundles in the sink image
# (`node dist/cli/streams.mjs`, `node dist/cli/catalog.mjs apply`).
#
# The bases: Node 24 (LTS) on Debian slim (uWebSockets.js needs glibc). The collector alone stays on Node 20, which
# reached its end of life: the uWebSockets.js it runs on ships native binaries for Node 16 to 20 only, and the one
# npm build for Node 24 needs glibc 2.38 (Debian 13), so neither loads on Node 24 here (deploy/k8s/README.md, Images).
# A release pins both by digest, image@sha256:<digest>: `npx tsx tools/pin-base-image.ts` writes the digests Docker
# Hub serves now into these lines, and `npx tsx tools/pin-base-image.ts --check` fails while one is not pinned.
ARG NODE_IMAGE=node:24-bookworm-slim
ARG COLLECTOR_NODE_IMAGE=node:20-bookworm-slim
# The single-file collector's base: glibc and CA certificates, no shell, no package manager, no Node, user 65532.
# Not on Docker Hub, so tools/pin-base-image.ts does not ask for it: pin it by hand for a release,
# gcr.io/distroless/cc-debian12:nonroot@$(crane digest gcr.io/distroless/cc-debian12:nonroot).
ARG BINARY_IMAGE=gcr.io/distroless/cc-debian12:nonroot

# Production dependencies only: no devDependencies (esbuild, tsx, typescript), no optional chdb (the embedded
# ClickHouse, ~550 MB), no install scripts (no production package needs one; the manifests test checks the lock).
# Then keep only the uWebSockets.js binary the collector's Node loads (Debian: glibc), and prove it loads. Install-time
# telemetry and nags off: DO_NOT_TRACK (the convention; @scarf/scarf under swagger-ui-dist honours it, as it does
# SCARF_ANALYTICS=false), npm's update notifier, funding and audit calls.
FROM ${COLLECTOR_NODE_IMAGE} AS deps
ENV DO_NOT_TRACK=1 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
 && keep="uws_$(node -p 'process.platform + "_" + process.arch + "_" + process.versions.modules').node" \
 && find node_modules/uWebSockets.js/binaries -name 'uws_*.node' ! -name "$keep" -delete \
 && node -e "if (!String(require('uWebSockets.js').App).includes('[native code]')) process.exit(1)" \
 && test ! -e node_modules/chdb && test ! -e node_modules/esbuild && test ! -e node_modules/tsx

# The bundles (`npm run build`: the processes, the Jobs' tools and the console's page, into dist/), built with every
# package of the lock, each checked against its integrity hash. No install scripts: esbuild runs from its platform
# package (@esbuild/linux-*), and nothing else here is needed to build. Only dist/ leaves this stage.
FROM ${NODE_IMAGE} AS build
ENV DO_NOT_TRACK=1 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY tools/build.ts ./tools/
COPY shared ./shared
COPY streams ./streams
COPY process ./process
COPY collector ./collector
COPY sink ./sink
# The reading process and its console (the page is bundled from reader/console/web).
COPY reader ./reader
# The archiver (the cold tier).
COPY archive ./archive
# The command-line tools the deploy Jobs run (cli/streams.ts, cli/catalog.ts).
COPY cli ./cli
RUN npm run build

# The runtime: node, the bundles, the production packages and the event catalog the processes read at start
# (EVENT_CATALOG=catalog). No npm (nothing here installs or runs it: it goes, with corepack), no TypeScript, no
# build tools. Owned by root, run as the image's unprivileged node user (uid 1000); nothing is written outside /tmp,
# so the root filesystem can be read-only.
FROM ${NODE_IMAGE} AS runtime
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY catalog ./catalog
USER 1000:1000

# The same on the collector's Node (see the top).
FROM ${COLLECTOR_NODE_IMAGE} AS collector-runtime
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY catalog ./catalog
USER 1000:1000

# `npm run sink` without npm in between (node is PID 1 and gets SIGTERM itself).
FROM runtime AS sink
EXPOSE 8081
CMD ["node", "dist/sink/main.mjs"]

# `npm run collector` without npm in between; its heap cap bounds memory under a flood.
FROM collector-runtime AS collector
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

# The single-file collector (`npm run build:binary`: Bun, the collector, the shipped catalog and country database in
# one executable), built beside the bundles for the platform being built (linux/amd64 or linux/arm64).
FROM build AS binary-build
COPY tools/build-binary.ts ./tools/
COPY catalog ./catalog
ARG TARGETARCH
RUN arch="$(echo "${TARGETARCH:-amd64}" | sed 's/amd64/x64/')" \
 && node_modules/.bin/tsx tools/build-binary.ts "linux-$arch" \
 && mv "dist/bin/edge-collector-linux-$arch" /edge-collector

# The executable alone: settings from flags or the same environment variables as the collector image's.
FROM ${BINARY_IMAGE} AS collector-binary
COPY --from=binary-build /edge-collector /edge-collector
EXPOSE 8080
ENTRYPOINT ["/edge-collector"]
