#!/usr/bin/env node
// The package bin stays plain JavaScript so `npx tierlab` works however it is linked;
// the CLI itself is TypeScript, run by Node's own type stripping (Node >= 22.22).
import '../src/cli/main.ts';
