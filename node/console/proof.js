// What the proof checks share: the trusted keys (the governance registry,
// its anchor key pinned in this browser on first use), one tlog-proof
// checked in the browser (./verify.js), and its outcome drawn. Used by
// Verifikasi (check.js) and by every page that offers "Periksa bukti".

import { t, lang, label } from './i18n.js';
import { h, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime } from './fmt.js';

const PIN_KEY = 'jejak.governance-anchor';

function readPin() {
  try {
    return JSON.parse(localStorage.getItem(PIN_KEY) ?? 'null');
  } catch {
    return null;
  }
}

// The registry, checked against the pinned anchor: {trust} or {refused}.
export async function loadTrust() {
  let registry;
  try {
    registry = await api('registry');
  } catch (err) {
    return { error: err.message };
  }
  const gov = registry.governance ?? null;
  const pinned = readPin();
  let pinnedNow = false;
  if (pinned && (!gov || pinned.key !== gov.key || pinned.origin !== gov.origin)) {
    return { refused: { pinned, offered: gov } };
  }
  if (!pinned && gov) {
    localStorage.setItem(PIN_KEY, JSON.stringify({ origin: gov.origin, key: gov.key }));
    pinnedNow = true;
  }
  const logKeys = new Map();
  const witnesses = [];
  for (const n of registry.nodes ?? []) {
    logKeys.set(n.origin, n.key);
    if (n.witness_key) witnesses.push({ name: n.origin, key: n.witness_key });
    witnesses.push({ name: n.origin, key: n.key });
  }
  if (gov) {
    logKeys.set(gov.origin, gov.key);
    witnesses.push({ name: gov.origin, key: gov.key });
  }
  return { gov, pinnedNow, trust: { logKeys, witnesses, minWitnesses: 0 } };
}

// The outcome of one check: {ok, result} or {ok: false, part, steps, ...}.
export async function verifyProof(text, trust) {
  try {
    const { verifyTlogProof } = await import('./verify.js');
    const { joinScannedQr } = await import('./qrjoin.js');
    const result = await verifyTlogProof(joinScannedQr(text), trust);
    return { ok: result.ok !== false, result, steps: result.steps ?? [] };
  } catch (err) {
    // A ProofError carries the steps that passed before the one that failed.
    const part = typeof err?.part === 'string' ? err.part : '';
    const message = String(err?.message ?? err);
    const failed = { part, ok: false, en: err?.en ?? message, id: err?.id ?? message };
    return { ok: false, part, steps: [...(Array.isArray(err?.steps) ? err.steps : []), failed], crashed: !part };
  }
}

