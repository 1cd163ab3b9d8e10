#!/usr/bin/env bash
# tests/console/make_proofs.sh OUT: real C2SP tlog-proofs for the console's
# verifier tests (verify_test.mjs), made by the jejak CLI ($JEJAK, default
# /tmp/jejak-c7d2f14) in the empty or new folder OUT:
#
#   OUT/proofs/NAME.tlog-proof   one proof per line of OUT/manifest.tsv
#   OUT/manifest.tsv             NAME <TAB> the node whose key signs the log
#                                <TAB> the witness key files it is checked with
#   OUT/keys/NODE.vkey           each node's verifier key (jejak key show)
#   OUT/keys/NODE.witness.vkey   its witness key (jejak key show --witness)
#
# Three worlds: a standalone node (`init` + `append`: a statement and its
# text records); a governance federation (a kemensos node with every kind
# of governance record, kabupaten 7306 with the PKH records of a cycle, a
# lembaga bayar with receipts); and the kabupaten's checkpoint cosigned by
# the kemensos node and the bank, both running `jejak serve` over plain HTTP
# on loopback and following it. The data is synthetic (KPM-TEST-0001, ...).
# Keys use the interactive Argon2id strength: fixtures, not secrets.
set -euo pipefail

jejak=${JEJAK:-/tmp/jejak-c7d2f14}
out=${1:?usage: make_proofs.sh OUT}
[[ -x $jejak ]] || { echo "make_proofs.sh: $jejak is not an executable" >&2; exit 2; }
mkdir -p "$out"
[[ -z $(ls -A "$out") ]] || { echo "make_proofs.sh: $out is not empty" >&2; exit 2; }
out=$(cd "$out" && pwd)
w=$out/work
mkdir -p "$w" "$out/proofs" "$out/keys"
cd "$w"
export JEJAK_PASSPHRASE="console-test-only-passphrase"
export JEJAK_KEY_PASSPHRASE="$JEJAK_PASSPHRASE"

