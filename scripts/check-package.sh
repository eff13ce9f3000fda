#!/usr/bin/env bash
# Packs the package as a release job would — from the committed files (`git archive HEAD`, so
# nothing built or left over in this checkout can slip in; `npm pack` runs `prepack`, the build)
# — lints the tarball (publint, attw), and installs it into an empty ESM project next to the
# peers to prove that `import { ... } from 'livekit-langgraph'` resolves and runs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive --format=tar HEAD | tar -x -C "$work"
# the build's tools (TypeScript) only: a release job has them from `npm ci`
ln -s "$repo/node_modules" "$work/node_modules"
tarball=$(cd "$work" && npm pack --silent --pack-destination "$work" | tail -n 1)

npx publint run "$work/$tarball" --strict
npx attw "$work/$tarball" --profile esm-only

node scripts/smoke-install.mjs "$work/$tarball"
