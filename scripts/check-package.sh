#!/usr/bin/env bash
# Checks what `npm publish` would ship: the manifest and its files (publint, strict), the types
# each resolution mode sees (attw, on the packed tarball), the size budgets
# (scripts/check-size.ts), the tree-shaking proof, the API report (etc/) and reference (TypeDoc),
# and that `npm pack` on a fresh checkout builds
# by itself (`prepack`) a tarball that installs and loads with require(), import and tsc.
# Builds first, so it checks the current sources.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin

step() { printf '\n=== %s\n' "$*"; }

step "build"
npm run build --silent

step "publint --strict"
"$bin/publint" --strict

step "attw on the packed tarball"
# Packed from the build above (--ignore-scripts skips `prepack`, which would build again).
pack_dir=$(mktemp -d)
trap 'rm -rf "$pack_dir"' EXIT
tarball=$(npm pack --silent --ignore-scripts --pack-destination "$pack_dir" | tail -n 1)
"$bin/attw" "$pack_dir/$tarball"

step "size budgets (minified + gzipped)"
"$bin/tsx" scripts/check-size.ts

step "tree-shaking: an app that only reads jobs ships no subscription code"
"$bin/vitest" run --project package test/package/tree-shaking.test.ts

step "API report: the public surface matches etc/job-status-client.api.d.ts"
"$bin/tsx" scripts/api-report.ts

step "API reference (TypeDoc), warnings and broken links fail"
"$bin/typedoc" --treatWarningsAsErrors --validation.invalidLink

step "fresh checkout: npm pack builds, and the tarball installs and loads (CJS, ESM, types)"
"$bin/vitest" run --project package test/package/pack-install.test.ts

echo
echo "check:package: all checks passed"
