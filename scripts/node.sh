#!/usr/bin/env bash
# Runs Node with the environment of scripts/env.sh: `scripts/node.sh src/cli/main.ts run demo`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec node "$@"
