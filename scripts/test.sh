#!/usr/bin/env bash
# The README's test command (`npm test`): type-check, then the unit and integration tests.
# The integration tests start real Kafka and S3 themselves (tests/integration/global-setup.ts)
# and fail, never skip, when they cannot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$tierlab_root"
# The report test opens report.html in Debian's Chromium (playwright-core drives it; no browser
# download): install it where we can, and let that test fail clearly where we cannot.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "tierlab: installing Debian's chromium for the report test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
fi
echo "tierlab: node $(node --version), $(java -version 2>&1 | head -n 1 || echo 'no java')" >&2
# Node's on-disk compile cache: the integration tests start the CLI, the generator and the tier
# workers as new Node processes again and again, and each would otherwise compile the same
# TypeScript and dependencies again (about 0.4 s of CPU a start on this project).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$tierlab_cache/node-compile-cache}"
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
