// The text of a page's QR codes joined back (documents/qr.h, JoinScannedQr):
// a proof too long for one legible code is printed as parts
//
//   "jejak-qr K/N LEN\n" followed by LEN bytes     (K = 1..N, N <= 9)
//
// which a scanner prints each followed by a newline, in any order. LEN counts
// UTF-8 bytes (a signature line's em dash is three), so the parts are cut
// and joined as bytes. Text that is not parts (a .tlog-proof file) comes back
// as it is, a scanner's second final newline dropped. Throws ProofError
// (part "format") naming the byte and the part for anything malformed,
// mixed or missing.

import { ProofError } from './verify.js';

const PREFIX = 'jejak-qr ';
const MAX_PARTS = 9;

function fail(en, id) {
  throw new ProofError('format', en, id);
}

export function joinScannedQr(text) {
  if (!text.startsWith(PREFIX)) return text.endsWith('\n\n') ? text.slice(0, -1) : text;
  const bytes = new TextEncoder().encode(text);
  const prefix = new TextEncoder().encode(PREFIX);
  const parts = new Map();
  let total = 0;
  let at = 0;
  const number = () => {
    const start = at;
    while (at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x39 && at - start < 9) at++;
    return at > start ? Number(new TextDecoder().decode(bytes.subarray(start, at))) : null;
  };
  const take = (c) => (bytes[at] === c.charCodeAt(0) ? (at++, true) : false);
  while (at < bytes.length) {
    const where = `the scanned QR codes, byte ${at}`;
    const whereId = `kode QR yang dipindai, byte ${at}`;
    if (!prefix.every((b, i) => bytes[at + i] === b)) {
      fail(`${where}: expected a part header "jejak-qr K/N LEN"`, `${whereId}: seharusnya kepala bagian "jejak-qr K/N LEN"`);
    }
    at += prefix.length;
    const k = number();
    const slash = take('/');
    const n = number();
    const space = take(' ');
    const len = number();
    if (k === null || !slash || n === null || !space || len === null || !take('\n') || k === 0 || k > n || n > MAX_PARTS) {
      fail(`${where}: a malformed part header ("jejak-qr K/N LEN", K in 1..N, N at most ${MAX_PARTS})`,
        `${whereId}: kepala bagian rusak ("jejak-qr K/N LEN", K antara 1..N, N paling banyak ${MAX_PARTS})`);
    }
    if (total !== 0 && n !== total) {
      fail(`${where}: part ${k} says ${n} parts, an earlier one ${total}`, `${whereId}: bagian ${k} menyebut ${n} bagian, bagian sebelumnya ${total}`);
    }
    total = n;
    if (len > bytes.length - at) {
      fail(`${where}: part ${k} of ${n} is cut short: ${bytes.length - at} of its ${len} bytes`,
        `${whereId}: bagian ${k} dari ${n} terpotong: ${bytes.length - at} dari ${len} byte`);
    }
    const slice = bytes.subarray(at, at + len);
    at += len;
    take('\n');  // the scanner's, after each code
    const seen = parts.get(k);
    if (seen && (seen.length !== slice.length || seen.some((b, i) => b !== slice[i]))) {
      fail(`${where}: two different parts ${k} of ${n}: scan one page at a time`, `${whereId}: dua bagian ${k} dari ${n} berbeda: pindai satu halaman saja`);
    }
    parts.set(k, slice);
  }
  const out = [];
  for (let k = 1; k <= total; k++) {
    if (!parts.has(k)) {
      fail(`the scanned QR codes lack part ${k} of ${total}: scan every code of the page`,
        `kode QR yang dipindai tidak memuat bagian ${k} dari ${total}: pindai setiap kode di halaman itu`);
    }
    out.push(...parts.get(k));
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(out));
}
