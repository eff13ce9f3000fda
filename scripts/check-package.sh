#!/usr/bin/env bash
# Packs the package, lints it (publint, attw), and installs the tarball into an empty ESM
# project next to the peers to prove that `import { ... } from 'livekit-langgraph'` resolves.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build
tarball=$(npm pack --silent | tail -n 1)
trap 'rm -f "$tarball"' EXIT

npx publint run "$tarball" --strict
npx attw "$tarball" --profile esm-only

node scripts/smoke-install.mjs "$PWD/$tarball"
