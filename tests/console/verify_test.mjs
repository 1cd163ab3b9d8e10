// The console's tlog-proof verifier (node/console/verify.js, entry.js)
// against the real CLI: every proof make_proofs.sh builds with `jejak`
// verifies with what `jejak proof verify` prints, and tampered proofs are
// refused by both, the browser naming the check (`part`) that failed.
//
//   JEJAK=/path/to/jejak node --test tests/console/verify_test.mjs
//
// JEJAK defaults to /tmp/jejak-c7d2f14; the fixtures go to a folder in
// $TMPDIR, removed at the end (kept when JEJAK_KEEP_TEST_DIR is set).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ProofError, decodeEntry, parseTlogProof, parseVerifierKey, verifyTlogProof } from '../../node/console/verify.js';
import { joinScannedQr } from '../../node/console/qrjoin.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const JEJAK = process.env.JEJAK || '/tmp/jejak-c7d2f14';
const work = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'jejak-console-test-'));
const fixtures = path.join(work, 'fixtures');
after(() => {
  if (!process.env.JEJAK_KEEP_TEST_DIR) fs.rmSync(work, { recursive: true, force: true });
});

// Built once, before any test: about 10 s. A failure here fails the file
// before any hook runs, so it cleans up itself.
try {
  execFileSync('bash', [path.join(here, 'make_proofs.sh'), fixtures], {
    env: { ...process.env, JEJAK, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
} catch (e) {
  if (!process.env.JEJAK_KEEP_TEST_DIR) fs.rmSync(work, { recursive: true, force: true });
  throw e;
}

const keyText = (file) => fs.readFileSync(path.join(fixtures, 'keys', file), 'utf8').trim();
const keyPath = (file) => path.join(fixtures, 'keys', file);
const proofText = (name) => fs.readFileSync(path.join(fixtures, 'proofs', `${name}.tlog-proof`), 'utf8');
const manifest = fs.readFileSync(path.join(fixtures, 'manifest.tsv'), 'utf8').trim().split('\n').map((l) => {
  const [name, signer, witnesses] = l.split('\t');
  return { name, signer, witnesses: witnesses ? witnesses.split(' ') : [] };
});
const logKeys = new Map(['plain', 'kemensos', 'kab', 'bank'].map((n) => {
  const k = keyText(`${n}.vkey`);
  return [k.slice(0, k.indexOf('+')), k];
}));
const KAB = 'jejak.pkh/kab/7306';
const WITNESS_FILES = ['kemensos.vkey', 'bank.witness.vkey'];
const witnessTrust = (min = 2) => ({ logKeys, witnesses: WITNESS_FILES.map((f) => ({ key: keyText(f) })), minWitnesses: min });

// ---- The CLI ----

let fileCount = 0;
function writeProof(text) {
  const file = path.join(work, `t${++fileCount}.tlog-proof`);
  fs.writeFileSync(file, text);
  return file;
}

function cli(args) {
  return new Promise((resolve) => {
    execFile(JEJAK, args, { env: { ...process.env, JEJAK_PASSPHRASE: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function cliVerify(text, logKey, witnessKeys = [], min = 0) {
  const args = ['proof', 'verify', writeProof(text), '--key', logKey];
  for (const w of witnessKeys) args.push('--witness', w);
  if (min > 0) args.push('--min-witnesses', String(min));
  return cli(args);
}

// What `jejak proof verify` printed, in the shape verifyTlogProof returns.
function parseCliOutput(stdout) {
  const lines = stdout.replace(/\n$/, '').split('\n');  // a value may end in a space
  const [, index, origin] = lines[0].match(/^verified: leaf (\d+) of '(.*)'$/);
  const [, size, root] = lines.find((l) => l.startsWith('checkpoint: ')).match(/^checkpoint: size (\d+), root (\S+)$/);
  const witnesses = lines.filter((l) => l.startsWith('witness: ')).map((l) => l.match(/^witness: '(.*)' at (.*)$/).slice(1));
  const h = lines.findIndex((l) => l.startsWith('leaf hash: '));
  const fields = lines.slice(h + 1).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]);
  return { index: BigInt(index), origin, size: BigInt(size), root, witnesses, leafHash: lines[h].slice(11), fields };
}

function assertSameAsCli(r, out, what) {
  const c = parseCliOutput(out);
  assert.equal(r.ok, true, what);
  assert.equal(r.index, c.index, what);
  assert.equal(r.origin, c.origin, what);
  assert.equal(r.size, c.size, what);
  assert.equal(r.root, c.root, what);
  assert.equal(r.leafHash, c.leafHash, what);
  assert.deepEqual(r.witnesses.map((w) => [w.name, w.at]), c.witnesses, what);
  assert.deepEqual(r.entry.fields, c.fields, what);
}

// ---- Tampering with proof text ----

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const sha256 = (...parts) => new Uint8Array(crypto.createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest());

// {head: [first line, extra?, index, ...hashes], body: checkpoint text lines, sigs: signature lines}
function split(text) {
  const i = text.indexOf('\n\n');
  const note = text.slice(i + 2);
  const j = note.lastIndexOf('\n\n');
  return { head: text.slice(0, i).split('\n'), body: note.slice(0, j).split('\n'), sigs: note.slice(j + 2, -1).split('\n') };
}
const join = ({ head, body, sigs }) => `${head.join('\n')}\n\n${body.join('\n')}\n\n${sigs.map((s) => `${s}\n`).join('')}`;
function edit(text, f) {
  const p = split(text);
  f(p);
  return join(p);
}
// A signature line with the bytes after its key ID changed by `f`.
function editSig(line, f) {
  const [dash, name, sig] = line.split(' ');
  const raw = unb64(sig);
  f(raw);
  return `${dash} ${name} ${b64(raw)}`;
}

// Ed25519 keys made here, for forged and synthetic signatures; their key IDs
// are computed here too, independently of verify.js.
function newKey(name) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url'));
  const id = (type) => Buffer.from(sha256(Buffer.from(name), [0x0a, type], raw)).readUInt32BE(0);
  const vkey = (type) => `${name}+${id(type).toString(16).padStart(8, '0')}+${b64([type, ...raw])}`;
  const line = (type, bytes) => {
    const idBytes = Buffer.alloc(4);
    idBytes.writeUInt32BE(id(type));
    return `\u2014 ${name} ${b64(Buffer.concat([idBytes, Buffer.from(bytes)]))}`;
  };
  const sign = (msg) => new Uint8Array(crypto.sign(null, Buffer.from(msg), privateKey));
  return {
    name, raw, noteKey: vkey(1), cosignKey: vkey(4),
    noteSig: (body) => line(1, sign(body)),
    cosig: (body, time) => {
      const t = Buffer.alloc(8);
      t.writeBigUInt64BE(time);
      return line(4, Buffer.concat([t, sign(`cosignature/v1\ntime ${time}\n${body}`)]));
    },
  };
}
const bodyOf = (p) => `${p.body.join('\n')}\n`;

// RFC 6962 §2.1: the tree hash and the inclusion path of a list of leaves.
const leafHash = (d) => sha256([0], d);
function mth(leaves) {
  if (leaves.length === 1) return leafHash(leaves[0]);
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  return sha256([1], mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function pathOf(m, leaves) {
  if (leaves.length === 1) return [];
  const k = 2 ** Math.floor(Math.log2(leaves.length - 1));
  return m < k ? [...pathOf(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...pathOf(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function syntheticProof(key, leaves, index) {
  const body = `${key.name}\n${leaves.length}\n${b64(mth(leaves))}\n`;
  const hashes = pathOf(index, leaves).map((h) => `${b64(h)}\n`).join('');
  return `c2sp.org/tlog-proof@v1\nextra ${b64(leaves[index])}\nindex ${index}\n${hashes}\n${body}\n${key.noteSig(body)}\n`;
}

// A text record entry, encoded by hand (specs/entry.capnp): the root
// pointer, Entry {which = record}, Record {payload.text}, the text.
function textRecord(text) {
  const t = Buffer.from(text + '\0');
  const words = Buffer.alloc(32 + Math.ceil(t.length / 8) * 8);
  words.writeUInt32LE(0x00010001, 4);  // root: struct at +0, 1 data word, 1 pointer
  words.writeUInt16LE(1, 8);           // Entry.which = record
  words.writeUInt32LE(0x00010000, 20); // Entry.record: struct at +0, no data, 1 pointer
  words.writeUInt32LE(1, 24);          // Record.payload.text: list at +0
  words.writeUInt32LE(2 | (t.length << 3), 28);  // of bytes
  t.copy(words, 32);
  return new Uint8Array(words);
}

async function refused(text, trust, part, ...fragments) {
  await assert.rejects(verifyTlogProof(text, trust), (e) => {
    assert.ok(e instanceof ProofError, `not a ProofError: ${e}`);
    assert.equal(e.part, part, `part ${e.part}: ${e.en}`);
    assert.ok(e.en && e.id && e.en !== e.id, 'a message in English and in Bahasa Indonesia');
    // A fragment is what the English says, or [English, Indonesian].
    for (const f of fragments) {
      const [en, id] = Array.isArray(f) ? f : [f, ''];
      assert.ok(e.en.includes(en), `"${e.en}" does not say "${en}"`);
      assert.ok(e.id.includes(id), `"${e.id}" does not say "${id}"`);
    }
    return true;
  });
}

async function cliRefuses(text, logKey, witnessKeys = [], min = 0) {
  const r = await cliVerify(text, logKey, witnessKeys, min);
  assert.equal(r.code, 1, `the CLI did not refuse it:\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /^jejak: the proof does not verify: /);
  return r.stderr;
}

const byName = (name) => manifest.find((m) => m.name === name);
const lineOf = (text, n) => text.split('\n')[n - 1];

// ---- The tests ----

describe('genuine proofs', () => {
  test('every proof made by the CLI verifies, saying what `jejak proof verify` prints', async () => {
    assert.ok(manifest.length >= 50, `only ${manifest.length} proofs`);
    const types = new Set();
    for (const m of manifest) {
      const text = proofText(m.name);
      const cliOut = await cliVerify(text, keyText(`${m.signer}.vkey`), m.witnesses.map(keyPath), m.witnesses.length);
      assert.equal(cliOut.code, 0, `${m.name}: ${cliOut.stderr}`);
      const trust = { logKeys, witnesses: m.witnesses.map((f) => ({ key: keyText(f) })), minWitnesses: m.witnesses.length };
      const r = await verifyTlogProof(text, trust);
      assertSameAsCli(r, cliOut.stdout, m.name);
      assert.deepEqual(r.steps.map((s) => s.part), ['format', 'log-key', 'signature', 'inclusion', 'witness', 'entry']);
      assert.ok(r.steps.every((s) => s.ok && s.en && s.id));
      assert.equal(r.witnesses.length, m.witnesses.length, m.name);
      assert.doesNotMatch(JSON.stringify(r.entry.fields), /KPM-TEST/, 'a family appears only as its pseudonym');
      types.add(`${r.entry.kind} ${r.entry.type}`);
    }
    for (const t of ['record text', 'statement generic.note', 'record pkh.update', 'record pkh.approval',
      'record pkh.receipt', 'record pkh.bnba', 'record pkh.verification', 'record pkh.complaint',
      'record pkh.complaint_response', 'record gov.node', 'record gov.grant', 'record gov.revoke',
      'record gov.stage', 'record gov.index', 'record gov.policy', 'statement pkh.approval']) {
      assert.ok(types.has(t), `no proof of a ${t}`);
    }
  });

  test('a statement says its log, document, records and signers', async () => {
    const ba = await Promise.all(manifest.filter((m) => m.signer === 'kab').map((m) => verifyTlogProof(proofText(m.name), { logKeys })));
    const st = ba.find((r) => r.entry.kind === 'statement' && r.entry.type === 'pkh.approval').entry;
    assert.equal(st.log, KAB);
    assert.equal(st.stage, '2026-T1');
    assert.equal(st.region, '7306');
    assert.equal(st.document_number, '800/1/TEST');
    assert.equal(st.document_date, '2026-02-20');
    assert.equal(st.records, 2n);
    assert.equal(st.signers.length, 2);
    assert.match(st.signers[0].label, /^signature 1 \(key [A-Za-z0-9+/]{43}=\)$/);
    assert.match(st.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00 \(\d+ ms\)$/);
  });

  test('parseTlogProof gives the parts and the line of each signature', () => {
    const text = proofText('witnessed-kab-3');
    const p = parseTlogProof(text);
    assert.equal(p.index, 3n);
    assert.ok(p.extra instanceof Uint8Array && p.extra.length > 0);
    assert.ok(p.hashes.length > 0 && p.hashes.every((h) => h.length === 32));
    assert.equal(p.checkpoint.origin, KAB);
    assert.equal(typeof p.checkpoint.size, 'bigint');
    assert.equal(p.checkpoint.root.length, 32);
    assert.deepEqual(p.checkpoint.signatures.map((s) => s.name).sort(), [KAB, 'jejak.pkh/bank/bank-test', 'jejak.pkh/kemensos'].sort());
    for (const s of p.checkpoint.signatures) assert.ok(lineOf(text, s.line).startsWith(`\u2014 ${s.name} `), `line ${s.line}`);
    assert.equal(lineOf(text, p.checkpoint.line), KAB);
    assert.deepEqual(parseTlogProof(new TextEncoder().encode(text)), p, 'bytes parse as the text does');
  });

  test('every index of trees of 1 to 20 leaves verifies (RFC 6962 paths made here)', async () => {
    const key = newKey('test.console/synthetic');
    const trust = { logKeys: new Map([[key.name, key.noteKey]]) };
    for (let n = 1; n <= 20; ++n) {
      const leaves = Array.from({ length: n }, (_, i) => textRecord(`synthetic note ${i} of ${n}`));
      for (let i = 0; i < n; ++i) {
        const r = await verifyTlogProof(syntheticProof(key, leaves, i), trust);
        assert.deepEqual(r.entry.fields, [['entry', 'record'], ['type', 'text'], ['text', `synthetic note ${i} of ${n}`]]);
        if (n > 1) {
          // The same path, claimed for the neighbouring leaf: refused.
          const other = syntheticProof(key, leaves, i).replace(`\nindex ${i}\n`, `\nindex ${(i + 1) % n}\n`);
          await refused(other, trust, 'inclusion', `leaf ${(i + 1) % n} (SHA-256 of the extra data)`);
        }
      }
    }
    const leaves = Array.from({ length: 7 }, (_, i) => textRecord(`synthetic note ${i}`));
    for (let i = 0; i < 7; ++i) {
      const text = syntheticProof(key, leaves, i);
      assertSameAsCli(await verifyTlogProof(text, trust), (await cliVerify(text, key.noteKey)).stdout, `leaf ${i} of 7`);
    }
  });

  test('witnesses: untrusted signatures are ignored, a witness counts once, the log never', async () => {
    const text = proofText('witnessed-kab-3');
    const w = newKey('test.witness/one');
    const stranger = newKey('test.stranger');
    const self = newKey(KAB);
    const last = newKey('test.witness/last');  // at the largest time a cosignature may have
    const withLines = edit(text, (p) => p.sigs.push(w.cosig(bodyOf(p), 1767225600n), stranger.noteSig(bodyOf(p)),
      w.cosig(bodyOf(p), 1767225700n), self.cosig(bodyOf(p), 1767225600n), editSig(self.cosig(bodyOf(p), 1n), (raw) => { raw[20] ^= 1; }),
      last.cosig(bodyOf(p), (1n << 63n) - 1n)));
    const trust = { logKeys, witnesses: [{ key: w.cosignKey }, { key: w.cosignKey }, { key: self.cosignKey }, { key: last.cosignKey }], minWitnesses: 2 };
    const r = await verifyTlogProof(withLines, trust);
    assert.deepEqual(r.witnesses.slice(0, 1), [{ name: 'test.witness/one', time: 1767225600, at: '2026-01-01T07:00:00+07:00' }]);
    assert.deepEqual(r.witnesses.map((x) => x.name), ['test.witness/one', 'test.witness/last']);
    const c = await cliVerify(withLines, logKeys.get(KAB), [w.cosignKey, w.cosignKey, self.cosignKey, last.cosignKey], 2);
    assert.equal(c.code, 0, c.stderr);
    assertSameAsCli(r, c.stdout, 'a witness twice, a stranger, the log itself');
    // The log's own cosignature never counts, even when its key is trusted.
    await refused(withLines, { ...trust, witnesses: [{ key: self.cosignKey }], minWitnesses: 1 }, 'witness', ['1 witness cosignatures are required, 0 verified', 'diperlukan 1 kosignatur saksi, 0 sah']);
    // Trusted by another name, a witness's key matches none of its lines.
    const renamed = await verifyTlogProof(text, { logKeys, witnesses: [{ name: 'test.other', key: keyText('bank.witness.vkey') }] });
    assert.deepEqual(renamed.witnesses, []);
  });
});

// A proof printed as QR parts ("jejak-qr K/N LEN\n" and LEN bytes: equal
// byte slices, documents/qr.h), as a scanner prints them: each part and a
// newline, in any order.
function qrParts(text, n) {
  const bytes = new TextEncoder().encode(text);
  const size = Math.ceil(bytes.length / n);
  const parts = [];
  for (let k = 1; k <= n; k++) {
    const slice = bytes.subarray((k - 1) * size, Math.min(k * size, bytes.length));
    parts.push(Buffer.concat([Buffer.from(`jejak-qr ${k}/${n} ${slice.length}\n`), Buffer.from(slice), Buffer.from('\n')]));
  }
  return parts;
}

describe('QR codes scanned from a printed page', () => {
  test('parts in any order join back to the proof, which verifies', async () => {
    const text = proofText('witnessed-kab-3');
    assert.match(text, /\u2014/, 'a signature line holds the em dash (three bytes)');
    const parts = qrParts(text, 3);
    const scanned = Buffer.concat([parts[2], parts[0], parts[1]]).toString('utf8');
    assert.equal(joinScannedQr(scanned), text);
    const r = await verifyTlogProof(joinScannedQr(scanned), { logKeys });
    assert.equal(r.index, 3n);
    // One code holding the whole proof, and a file: as they are.
    assert.equal(joinScannedQr(`${text}\n`), text);
    assert.equal(joinScannedQr(text), text);
  });

  test('a missing, mixed or cut part is refused, naming it', () => {
    const text = proofText('witnessed-kab-3');
    const parts = qrParts(text, 3);
    const refused = (scanned, pattern) =>
      assert.throws(() => joinScannedQr(scanned), (e) => e instanceof ProofError && e.part === 'format' && pattern.test(e.en) && e.id.length > 0);
    refused(Buffer.concat([parts[0], parts[2]]).toString('utf8'), /lack part 2 of 3/);
    refused(Buffer.concat([parts[0], qrParts(text, 4)[1]]).toString('utf8'), /part 2 says 4 parts, an earlier one 3/);
    refused(parts[0].toString('utf8').slice(0, 40), /part 1 of 3 is cut short/);
    refused('jejak-qr 0/3 5\nabcde', /malformed part header/);
    refused(Buffer.concat([parts[0], Buffer.from('garbage')]).toString('utf8'), /expected a part header/);
  });
});

describe('tampered proofs are refused', () => {
  const base = proofText('plain-text-record');
  const plainKey = keyText('plain.vkey');
  const size = parseTlogProof(base).checkpoint.size;
  const witnessed = proofText('witnessed-kab-3');
  const wkeys = WITNESS_FILES.map(keyPath);

  test('a flipped bit in the extra data, a changed hash line, another index: inclusion', async () => {
    const extra = edit(base, (p) => {
      const bytes = unb64(p.head[1].slice(6));
      bytes[20] ^= 0x01;
      p.head[1] = `extra ${b64(bytes)}`;
    });
    const hash = edit(base, (p) => { p.head[3] = (p.head[3][0] === 'A' ? 'B' : 'A') + p.head[3].slice(1); });
    for (const text of [extra, hash]) {
      await refused(text, { logKeys }, 'inclusion', [`leaf 1 (SHA-256 of the extra data) is not in the checkpoint's tree of size ${size}`, `daun 1`]);
      assert.match(await cliRefuses(text, plainKey), new RegExp(`leaf 1 \\(SHA-256 of the extra data\\) is not in the checkpoint's tree of size ${size}`));
    }
    await refused(base.replace('\nindex 1\n', '\nindex 2\n'), { logKeys }, 'inclusion', 'leaf 2 ');
    await refused(base.replace('\nindex 1\n', `\nindex ${size}\n`), { logKeys }, 'inclusion', `index ${size} is not below the checkpoint's size ${size}`);
    const noExtra = edit(base, (p) => p.head.splice(1, 1));
    await refused(noExtra, { logKeys }, 'inclusion', 'carries no extra data');
    await cliRefuses(noExtra, plainKey);
    const long = edit(base, (p) => p.head.push(p.head[3]));
    await refused(long, { logKeys }, 'inclusion', 'too long');
    await refused(edit(base, (p) => p.head.pop()), { logKeys }, 'inclusion', 'too short');
  });

  test('a changed checkpoint size or root, a forged or corrupted log signature: signature', async () => {
    const sigLine = parseTlogProof(base).checkpoint.signatures[0].line;
    const bigger = edit(base, (p) => { p.body[1] = String(size + 1n); });
    const root = edit(base, (p) => { p.body[2] = b64(sha256('another root')); });
    const corrupted = edit(base, (p) => { p.sigs[0] = editSig(p.sigs[0], (raw) => { raw[10] ^= 0x40; }); });
    for (const text of [bigger, root, corrupted]) {
      await refused(text, { logKeys }, 'signature', [`tlog-proof line ${sigLine}: the checkpoint's signature by 'jejak.pkh/kab/7399' does not verify`, `baris ${sigLine}`]);
      assert.match(await cliRefuses(text, plainKey), /the checkpoint's signature: signature by jejak.pkh\/kab\/7399 does not verify/);
    }
    const short = edit(base, (p) => {
      const [dash, name, sig] = p.sigs[0].split(' ');
      p.sigs[0] = `${dash} ${name} ${b64(unb64(sig).slice(0, -1))}`;
    });
    const forged = edit(base, (p) => { p.sigs[0] = newKey('jejak.pkh/kab/7399').noteSig(bodyOf(p)); });
    await refused(forged, { logKeys }, 'signature', 'is not signed by the log key');
    await cliRefuses(forged, plainKey);
    // A bad signature by the log key is refused even beside a good one.
    const twice = edit(base, (p) => p.sigs.push(editSig(p.sigs[0], (raw) => { raw[30] ^= 1; })));
    await refused(twice, { logKeys }, 'signature', [`tlog-proof line ${sigLine + 1}: the checkpoint's signature by 'jejak.pkh/kab/7399' does not verify`, `baris ${sigLine + 1}`]);
    await cliRefuses(twice, plainKey);
    // The right name, another key: the log's own signature is not by it.
    const other = newKey('jejak.pkh/kab/7399');
    await refused(base, { logKeys: new Map([['jejak.pkh/kab/7399', other.noteKey]]) }, 'signature', 'is not signed by the log key');
    await cliRefuses(base, other.noteKey);
    await refused(short, { logKeys }, 'signature', [`line ${sigLine}: the checkpoint's signature by 'jejak.pkh/kab/7399' has the wrong length`, `baris ${sigLine}`]);
    assert.match(await cliRefuses(short, plainKey), /signature by jejak.pkh\/kab\/7399 has the wrong length/);
  });

  test('no key, or the key of another log, for the origin: log-key', async () => {
    await refused(base, { logKeys: new Map([...logKeys].filter(([o]) => o !== 'jejak.pkh/kab/7399')) }, 'log-key',
      ["no trusted log key for the checkpoint's origin 'jejak.pkh/kab/7399'", "'jejak.pkh/kab/7399'"]);
    await refused(base, { logKeys: { 'jejak.pkh/kab/7399': logKeys.get(KAB) } }, 'log-key',
      ["the checkpoint is of log 'jejak.pkh/kab/7399', not of 'jejak.pkh/kab/7306' (the log key's)", 'bukan']);
    assert.match(await cliRefuses(base, logKeys.get(KAB)), /the checkpoint is of log 'jejak.pkh\/kab\/7399', not of 'jejak.pkh\/kab\/7306'/);
    await refused(base, { logKeys: { 'jejak.pkh/kab/7399': newKey('jejak.pkh/kab/7399').cosignKey } }, 'log-key', 'cosignature key');
    await refused(base, { logKeys: { 'jejak.pkh/kab/7399': 'jejak.pkh/kab/7399+00000000+AQ==' } }, 'log-key', 'trusted log key');
    // The origin is only a question: the proof carries no key of its own.
    await refused(base, { logKeys: new Map() }, 'log-key', 'no trusted log key');
  });

  test('a corrupted trusted cosignature, too few witnesses: witness', async () => {
    const p = parseTlogProof(witnessed);
    const kem = p.checkpoint.signatures.find((s) => s.name === 'jejak.pkh/kemensos');
    const corrupted = edit(witnessed, (q) => {
      const i = q.sigs.findIndex((l) => l.includes(' jejak.pkh/kemensos '));
      q.sigs[i] = editSig(q.sigs[i], (raw) => { raw[40] ^= 0x08; });
    });
    await refused(corrupted, witnessTrust(), 'witness',
      [`tlog-proof line ${kem.line}: the cosignature of witness 'jejak.pkh/kemensos' does not verify`, `baris ${kem.line}: kosignatur saksi 'jejak.pkh/kemensos' tidak sah`]);
    assert.match(await cliRefuses(corrupted, logKeys.get(KAB), wkeys, 2), /the cosignature of witness 'jejak.pkh\/kemensos' does not verify/);
    // Untrusted, the same corrupted line is ignored.
    const r = await verifyTlogProof(corrupted, { logKeys, witnesses: [{ key: keyText('bank.witness.vkey') }], minWitnesses: 1 });
    assert.deepEqual(r.witnesses.map((w) => w.name), ['jejak.pkh/bank/bank-test']);

    const few = '3 witness cosignatures are required, 2 verified (jejak.pkh/bank/bank-test, jejak.pkh/kemensos)';
    await refused(witnessed, witnessTrust(3), 'witness', [few, 'diperlukan 3 kosignatur saksi, 2 sah']);
    assert.ok((await cliRefuses(witnessed, logKeys.get(KAB), wkeys, 3)).includes(few));
    const dropped = edit(witnessed, (q) => { q.sigs = q.sigs.filter((l) => !l.includes(' jejak.pkh/bank/bank-test ')); });
    await refused(dropped, witnessTrust(2), 'witness', '2 witness cosignatures are required, 1 verified (jejak.pkh/kemensos)');
    await cliRefuses(dropped, logKeys.get(KAB), wkeys, 2);
    await refused(witnessed, { logKeys, minWitnesses: 1 }, 'witness', '1 witness cosignatures are required, 0 verified');

    const w = newKey('test.witness/one');
    const late = edit(witnessed, (q) => q.sigs.push(w.cosig(bodyOf(q), 1n << 63n)));
    await refused(late, { logKeys, witnesses: [{ key: w.cosignKey }] }, 'witness', 'above 2^63-1');
    await cliRefuses(late, logKeys.get(KAB), [w.cosignKey]);
    const cut = edit(witnessed, (q) => {
      const [dash, name, sig] = w.cosig(bodyOf(q), 5n).split(' ');
      q.sigs.push(`${dash} ${name} ${b64(unb64(sig).slice(0, -2))}`);
    });
    await refused(cut, { logKeys, witnesses: [{ key: w.cosignKey }] }, 'witness', 'holds 70 bytes, not 72');
    await cliRefuses(cut, logKeys.get(KAB), [w.cosignKey]);
  });

  test('text that is not a proof: format, naming the line', async () => {
    const p = split(base);
    const cases = [
      ['', 1, 'the proof ends before the first line'],
      ['hello world\n', 1, 'expected "c2sp.org/tlog-proof@v1" (not a tlog-proof)'],
      [base.replaceAll('\n', '\r\n'), 1, 'expected "c2sp.org/tlog-proof@v1"'],
      ['c2sp.org/tlog-proof@v1', 1, 'the first line does not end in a newline'],
      ['c2sp.org/tlog-proof@v1\nindex x\n', 2, 'the index is not a decimal'],
      [base.replace('\nindex 1\n', '\nindex 01\n'), 3, 'the index is not a decimal without leading zeros'],
      [base.replace(/\nextra [^\n]*\n/, '\nextra !!!!\n'), 2, 'the extra data is not canonical base64'],
      [base.replace(/\nextra [^\n]*\n/, '\nextra AAAAAAEAAQAB\n\n'), 3, 'expected "index N"'],
      // The last digit of a 32-byte hash carries 2 bits of padding, which must be zero.
      [edit(base, (q) => { q.head[3] = q.head[3].replace(/.=$/, (c) => (c[0] === 'B' ? 'D=' : 'B=')); }), 4, 'inclusion proof hash 1 is not 32 bytes of canonical base64'],
      [edit(base, (q) => { q.head[4] = q.head[4].slice(4); }), 5, 'inclusion proof hash 2'],
      [join(p).slice(0, join(p).indexOf('\n\n') + 1), p.head.length + 1, 'the proof ends before the blank line before the checkpoint'],
      [base.slice(0, -10), p.head.length + 6, 'the checkpoint: its signatures must be lines ending in a newline'],
      [edit(base, (q) => { q.body[1] = '6x'; }), p.head.length + 3, 'the checkpoint: the size line is not a decimal'],
      [edit(base, (q) => { q.body[2] = 'AAAA'; }), p.head.length + 4, 'the checkpoint: the root line is not 32 bytes'],
      [edit(base, (q) => { q.sigs.push('- test.other AAAAAAA='); }), p.head.length + 7, 'the checkpoint: the signature line does not start with an em dash'],
      [edit(base, (q) => { q.body[0] = 'jejak\tpkh'; }), p.head.length + 2, 'the checkpoint: the note is not valid UTF-8 or holds control characters'],
    ];
    for (const [text, line, what] of cases) {
      await refused(text, { logKeys }, 'format', [`tlog-proof line ${line}: ${what}`, `tlog-proof baris ${line}: `]);
      // The CLI names the checkpoint's first line for what is wrong inside it.
      assert.match(await cliRefuses(text, plainKey), /tlog-proof line \d+:/, what);
    }
    // At most 64 hash lines: 64 parse (and prove nothing), 65 do not.
    const hashes = (n) => edit(base, (q) => { q.head = [...q.head.slice(0, 3), ...Array(n).fill(q.head[3])]; });
    await refused(hashes(64), { logKeys }, 'inclusion', 'too long');
    await refused(hashes(65), { logKeys }, 'format', ['tlog-proof line 68: more than 64 inclusion proof hashes', 'baris 68: lebih dari 64 hash']);
    assert.match(await cliRefuses(hashes(65), plainKey), /line 68: more than 64 inclusion proof hashes/);
    const huge = base.replace(/\nextra [^\n]*\n/, `\nextra ${'A'.repeat((1 << 20) + (1 << 17))}\n`);
    await refused(huge, { logKeys }, 'format', 'more than the 1179648 a proof may have');
  });
});

describe('decodeEntry', () => {
  const extraOf = (name) => parseTlogProof(proofText(name)).extra;
  const rejectsEntry = (bytes, fragment) => assert.rejects(decodeEntry(bytes), (e) => {
    assert.ok(e instanceof ProofError, String(e));
    assert.equal(e.part, 'entry');
    assert.ok(e.en.includes(fragment), `"${e.en}" does not say "${fragment}"`);
    assert.ok(e.id.startsWith('entri: '));
    return true;
  });

  test('refuses truncated, garbled and non-canonical bytes', async () => {
    const receipt = extraOf('bank-1');
    assert.equal((await decodeEntry(receipt)).type, 'pkh.receipt');
    await rejectsEntry(new Uint8Array(0), '0 bytes, not a whole number of words');
    await rejectsEntry(receipt.subarray(0, 13), '13 bytes');
    await rejectsEntry(receipt.subarray(0, receipt.length - 8), 'outside the entry');
    await rejectsEntry(new Uint8Array(65536), 'at most 65535');
    const set = (bytes, at, value) => {
      const b = bytes.slice();
      b[at] = value;
      return b;
    };
    await rejectsEntry(set(receipt, 2, 0x40), 'outside the entry');          // the root's offset
    await rejectsEntry(set(receipt, 0, 0x02), 'far or capability pointer');
    await rejectsEntry(set(receipt, 8 + 7, 0x80), 'not the canonical encoding'); // unused bits of the union's word
    await rejectsEntry(set(receipt, 8, 2), 'neither a statement nor a record');
    await rejectsEntry(new Uint8Array([...receipt, 0, 0, 0, 0, 0, 0, 0, 0]), 'not the canonical encoding');
    const text = textRecord('a note');
    await rejectsEntry(set(text, 32 + 6, 0x21), 'does not end in NUL');
    // Word 3 is the Record's union tag, word 5 the start of its payload (preorder).
    await rejectsEntry(set(receipt, 8 * 3, 15), 'a record of an unknown kind (15)');
    await rejectsEntry(set(extraOf('kemensos-23'), 8 * 5 + 2, 7), 'unknown policy switch');
    await rejectsEntry(set(extraOf('bank-2'), 8 * 5 + 8, 3), 'unknown receipt status 3');
    await assert.rejects(decodeEntry('AAAA'), TypeError);
    assert.deepEqual((await decodeEntry(textRecord('caf\u00e9 \u0000'))).fields.at(-1), ['text', '(7 bytes that are not printable text)']);
  });

  test('shows any statement time as the CLI does', async () => {
    // Word 4 is the statement header's timestampMs (preorder; the signatures
    // cover it, but showing an entry does not check them).
    const key = newKey('test.console/times');
    const statement = extraOf('kab-0');
    for (const ms of [0n, 1n, -1n, -999n, -1000n, -1001n, -25200001n, -86400000n * 365n * 3000n, 253402300799999n,
      (1n << 63n) - 1n, -(1n << 63n)]) {
      const m = statement.slice();
      new DataView(m.buffer).setBigInt64(8 * 4, ms, true);
      const text = syntheticProof(key, [m], 0);
      const c = await cliVerify(text, key.noteKey);
      assert.equal(c.code, 0, c.stderr);
      assertSameAsCli(await verifyTlogProof(text, { logKeys: new Map([[key.name, key.noteKey]]) }), c.stdout, `${ms} ms`);
    }
  });

  test('never throws anything but ProofError on random bytes', async () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 3000; ++i) {
      const bytes = Uint8Array.from({ length: 8 * (1 + (next() % 12)) }, () => next() & 0xff);
      if (i % 2) bytes.set([0, 0, 0, 0, next() & 3, 0, next() & 7, 0]);  // a plausible root pointer
      try {
        await decodeEntry(bytes);
      } catch (e) {
        assert.ok(e instanceof ProofError && e.part === 'entry', `${e}`);
      }
    }
  });

  test('accepts and shows exactly what the CLI does, one flipped bit at a time', async () => {
    const key = newKey('test.console/fuzz');
    const trust = { logKeys: new Map([[key.name, key.noteKey]]) };
    const bases = ['kab-9', 'bank-1', 'kemensos-21', 'kemensos-23', 'kab-14', 'kemensos-1', 'plain-text-record', 'kab-5', 'kemensos-11', 'kab-0'];
    const mutants = [];
    for (const name of bases) {
      const e = extraOf(name);
      // 20 flips a record: each spawns `jejak proof verify`, which costs a
      // second under the sanitizers.
      const step = Math.max(1, Math.floor(e.length / 20));
      for (let i = 0; i < e.length; i += step) {
        const m = e.slice();
        m[i] ^= 1 << (i % 8);
        mutants.push([`${name} byte ${i}`, m]);
      }
    }
    let accepted = 0;
    let next = 0;
    const worker = async () => {
      while (next < mutants.length) {
        const [what, m] = mutants[next++];
        const text = syntheticProof(key, [m], 0);
        const [js, c] = await Promise.all([verifyTlogProof(text, trust).catch((e) => e), cliVerify(text, key.noteKey)]);
        if (c.code === 0) {
          assertSameAsCli(js, c.stdout, what);
          ++accepted;
        } else {
          assert.equal(c.code, 1, `${what}: ${c.stderr}`);
          assert.match(c.stderr, /is not an entry this version can read/, what);
          assert.ok(js instanceof ProofError && js.part === 'entry', `${what}: the CLI refused it (${c.stderr.trim()}) but the console says ${js.en ?? 'it is fine'}`);
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    assert.ok(mutants.length > 150 && accepted > 40, `${mutants.length} mutants, ${accepted} accepted`);
  });
});

describe('parseVerifierKey', () => {
  test('reads note and cosignature keys, and checks the key ID', async () => {
    const k = await parseVerifierKey(keyText('kab.vkey'));
    assert.equal(k.name, KAB);
    assert.equal(k.type, 1);
    assert.equal(k.key.length, 32);
    assert.equal(k.keyId, parseInt(keyText('kab.vkey').split('+')[1], 16));
    assert.equal((await parseVerifierKey(keyText('kab.witness.vkey'))).type, 4);
    const w = newKey('test.witness/one');
    assert.equal((await parseVerifierKey(w.cosignKey)).keyId, parseInt(w.cosignKey.split('+')[1], 16));
    const [name, id, b] = keyText('kab.vkey').split('+');
    const bad = [`${name}+${id.replace(/^./, (c) => (c === '0' ? '1' : '0'))}+${b}`, `${name}+${id}`, `+${id}+${b}`,
      `${name}+${id.slice(1)}+${b}`, `${name}+${id}+${b.slice(4)}`, `${name}+${id}+Ag${b.slice(2)}`, `a b+${id}+${b}`];
    for (const s of bad) await assert.rejects(parseVerifierKey(s), TypeError, s);
  });
});
