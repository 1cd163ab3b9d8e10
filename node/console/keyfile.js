// A role key file (specs/key-file.md), opened in the browser with
// libsodium's JS build: seven lines, Argon2id over the passphrase with the
// file's limits (bounded here), XChaCha20-Poly1305 over the seed with the
// first six lines as associated data, the keypair from the seed, and its
// public key equal to the file's. Nothing leaves the browser; the caller
// wipes what open() answers with wipe().

const MAX_MEMLIMIT = 1 << 30;  // 1 GiB
const MAX_OPSLIMIT = 64;

// Every refusal names the line ({line, en, id}).
export class KeyFileError extends Error {
  constructor(line, en, id) {
    super(line ? `line ${line}: ${en}` : en);
    this.line = line;
    this.en = line ? `Line ${line} of the key file: ${en}` : en;
    this.id = line ? `Baris ${line} berkas kunci: ${id}` : id;
  }
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64(line, value, bytes, what, whatId) {
  if (!B64.test(value)) throw new KeyFileError(line, `${what} is not base64`, `${whatId} bukan base64`);
  const raw = atob(value);
  if (raw.length !== bytes) {
    throw new KeyFileError(line, `${what} is ${raw.length} bytes, not ${bytes}`, `${whatId} berukuran ${raw.length} byte, bukan ${bytes}`);
  }
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

// The file's bytes, parsed: {name, publicKey, opslimit, memlimit, salt,
// nonce, sealed, ad}; throws KeyFileError naming the line.
export function parseKeyFile(bytes) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new KeyFileError(0, 'The key file is not UTF-8 text.', 'Berkas kunci bukan teks UTF-8.');
  }
  if (bytes.length > 4096) throw new KeyFileError(0, 'The file is too large to be a key file.', 'Berkas terlalu besar untuk sebuah berkas kunci.');
  if (!text.startsWith('jejak-key-v1\n')) {
    throw new KeyFileError(1, 'expected "jejak-key-v1" (is this a key file?)', 'seharusnya "jejak-key-v1" (apakah ini berkas kunci?)');
  }
  if (!text.endsWith('\n')) {
    const n = text.split('\n').length;
    throw new KeyFileError(n, 'it does not end in a newline', 'tidak diakhiri baris baru');
  }
  const lines = text.slice(0, -1).split('\n');
  if (lines.length > 7) {
    throw new KeyFileError(8, `a key file is 7 lines; this one has ${lines.length}`, `berkas kunci terdiri atas 7 baris; berkas ini ${lines.length} baris`);
  }
  if (lines.length < 7) {
    throw new KeyFileError(lines.length + 1, `missing (a key file is 7 lines; this one has ${lines.length})`,
      `tidak ada (berkas kunci terdiri atas 7 baris; berkas ini ${lines.length} baris)`);
  }
  const field = (i, name) => {
    const line = lines[i];
    if (!line.startsWith(`${name} `)) throw new KeyFileError(i + 1, `expected "${name} ..."`, `seharusnya "${name} ..."`);
    return line.slice(name.length + 1);
  };
  if (lines[0] !== 'jejak-key-v1') throw new KeyFileError(1, 'expected "jejak-key-v1" (is this a key file?)', 'seharusnya "jejak-key-v1" (apakah ini berkas kunci?)');
  const name = field(1, 'name');
  if (!name || /[\s+]/.test(name)) throw new KeyFileError(2, 'the key name is empty or has a space or "+"', 'nama kunci kosong atau memuat spasi atau "+"');
  const publicKey = base64(3, field(2, 'public'), 32, 'the public key', 'kunci publik');
  const kdf = /^argon2id13 ([0-9]{1,10}) ([0-9]{1,16})$/.exec(field(3, 'kdf'));
  if (!kdf) throw new KeyFileError(4, 'expected "kdf argon2id13 OPSLIMIT MEMLIMIT"', 'seharusnya "kdf argon2id13 OPSLIMIT MEMLIMIT"');
  const opslimit = Number(kdf[1]);
  const memlimit = Number(kdf[2]);
  if (opslimit < 1 || opslimit > MAX_OPSLIMIT) {
    throw new KeyFileError(4, `opslimit ${opslimit} is outside 1 to ${MAX_OPSLIMIT}`, `opslimit ${opslimit} di luar 1 sampai ${MAX_OPSLIMIT}`);
  }
  if (memlimit < 8192 || memlimit > MAX_MEMLIMIT) {
    throw new KeyFileError(4, `memlimit ${memlimit} is outside 8 KiB to 1 GiB`, `memlimit ${memlimit} di luar 8 KiB sampai 1 GiB`);
  }
  const salt = base64(5, field(4, 'salt'), 16, 'the salt', 'salt');
  const nonce = base64(6, field(5, 'nonce'), 24, 'the nonce', 'nonce');
  const sealed = base64(7, field(6, 'sealed'), 48, 'the sealed seed', 'seed tersegel');
  // The associated data: the first six lines exactly as written.
  let end = 0;
  for (let n = 0; n < 6; n++) end = bytes.indexOf(0x0a, end) + 1;
  return { name, publicKey, opslimit, memlimit, salt, nonce, sealed, ad: bytes.slice(0, end) };
}

// Opens a parsed key file with `passphrase` (bytes): {name, publicKey,
// privateKey}; throws KeyFileError for a wrong passphrase or a seed whose
// public key is not the file's. Wipes the derived key and the seed.
export function openKeyFile(sodium, file, passphrase) {
  let key = null;
  let seed = null;
  try {
    key = sodium.crypto_pwhash(32, passphrase, file.salt, file.opslimit, file.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    try {
      seed = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, file.sealed, file.ad, file.nonce, key);
    } catch {
      throw new KeyFileError(0, 'Wrong passphrase, or the key file was altered.', 'Frasa sandi salah, atau berkas kunci telah diubah.');
    }
    const pair = sodium.crypto_sign_seed_keypair(seed);
    if (!sodium.memcmp(pair.publicKey, file.publicKey)) {
      sodium.memzero(pair.privateKey);
      throw new KeyFileError(3, 'the public key is not the one the seed makes', 'kunci publik bukan kunci yang dihasilkan seed');
    }
    return { name: file.name, publicKey: pair.publicKey, privateKey: pair.privateKey };
  } finally {
    if (key) sodium.memzero(key);
    if (seed) sodium.memzero(seed);
  }
}