// The outcome of verifyProof, drawn: the verdict, then the steps, the
// checkpoint, the witnesses and the entry. `prefix` keeps ids apart when
// a page shows several (Verifikasi uses none: #verdict, #steps, ...).
export function outcomeView(o, prefix = '') {
  const failed = o.ok ? null : o.part || o.steps.find((s) => !s.ok)?.part || '';
  const r = o.result;
  return [
    h(
      'div',
      { id: `${prefix}verdict`, class: ['verdict', o.ok ? 'verdict-ok' : 'verdict-bad'], tabindex: '-1', 'data-ok': String(o.ok), 'data-part': failed ?? '' },
      h('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, o.ok ? '✓' : '✗'),
      h('div', {},
        h('strong', {}, o.ok ? t('verdictOk') : t('verdictBad')),
        h('p', {}, o.ok ? t('verdictOkDetail', num(r.index), r.origin, num(r.size))
          : o.crashed ? t('verifyCrashed') : t('verdictFailedPart', label('parts', failed)))),
    ),
    steps(o.steps, prefix),
    r && checkpoint(r, prefix),
    r && witnesses(r.witnesses ?? [], prefix),
    r?.entry && entry(r.entry, prefix),
  ];
}

function steps(list, p) {
  if (!list.length) return null;
  return h('section', { 'aria-labelledby': `${p}steps-h` },
    h('h2', { id: `${p}steps-h` }, t('stepsSection')),
    h('ol', { class: 'steps', id: `${p}steps` }, list.map((s) =>
      h('li', { class: s.ok ? 'step-ok' : 'step-bad', 'data-part': s.part ?? '', 'data-ok': String(!!s.ok) },
        h('span', { class: 'step-mark', 'aria-hidden': 'true' }, s.ok ? '✓' : '✗'),
        h('span', { class: 'step-part' }, label('parts', s.part ?? '')),
        h('span', { class: 'visually-hidden' }, ` (${s.ok ? t('stepOk') : t('stepFailed')}) `),
        h('span', { class: 'step-text' }, (lang() === 'id' ? s.id : s.en) ?? s.en ?? '')))));
}

function checkpoint(r, p) {
  return h('section', { class: 'card', 'aria-labelledby': `${p}cp-h` },
    h('h2', { id: `${p}cp-h` }, t('proofSection')),
    defList([
      [t('proofOrigin'), h('code', {}, r.origin)],
      [t('proofIndex'), num(r.index)],
      [t('proofSize'), num(r.size)],
      [t('proofRoot'), h('code', { class: 'key' }, show64(r.root))],
      [t('proofLeaf'), h('code', { class: 'key' }, show64(r.leafHash))],
    ]));
}

function witnesses(list, p) {
  return h('section', { 'aria-labelledby': `${p}wit-h` },
    h('h2', { id: `${p}wit-h` }, t('witnessesSection')),
    list.length
      ? scrollTable(`${p}witnesses`, t('witnessesSection'), [t('witnessName'), t('witnessTime')],
          list.map((w) => h('tr', { 'data-witness': w.name }, h('td', {}, h('code', {}, w.name)), h('td', {}, dateTime(toUnix(w.time))))),
          'data narrow', true)
      : h('p', { class: 'muted' }, t('noWitnesses')));
}

function entry(e, p) {
  return h('section', { class: 'card', 'aria-labelledby': `${p}entry-h` },
    h('h2', { id: `${p}entry-h` }, t('entrySection')),
    fields(e, `${p}entry`));
}

// Whatever the decoded entry holds: its `fields`, the [name, value] lines
// `jejak proof verify` prints, when it has them; else every property.
export function fields(obj, id) {
  const lines = obj.fields;
  const pairs = Array.isArray(lines) && lines.every((p) => Array.isArray(p) && p.length === 2)
    ? lines.map(([name, v]) => [label('entryFields', String(name)), name === 'entry' ? label('entryKinds', v) : v])
    : Object.entries(obj);
  const dl = defList(pairs.map(([k, v]) => [k, value(v)]), 'kv kv-grid');
  if (id) dl.id = id;
  return dl;
}

export function value(v) {
  if (v === null || v === undefined) return t('none');
  if (v instanceof Uint8Array) return h('code', { class: 'key' }, hex(v));
  if (v instanceof Date) return dateTime(v.getTime() / 1000);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return v.map(String).join(', ');
    return h('ul', { class: 'plain' }, v.map((x) => h('li', {}, value(x))));
  }
  if (typeof v === 'object') return fields(v);
  return String(v);
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const show64 = (v) => (v instanceof Uint8Array ? btoa(String.fromCharCode(...v)) : String(v ?? ''));
// A cosignature time in unix seconds (a number, a bigint or a Date).
const toUnix = (v) => (v instanceof Date ? v.getTime() / 1000 : v === null || v === undefined ? null : Number(v));

// The trusted keys, loaded once a session (a page that checks several
// proofs asks the registry once); reset at sign-out.
let trustOnce = null;

export function resetTrust() {
  trustOnce = null;
}

// One tlog-proof, checked against the pinned registry: an outcome as
// verifyProof answers it, or {ok: false, refused} when the registry is not
// the one pinned here (or could not be read).
export async function checkProof(text) {
  if (!trustOnce) trustOnce = loadTrust();
  const loaded = await trustOnce;
  if (!loaded.trust) {
    trustOnce = null;
    return { ok: false, steps: [], refused: loaded.refused ? 'anchor' : 'load', error: loaded.error };
  }
  return verifyProof(text, loaded.trust);
}

// An outcome of checkProof in a few lines: the verdict and the steps.
export function compactOutcome(o, prefix) {
  if (o.refused) {
    return h('p', { class: 'message error', role: 'alert', 'data-ok': 'false' },
      o.refused === 'anchor' ? t('verifyAnchorMismatch') : `${t('loadFailed')}: ${o.error ?? ''}`);
  }
  return outcomeView(o, prefix).slice(0, 2);
}
