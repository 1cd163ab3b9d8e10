// Verifikasi: a .tlog-proof checked in the browser (./verify.js) against
// the keys of the governance registry, whose anchor key is pinned in this
// browser on first use.

import { t, lang, label } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime } from './fmt.js';

export const titleKey = 'verifyTitle';

const PIN_KEY = 'jejak.governance-anchor';

// Kept across re-renders (a language switch), not across reloads nor
// sessions.
const state = { text: '', minWitnesses: 0, outcome: null };

export function reset() {
  Object.assign(state, { text: '', minWitnesses: 0, outcome: null });
}

export function show(main, ctx) {
  const trustBox = h('section', { id: 'trust', class: 'card', 'aria-labelledby': 'trust-h' },
    h('h2', { id: 'trust-h' }, t('verifyRegistry')), h('p', { class: 'muted' }, t('loading')));
  const result = h('div', { id: 'result', 'aria-live': 'polite' });
  const file = h('input', { id: 'proof-file', type: 'file', accept: '.tlog-proof,text/plain', class: 'visually-hidden' });
  const text = h('textarea', { id: 'proof-text', rows: '8', spellcheck: 'false', autocomplete: 'off', value: state.text });
  const min = h('input', { id: 'min-witnesses', type: 'number', min: '0', max: '64', step: '1', inputmode: 'numeric', value: String(state.minWitnesses) });
  const submit = h('button', { type: 'submit', id: 'verify-submit', disabled: true }, t('verifySubmit'));
  const drop = h('label', { class: 'drop', for: 'proof-file', id: 'drop' },
    h('span', { class: 'drop-text' }, t('verifyDrop')), h('span', { class: 'drop-hint' }, t('verifyFile')));
  let trust = null;

  const check = async () => {
    state.text = text.value;
    state.minWitnesses = Math.max(0, Math.floor(Number(min.value) || 0));
    if (!state.text.trim()) {
      state.outcome = { empty: true };
    } else {
      submit.disabled = true;
      state.outcome = await verify(state.text, { ...trust, minWitnesses: state.minWitnesses });
      submit.disabled = false;
    }
    if (!ctx.alive()) return;
    drawOutcome(result);
    result.querySelector('#verdict')?.focus();
  };

  const readFile = async (f) => {
    if (!f || text.disabled) return;
    text.value = await f.text();
    if (trust) check();
  };

  file.addEventListener('change', () => {
    readFile(file.files[0]);
    file.value = '';  // the same file chosen again is read again
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('dragging');
    readFile(e.dataTransfer?.files?.[0]);
  });
  // A file dropped beside the zone must not replace the console.
  const ignore = (e) => e.preventDefault();
  window.addEventListener('dragover', ignore);
  window.addEventListener('drop', ignore);

  main.append(
    h('h1', { tabindex: '-1' }, t('verifyTitle')),
    h('p', { class: 'intro' }, t('verifyIntro')),
    trustBox,
    h(
      'form',
      { id: 'verify-form', class: 'card', on: { submit: (e) => { e.preventDefault(); check(); } } },
      h('div', { class: 'field' }, drop, file),
      h('div', { class: 'field' }, h('label', { for: 'proof-text' }, t('verifyPaste')), text),
      h('div', { class: 'field field-inline' }, h('label', { for: 'min-witnesses' }, t('verifyMinWitnesses')), min),
      submit,
    ),
    result,
  );
  // Nothing is checked, nor an earlier verdict shown, but against a
  // registry that passed the pin.
  loadTrust().then((loaded) => {
    if (!ctx.alive()) return;
    drawTrust(trustBox, loaded);
    if (loaded.trust) {
      trust = loaded.trust;
      submit.disabled = false;
      if (state.outcome) drawOutcome(result);
    } else {
      state.outcome = null;
      for (const el of [file, text, min]) el.disabled = true;
      drop.classList.add('disabled');
    }
  });
  return () => {
    window.removeEventListener('dragover', ignore);
    window.removeEventListener('drop', ignore);
  };
}

function readPin() {
  try {
    return JSON.parse(localStorage.getItem(PIN_KEY) ?? 'null');
  } catch {
    return null;
  }
}

