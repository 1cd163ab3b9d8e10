// Verifikasi: a .tlog-proof checked in the browser (./verify.js) against
// the keys of the governance registry, whose anchor key is pinned in this
// browser on first use.

import { t } from './i18n.js';
import { h, fill, defList } from './dom.js';
import { num } from './fmt.js';
import { loadTrust, verifyProof, outcomeView } from './proof.js';

export const titleKey = 'verifyTitle';

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
      state.outcome = await verifyProof(state.text, { ...trust, minWitnesses: state.minWitnesses });
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

function drawOutcome(box) {
  const o = state.outcome;
  if (o.empty) {
    fill(box, h('p', { class: 'message error', role: 'alert' }, t('verifyEmpty')));
    return;
  }
  fill(box, outcomeView(o));
}
