// What a Jejak log entry says, decoded in the browser: the canonical Cap'n
// Proto Entry of specs/entry.capnp, as the (name, value) lines `jejak proof
// verify` prints (ledger/pkh/entry_text.cc). No dependencies.
//
// An entry is one segment with no segment table: the root pointer is word 0
// and every object follows in preorder (capnp::canonicalize). As the C++
// does (ledger/log/entry.cc, ledger/pkh/records.cc), an entry is accepted only
// when what it decodes to encodes back to the very same bytes: canonical form
// alone leaves bits that decoding ignores, and one value must be one leaf.

// Every refusal of a proof: `part` says which check failed ("format",
// "log-key", "signature", "inclusion", "witness", "entry"), `en` and `id`
// say why in English and in Bahasa Indonesia.
export class ProofError extends Error {
  constructor(part, en, id) {
    super(en);
    this.name = 'ProofError';
    this.part = part;
    this.en = en;
    this.id = id;
  }
}

// ledger/log/entry.h kMaxEntryBytes: the C++ encoder refuses larger entries,
// so no larger leaf can be the encoding of what it says.
export const MAX_ENTRY_BYTES = 65535;

const fail = (en, id) => {
  throw new ProofError('entry', `the entry: ${en}`, `entri: ${id}`);
};

// ---- Small encodings, shared with verify.js ----

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

// RFC 4648 §4 with padding, as Base64Encode (crypto/encoding.cc).
export function base64Encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[n >> 18] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