pids=()
stop_servers() {
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
trap stop_servers EXIT

j() { "$jejak" "$@" >>"$w/jejak.log" 2>&1 || { echo "jejak $* failed:" >&2; tail -5 "$w/jejak.log" >&2; exit 1; }; }
key_of() { "$jejak" key show "$@" 2>>"$w/jejak.log"; }
new_node() {  # new_node NAME KIND REGION [init options]: creates and records its keys
  local name=$1 kind=$2 region=$3
  shift 3
  j init "$name" --kind "$kind" --name "Test $name" --region "$region" --kdf interactive "$@"
  key_of "$name" >"$out/keys/$name.vkey"
  key_of "$name" --witness >"$out/keys/$name.witness.vkey"
}
role_key() { j key new --out "$1.key" --name "test/$1" --kdf interactive; }
# prove NODE INDEX NAME [SIGNER [ORIGIN [WITNESS-KEY-FILES]]]: the proof, and
# its manifest line (the node whose key signs the log, the trusted witnesses).
prove() {
  local node=$1 index=$2 name=$3 signer=${4:-$1} witnesses=${6:-}
  local log=()
  [[ -n ${5:-} ]] && log=(--log "$5")
  j prove inclusion "$node" --index "$index" --format tlog-proof "${log[@]}" \
    --out "$out/proofs/$name.tlog-proof"
  printf '%s\t%s\t%s\n' "$name" "$signer" "$witnesses" >>"$out/manifest.tsv"
}

# --- A standalone node: one statement of two text records, then one more.
new_node plain kabupaten 7399
role_key plain-writer
printf 'first note, synthetic\nsecond note: ünïcode ok\n' >notes.txt
j append plain --type generic.note --key plain-writer.key notes.txt
printf 'third note\n' | "$jejak" append plain --type generic.note --stage 2026-T1 \
  --key plain-writer.key - >>"$w/jejak.log" 2>&1
prove plain 0 plain-statement
prove plain 1 plain-text-record
prove plain 2 plain-text-record-unicode
prove plain 3 plain-statement-with-stage
prove plain 4 plain-last-leaf

# --- A governance federation: kemensos, kabupaten 7306, a lembaga bayar.
j program-key new --out program.key
new_node kemensos kemensos 00
gov=$(cat "$out/keys/kemensos.vkey")
new_node kab kabupaten 7306 --governance "$gov" --program-key program.key
new_node bank lembaga-bayar 00 --governance "$gov" --program-key program.key --origin jejak.pkh/bank/bank-test
for k in operator approver-a approver-b payer targeting retired; do role_key "$k"; done
j registry add-node kemensos --name "Test kab" --kind kabupaten --region 7306 \
  --key "$(cat "$out/keys/kab.vkey")" --witness-key "$(cat "$out/keys/kab.witness.vkey")"
j registry add-node kemensos --name "Test bank" --kind lembaga-bayar --region 00 \
  --key "$(cat "$out/keys/bank.vkey")" --witness-key "$(cat "$out/keys/bank.witness.vkey")"
j registry grant kemensos --key operator.key --role operator --scope 7306
j registry grant kemensos --key approver-a.key --role approver --scope 7306
j registry grant kemensos --key approver-b.key --role approver --scope 7306
j registry grant kemensos --key payer.key --role payer --scope 73 --institution jejak.pkh/bank/bank-test
j registry grant kemensos --key targeting.key --role targeting --scope 73
j registry grant kemensos --key retired.key --role auditor --scope '*'
j registry revoke kemensos --key retired.key
j stage open kemensos --stage 2026-T1 --from 2026-03-01 --to 2026-03-14
cat >index.csv <<'CSV'
component,amount_per_stage,max_members
ibu_hamil,750000,2
anak_usia_dini,750000,2
sd,225000,4
smp,375000,4
sma,500000,4
disabilitas_berat,600000,4
lansia,600000,4
CSV
j index set kemensos --year 2026 --max-components 4 index.csv
j policy set kemensos --scope 7306 --approval-threshold 2 --require-bnba off \
  --suspend-after-months 3 --complaint-response-hours 48
j export kemensos --out gov-tiles
j pull kab --from gov-tiles
j pull bank --from gov-tiles

cat >bnba.csv <<'CSV'
id_kpm,kabupaten
KPM-TEST-0001,7306
KPM-TEST-0002,7306
CSV
j import bnba kab bnba.csv --key targeting.key --year 2026 --list BNBA/2026/7306
cat >updates.csv <<'CSV'
update_id,id_kpm,effective_date,status,ibu_hamil,anak_usia_dini,sd,smp,sma,disabilitas_berat,lansia,evidence_sha256
U-TEST-0001,KPM-TEST-0001,2026-01-10,active,1,0,2,1,1,0,0,
U-TEST-0002,KPM-TEST-0002,2026-01-12,graduated,0,1,1,0,0,0,1,9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
CSV
j import updates kab updates.csv --key operator.key
cat >verifications.csv <<'CSV'
verification_id,id_kpm,month,commitment,result,verified_on,facility_code
VER-TEST-0001,KPM-TEST-0001,2026-01,kesehatan,met,2026-01-21,P7306010101
VER-TEST-0002,KPM-TEST-0002,2026-01,p2k2,not_met,2026-01-30,
CSV
j import verifications kab verifications.csv --key operator.key
cat >ba.csv <<'CSV'
id_kpm,lembaga_bayar,amount
KPM-TEST-0001,BANK-TEST,1850000
KPM-TEST-0002,BANK-TEST,975000
CSV
j ba draft kab --stage 2026-T1 --date 2026-02-20 --number 800/1/TEST ba.csv --out ba.json
j ba sign ba.json --key approver-a.key
j ba sign ba.json --key approver-b.key
j ba submit kab ba.json
cat >complaints.csv <<'CSV'
complaint_id,id_kpm,stage,category,channel,received_at,evidence_sha256
ADU-TEST-0001,KPM-TEST-0001,2026-T1,tidak_menerima,loket,2026-03-06T09:00:00+07:00,
ADU-TEST-0002,,2026-T1,lainnya,media_sosial,2026-03-10T14:30:00+08:00,9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
CSV
j import complaints kab complaints.csv --key operator.key
cat >responses.csv <<'CSV'
response_id,complaint_id,responded_at,action
JWB-TEST-0001,ADU-TEST-0001,2026-03-07T10:00:00+07:00,answered
CSV
j import complaint-responses kab responses.csv --key operator.key
cat >receipts.csv <<'CSV'
txn_ref,id_kpm,kabupaten,stage,amount,status,paid_at,channel
BANKTEST-000001,KPM-TEST-0001,7306,2026-T1,1850000,paid,2026-03-05T10:15:00+07:00,kks
BANKTEST-000002,KPM-TEST-0002,7306,2026-T1,975000,failed,2026-03-06,rekening
CSV
j import receipts bank receipts.csv --key payer.key

# Every leaf of the three logs: statements and records of each kind.
size_of() { "$jejak" checkpoint "$1" 2>>"$w/jejak.log" | sed -n 2p; }
for n in kemensos kab bank; do
  s=$(size_of "$n")
  for ((i = 0; i < s; i++)); do prove "$n" "$i" "$n-$i"; done
done
# A replica's proof: the governance log as the kabupaten holds it, signed by
# the kemensos node's key.
prove kab 1 kab-replica-of-kemensos-1 kemensos jejak.pkh/kemensos

# --- Witnesses: the kemensos node and the bank follow the kabupaten and
# cosign its checkpoint; the kabupaten keeps their cosignatures beside it.
free_ports() {  # three ports free now (a race with other programs is unlikely)
  node -e 'const net = require("net"); const ss = [0, 1, 2].map(() => net.createServer());
    let n = 0; for (const s of ss) s.listen(0, "127.0.0.1", () => { if (++n === 3) {
      console.log(ss.map((x) => x.address().port).join(" ")); ss.forEach((x) => x.close()); } });'
}
read -r p_kab p_kem p_bank < <(free_ports)
url() { echo "http://127.0.0.1:$1"; }
serve() {  # serve NODE PORT PEER-PORT...
  local name=$1 port=$2 peers=()
  shift 2
  for p in "$@"; do peers+=(--peer "$(url "$p")"); done
  "$jejak" serve "$name" --listen "127.0.0.1:$port" --insecure-http --poll-ms 100 \
    "${peers[@]}" >"$w/$name.serve.log" 2>&1 &
  pids+=($!)
}
serve kab "$p_kab" "$p_kem" "$p_bank"
serve kemensos "$p_kem" "$p_kab"
serve bank "$p_bank" "$p_kab"
# Lists NODE's logs, as "origin size cosignatures" lines (none while it
# starts).
logs_at() {  # logs_at NODE PORT
  "$jejak" status --node "$(url "$2")" --node-key "$(cat "$out/keys/$1.vkey")" --json 2>/dev/null |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      try { for (const l of JSON.parse(s).logs) console.log(l.origin, l.size, l.cosignatures); }
      catch { } });'
}
kab_size=$(size_of kab)
ready() {  # the kabupaten holds both cosignatures, and the kemensos node its log
  logs_at kab "$p_kab" | grep -qx "jejak.pkh/kab/7306 $kab_size 2" &&
    logs_at kemensos "$p_kem" | grep -q "^jejak.pkh/kab/7306 $kab_size "
}
deadline=$((SECONDS + 30))
until ready; do
  ((SECONDS < deadline)) || { echo "make_proofs.sh: no cosignatures in 30 s (see $w/*.serve.log)" >&2; exit 1; }
  sleep 0.2
done
stop_servers
# The kemensos node, the trust anchor, cosigns with its node key; the others
# with their witness keys.
witnesses="kemensos.vkey bank.witness.vkey"
prove kab 3 witnessed-kab-3 kab "" "$witnesses"
prove kab 5 witnessed-kab-5 kab "" "$witnesses"
prove kemensos 3 witnessed-kab-3-from-kemensos kab jejak.pkh/kab/7306 "$witnesses"
