#!/usr/bin/env bash
# Checks what `npm publish` would ship: the manifest and its files (publint, strict), the types
# each resolution mode sees (attw, on the packed tarball), the size budgets
# (scripts/check-size.ts) and the tree-shaking proof. Builds first, so it checks the current sources.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin

step() { printf '\n=== %s\n' "$*"; }

step "build"
npm run build --silent

step "publint --strict"
"$bin/publint" --strict

step "attw --pack"
"$bin/attw" --pack .

step "size budgets (minified + gzipped)"
"$bin/tsx" scripts/check-size.ts

step "tree-shaking: an app that only reads jobs ships no subscription code"
"$bin/vitest" run --project package test/package/tree-shaking.test.ts

echo
echo "check:package: all checks passed"
