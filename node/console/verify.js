// Verifies a C2SP tlog-proof (specs/tlog-proof.md) in the browser, for the
// console's "Verifikasi" page, as `jejak proof verify` does offline
// (cli/cmd_proof.cc, ledger/log/tlog_proof.cc): the format, the log's key,
// its signature on the checkpoint, the entry's inclusion under the
// checkpoint's root, the witnesses' cosignatures, and what the entry says.
// Only WebCrypto (SHA-256, Ed25519), TextEncoder/TextDecoder and atob.
//
// Unlike the CLI, it does not join the text of scanned QR codes
// (documents/qr.h): give it the proof file's text.

import { ProofError, base64Encode, decodeEntry, formatWib, validUtf8 } from './entry.js';

export { ProofError, decodeEntry };

const FIRST_LINE = 'c2sp.org/tlog-proof@v1';
const MAX_NOTE_BYTES = 1 << 20;  // crypto/note.h kMaxNoteBytes
const MAX_NOTE_SIGNATURES = 256;
// ledger/log/tlog_proof.h: a note, an entry and 64 hash lines fit well within it.
export const MAX_TLOG_PROOF_BYTES = MAX_NOTE_BYTES + (1 << 17);
export const MAX_INCLUSION_HASHES = 64;
const TYPE_ED25519 = 0x01;
const TYPE_COSIGNATURE = 0x04;
const MAX_COSIGNATURE_TIME = (1n << 63n) - 1n;
const EM_DASH = '\u2014';

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

const refuse = (part, en, id) => {
  throw new ProofError(part, en, id);
};

// ---- Encodings ----