export function hexEncode(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// crypto/encoding.cc ValidUtf8: RFC 3629 UTF-8 without C0, DEL or C1
// controls but those `rules` allow; allowSpaces false also refuses the
// Unicode space separators (key names).
export function validUtf8(bytes, { allowNewline = false, allowTab = false, allowSpaces = true } = {}) {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i];
    if (c < 0x80) {
      if (c === 0x0a ? !allowNewline : c === 0x09 ? !allowTab : c < 0x20 || c === 0x7f) return false;
      if (!allowSpaces && c === 0x20) return false;
      ++i;
      continue;
    }
    let len;
    let cp;
    if ((c & 0xe0) === 0xc0) [len, cp] = [2, c & 0x1f];
    else if ((c & 0xf0) === 0xe0) [len, cp] = [3, c & 0x0f];
    else if ((c & 0xf8) === 0xf0) [len, cp] = [4, c & 0x07];
    else return false;
    if (i + len > bytes.length) return false;
    for (let k = 1; k < len; ++k) {
      if ((bytes[i + k] & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (bytes[i + k] & 0x3f);
    }
    if ((len === 2 && cp < 0x80) || (len === 3 && cp < 0x800) || (len === 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f)) return false;
    if (!allowSpaces && (cp === 0x85 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
        cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000)) {
      return false;
    }
    i += len;
  }
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Text from an entry as it may be shown (entry_text.cc Shown): never raw
// bytes that are not printable.
function shown(bytes) {
  return validUtf8(bytes) ? utf8.decode(bytes) : `(${bytes.length} bytes that are not printable text)`;
}

const pad = (n, width) => (n < 0n ? '-' + String(-n).padStart(width - 1, '0') : String(n).padStart(width, '0'));

// values.cc FormatWib: `seconds` (a bigint, since 1970 UTC) as WIB local
// time, "YYYY-MM-DDTHH:MM:SS+07:00" (Howard Hinnant's civil_from_days).
export function formatWib(seconds) {
  const local = BigInt(seconds) + 7n * 3600n;
  let days = local / 86400n;
  let rest = local % 86400n;
  if (rest < 0n) [rest, days] = [rest + 86400n, days - 1n];
  const z = days + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(rest / 3600n, 2)}:${pad((rest / 60n) % 60n, 2)}:` +
    `${pad(rest % 60n, 2)}+07:00`;
}

const groupDigits = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const amount = (n) => `${n} (Rp ${groupDigits(n)})`;

// ---- Reading: bounds-checked, and refusing any pointer a canonical entry
// cannot hold (far, capability, a list of the wrong element size) ----

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.words = bytes.length / 8;
    // As the C++ reader's traversal limit: no entry is read more than 8 times over.
    this.budget = bytes.length;
  }
  charge(words) {
    this.budget -= Math.max(words, 1);
    if (this.budget < 0) fail('it points to the same bytes too many times', 'menunjuk ke byte yang sama terlalu sering');
  }
  // The pointer at word `at`: null, or {kind, target, hi}.
  pointer(at) {
    const lo = this.view.getUint32(at * 8, true);
    const hi = this.view.getUint32(at * 8 + 4, true);
    if (lo === 0 && hi === 0) return null;
    const kind = lo & 3;
    if (kind > 1) fail(`word ${at} is a far or capability pointer`, `word ${at} adalah penunjuk far atau capability`);
    return { kind, target: at + 1 + ((lo | 0) >> 2), hi };
  }
  within(at, start, words) {
    if (start < 0 || start + words > this.words) {
      fail(`the pointer at word ${at} points outside the entry`, `penunjuk pada word ${at} menunjuk ke luar entri`);
    }
  }
  // A struct (an empty one for a null pointer, as Cap'n Proto reads it).
  struct(at) {
    const p = at === null ? null : this.pointer(at);
    if (p === null) return new Struct(this, 0, 0, 0);
    if (p.kind !== 0) fail(`word ${at} is not a struct pointer`, `word ${at} bukan penunjuk struct`);
    const dataWords = p.hi & 0xffff;
    const ptrCount = p.hi >>> 16;
    this.within(at, p.target, dataWords + ptrCount);
    this.charge(dataWords + ptrCount);
    return new Struct(this, p.target, dataWords, ptrCount);
  }
  list(at, elementSize, what) {
    const p = this.pointer(at);
    if (p === null) return null;
    if (p.kind !== 1 || (p.hi & 7) !== elementSize) {
      fail(`word ${at} is not a pointer to ${what}`, `word ${at} bukan penunjuk ke ${what}`);
    }
    return { target: p.target, count: p.hi >>> 3 };
  }
  // A Data field: null when absent.
  data(at) {
    const l = this.list(at, 2, 'bytes');
    if (l === null) return null;
    this.within(at, l.target, Math.ceil(l.count / 8));
    this.charge(Math.ceil(l.count / 8));
    return this.bytes.subarray(l.target * 8, l.target * 8 + l.count);
  }
  // A Text field, without its NUL: null when absent.
  text(at) {
    const b = this.data(at);
    if (b === null) return null;
    if (b.length === 0 || b[b.length - 1] !== 0) {
      fail(`the text at word ${at} does not end in NUL`, `teks pada word ${at} tidak diakhiri NUL`);
    }
    return b.subarray(0, b.length - 1);
  }
  textList(at) {
    const l = this.list(at, 6, 'a list of texts');
    if (l === null) return null;
    this.within(at, l.target, l.count);
    this.charge(l.count);
    return Array.from({ length: l.count }, (_, i) => this.text(l.target + i) ?? new Uint8Array(0));
  }
  structList(at) {
    const l = this.list(at, 7, 'a list of structs');
    if (l === null) return [];
    this.within(at, l.target, 1 + l.count);
    const tag = this.pointer(l.target);
    const n = tag === null ? 0 : (this.view.getUint32(l.target * 8, true) >>> 2);
    const dataWords = tag === null ? 0 : tag.hi & 0xffff;
    const ptrCount = tag === null ? 0 : tag.hi >>> 16;
    if ((tag !== null && tag.kind !== 0) || n * (dataWords + ptrCount) !== l.count) {
      fail(`the list at word ${at} has a malformed tag`, `daftar pada word ${at} memiliki tag yang rusak`);
    }
    // Empty elements cost a word each, or a short list could claim millions.
    this.charge(Math.max(l.count, n));
    const size = dataWords + ptrCount;
    return Array.from({ length: n }, (_, i) => new Struct(this, l.target + 1 + i * size, dataWords, ptrCount));
  }
}

class Struct {
  constructor(r, start, dataWords, ptrCount) {
    Object.assign(this, { r, start, dataWords, ptrCount });
  }
  // Fields past the struct's sections read as zero, as Cap'n Proto reads them.
  u16(byte) {
    return byte + 2 <= this.dataWords * 8 ? this.r.view.getUint16(this.start * 8 + byte, true) : 0;
  }
  u64(byte) {
    return byte + 8 <= this.dataWords * 8 ? this.r.view.getBigUint64(this.start * 8 + byte, true) : 0n;
  }
  bit(byte, bit) {
    return byte < this.dataWords * 8 && ((this.r.bytes[this.start * 8 + byte] >> bit) & 1) === 1;
  }
  ptr(i) {
    return i < this.ptrCount ? this.start + this.dataWords + i : null;
  }
  struct(i) { return this.r.struct(this.ptr(i)); }
  text(i) { const p = this.ptr(i); return (p === null ? null : this.r.text(p)) ?? EMPTY; }
  data(i) { const p = this.ptr(i); return p === null ? null : this.r.data(p); }
  textList(i) { const p = this.ptr(i); return (p === null ? null : this.r.textList(p)) ?? []; }
  structList(i) { const p = this.ptr(i); return p === null ? [] : this.r.structList(p); }
}

const EMPTY = new Uint8Array(0);

// ---- Writing: capnp::canonicalize of a value, to compare with the leaf ----
//
// A value is a tree of {t: 's', data, ptrs} (a struct: data bytes, a multiple
// of 8, and pointers), {t: 'b', bytes} (Data, or Text with its NUL), {t: 'p',
// items} (a list of pointers) and {t: 'l', items} (a list of structs).

const S = (data, ptrs) => ({ t: 's', data, ptrs });
const D = (bytes) => ({ t: 'b', bytes });
const T = (bytes) => {
  const b = new Uint8Array(bytes.length + 1);
  b.set(bytes);
  return D(b);
};
const PL = (items) => ({ t: 'p', items });
const SL = (items) => ({ t: 'l', items });
const TIf = (bytes) => (bytes.length > 0 ? T(bytes) : null);

// A data section of `words` words with the given [byte offset, value] pairs:
// numbers are uint16, bigints uint64, booleans bit 0 of their byte.
function dataOf(words, fields) {
  const data = new Uint8Array(words * 8);
  const v = new DataView(data.buffer);
  for (const [byte, value] of fields) {
    if (typeof value === 'bigint') v.setBigUint64(byte, value, true);
    else if (typeof value === 'boolean') data[byte] |= value ? 1 : 0;
    else v.setUint16(byte, value, true);
  }
  return data;
}

// Canonical sizes: trailing zero words and null pointers are dropped.
function truncated(s) {
  let dw = s.data.length / 8;
  while (dw > 0 && s.data.subarray((dw - 1) * 8, dw * 8).every((b) => b === 0)) --dw;
  let pc = s.ptrs.length;
  while (pc > 0 && s.ptrs[pc - 1] === null) --pc;
  return [dw, pc];
}

function sizeOf(node) {
  if (node === null) return 0;
  switch (node.t) {
    case 's': {
      const [dw, pc] = truncated(node);
      return dw + pc + node.ptrs.slice(0, pc).reduce((n, p) => n + sizeOf(p), 0);
    }
    case 'b': return Math.ceil(node.bytes.length / 8);
    case 'p': return node.items.length + node.items.reduce((n, p) => n + sizeOf(p), 0);
    default: {
      const [dw, pc] = listShape(node.items);
      return 1 + node.items.length * (dw + pc) +
        node.items.reduce((n, e) => n + e.ptrs.slice(0, pc).reduce((m, p) => m + sizeOf(p), 0), 0);
    }
  }
}

// The element size of a canonical struct list: the widest truncated element.
function listShape(items) {
  return items.reduce(([dw, pc], e) => {
    const [d, p] = truncated(e);
    return [Math.max(dw, d), Math.max(pc, p)];
  }, [0, 0]);
}

function canonical(root) {
  const total = 1 + sizeOf(root);
  if (total * 8 > MAX_ENTRY_BYTES + 8) return null;  // larger than any entry: cannot match
  const out = new Uint8Array(total * 8);
  const v = new DataView(out.buffer);
  let head = 1;
  const setPointer = (at, lo, hi) => {
    v.setUint32(at * 8, lo >>> 0, true);
    v.setUint32(at * 8 + 4, hi >>> 0, true);
  };
  const listPointer = (at, start, size, count) => setPointer(at, ((start - at - 1) << 2) | 1, size | (count << 3));
  const structBody = (s, start, dw, pc) => {
    out.set(s.data.subarray(0, dw * 8), start * 8);
    return () => s.ptrs.slice(0, pc).forEach((p, i) => write(start + dw + i, p));
  };
  function write(at, node) {
    if (node === null) return;
    const start = head;
    switch (node.t) {
      case 's': {
        const [dw, pc] = truncated(node);
        // An empty struct points at itself (offset -1), so that it is not null.
        if (dw + pc === 0) return setPointer(at, 0xfffffffc, 0);
        head += dw + pc;
        setPointer(at, (start - at - 1) << 2, dw | (pc << 16));
        return structBody(node, start, dw, pc)();
      }
      case 'b':
        head += Math.ceil(node.bytes.length / 8);
        listPointer(at, start, 2, node.bytes.length);
        return out.set(node.bytes, start * 8);
      case 'p':
        head += node.items.length;
        listPointer(at, start, 6, node.items.length);
        return node.items.forEach((p, i) => write(start + i, p));
      default: {
        // The elements, then what each one's pointers point to, in order.
        const [dw, pc] = listShape(node.items);
        const words = node.items.length * (dw + pc);
        head += 1 + words;
        listPointer(at, start, 7, words);
        setPointer(start, node.items.length << 2, dw | (pc << 16));
        const rest = node.items.map((e, k) => structBody(e, start + 1 + k * (dw + pc), dw, pc));
        return rest.forEach((f) => f());
      }
    }
  }
  write(0, root);
  return out;
}

// ---- The schema: each record kind, decoded, encoded and described ----

const names = (...n) => n;
const KPM_STATUS = names('active', 'graduated', 'deceased', 'moved', 'ineligible');
const RECEIPT_STATUS = names('paid', 'failed', 'returned');
const CHANNEL = names('kks', 'rekening', 'pos');
const ROLE = names('registrar', 'operator', 'approver', 'payer', 'auditor', 'targeting');
const COMMITMENT = names('kesehatan', 'pendidikan', 'kesejahteraan', 'p2k2');
const COMMITMENT_RESULT = names('met', 'not_met', 'exempt');
const COMPLAINT_CATEGORY = names('tidak_menerima', 'potongan', 'data', 'layanan', 'lainnya');
const COMPLAINT_CHANNEL = names('loket', 'buku', 'telepon', 'whatsapp', 'web', 'email', 'media_sosial', 'lapor');
const RESPONSE_ACTION = names('answered', 'forwarded', 'resolved');
const NODE_KIND = names('kemensos', 'provinsi', 'kabupaten', 'lembaga-bayar', 'auditor');
const COMPONENT = names('ibu_hamil', 'anak_usia_dini', 'sd', 'smp', 'sma', 'disabilitas_berat', 'lansia');
const MAX_RUPIAH = 999999999999n;

function fixed(bytes, n, what, whatId) {
  const b = bytes ?? EMPTY;
  if (b.length !== n) fail(`${what} is ${b.length} bytes, expected ${n}`, `${whatId} berukuran ${b.length} byte, seharusnya ${n}`);
  return b;
}
const pseudonym = (b) => fixed(b, 16, 'a pseudonym', 'pseudonim');
const key32 = (b, what, whatId) => fixed(b, 32, what, whatId);
function enumOf(value, list, what, whatId) {
  if (value >= list.length) fail(`unknown ${what} ${value}`, `${whatId} ${value} tidak dikenal`);
  return value;
}
const joined = (items) => items.map(shown).join(',');

// By the Record.payload union's tag: the record's type as the CLI names it,
// its reader, its encoder, and its describer, which adds the fields after
// "entry" and "type" (entry_text.cc).
const RECORDS = [
  { type: 'text', read: (r, p) => r.text(p) ?? EMPTY, node: T, describe: (v, add) => add('text', shown(v)) },
  {
    type: 'data',
    read: (r, p) => r.data(p) ?? EMPTY,
    node: D,
    describe: (v, add, sha256) => add('data', `${v.length} bytes, sha256 ${sha256}`),
  },
  {
    type: 'pkh.update',
    read: (r, p) => {
      const s = r.struct(p);
      const m = s.struct(3);
      const evidence = s.data(4);
      return {
        updateId: s.text(0), kpm: pseudonym(s.data(1)), effectiveDate: s.text(2),
        status: enumOf(s.u16(0), KPM_STATUS, 'KPM status', 'status KPM'),
        members: COMPONENT.map((_, i) => m.u16(2 * i)),
        evidence: evidence === null ? null : key32(evidence, 'the evidence hash', 'hash bukti'),
      };
    },
    node: (v) => S(dataOf(1, [[0, v.status]]), [T(v.updateId), D(v.kpm), T(v.effectiveDate),
      S(dataOf(2, v.members.map((n, i) => [2 * i, n])), []), v.evidence && D(v.evidence)]),
    describe: (v, add) => {
      if (v.updateId.length) add('update id', shown(v.updateId));
      add('pseudonym', hexEncode(v.kpm));
      add('effective date', shown(v.effectiveDate));
      add('status', KPM_STATUS[v.status]);
      const members = v.members.flatMap((n, i) => (n ? [`${COMPONENT[i]}=${n}`] : []));
      add('members', members.length ? members.join(',') : 'none');
      if (v.evidence) add('evidence sha256', hexEncode(v.evidence));
    },
  },
  {
    type: 'pkh.approval',
    read: (r, p) => {
      const s = r.struct(p);
      return { kpm: pseudonym(s.data(0)), lembagaBayar: s.text(1), amount: s.u64(0) };
    },
    node: (v) => S(dataOf(1, [[0, v.amount]]), [D(v.kpm), T(v.lembagaBayar)]),
    describe: (v, add) => {
      add('pseudonym', hexEncode(v.kpm));
      add('lembaga bayar', shown(v.lembagaBayar));
      add('amount', amount(v.amount));
    },
  },
  {
    type: 'pkh.receipt',
    read: (r, p) => {
      const s = r.struct(p);
      return {
        txnRef: s.text(0), kpm: pseudonym(s.data(1)), kabupaten: s.text(2), stage: s.text(3),
        amount: s.u64(0), status: enumOf(s.u16(8), RECEIPT_STATUS, 'receipt status', 'status penerimaan'),
        paidAt: s.text(4), channel: enumOf(s.u16(10), CHANNEL, 'channel', 'kanal'),
      };
    },
    node: (v) => S(dataOf(2, [[0, v.amount], [8, v.status], [10, v.channel]]),
      [T(v.txnRef), D(v.kpm), T(v.kabupaten), T(v.stage), T(v.paidAt)]),
    describe: (v, add) => {
      add('txn ref', shown(v.txnRef));
      add('pseudonym', hexEncode(v.kpm));
      if (v.kabupaten.length) add('kabupaten', shown(v.kabupaten));
      if (v.stage.length) add('stage', shown(v.stage));
      add('amount', amount(v.amount));
      add('status', RECEIPT_STATUS[v.status]);
      add('paid at', shown(v.paidAt));
      add('channel', CHANNEL[v.channel]);
    },
  },
  {
    type: 'gov.node',
    read: (r, p) => {
      const s = r.struct(p);
      const kindText = s.text(2);
      // A kind this version does not know is read as unknown (and, written
      // back as empty, differs from any leaf that names one).
      const kind = validUtf8(kindText) ? NODE_KIND.indexOf(utf8.decode(kindText)) : -1;
      return {
        origin: s.text(0), name: s.text(1), kind, region: s.text(3), verifierKey: s.text(4),
        url: s.text(5), witnessKey: s.text(6),
      };
    },
    node: (v) => S(new Uint8Array(0), [T(v.origin), T(v.name),
      T(v.kind >= 0 ? new TextEncoder().encode(NODE_KIND[v.kind]) : EMPTY), T(v.region),
      T(v.verifierKey), T(v.url), TIf(v.witnessKey)]),
    describe: (v, add) => {
      add('origin', shown(v.origin));
      if (v.name.length) add('name', shown(v.name));
      add('kind', v.kind >= 0 ? NODE_KIND[v.kind] : 'unknown');
      if (v.region.length) add('region', shown(v.region));
      if (v.url.length) add('url', shown(v.url));
      add('verifier key', shown(v.verifierKey));
      if (v.witnessKey.length) add('witness key', shown(v.witnessKey));
    },
  },
  {
    type: 'gov.grant',
    read: (r, p) => {
      const s = r.struct(p);
      return {
        key: key32(s.data(0), 'the granted key', 'kunci yang diberi'), keyName: s.text(1),
        role: enumOf(s.u16(0), ROLE, 'role', 'peran'), scope: s.textList(2), institution: s.text(3),
      };
    },
    node: (v) => S(dataOf(1, [[0, v.role]]), [D(v.key), T(v.keyName), PL(v.scope.map(T)), TIf(v.institution)]),
    describe: (v, add) => {
      add('key', base64Encode(v.key));
      if (v.keyName.length) add('key name', shown(v.keyName));
      add('role', ROLE[v.role]);
      add('scope', joined(v.scope));
      if (v.institution.length) add('institution', shown(v.institution));
    },
  },
  {
    type: 'gov.revoke',
    read: (r, p) => ({ key: key32(r.struct(p).data(0), 'the revoked key', 'kunci yang dicabut') }),
    node: (v) => S(new Uint8Array(0), [D(v.key)]),
    describe: (v, add) => add('key', base64Encode(v.key)),
  },
  {
    type: 'gov.stage',
    read: (r, p) => {
      const s = r.struct(p);
      return { stage: s.text(0), from: s.text(1), to: s.text(2) };
    },
    node: (v) => S(new Uint8Array(0), [T(v.stage), T(v.from), T(v.to)]),
    describe: (v, add) => {
      add('stage', shown(v.stage));
      add('from', shown(v.from));
      add('to', shown(v.to));
    },
  },
  { type: 'gov.index', read: readBenefitIndex, node: benefitIndexNode, describe: describeBenefitIndex },
  {
    type: 'gov.policy',
    read: (r, p) => {
      const s = r.struct(p);
      const v = {
        threshold: s.u16(0), scope: s.text(0), requireBnba: s.u16(2), suspendSet: s.bit(4, 0),
        suspendAfterMonths: s.u16(6), complaintResponseHours: s.u16(8),
      };
      if (v.requireBnba > 2) fail('unknown policy switch', 'sakelar kebijakan tidak dikenal');
      if (!v.suspendSet && v.suspendAfterMonths !== 0) {
        fail('a suspension period that is not set', 'masa penangguhan yang tidak ditetapkan');
      }
      return v;
    },
    node: (v) => S(dataOf(2, [[0, v.threshold], [2, v.requireBnba], [4, v.suspendSet],
      [6, v.suspendAfterMonths], [8, v.complaintResponseHours]]), [T(v.scope)]),
    describe: (v, add) => {
      add('scope', shown(v.scope));
      if (v.threshold !== 0) add('approval threshold', String(v.threshold));
      if (v.requireBnba !== 0) add('require bnba', v.requireBnba === 2 ? 'yes' : 'no');
      if (v.suspendSet) add('suspend after months', String(v.suspendAfterMonths));
      if (v.complaintResponseHours !== 0) add('complaint response hours', String(v.complaintResponseHours));
    },
  },
  {
    type: 'pkh.bnba',
    read: (r, p) => {
      const s = r.struct(p);
      return { kpm: pseudonym(s.data(0)), kabupaten: s.text(1) };
    },
    node: (v) => S(new Uint8Array(0), [D(v.kpm), T(v.kabupaten)]),
    describe: (v, add) => {
      add('pseudonym', hexEncode(v.kpm));
      if (v.kabupaten.length) add('kabupaten', shown(v.kabupaten));
    },
  },
  {
    type: 'pkh.verification',
    read: (r, p) => {
      const s = r.struct(p);
      return {
        verificationId: s.text(0), kpm: pseudonym(s.data(1)), month: s.text(2),
        commitment: enumOf(s.u16(0), COMMITMENT, 'commitment', 'komitmen'),
        result: enumOf(s.u16(2), COMMITMENT_RESULT, 'result', 'hasil'),
        verifiedOn: s.text(3), facility: s.text(4),
      };
    },
    node: (v) => S(dataOf(1, [[0, v.commitment], [2, v.result]]),
      [T(v.verificationId), D(v.kpm), T(v.month), T(v.verifiedOn), TIf(v.facility)]),
    describe: (v, add) => {
      if (v.verificationId.length) add('verification id', shown(v.verificationId));
      add('pseudonym', hexEncode(v.kpm));
      add('month', shown(v.month));
      add('commitment', COMMITMENT[v.commitment]);
      add('result', COMMITMENT_RESULT[v.result]);
      add('verified on', shown(v.verifiedOn));
      if (v.facility.length) add('facility', shown(v.facility));
    },
  },
  {
    type: 'pkh.complaint',
    read: (r, p) => {
      const s = r.struct(p);
      const kpm = s.data(1);
      const evidence = s.data(4);
      return {
        complaintId: s.text(0), kpm: kpm === null ? null : pseudonym(kpm), stage: s.text(2),
        category: enumOf(s.u16(0), COMPLAINT_CATEGORY, 'category', 'kategori'),
        channel: enumOf(s.u16(2), COMPLAINT_CHANNEL, 'channel', 'kanal'), receivedAt: s.text(3),
        evidence: evidence === null ? null : key32(evidence, 'the evidence hash', 'hash bukti'),
      };
    },
    node: (v) => S(dataOf(1, [[0, v.category], [2, v.channel]]),
      [T(v.complaintId), v.kpm && D(v.kpm), T(v.stage), T(v.receivedAt), v.evidence && D(v.evidence)]),
    describe: (v, add) => {
      add('complaint id', shown(v.complaintId));
      if (v.kpm) add('pseudonym', hexEncode(v.kpm));
      if (v.stage.length) add('stage', shown(v.stage));
      add('category', COMPLAINT_CATEGORY[v.category]);
      add('channel', COMPLAINT_CHANNEL[v.channel]);
      add('received at', shown(v.receivedAt));
      if (v.evidence) add('evidence sha256', hexEncode(v.evidence));
    },
  },
  {
    type: 'pkh.complaint_response',
    read: (r, p) => {
      const s = r.struct(p);
      return {
        responseId: s.text(0), complaintId: s.text(1), respondedAt: s.text(2),
        action: enumOf(s.u16(0), RESPONSE_ACTION, 'action', 'tindakan'),
      };
    },
    node: (v) => S(dataOf(1, [[0, v.action]]), [T(v.responseId), T(v.complaintId), T(v.respondedAt)]),
    describe: (v, add) => {
      add('response id', shown(v.responseId));
      add('complaint id', shown(v.complaintId));
      add('responded at', shown(v.respondedAt));
      add('action', RESPONSE_ACTION[v.action]);
    },
  },
];

// The rates by component, in the components' order (records.cc, entitlement.cc).
function readBenefitIndex(r, p) {
  const s = r.struct(p);
  const v = { year: s.u16(0), maxComponents: s.u16(2), rates: COMPONENT.map(() => null) };
  for (const c of s.structList(0)) {
    const name = c.text(0);
    const i = validUtf8(name) ? COMPONENT.indexOf(utf8.decode(name)) : -1;
    if (i < 0) fail('the benefit index names an unknown component', 'indeks manfaat menyebut komponen yang tidak dikenal');
    if (v.rates[i]) fail('the benefit index repeats a component', 'indeks manfaat mengulang satu komponen');
    v.rates[i] = { amount: c.u64(0), maxMembers: c.u16(8) };
  }
  const bad = (en, id) => fail(`benefit index for ${v.year}: ${en}`, `indeks manfaat ${v.year}: ${id}`);
  if (v.maxComponents === 0) bad('the component cap must be at least 1', 'batas komponen minimal 1');
  v.rates.forEach((rate, i) => {
    if (rate && rate.amount > MAX_RUPIAH) {
      bad(`the amount of ${COMPONENT[i]} is over ${MAX_RUPIAH}`, `nilai ${COMPONENT[i]} melebihi ${MAX_RUPIAH}`);
    }
    if (rate && (rate.maxMembers < 1 || rate.maxMembers > 99)) {
      bad(`max_members of ${COMPONENT[i]} is ${rate.maxMembers}; expected 1 to 99`,
        `max_members ${COMPONENT[i]} bernilai ${rate.maxMembers}; seharusnya 1 sampai 99`);
    }
  });
  if (v.rates.every((rate) => !rate)) bad('no component is present', 'tidak ada komponen');
  return v;
}

function benefitIndexNode(v) {
  const te = new TextEncoder();
  const components = v.rates.flatMap((rate, i) => (rate
    ? [S(dataOf(2, [[0, rate.amount], [8, rate.maxMembers]]), [T(te.encode(COMPONENT[i]))])] : []));
  return S(dataOf(1, [[0, v.year], [2, v.maxComponents]]), [SL(components)]);
}

function describeBenefitIndex(v, add) {
  add('year', String(v.year));
  add('max components', String(v.maxComponents));
  v.rates.forEach((rate, i) => {
    if (rate) add(COMPONENT[i], `${amount(rate.amount)} per stage, at most ${rate.maxMembers} members`);
  });
}

// ---- Statements ----

// A SignedStatement (the header a statement's signatures cover).
function readHeader(h) {
  return {
    origin: h.text(0), type: h.text(1), stage: h.text(2), region: h.text(3),
    timestampMs: BigInt.asIntN(64, h.u64(0)), recordCount: h.u64(8),
    recordsRoot: fixed(h.data(4), 32, 'the records root', 'akar catatan'), governanceSize: h.u64(16),
    regions: h.textList(5), documentNumber: h.text(6), documentDate: h.text(7), documentYear: h.u16(24),
  };
}

function headerNode(v) {
  return S(dataOf(4, [[0, BigInt.asUintN(64, v.timestampMs)], [8, v.recordCount],
    [16, v.governanceSize], [24, v.documentYear]]), [T(v.origin), T(v.type), T(v.stage), T(v.region),
    D(v.recordsRoot), v.regions.length ? PL(v.regions.map(T)) : null, TIf(v.documentNumber),
    TIf(v.documentDate)]);
}

function readStatement(r, p) {
  const st = r.struct(p);
  return {
    ...readHeader(st.struct(0)),
    signatures: st.structList(1).map((s) => ({
      key: fixed(s.data(0), 32, 'a signer public key', 'kunci publik penanda tangan'),
      signature: fixed(s.data(1), 64, 'a signature', 'tanda tangan'),
    })),
  };
}

function statementNode(v) {
  const header = headerNode(v);
  const sigs = SL(v.signatures.map((s) => S(new Uint8Array(0), [D(s.key), D(s.signature)])));
  return S(new Uint8Array(8), [S(new Uint8Array(0), [header, sigs])]);
}

function describeStatement(v, add) {
  const time = `${formatWib(v.timestampMs / 1000n)} (${v.timestampMs} ms)`;
  add('entry', 'statement');
  add('type', shown(v.type));
  add('log', shown(v.origin));
  if (v.stage.length) add('stage', shown(v.stage));
  if (v.region.length) add('region', shown(v.region));
  if (v.regions.length) add('regions', joined(v.regions));
  add('time', time);
  if (v.documentNumber.length) add('document number', shown(v.documentNumber));
  if (v.documentDate.length) add('document date', shown(v.documentDate));
  if (v.documentYear !== 0) add('document year', String(v.documentYear));
  add('records', String(v.recordCount));
  add('records root', base64Encode(v.recordsRoot));
  add('governance size', String(v.governanceSize));
  const signers = v.signatures.map((s, i) => {
    const label = `signature ${i + 1} (key ${base64Encode(s.key)})`;
    add('signer', label);
    return { key: base64Encode(s.key), signature: base64Encode(s.signature), label };
  });
  return {
    log: shown(v.origin), stage: shown(v.stage), region: shown(v.region), regions: v.regions.map(shown), time,
    timestamp_ms: v.timestampMs, document_number: shown(v.documentNumber),
    document_date: shown(v.documentDate), document_year: v.documentYear, records: v.recordCount,
    records_root: base64Encode(v.recordsRoot), governance_size: v.governanceSize, signers,
  };
}

// What `bytes` (the leaf) says:
//   {kind: "statement" | "record", type, fields: [[name, value], ...]}
// where `fields` are the `name: value` lines `jejak proof verify` prints for
// the entry, in its order, from ["entry", kind] and ["type", type] on; a
// statement also has log, stage, region, regions, time, timestamp_ms
// (bigint), document_number, document_date, document_year, records
// (bigint), records_root, governance_size (bigint) and signers ([{key,
// signature, label}], base64); a record also has `value`, what its reader
// read (texts and pseudonyms as bytes, amounts as bigints). Text that is not printable is described, never echoed. Async
// only because a data record shows its SHA-256. Throws ProofError (part
// "entry") for bytes that are not the canonical encoding of an entry.
export async function decodeEntry(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeEntry: bytes must be a Uint8Array');
  if (bytes.length === 0 || bytes.length % 8 !== 0) {
    fail(`it is ${bytes.length} bytes, not a whole number of words`, `panjangnya ${bytes.length} byte, bukan kelipatan word (8 byte)`);
  }
  if (bytes.length > MAX_ENTRY_BYTES) {
    fail(`it is ${bytes.length} bytes; an entry holds at most ${MAX_ENTRY_BYTES}`,
      `panjangnya ${bytes.length} byte; entri paling banyak ${MAX_ENTRY_BYTES} byte`);
  }
  const r = new Reader(bytes);
  const entry = r.struct(0);
  const which = entry.u16(0);
  const fields = [];
  const add = (name, value) => fields.push([name, value]);
  let out;
  let node;
  if (which === 0) {
    const v = readStatement(r, entry.ptr(0));
    node = statementNode(v);
    out = { kind: 'statement', type: shown(v.type), ...describeStatement(v, add), fields };
  } else if (which === 1) {
    const rec = entry.struct(0);
    const tag = rec.u16(0);
    const kind = RECORDS[tag];
    if (!kind) fail(`a record of an unknown kind (${tag})`, `catatan dengan jenis yang tidak dikenal (${tag})`);
    const v = kind.read(r, rec.ptr(0));
    node = S(dataOf(1, [[0, 1]]), [S(dataOf(1, [[0, tag]]), [kind.node(v)])]);
    const sha256 = kind.type === 'data' ? hexEncode(new Uint8Array(await crypto.subtle.digest('SHA-256', v))) : '';
    add('entry', 'record');
    add('type', kind.type);
    kind.describe(v, add, sha256);
    out = { kind: 'record', type: kind.type, fields, value: v };
  } else {
    fail(`it is neither a statement nor a record (tag ${which})`, `bukan pernyataan maupun catatan (tag ${which})`);
  }
  const again = canonical(node);
  if (again === null || again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
    fail('it is not the canonical encoding of its contents', 'bukan pengodean kanonik dari isinya');
  }
  return out;
}

// The header a statement signature covers (specs/log-format.md):
// `bytes` is "jejak/statement/v1\n" then the canonical SignedStatement
// as a message root of its own. Answers {origin, type, stage, region,
// documentNumber, documentDate, timestampMs, recordCount, governanceSize
// (bigints), recordsRoot (32 bytes), regions}, texts decoded; throws
// ProofError (part "entry") for anything else.
export const STATEMENT_CONTEXT = 'jejak/statement/v1\n';

export function decodeStatementHeader(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeStatementHeader: bytes must be a Uint8Array');
  const prefix = new TextEncoder().encode(STATEMENT_CONTEXT);
  if (bytes.length < prefix.length || prefix.some((b, i) => bytes[i] !== b)) {
    fail('the signed bytes do not begin with "jejak/statement/v1"', 'byte yang ditandatangani tidak diawali "jejak/statement/v1"');
  }
  const body = bytes.subarray(prefix.length);
  if (body.length === 0 || body.length % 8 !== 0 || body.length > MAX_ENTRY_BYTES) {
    fail(`the header is ${body.length} bytes, not a whole number of words`, `header berukuran ${body.length} byte, bukan kelipatan word`);
  }
  const r = new Reader(new Uint8Array(body));
  const v = readHeader(r.struct(0));
  const again = canonical(headerNode(v));
  if (again === null || again.length !== body.length || again.some((b, i) => b !== body[i])) {
    fail('the header is not the canonical encoding of its contents', 'header bukan pengodean kanonik dari isinya');
  }
  const text = (b, what, whatId) => {
    if (!validUtf8(b)) fail(`${what} is not printable text`, `${whatId} bukan teks yang dapat dicetak`);
    return utf8.decode(b);
  };
  return {
    origin: text(v.origin, 'the origin', 'origin'), type: text(v.type, 'the type', 'tipe'),
    stage: text(v.stage, 'the stage', 'tahap'), region: text(v.region, 'the region', 'wilayah'),
    documentNumber: text(v.documentNumber, 'the document number', 'nomor dokumen'),
    documentDate: text(v.documentDate, 'the document date', 'tanggal dokumen'),
    regions: v.regions.map((x) => text(x, 'a region', 'wilayah')),
    timestampMs: v.timestampMs, recordCount: v.recordCount, governanceSize: v.governanceSize,
    recordsRoot: v.recordsRoot, documentYear: v.documentYear,
  };
}
