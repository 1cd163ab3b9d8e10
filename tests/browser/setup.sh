#!/usr/bin/env bash
# tests/browser/setup.sh: what the console's browser tests need, installed
# only when missing (silent otherwise): Debian's chromium (apt-get, through
# sudo when not root), node and npm, and playwright-core as package-lock.json
# pins it (`npm ci`, again when the lockfile is newer than node_modules).
# playwright-core downloads no browser: the tests drive /usr/bin/chromium.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "tests/browser/setup.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

"$here/../../tools/npm-ci" "$here"
