#!/usr/bin/env bash
# Prints the path of the nats-server of Debian suite $1 (default trixie: 2.10.x, the version the Kubernetes
# manifests deploy), downloading it once into .cache/deb/<suite> without touching the system: apt reads a sources
# file of our own (the machine's own Debian URIs, another suite), downloads the package, and dpkg-deb unpacks it.
set -euo pipefail
suite="${1:-trixie}"
root="$(cd "$(dirname "$0")/.." && pwd)"
d="$root/.cache/deb/$suite"
bin="$d/nats/usr/sbin/nats-server"
if [ ! -x "$bin" ]; then
  mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial"
  src=/etc/apt/sources.list.d/debian.sources
  [ -f "$src" ] || { echo "no $src: cannot find this machine's Debian archive" >&2; exit 1; }
  awk 'BEGIN{RS="";ORS="\n\n"} NR==1' "$src" | sed "s/^Suites:.*/Suites: $suite/" > "$d/parts/extra.sources"
  A=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$d/parts" -o "Dir::State::Lists=$d/lists"
     -o "Dir::Cache=$d/cache" -o APT::Sandbox::User=root)
  echo "downloading nats-server from Debian $suite…" >&2
  apt-get "${A[@]}" update -qq >&2
  (cd "$d" && apt-get "${A[@]}" download nats-server >&2)
  dpkg-deb -x "$d"/nats-server_*.deb "$d/nats"
fi
echo "$bin"