// The registry, checked against the pinned anchor: {trust} or {refused}.
async function loadTrust() {
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

function drawTrust(box, loaded) {
  fill(box, box.querySelector('h2'));
  if (loaded.error) {
    box.append(h('p', { class: 'message error', role: 'alert' }, `${t('loadFailed')}: ${loaded.error}`));
    return;
  }
  if (loaded.refused) {
    const { pinned, offered } = loaded.refused;
    box.classList.add('refused');
    box.append(
      h('p', { class: 'message error', role: 'alert', id: 'anchor-refused' }, t('verifyAnchorMismatch')),
      defList([
        [t('verifyPinnedKey'), h('code', {}, pinned.key)],
        [t('verifyOfferedKey'), h('code', {}, offered?.key ?? t('none'))],
      ]),
    );
    return;
  }
  const { gov, pinnedNow, trust } = loaded;
  const uniqueWitnessKeys = new Set(trust.witnesses.map((w) => w.key)).size;
  box.append(
    ...[gov
      ? defList([[t('verifyAnchor'), h('span', {}, h('code', {}, gov.origin), ' ', h('code', { class: 'key' }, gov.key))]])
      : h('p', {}, t('verifyNoGovernance')),
    gov && h('p', { id: 'anchor-pinned', class: 'message ok' }, t(pinnedNow ? 'verifyPinnedNow' : 'verifyPinned')),
    h('p', { class: 'muted', id: 'trust-count' }, t('verifyTrusted', num(trust.logKeys.size), num(uniqueWitnessKeys)))].filter(Boolean),
  );
}

// The outcome of one check: {ok, result} or {ok: false, part, steps, ...}.
async function verify(text, trust) {
  try {
    const { verifyTlogProof } = await import('./verify.js');
    const result = await verifyTlogProof(text, trust);
    return { ok: result.ok !== false, result, steps: result.steps ?? [] };
  } catch (err) {
    // A ProofError carries the steps that passed before the one that failed.
    const part = typeof err?.part === 'string' ? err.part : '';
    const message = String(err?.message ?? err);
    const failed = { part, ok: false, en: err?.en ?? message, id: err?.id ?? message };
    return { ok: false, part, steps: [...(Array.isArray(err?.steps) ? err.steps : []), failed], crashed: !part };
  }
}

function drawOutcome(box) {
  const o = state.outcome;
  if (o.empty) {
    fill(box, h('p', { class: 'message error', role: 'alert' }, t('verifyEmpty')));
    return;
  }
  const failed = o.ok ? null : o.part || o.steps.find((s) => !s.ok)?.part || '';
  const r = o.result;
  fill(
    box,
    h(
      'div',
      { id: 'verdict', class: ['verdict', o.ok ? 'verdict-ok' : 'verdict-bad'], tabindex: '-1', 'data-ok': String(o.ok), 'data-part': failed ?? '' },
      h('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, o.ok ? '✓' : '✗'),
      h('div', {},
        h('strong', {}, o.ok ? t('verdictOk') : t('verdictBad')),
        h('p', {}, o.ok ? t('verdictOkDetail', num(r.index), r.origin, num(r.size))
          : o.crashed ? t('verifyCrashed') : t('verdictFailedPart', label('parts', failed)))),
    ),
    steps(o.steps),
    r && checkpoint(r),
    r && witnesses(r.witnesses ?? []),
    r?.entry && entry(r.entry),
  );
}

function steps(list) {
  if (!list.length) return null;
  return h('section', { 'aria-labelledby': 'steps-h' },
    h('h2', { id: 'steps-h' }, t('stepsSection')),
    h('ol', { class: 'steps', id: 'steps' }, list.map((s) =>
      h('li', { class: s.ok ? 'step-ok' : 'step-bad', 'data-part': s.part ?? '', 'data-ok': String(!!s.ok) },
        h('span', { class: 'step-mark', 'aria-hidden': 'true' }, s.ok ? '✓' : '✗'),
        h('span', { class: 'step-part' }, label('parts', s.part ?? '')),
        h('span', { class: 'visually-hidden' }, ` (${s.ok ? t('stepOk') : t('stepFailed')}) `),
        h('span', { class: 'step-text' }, (lang() === 'id' ? s.id : s.en) ?? s.en ?? '')))));
}

function checkpoint(r) {
  return h('section', { class: 'card', 'aria-labelledby': 'cp-h' },
    h('h2', { id: 'cp-h' }, t('proofSection')),
    defList([
      [t('proofOrigin'), h('code', {}, r.origin)],
      [t('proofIndex'), num(r.index)],
      [t('proofSize'), num(r.size)],
      [t('proofRoot'), h('code', { class: 'key' }, show64(r.root))],
      [t('proofLeaf'), h('code', { class: 'key' }, show64(r.leafHash))],
    ]));
}

function witnesses(list) {
  return h('section', { 'aria-labelledby': 'wit-h' },
    h('h2', { id: 'wit-h' }, t('witnessesSection')),
    list.length
      ? scrollTable('witnesses', t('witnessesSection'), [t('witnessName'), t('witnessTime')],
          list.map((w) => h('tr', { 'data-witness': w.name }, h('td', {}, h('code', {}, w.name)), h('td', {}, dateTime(toUnix(w.time))))),
          'data narrow', true)
      : h('p', { class: 'muted' }, t('noWitnesses')));
}

function entry(e) {
  return h('section', { class: 'card', 'aria-labelledby': 'entry-h' },
    h('h2', { id: 'entry-h' }, t('entrySection')),
    fields(e, 'entry'));
}

// Whatever the decoded entry holds: its `fields`, the [name, value] lines
// `jejak proof verify` prints, when it has them; else every property.
function fields(obj, id) {
  const lines = obj.fields;
  const pairs = Array.isArray(lines) && lines.every((p) => Array.isArray(p) && p.length === 2)
    ? lines.map(([name, v]) => [label('entryFields', String(name)), name === 'entry' ? label('entryKinds', v) : v])
    : Object.entries(obj);
  const dl = defList(pairs.map(([k, v]) => [k, value(v)]), 'kv kv-grid');
  if (id) dl.id = id;
  return dl;
}

function value(v) {
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

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const show64 = (v) => (v instanceof Uint8Array ? btoa(String.fromCharCode(...v)) : String(v ?? ''));
// A cosignature time in unix seconds (a number, a bigint or a Date).
const toUnix = (v) => (v instanceof Date ? v.getTime() / 1000 : v === null || v === undefined ? null : Number(v));
