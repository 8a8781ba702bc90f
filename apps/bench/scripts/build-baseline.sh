#!/usr/bin/env bash
# Builds @vgp/core as it was at COMMIT into DIR, for `npm run bench -- train --baseline DIR`.
# usage: apps/bench/scripts/build-baseline.sh COMMIT DIR
# Only packages/core and the root tsconfig are exported (git archive, no worktree); the build uses this
# checkout's node_modules (AssemblyScript, TypeScript), so it must have been installed (npm ci).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 COMMIT DIR" >&2
  exit 2
fi
commit=$1
dir=$2
root=$(git rev-parse --show-toplevel)
git -C "$root" rev-parse --verify --quiet "$commit^{commit}" >/dev/null || {
  echo "$0: '$commit' is not a commit of this repository" >&2
  exit 2
}
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$0: $dir exists and is not empty; give a new directory" >&2
  exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$root" archive "$commit" packages/core tsconfig.base.json | tar -x -C "$tmp"
ln -s "$root/node_modules" "$tmp/node_modules"
# The runtime dependencies that commit declared (older cores load their binary with
# @assemblyscript/loader), installed beside it; the tools (asc, tsc) come from this checkout.
(cd "$tmp/packages/core" && npm install --omit=dev --no-audit --no-fund --ignore-scripts --no-package-lock >/dev/null)
(cd "$tmp/packages/core" && ../../node_modules/.bin/asc assembly/index.ts --target release &&
  ../../node_modules/.bin/asc assembly/index.ts --target relaxed &&
  ../../node_modules/.bin/tsc -p tsconfig.build.json)
mkdir -p "$dir"
cp -r "$tmp/packages/core/dist" "$tmp/packages/core/build" "$tmp/packages/core/package.json" "$dir/"
if [ -d "$tmp/packages/core/node_modules" ]; then cp -r "$tmp/packages/core/node_modules" "$dir/"; fi
echo "built @vgp/core at $(git -C "$root" rev-parse --short "$commit") into $dir"
