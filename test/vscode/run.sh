#!/usr/bin/env bash
# The real-VS-Code suite, as CI runs it: installs the harness (code-server, Node 24, playwright-core,
# Chromium) if needed, then runs the F5 tests against the packaged extension. Fails, never skips.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh
A64_VSCODE_REQUIRED=1 node --test --test-concurrency=1 f5.test.mjs gic.test.mjs
