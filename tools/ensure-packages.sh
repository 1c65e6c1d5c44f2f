#!/usr/bin/env bash
# Installs the Debian packages edge-events runs or is tested against when their binary is missing.
# Arguments: `binary` (package of the same name), `binary:package`, or `/path/of/a/file:package`. A no-op when all
# are present.
# Used by `npm start` (nats-server), `npm test`, `npm run test:unit` (kubectl) and `npm run bench`.
set -euo pipefail
missing=()
for spec in "$@"; do
  bin="${spec%%:*}"
  pkg="${spec#*:}"
  if [[ "$bin" == /* ]]; then [ -e "$bin" ] || missing+=("$pkg"); continue; fi
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || [ -x "/usr/bin/$bin" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "edge-events needs: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing ${missing[*]} with apt-get…" >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
