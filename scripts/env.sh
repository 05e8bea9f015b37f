# Sourced by the npm scripts and .ci/run: makes a fresh machine ready with nothing installed
# by hand. It picks a Node >= 22.22 (installing Node 24 from the npm registry into tierlab's
# cache when the machine's is older) and installs the locked dependencies when they are missing
# or older than package-lock.json.
tierlab_cache="${TIERLAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tierlab}"

tierlab_node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 22) ? 0 : 1)'
}

if ! tierlab_node_ok; then
  tierlab_node_dir="$tierlab_cache/node24/node_modules/node/bin"
  if [ ! -x "$tierlab_node_dir/node" ]; then
    echo "tierlab: Node $(node --version 2>/dev/null || echo 'is missing') is older than 22.22; installing Node 24 into $tierlab_cache/node24" >&2
    npm install --prefix "$tierlab_cache/node24" --no-save --no-package-lock --no-audit --no-fund node@24 >&2
  fi
  export PATH="$tierlab_node_dir:$PATH"
  tierlab_node_ok || { echo "tierlab: could not get Node >= 22.22" >&2; exit 1; }
fi

tierlab_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$tierlab_root/node_modules/.package-lock.json" ] ||
  [ "$tierlab_root/package-lock.json" -nt "$tierlab_root/node_modules/.package-lock.json" ]; then
  echo "tierlab: installing the locked dependencies (npm ci)" >&2
  (cd "$tierlab_root" && npm ci --no-audit --no-fund >&2)
fi
