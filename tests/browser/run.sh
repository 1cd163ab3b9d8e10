#!/usr/bin/env bash
# tests/browser/run.sh: the console's real-browser tests. Starts the full
# federation (tools/federation up 1: kemensos, prov-73, kab-7301, bank-a,
# bank-b and the auditor, with --console) in a fresh temporary folder,
# records a stage through the running nodes with the CLI (as
# tests/node/federation_audit_test.cc does: updates, a berita acara drafted
# through the node, signed by both approvers and submitted, receipts with
# one planted unapproved payment), waits until the auditor holds every log
# at its author's size, drafts a second berita acara through kab-7301 (left
# pending on the node), adds the console accounts, runs console_test.mjs
# and stages_test.mjs (playwright-core driving Debian's chromium) and always
# takes the federation down.
#
#   JEJAK_BINARY              the jejak to run (default build/cli/jejak)
#   JEJAK_BROWSER_PORT        first port of the federation (default 18700)
#   JEJAK_BROWSER_ARTIFACTS   screenshots, and the nodes' logs on failure
#                             (default build/browser-artifacts)
#   JEJAK_CONSOLE_NODE        the node whose console console_test.mjs tests
#                             (default kab-7301)
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
"$root/tools/federation" up 1
fed=$JEJAK_FEDERATION_DIR
export JEJAK_PASSPHRASE
JEJAK_PASSPHRASE=$(cat "$fed/passphrase")

# nodes.tsv: name, kind, URL, node key, witness key.
url_of() { awk -F'\t' -v n="$1" '$1 == n { print $3 }' "$fed/nodes.tsv"; }
key_of() { awk -F'\t' -v n="$1" '$1 == n { print $4 }' "$fed/nodes.tsv"; }
at() { local n=$1; shift; "$JEJAK_BINARY" "$@" --node "$(url_of "$n")" --node-key "$(key_of "$n")"; }

# The stage, recorded through the running nodes (identifiers stay in these
# files; the nodes keep pseudonyms).
data=$tmp/stage
mkdir -p "$data"
cat >"$data/updates.csv" <<'EOF'
update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,disabilitas_berat,lansia,evidence_sha256
U-1,TEST-KPM-1,2026-01-10,active,1,0,2,1,1,0,0,
U-2,TEST-KPM-2,2026-01-12,active,0,1,1,0,0,0,0,
U-3,TEST-KPM-3,2026-01-14,active,0,0,1,0,0,0,1,
U-4,TEST-KPM-4,2026-01-15,active,0,0,0,1,0,0,0,
EOF
cat >"$data/ba.csv" <<'EOF'
id_kpm,lembaga_bayar,amount
TEST-KPM-1,BANK-A,1850000
TEST-KPM-2,BANK-A,975000
EOF
# TEST-KPM-9 was never approved: the one planted anomaly.
cat >"$data/receipts.csv" <<'EOF'
txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel
A-1,TEST-KPM-1,7301,2026-T1,1850000,paid,2026-03-05,kks
A-2,TEST-KPM-2,7301,2026-T1,975000,paid,2026-03-06,rekening
A-3,TEST-KPM-9,7301,2026-T1,600000,paid,2026-03-08,kks
EOF
# The second berita acara, left pending for the console's approvers.
cat >"$data/ba2.csv" <<'EOF'
id_kpm,lembaga_bayar,amount
TEST-KPM-3,BANK-B,825000
TEST-KPM-4,BANK-A,375000
EOF
t0=$SECONDS
at kab-7301 import updates "$data/updates.csv" --key "$fed/kab-7301-operator.key" >/dev/null
at kab-7301 ba draft "$data/ba.csv" --stage 2026-T1 --date 2026-02-20 --number 800/1/T \
  --out "$data/ba.json" --key "$fed/kab-7301-operator.key" >/dev/null
for a in 1 2; do "$JEJAK_BINARY" ba sign "$data/ba.json" --key "$fed/kab-7301-approver-$a.key" >/dev/null; done
at kab-7301 ba submit "$data/ba.json" >/dev/null
at bank-a import receipts "$data/receipts.csv" --key "$fed/bank-a-payer.key" >/dev/null

# The auditor holds every log at its author's size (60 s at most).
size_at() {  # size_at NODE ORIGIN
  at "$1" status --json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const l = JSON.parse(s).logs.find((x) => x.origin === process.argv[1]);
      console.log(l ? l.size : -1);
    });' "$2"
}
deadline=$((SECONDS + 60))
for pair in kab-7301:jejak.pkh/kab/7301 bank-a:jejak.pkh/bank/bank-a prov-73:jejak.pkh/prov/73; do
  author=${pair%%:*} origin=${pair#*:}
  want=$(size_at "$author" "$origin")
  until [[ $(size_at auditor "$origin") == "$want" ]]; do
    ((SECONDS < deadline)) || { echo "tests/browser/run.sh: the auditor lacks $origin at $want" >&2; exit 1; }
    sleep 0.3
  done
done

# The second draft, pending on kab-7301 ("pending on the node as draft ID"),
# and a copy of its file signed by both approvers with the CLI, for the
# test to compare with the signatures made in the browser.
at kab-7301 ba draft "$data/ba2.csv" --stage 2026-T1 --date 2026-03-20 --number 800/2/T \
  --out "$data/ba2.json" --key "$fed/kab-7301-operator.key" >"$data/ba2.out" 2>&1
draft_id=$(sed -n 's/.*pending on the node as draft \([0-9a-f]*\).*/\1/p' "$data/ba2.out" | head -1)
[[ -n $draft_id ]] || { cat "$data/ba2.out" >&2; echo "tests/browser/run.sh: no draft id" >&2; exit 1; }
cp "$data/ba2.json" "$data/ba2-cli.json"
for a in 1 2; do "$JEJAK_BINARY" ba sign "$data/ba2-cli.json" --key "$fed/kab-7301-approver-$a.key" >/dev/null; done
echo "stage recorded in $((SECONDS - t0)) s; draft $draft_id pending on kab-7301"

# Console accounts, added while the nodes run (one password for all).
export JEJAK_CONSOLE_USER=auditor-ani
export JEJAK_CONSOLE_PASSWORD
JEJAK_CONSOLE_PASSWORD=$(head -c 18 /dev/urandom | base64)
printf '%s\n' "$JEJAK_CONSOLE_PASSWORD" >"$tmp/console-password"
add_user() {  # add_user NODE NAME ROLE
  "$JEJAK_BINARY" console user add "$fed/$1" --name "$2" --role "$3" \
    --password-file "$tmp/console-password" </dev/null >/dev/null
}
add_user "$JEJAK_CONSOLE_NODE" "$JEJAK_CONSOLE_USER" auditor
add_user auditor auditor auditor
add_user auditor viewer viewer
add_user kab-7301 operator operator
add_user kab-7301 approver-1 approver
add_user kab-7301 approver-2 approver

mkdir -p "$JEJAK_BROWSER_ARTIFACTS"
rm -rf "$JEJAK_BROWSER_ARTIFACTS"/*.png "$JEJAK_BROWSER_ARTIFACTS/node-logs"
export JEJAK_BROWSER_TMP=$tmp JEJAK_STAGE_DIR=$data JEJAK_DRAFT_ID=$draft_id
timeout 600 node --test --test-concurrency=1 --test-reporter=spec \
  "$here/console_test.mjs" "$here/stages_test.mjs"
status=0
echo "tests/browser/run.sh: passed in $((SECONDS - start)) s; screenshots in $JEJAK_BROWSER_ARTIFACTS"
