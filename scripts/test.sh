#!/usr/bin/env bash
# The README's test command (`npm test`): type-check, then the unit and integration tests.
# The integration tests start real Kafka and S3 themselves (tests/integration/global-setup.ts)
# and fail, never skip, when they cannot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$tierlab_root"
# Debian's packages some tests need, installed where we can (root with apt-get), in one apt run;
# where we cannot, those tests fail and say what to install. The report test opens report.html in
# Chromium (playwright-core drives it; no browser download); the warehouse test runs PostgreSQL 15,
# natively from /usr/lib/postgresql/15/bin (src/services/native/postgres.ts). Kafka and S3 need
# neither.
tierlab_debian_packages=()
[ -x /usr/bin/chromium ] || tierlab_debian_packages+=(chromium)
[ -x /usr/lib/postgresql/15/bin/postgres ] || tierlab_debian_packages+=(postgresql-15)
if [ ${#tierlab_debian_packages[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "tierlab: installing Debian's ${tierlab_debian_packages[*]} for the report and warehouse tests" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tierlab_debian_packages[@]}") >&2
fi
echo "tierlab: node $(node --version), $(java -version 2>&1 | head -n 1 || echo 'no java')" >&2
# Node's on-disk compile cache: the integration tests start the CLI, the generator and the tier
# workers as new Node processes again and again, and each would otherwise compile the same
# TypeScript and dependencies again (about 0.4 s of CPU a start on this project).
export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$tierlab_cache/node-compile-cache}"
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