// Strict RFC 4648 §4 base64, as crypto/encoding.cc Base64Decode: padded, no
// whitespace, and only its one canonical spelling. null if it is not.
function base64Decode(s) {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  let raw;
  try {
    raw = atob(s);
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(raw, (c) => c.charCodeAt(0));
  return base64Encode(bytes) === s ? bytes : null;
}

// crypto/encoding.cc ParseDecimal: digits, no leading zero but "0", < 2^64.
function parseDecimal(s) {
  if (s.length > 20 || !/^(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = BigInt(s);
  return n < 1n << 64n ? n : null;
}

// An origin as a message may quote it (checkpoint.cc QuotedOrigin): never
// raw text from outside that is not printable.
function quoted(origin) {
  return /^[\x21-\x7e]{1,256}$/.test(origin) ? `'${origin}'` : 'an origin that is not printable';
}
const quotedId = (origin) => (quoted(origin).startsWith("'") ? quoted(origin) : 'origin yang tidak dapat ditampilkan');

const validKeyName = (name) => name.length > 0 && !name.includes('+') &&
  validUtf8(encoder.encode(name), { allowSpaces: false });

async function sha256(...parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

// SHA-256(name || "\n" || type || key)[:4], big-endian (crypto/note.cc NoteKeyId).
async function keyId(name, type, key) {
  const d = await sha256(encoder.encode(name), Uint8Array.of(0x0a, type), key);
  return new DataView(d.buffer).getUint32(0);
}

async function ed25519Verify(key, signature, message) {
  try {
    const k = await crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, k, signature, message);
  } catch {
    return false;  // a key that is no curve point verifies nothing
  }
}

// ---- Keys ----

// A note verifier key "<name>+<8 hex key ID>+<base64(type || 32-byte key)>",
// type 0x01 (Ed25519 note key) or 0x04 (cosignature key), whose key ID is
// the one its name and key give (crypto/note.cc ParseVerifierKey).
// Returns {name, keyId, type, key}; throws a TypeError saying what is wrong.
export async function parseVerifierKey(str) {
  const s = String(str).trim();
  const p1 = s.indexOf('+');
  const p2 = p1 < 0 ? -1 : s.indexOf('+', p1 + 1);
  const bad = (what) => {
    throw new TypeError(`verifier key: ${what}`);
  };
  if (p2 < 0) bad('must be <name>+<hex key ID>+<base64 key>');
  const name = s.slice(0, p1);
  if (!validKeyName(name)) bad('the name is not a valid key name');
  const idHex = s.slice(p1 + 1, p2);
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) bad('the key ID must be 8 hex digits');
  const raw = base64Decode(s.slice(p2 + 1));
  if (raw === null || raw.length === 0) bad('the key is not base64');
  const type = raw[0];
  if (type !== TYPE_ED25519 && type !== TYPE_COSIGNATURE) bad(`type 0x${type.toString(16).padStart(2, '0')} is not supported`);
  if (raw.length !== 33) bad('an Ed25519 key must hold 32 key bytes');
  const key = raw.slice(1);
  const id = parseInt(idHex, 16);
  if ((await keyId(name, type, key)) !== id) bad('the key ID does not match its name and key');
  return { name, keyId: id, type, key };
}

// ---- Parsing ----

// Splits the proof's bytes into lines, counting them for messages.
class Lines {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
    this.line = 0;
  }
  next(what, whatId) {
    ++this.line;
    const nl = this.bytes.indexOf(0x0a, this.at);
    if (nl < 0) {
      const ended = this.at === this.bytes.length;
      this.fail(ended ? `the proof ends before ${what}` : `${what} does not end in a newline`,
        ended ? `bukti berakhir sebelum ${whatId}` : `${whatId} tidak diakhiri baris baru`);
    }
    const line = this.bytes.subarray(this.at, nl);
    this.at = nl + 1;
    return line;
  }
  fail(en, id, line = this.line) {
    refuse('format', `tlog-proof line ${line}: ${en}`, `tlog-proof baris ${line}: ${id}`);
  }
}

// Bytes as Latin-1 text, in chunks: a 1 MiB line is too many arguments for one call.
function ascii(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
const startsWith = (bytes, prefix) => bytes.length >= prefix.length && ascii(bytes.subarray(0, prefix.length)) === prefix;

// The signed note (crypto/note.cc ParseNote): text up to the last blank
// line, then signature lines "— name base64(keyid || signature)". `first` is
// the proof's line number of the note's first line, for messages.
function parseNote(bytes, first, lines) {
  const bad = (en, id, line = first) => lines.fail(`the checkpoint: ${en}`, `checkpoint: ${id}`, line);
  if (bytes.length > MAX_NOTE_BYTES) bad('the note is larger than 1 MiB', 'catatan bertanda tangan lebih besar dari 1 MiB');
  if (!validUtf8(bytes, { allowNewline: true })) {
    bad('the note is not valid UTF-8 or holds control characters',
      'catatan bertanda tangan bukan UTF-8 yang sah atau memuat karakter kontrol');
  }
  const all = utf8.decode(bytes);
  const split = all.lastIndexOf('\n\n');
  if (split < 0) bad('the note has no blank line before its signatures', 'tidak ada baris kosong sebelum tanda tangan');
  const text = all.slice(0, split + 1);
  const sigs = all.slice(split + 2);
  const sigLine = first + text.split('\n').length;  // the first signature's: after the text and the blank line
  if (sigs === '' || !sigs.endsWith('\n')) {
    bad('its signatures must be lines ending in a newline', 'tanda tangannya harus berupa baris yang diakhiri baris baru', sigLine);
  }
  const signatures = sigs.slice(0, -1).split('\n').map((l, i) => {
    const line = sigLine + i;
    if (i === MAX_NOTE_SIGNATURES) bad('the note has more than 256 signatures', 'lebih dari 256 tanda tangan', line);
    if (!l.startsWith(EM_DASH + ' ')) {
      bad('the signature line does not start with an em dash and a space',
        'baris tanda tangan tidak diawali tanda pisah panjang dan spasi', line);
    }
    const rest = l.slice(2);
    const sp = rest.indexOf(' ');
    if (sp < 0) bad('the signature line has no signature', 'baris tanda tangan tidak memuat tanda tangan', line);
    const name = rest.slice(0, sp);
    if (!validKeyName(name)) bad('the signature line has an invalid key name', 'nama kunci pada baris tanda tangan tidak sah', line);
    const raw = base64Decode(rest.slice(sp + 1));
    if (raw === null || raw.length < 5) bad('the signature line has a malformed signature', 'tanda tangan pada baris ini rusak', line);
    return { name, keyId: new DataView(raw.buffer).getUint32(0), sig: raw.slice(4), line };
  });
  return { text, signatures };
}

// The checkpoint's text (ledger/log/checkpoint.cc ParseCheckpointText).
function parseCheckpointText(text, first, lines) {
  const bad = (en, id, k) => lines.fail(`the checkpoint: ${en}`, `checkpoint: ${id}`, first + k);
  const ls = text.slice(0, -1).split('\n');
  if (ls.length < 3) bad('it needs origin, size and root lines', 'perlu baris origin, ukuran dan akar', 0);
  if (ls[0] === '') bad('the origin line is empty', 'baris origin kosong', 0);
  const size = parseDecimal(ls[1]);
  if (size === null) {
    bad('the size line is not a decimal without leading zeros', 'baris ukuran bukan bilangan desimal tanpa nol di depan', 1);
  }
  const root = base64Decode(ls[2]);
  if (root === null || root.length !== 32) bad('the root line is not 32 bytes of base64', 'baris akar bukan 32 byte base64', 2);
  ls.slice(3).forEach((e, i) => e === '' && bad('an extension line is empty', 'baris ekstensi kosong', 3 + i));
  return { origin: ls[0], size, root, extensions: ls.slice(3) };
}

// Parses the proof (a string, or its bytes) without verifying anything:
//   {extra: Uint8Array | null, index: bigint, hashes: [Uint8Array(32)],
//    checkpoint: {text, origin, size: bigint, root: Uint8Array(32), extensions,
//                 note (verbatim), line (of its first line in the proof),
//                 signatures: [{name, keyId, sig, line}]}}
// Throws ProofError (part "format") naming the line.
export function parseTlogProof(text) {
  const bytes = typeof text === 'string' ? encoder.encode(text)
    : text instanceof ArrayBuffer ? new Uint8Array(text) : text;
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseTlogProof: give the text or its bytes');
  if (bytes.length > MAX_TLOG_PROOF_BYTES) {
    refuse('format', `tlog-proof: ${bytes.length} bytes, more than the ${MAX_TLOG_PROOF_BYTES} a proof may have`,
      `tlog-proof: ${bytes.length} byte, melebihi ${MAX_TLOG_PROOF_BYTES} byte yang boleh dimiliki bukti`);
  }
  const lines = new Lines(bytes);
  if (ascii(lines.next('the first line', 'baris pertama')) !== FIRST_LINE) {
    lines.fail(`expected "${FIRST_LINE}" (not a tlog-proof)`, `seharusnya "${FIRST_LINE}" (bukan tlog-proof)`);
  }
  let line = lines.next('the index line', 'baris index');
  let extra = null;
  if (startsWith(line, 'extra ')) {
    extra = base64Decode(ascii(line.subarray(6)));
    if (extra === null) lines.fail('the extra data is not canonical base64', 'data extra bukan base64 kanonik');
    line = lines.next('the index line', 'baris index');
  }
  const index = startsWith(line, 'index ') ? parseDecimal(ascii(line.subarray(6))) : null;
  if (!startsWith(line, 'index ')) lines.fail('expected "index N"', 'seharusnya "index N"');
  if (index === null) lines.fail('the index is not a decimal without leading zeros', 'index bukan bilangan desimal tanpa nol di depan');
  const hashes = [];
  for (;;) {
    line = lines.next('the blank line before the checkpoint', 'baris kosong sebelum checkpoint');
    if (line.length === 0) break;
    if (hashes.length === MAX_INCLUSION_HASHES) {
      lines.fail(`more than ${MAX_INCLUSION_HASHES} inclusion proof hashes`, `lebih dari ${MAX_INCLUSION_HASHES} hash bukti inklusi`);
    }
    const hash = base64Decode(ascii(line));
    if (hash === null || hash.length !== 32) {
      lines.fail(`inclusion proof hash ${hashes.length + 1} is not 32 bytes of canonical base64`,
        `hash bukti inklusi ke-${hashes.length + 1} bukan 32 byte base64 kanonik`);
    }
    hashes.push(hash);
  }
  const first = lines.line + 1;
  const noteBytes = bytes.subarray(lines.at);
  const note = parseNote(noteBytes, first, lines);
  const cp = parseCheckpointText(note.text, first, lines);
  return {
    extra, index, hashes,
    checkpoint: { text: note.text, ...cp, note: utf8.decode(noteBytes), line: first, signatures: note.signatures },
  };
}

// ---- Verifying ----

// RFC 9162 §2.1.3.2 (ledger/log/merkle.cc VerifyInclusion): the root that
// `leaf` at `index` and the hashes give, compared with `root`. A reason, or
// null when it matches.
async function inclusionMismatch(index, size, leaf, hashes, root) {
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  const node = (a, b) => sha256(Uint8Array.of(1), a, b);
  for (const p of hashes) {
    if (sn === 0n) return ['the inclusion proof is too long', 'bukti inklusi terlalu panjang'];
    if ((fn & 1n) === 1n || fn === sn) {
      r = await node(p, r);
      if ((fn & 1n) === 0n) {
        while (fn !== 0n && (fn & 1n) === 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return ['the inclusion proof is too short', 'bukti inklusi terlalu pendek'];
  if (r.some((b, i) => b !== root[i])) return ['the inclusion proof does not lead to the root', 'bukti inklusi tidak menuju akar'];
  return null;
}

async function logKeyFor(origin, trust) {
  const keys = trust.logKeys;
  const str = keys instanceof Map ? keys.get(origin)
    : keys && Object.hasOwn(keys, origin) ? keys[origin] : undefined;
  if (str === undefined) {
    refuse('log-key', `no trusted log key for the checkpoint's origin ${quoted(origin)}`,
      `tidak ada kunci log tepercaya untuk origin checkpoint ${quotedId(origin)}`);
  }
  let key;
  try {
    key = await parseVerifierKey(str);
  } catch (e) {
    refuse('log-key', `the trusted log key of ${quoted(origin)}: ${e.message}`,
      `kunci log tepercaya ${quotedId(origin)} tidak sah: ${e.message}`);
  }
  if (key.name !== origin) {
    refuse('log-key', `the checkpoint is of log ${quoted(origin)}, not of ${quoted(key.name)} (the log key's)`,
      `checkpoint ini milik log ${quotedId(origin)}, bukan ${quotedId(key.name)} (pemilik kunci log)`);
  }
  if (key.type !== TYPE_ED25519) {
    refuse('log-key', `the log key of ${quoted(origin)} is a cosignature key (type 0x04), not a note key`,
      `kunci log ${quotedId(origin)} adalah kunci kosignatur (tipe 0x04), bukan kunci catatan`);
  }
  return key;
}

// crypto/note.cc VerifyNote with the one log key: every line under its
// name and key ID must verify, and at least one must be there.
async function checkLogSignature(cp, key) {
  const msg = encoder.encode(cp.text);
  let signed = false;
  for (const s of cp.signatures) {
    if (s.name !== key.name || s.keyId !== key.keyId) continue;
    if (s.sig.length !== 64) {
      refuse('signature', `tlog-proof line ${s.line}: the checkpoint's signature by ${quoted(key.name)} has the wrong length`,
        `tlog-proof baris ${s.line}: panjang tanda tangan checkpoint oleh ${quotedId(key.name)} salah`);
    }
    if (!(await ed25519Verify(key.key, s.sig, msg))) {
      refuse('signature', `tlog-proof line ${s.line}: the checkpoint's signature by ${quoted(key.name)} does not verify`,
        `tlog-proof baris ${s.line}: tanda tangan checkpoint oleh ${quotedId(key.name)} tidak sah`);
    }
    signed = true;
  }
  if (!signed) {
    refuse('signature', `the checkpoint is not signed by the log key ${quoted(key.name)} (key ID ${hex8(key.keyId)})`,
      `checkpoint tidak ditandatangani kunci log ${quotedId(key.name)} (ID kunci ${hex8(key.keyId)})`);
  }
}

const hex8 = (n) => n.toString(16).padStart(8, '0');

async function trustedWitnesses(trust) {
  const out = [];
  for (const w of trust.witnesses ?? []) {
    let key;
    try {
      key = await parseVerifierKey(w.key);
    } catch (e) {
      refuse('witness', `the key of trusted witness ${quoted(w.name ?? '?')}: ${e.message}`,
        `kunci saksi tepercaya ${quotedId(w.name ?? '?')} tidak sah: ${e.message}`);
    }
    // A witness cosigns under its name, with the key given: a node key (type
    // 0x01) serves too, for a node that cosigns with it (the kemensos node).
    const name = w.name ?? key.name;
    out.push({ name, key: key.key, cosignKeyId: await keyId(name, TYPE_COSIGNATURE, key.key) });
  }
  return out;
}

// ledger/log/tlog_proof.cc VerifiedWitnesses and crypto/cosignature.cc
// VerifyCosignature: the distinct trusted witnesses, other than the log
// itself, whose cosignatures verify, in the order they appear.
async function verifiedWitnesses(cp, witnesses) {
  const out = [];
  const body = encoder.encode(cp.text);
  for (const s of cp.signatures) {
    for (const w of witnesses) {
      if (w.name === cp.origin || s.name !== w.name || s.keyId !== w.cosignKeyId) continue;
      const bad = (en, id) => refuse('witness', `tlog-proof line ${s.line}: the cosignature of witness ${quoted(w.name)} ${en}`,
        `tlog-proof baris ${s.line}: kosignatur saksi ${quotedId(w.name)} ${id}`);
      if (s.sig.length !== 72) bad(`holds ${s.sig.length} bytes, not 72`, `berisi ${s.sig.length} byte, bukan 72`);
      const time = new DataView(s.sig.buffer, s.sig.byteOffset).getBigUint64(0);
      if (time > MAX_COSIGNATURE_TIME) bad(`has timestamp ${time}, above 2^63-1`, `bercap waktu ${time}, melebihi 2^63-1`);
      const msg = encoder.encode(`cosignature/v1\ntime ${time}\n${cp.text}`);
      if (!(await ed25519Verify(w.key, s.sig.subarray(8), msg))) bad('does not verify', 'tidak sah');
      if (!out.some((x) => x.name === w.name)) {
        const shownTime = time < (1n << 62n) ? time : (1n << 62n) - 1n;  // as the CLI bounds it
        out.push({ name: w.name, time: Number(time), at: formatWib(shownTime) });
      }
    }
  }
  return out;
}

// Verifies the proof `text` (a string, or its bytes) against `trust`:
//   {logKeys: Map<origin, verifier key string>,
//    witnesses: [{name, key: verifier key string}], minWitnesses: number}
// in the order of `jejak proof verify` (specs/tlog-proof.md, "Verifying").
// The checkpoint's key comes only from trust.logKeys, by its origin. Returns
//   {ok: true, origin, index, size (bigints), root, leafHash (base64),
//    witnesses: [{name, time (seconds), at (WIB)}], entry (decodeEntry's),
//    steps: [{part, ok: true, en, id}]}
// or throws ProofError whose `part` is the check that failed, and whose
// `steps` are those that passed before it.
export async function verifyTlogProof(text, trust) {
  const steps = [];
  try {
    return await verifySteps(text, trust ?? {}, steps);
  } catch (e) {
    if (e instanceof ProofError) e.steps = steps;
    throw e;
  }
}

async function verifySteps(text, trust, steps) {
  const passed = (part, en, id) => steps.push({ part, ok: true, en, id });
  const proof = parseTlogProof(text);
  const cp = proof.checkpoint;
  passed('format', `the proof parses: leaf ${proof.index} of ${quoted(cp.origin)}, ${cp.signatures.length} signature lines`,
    `bukti terbaca: daun ${proof.index} dari ${quotedId(cp.origin)}, ${cp.signatures.length} baris tanda tangan`);

  const key = await logKeyFor(cp.origin, trust);
  passed('log-key', `the log key of ${quoted(cp.origin)} is trusted (key ID ${hex8(key.keyId)})`,
    `kunci log ${quotedId(cp.origin)} tepercaya (ID kunci ${hex8(key.keyId)})`);

  await checkLogSignature(cp, key);
  passed('signature', `the log key signed the checkpoint of size ${cp.size}`, `kunci log menandatangani checkpoint berukuran ${cp.size}`);

  if (proof.extra === null) {
    refuse('inclusion', "the proof carries no extra data: the entry's bytes are needed to recompute its leaf hash",
      'bukti tidak memuat data extra: byte entri diperlukan untuk menghitung ulang hash daunnya');
  }
  if (proof.index >= cp.size) {
    refuse('inclusion', `index ${proof.index} is not below the checkpoint's size ${cp.size}`,
      `index ${proof.index} tidak di bawah ukuran checkpoint ${cp.size}`);
  }
  const leaf = await sha256(Uint8Array.of(0), proof.extra);
  const mismatch = await inclusionMismatch(proof.index, cp.size, leaf, proof.hashes, cp.root);
  if (mismatch) {
    refuse('inclusion',
      `leaf ${proof.index} (SHA-256 of the extra data) is not in the checkpoint's tree of size ${cp.size}: ${mismatch[0]}`,
      `daun ${proof.index} (SHA-256 dari data extra) tidak ada di pohon checkpoint berukuran ${cp.size}: ${mismatch[1]}`);
  }
  passed('inclusion', `leaf ${proof.index} is in the tree of size ${cp.size} (${proof.hashes.length} hashes)`,
    `daun ${proof.index} ada di pohon berukuran ${cp.size} (${proof.hashes.length} hash)`);

  const min = trust.minWitnesses ?? 0;
  const witnesses = await verifiedWitnesses(cp, await trustedWitnesses(trust));
  if (witnesses.length < min) {
    const names = witnesses.length ? ` (${witnesses.map((w) => w.name).join(', ')})` : '';
    refuse('witness', `${min} witness cosignatures are required, ${witnesses.length} verified${names}`,
      `diperlukan ${min} kosignatur saksi, ${witnesses.length} sah${names}`);
  }
  passed('witness', `${witnesses.length} witness cosignatures verified, ${min} required`,
    `${witnesses.length} kosignatur saksi sah, ${min} diperlukan`);

  let entry;
  try {
    entry = await decodeEntry(proof.extra);
  } catch (e) {
    if (!(e instanceof ProofError)) throw e;
    refuse('entry', `leaf ${proof.index} is in the log, but is not an entry this version can read: ${e.en}`,
      `daun ${proof.index} ada di log, tetapi bukan entri yang dapat dibaca versi ini: ${e.id}`);
  }
  passed('entry', `the entry is a ${entry.kind} of type ${entry.type}`,
    `entri berupa ${entry.kind === 'statement' ? 'pernyataan' : 'catatan'} bertipe ${entry.type}`);

  return {
    ok: true, origin: cp.origin, index: proof.index, size: cp.size, root: base64Encode(cp.root),
    leafHash: base64Encode(leaf), witnesses, entry, steps,
  };
}
