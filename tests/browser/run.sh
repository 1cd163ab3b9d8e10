#!/usr/bin/env bash
# tests/browser/run.sh: the console's real-browser tests. Starts a small
# federation (tools/federation up 1 --small: kemensos, prov-73, kab-7301,
# with --console) in a fresh temporary folder, adds a console user to the
# node under test, runs console_test.mjs (playwright-core driving Debian's
# chromium) and always takes the federation down.
#
#   JEJAK_BINARY              the jejak to run (default build/cli/jejak)
#   JEJAK_BROWSER_PORT        first port of the federation (default 18700)
#   JEJAK_BROWSER_ARTIFACTS   screenshots, and the nodes' logs on failure
#                             (default build/browser-artifacts)
#   JEJAK_CONSOLE_NODE        the node whose console is tested (default kab-7301)
#   JEJAK_CONSOLE_URL         where the browser reaches that console, when not at
#                             the node's own URL (a reverse proxy in front of it)
#   JEJAK_CONSOLE_DIR         passed through to the nodes, never set here: they then
#                             serve node/console/ from that folder instead of the
#                             pages built into the binary (working on the pages)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export JEJAK_BINARY=${JEJAK_BINARY:-$root/build/cli/jejak}
export JEJAK_BROWSER_ARTIFACTS=${JEJAK_BROWSER_ARTIFACTS:-$root/build/browser-artifacts}
export JEJAK_CONSOLE_NODE=${JEJAK_CONSOLE_NODE:-kab-7301}
[[ -x $JEJAK_BINARY ]] || { echo "tests/browser/run.sh: $JEJAK_BINARY is not built" >&2; exit 2; }

"$here/setup.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/jejak-browser.XXXXXX")
export JEJAK_FEDERATION_DIR=$tmp/federation
export JEJAK_FEDERATION_PORT=${JEJAK_BROWSER_PORT:-18700}
export JEJAK_FEDERATION_CONSOLE=1
status=1
finish() {
  "$root/tools/federation" down >/dev/null 2>&1 || true
  if ((status != 0)) && [[ -d $JEJAK_FEDERATION_DIR ]]; then
    mkdir -p "$JEJAK_BROWSER_ARTIFACTS/node-logs"
    cp "$JEJAK_FEDERATION_DIR"/*.log "$JEJAK_BROWSER_ARTIFACTS/node-logs/" 2>/dev/null || true
    echo "tests/browser/run.sh: the nodes' logs are in $JEJAK_BROWSER_ARTIFACTS/node-logs" >&2
  fi
  rm -rf "$tmp"
}
trap finish EXIT
trap 'exit 130' INT TERM

start=$SECONDS
"$root/tools/federation" up 1 --small

# A console user on the node under test, added while it runs.
export JEJAK_CONSOLE_USER=auditor-ani
export JEJAK_CONSOLE_PASSWORD
JEJAK_CONSOLE_PASSWORD=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$JEJAK_CONSOLE_PASSWORD" >"$tmp/console-password"
JEJAK_PASSPHRASE=$(cat "$JEJAK_FEDERATION_DIR/passphrase") \
  "$JEJAK_BINARY" console user add "$JEJAK_FEDERATION_DIR/$JEJAK_CONSOLE_NODE" \
  --name "$JEJAK_CONSOLE_USER" --role auditor --password-file "$tmp/console-password" </dev/null

mkdir -p "$JEJAK_BROWSER_ARTIFACTS"
rm -rf "$JEJAK_BROWSER_ARTIFACTS"/*.png "$JEJAK_BROWSER_ARTIFACTS/node-logs"
export JEJAK_BROWSER_TMP=$tmp
timeout 600 node --test --test-reporter=spec "$here/console_test.mjs"
status=0
echo "tests/browser/run.sh: passed in $((SECONDS - start)) s; screenshots in $JEJAK_BROWSER_ARTIFACTS"
