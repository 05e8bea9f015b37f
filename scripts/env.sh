# Sourced by the npm scripts and .ci/run: makes a fresh machine ready with nothing installed
# by hand. It picks a Node >= 22.22 (installing the Node 24 release pinned in scripts/node24 from
# the npm registry into tierlab's cache when the machine's is older) and installs the locked
# dependencies when they are missing or older than package-lock.json.
tierlab_cache="${TIERLAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tierlab}"

tierlab_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 22) ? 0 : 1)'
}

tierlab_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! tierlab_node_ok; then
  # An exact release of the official binary for this platform, its tarball checked by `npm ci`
  # against the integrity in scripts/node24/PLATFORM/package-lock.json (EINTEGRITY otherwise).
  tierlab_platform="$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/^x86_64$/x64/; s/^aarch64$/arm64/')"
  tierlab_node_pin="$tierlab_root/scripts/node24/$tierlab_platform"
  [ -f "$tierlab_node_pin/package-lock.json" ] ||
    { echo "tierlab: Node $(node --version 2>/dev/null || echo 'is missing') is older than 22.22, and scripts/node24 pins no Node for $tierlab_platform (linux-x64, linux-arm64); install Node >= 22.22" >&2; exit 1; }
  tierlab_node_version="$(grep -o '"node-[a-z0-9-]*": "[^"]*"' "$tierlab_node_pin/package.json" | cut -d'"' -f4)"
  tierlab_node_home="$tierlab_cache/node-$tierlab_node_version"
  tierlab_node_dir="$tierlab_node_home/node_modules/.bin"
  if [ ! -x "$tierlab_node_dir/node" ]; then
    echo "tierlab: Node $(node --version 2>/dev/null || echo 'is missing') is older than 22.22; installing Node $tierlab_node_version into $tierlab_node_home" >&2
    mkdir -p "$tierlab_node_home"
    cp "$tierlab_node_pin/package.json" "$tierlab_node_pin/package-lock.json" "$tierlab_node_home/"
    (cd "$tierlab_node_home" && npm ci --no-audit --no-fund >&2) || { echo "tierlab: could not install Node $tierlab_node_version (npm's message is above)" >&2; exit 1; }
  fi
  export PATH="$tierlab_node_dir:$PATH"
  tierlab_node_ok || { echo "tierlab: could not get Node >= 22.22" >&2; exit 1; }
fi

if [ ! -f "$tierlab_root/node_modules/.package-lock.json" ] ||
  [ "$tierlab_root/package-lock.json" -nt "$tierlab_root/node_modules/.package-lock.json" ]; then
  echo "tierlab: installing the locked dependencies (npm ci)" >&2
  (cd "$tierlab_root" && npm ci --no-audit --no-fund >&2)
fi
