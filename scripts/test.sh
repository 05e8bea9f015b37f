#!/usr/bin/env bash
# The README's test command (`npm test`): type-check, then the unit and integration tests.
# The integration tests start real Kafka and S3 themselves (tests/integration/global-setup.ts)
# and fail, never skip, when they cannot.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$tierlab_root"
echo "tierlab: node $(node --version), $(java -version 2>&1 | head -n 1 || echo 'no java')" >&2
npx tsc --noEmit -p tsconfig.json
npx vitest run "$@"
