// Tanda tangan (#/tanda-tangan[/ID], kabupaten nodes): the berita acara
// drafts pending on this node. One opens to its review, made from the very
// record leaves the node will append (decoded here, their RFC 6962 root
// checked against the header the signature covers), and then:
//   an approver signs it here with a role key file and its passphrase
//   (libsodium in the browser: the key, the seed and the passphrase never
//   leave it and are wiped after use; nothing is stored);
//   an operator submits it once the threshold is met, or withdraws it.

import { t, lang } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime } from './fmt.js';
import { decodeEntry, decodeStatementHeader, base64Encode, hexEncode } from './entry.js';
import { parseKeyFile, openKeyFile, KeyFileError } from './keyfile.js';
import { rupiah, errorBox } from './widgets.js';

export const titleKey = 'signTitle';

export function show(main, ctx) {
  return ctx.params[0] ? showDraft(main, ctx, ctx.params[0]) : showList(main, ctx);
}

// ---- The pending drafts ----

function showList(main, ctx) {
  const body = h('div', { id: 'drafts', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('signTitle')), h('p', { class: 'intro' }, t('signIntro')), body);
  (async () => {
    try {
      const data = await api('drafts');
      if (!ctx.alive()) return;
      const list = data.drafts ?? [];
      fill(body, list.length
        ? scrollTable('draft-list', t('draftsCaption', num(list.length)),
            [t('colNumber'), t('colDate'), t('auditStage'), [t('colRows'), 'num'], t('baByLembaga'), t('colWarnings'), t('colSigned'), [t('colApprovers'), 'num'], t('colExpires')],
            list.map((d) => h('tr', { 'data-draft': d.id, 'data-number': d.number },
              h('td', {}, h('a', { href: `#/tanda-tangan/${encodeURIComponent(d.id)}` }, d.number)),
              h('td', { class: 'when' }, d.date), h('td', {}, d.stage),
              h('td', { class: 'num' }, num(d.rows)),
              h('td', {}, h('ul', { class: 'plain' }, (d.by_lembaga_bayar ?? []).map((l) => h('li', {}, `${l.lembaga_bayar}: ${rupiah(l.amount)}`)))),
              h('td', {}, (d.warnings ?? []).length ? h('span', { class: 'warn' }, num(d.warnings.length)) : t('none')),
              h('td', {}, (d.signers ?? []).map((s) => s.key_name).join(', ') || t('none')),
              h('td', { class: ['num', d.threshold_met && 'ok-text'] }, t('ofThreshold', num(d.approvers), num(d.threshold))),
              h('td', { class: 'when' }, dateTime(d.expires)))),
            'data')
        : h('p', { class: 'muted', id: 'no-drafts' }, t('draftsNone')));
      body.setAttribute('aria-busy', 'false');
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('drafts-error', t('loadFailed'), err));
    }
  })();
  return null;
}

// ---- One draft ----

const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

async function sha256(...parts) {
  const n = parts.reduce((k, p) => k + p.length, 0);
  const all = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

// RFC 6962 Merkle tree hash of `leaves` (hashes of the leaves given).
async function merkleRoot(hashes) {
  if (hashes.length === 0) return sha256(new Uint8Array(0));
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return sha256(Uint8Array.of(1), await merkleRoot(hashes.slice(0, k)), await merkleRoot(hashes.slice(k)));
}

// The draft checked from its bytes: {ok, rows, header, root, problem}.
// The rows come from the decoded record leaves, never from the JSON.
async function checkDraft(d) {
  const problem = (en, id) => ({ ok: false, problem: lang() === 'id' ? id : en });
  let header;
  try {
    header = decodeStatementHeader(b64(d.signing_bytes));
  } catch (err) {
    return problem(err.en ?? err.message, err.id ?? err.message);
  }
  const rows = [];
  const hashes = [];
  for (const [i, leafText] of (d.records ?? []).entries()) {
    const leaf = b64(leafText);
    let e;
    try {
      e = await decodeEntry(leaf);
    } catch (err) {
      return problem(`record ${i + 1}: ${err.en ?? err.message}`, `catatan ${i + 1}: ${err.id ?? err.message}`);
    }
    if (e.kind !== 'record' || e.type !== 'pkh.approval') {
      return problem(`record ${i + 1} is not a pkh.approval record`, `catatan ${i + 1} bukan catatan pkh.approval`);
    }
    rows.push({ kpm: hexEncode(e.value.kpm), lembaga: new TextDecoder().decode(e.value.lembagaBayar), amount: e.value.amount });
    hashes.push(await sha256(Uint8Array.of(0), leaf));
  }
  const root = await merkleRoot(hashes);
  const out = { rows, header, root };
  if (!equal(root, b64(d.records_root ?? ''))) {
    return { ...out, ...problem('the records do not hash to the draft’s records root', 'catatan tidak menghasilkan akar catatan draf') };
  }
  if (!equal(root, header.recordsRoot)) {
    return { ...out, ...problem('the header to sign does not carry the records’ root', 'header yang ditandatangani tidak memuat akar catatan ini') };
  }
  if (header.recordCount !== BigInt(rows.length)) {
    return { ...out, ...problem(`the header counts ${header.recordCount} records, not ${rows.length}`, `header menyebut ${header.recordCount} catatan, bukan ${rows.length}`) };
  }
  if (header.type !== 'pkh.approval') {
    return { ...out, ...problem(`the header is of type ${header.type}, not pkh.approval`, `header bertipe ${header.type}, bukan pkh.approval`) };
  }
  return { ...out, ok: true };
}

function showDraft(main, ctx, id) {
  const body = h('div', { id: 'draft', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  const title = h('h1', { tabindex: '-1' }, t('signTitle'));
  main.append(h('p', { class: 'back' }, h('a', { href: '#/tanda-tangan' }, `← ${t('signBack')}`)), title, body);
  const load = async (answer) => {
    let d;
    let list;
    try {
      [d, list] = await Promise.all([api(`drafts/${encodeURIComponent(id)}`), api('drafts')]);
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('draft-error', t('loadFailed'), err));
      return;
    }
    if (!ctx.alive()) return;
    const checked = await checkDraft(d);
    if (!ctx.alive()) return;
    title.textContent = t('draftTitle', d.number);
    document.title = `${t('draftTitle', d.number)} — Jejak`;
    fill(body,
      answer ?? null,
      review(d, checked),
      list.may_sign ? signForm(d, checked, ctx, load) : null,
      list.may_submit ? operatorActions(d, ctx, load) : null);
    body.setAttribute('aria-busy', 'false');
  };
  load();
  return null;
}

function review(d, c) {
  const byLembaga = new Map();
  for (const r of c.rows ?? []) {
    const v = byLembaga.get(r.lembaga) ?? { rows: 0, amount: 0n };
    byLembaga.set(r.lembaga, { rows: v.rows + 1, amount: v.amount + r.amount });
  }
  const hd = c.header;
  return [
    h('div', { id: 'draft-check', class: ['verdict', c.ok ? 'verdict-ok' : 'verdict-bad'], 'data-ok': String(!!c.ok), tabindex: '-1' },
      h('span', { class: 'verdict-mark', 'aria-hidden': 'true' }, c.ok ? '✓' : '✗'),
      h('div', {}, h('strong', {}, c.ok ? t('draftVerified') : t('draftNotVerified')),
        h('p', {}, c.ok ? t('draftVerifiedDetail', num(c.rows.length)) : c.problem))),
    h('section', { class: 'card', 'aria-labelledby': 'draft-h' },
      h('h2', { id: 'draft-h' }, t('draftHeader')),
      hd ? defList([
        [t('colNumber'), hd.documentNumber],
        [t('colDate'), hd.documentDate],
        [t('auditStage'), hd.stage],
        [t('baLog'), h('code', {}, hd.origin)],
        [t('baGovernanceSize'), num(hd.governanceSize)],
        [t('colRows'), num(hd.recordCount)],
        [t('draftRoot'), h('code', { class: 'key', id: 'draft-root' }, base64Encode(hd.recordsRoot))],
        [t('colApprovers'), h('span', { id: 'draft-approvers', 'data-approvers': String(d.approvers), 'data-threshold': String(d.threshold), 'data-met': String(!!d.threshold_met) },
          t('ofThreshold', num(d.approvers), num(d.threshold)), d.threshold_met ? h('span', { class: 'badge badge-ok' }, t('thresholdMet')) : null)],
        [t('colSigned'), (d.signers ?? []).length ? h('ul', { class: 'plain', id: 'draft-signers' }, d.signers.map((s) =>
          h('li', {}, h('code', {}, s.key_name), s.approver ? '' : ` (${t('notApprover')})`))) : t('none')],
        [t('draftCreated'), `${dateTime(d.created)} · ${d.created_by ?? ''}`],
        [t('colExpires'), dateTime(d.expires)],
      ], 'kv kv-grid') : null,
      (d.warnings ?? []).length ? h('ul', { class: 'warnings', id: 'draft-warnings' }, d.warnings.map((w) => h('li', { class: 'warn' }, typeof w === 'string' ? w : JSON.stringify(w)))) : null),
    c.rows ? h('section', { 'aria-labelledby': 'draft-lb-h' },
      h('h2', { id: 'draft-lb-h' }, t('baByLembaga')),
      scrollTable('draft-lembaga', t('baByLembaga'), [t('colLembaga'), [t('colRows'), 'num'], [t('colAmount'), 'num']],
        [...byLembaga].sort((a, b) => a[0].localeCompare(b[0])).map(([name, v]) => h('tr', { 'data-lembaga': name },
          h('td', {}, name), h('td', { class: 'num' }, num(v.rows)), h('td', { class: 'num' }, rupiah(Number(v.amount))))),
        'data narrow', true)) : null,
    c.rows ? h('section', { 'aria-labelledby': 'draft-rows-h' },
      h('h2', { id: 'draft-rows-h' }, t('draftRows')),
      h('p', { class: 'muted' }, t('draftRowsFrom')),
      scrollTable('draft-rows', t('baRowsCaption', num(c.rows.length)), ['#', t('familyPseudonym'), t('colLembaga'), [t('colAmount'), 'num']],
        c.rows.map((r, i) => h('tr', { 'data-kpm': r.kpm },
          h('td', { class: 'num' }, num(i + 1)), h('td', {}, h('code', {}, r.kpm)), h('td', {}, r.lembaga), h('td', { class: 'num' }, rupiah(Number(r.amount))))),
        'data narrow', true)) : null,
  ];
}

let sodiumOnce = null;
async function sodiumReady() {
  if (!sodiumOnce) {
    sodiumOnce = import('./vendor/libsodium-wrappers.mjs').then(async (m) => {
      const sodium = m.default;
      await sodium.ready;
      return sodium;
    });
  }
  return sodiumOnce;
}

function signForm(d, checked, ctx, reload) {
  const file = h('input', { id: 'sign-key', type: 'file', required: true, 'aria-describedby': 'sign-key-hint' });
  const pass = h('input', { id: 'sign-passphrase', type: 'password', autocomplete: 'off', required: true });
  const button = h('button', { type: 'submit', id: 'sign-submit', disabled: !checked.ok }, t('signSubmit'));
  const out = h('div', { id: 'sign-out', 'aria-live': 'polite' });
  const say = (cls, text, extra = {}) => fill(out, h('p', { class: `message ${cls}`, role: cls === 'error' ? 'alert' : 'status', ...extra }, text));
  // A key file's public line says whose it is before any passphrase: a key
  // that signed this draft already is told so, and not opened again.
  const signedBy = (pub) => (d.signers ?? []).find((x) => x.public_key === pub);
  const already = async () => {
    const chosen = file.files[0];
    if (!chosen) return null;
    try {
      const parsed = parseKeyFile(new Uint8Array(await chosen.arrayBuffer()));
      return signedBy(base64Encode(parsed.publicKey)) ?? null;
    } catch {
      return null;  // the submit names what is wrong with the file
    }
  };
  file.addEventListener('change', async () => {
    const signer = await already();
    if (signer) {
      say('info', t('signAlready', signer.key_name), { id: 'sign-already' });
      button.disabled = true;
    } else {
      fill(out);
      button.disabled = !checked.ok;
    }
  });
  const submit = async (e) => {
    e.preventDefault();
    if (!checked.ok) return;
    const chosen = file.files[0];
    if (!chosen) return say('error', t('signNoFile'));
    const signer = await already();
    if (signer) return say('info', t('signAlready', signer.key_name), { id: 'sign-already' });
    button.disabled = true;
    say('info', t('signOpening'));
    let secret = null;
    let phrase = null;
    let body;
    try {
      const sodium = await sodiumReady();
      const parsed = parseKeyFile(new Uint8Array(await chosen.arrayBuffer()));
      phrase = new TextEncoder().encode(pass.value);
      pass.value = '';
      const key = openKeyFile(sodium, parsed, phrase);
      secret = key.privateKey;
      const signature = sodium.crypto_sign_detached(b64(d.signing_bytes), secret);
      body = { public_key: base64Encode(key.publicKey), signature: base64Encode(signature) };
    } catch (err) {
      const text = err instanceof KeyFileError ? (lang() === 'id' ? err.id : err.en) : String(err?.message ?? err);
      say('error', text, { id: 'sign-error', 'data-kind': 'key' });
      button.disabled = false;
      return;
    } finally {
      const sodium = await sodiumOnce?.catch(() => null);
      if (sodium && secret) sodium.memzero(secret);
      if (sodium && phrase) sodium.memzero(phrase);
      pass.value = '';
      file.value = '';
    }
    try {
      const answer = await api(`drafts/${encodeURIComponent(d.id)}/signatures`, { method: 'POST', body });
      if (!ctx.alive()) return;
      reload(h('p', { class: 'message ok', role: 'status', id: 'sign-done' },
        t('signDone', num(answer.approvers), num(answer.threshold))));
    } catch (err) {
      if (!ctx.alive()) return;
      say('error', `${t('signRefused')}: ${err.text ? err.text(lang()) : err.message}`,
        { id: 'sign-error', 'data-kind': 'node', 'data-status': String(err.status ?? 0) });
      button.disabled = false;
    }
  };
  return h('form', { id: 'sign-form', class: 'card', 'aria-labelledby': 'sign-h', on: { submit } },
    h('h2', { id: 'sign-h' }, t('signFormTitle')),
    h('p', { class: 'muted' }, t('signFormIntro')),
    h('div', { class: 'field' }, h('label', { for: 'sign-key' }, t('signKeyFile')), file,
      h('p', { class: 'hint muted', id: 'sign-key-hint' }, t('signKeyHint'))),
    h('div', { class: 'field' }, h('label', { for: 'sign-passphrase' }, t('signPassphrase')), pass),
    checked.ok ? null : h('p', { class: 'message error' }, t('signBlocked')),
    button, out);
}

function operatorActions(d, ctx, reload) {
  const out = h('div', { id: 'operator-out', 'aria-live': 'polite' });
  const submit = h('button', { type: 'button', id: 'draft-submit', disabled: !d.threshold_met }, t('draftSubmit'));
  const withdraw = h('button', { type: 'button', id: 'draft-withdraw', class: 'secondary danger' }, t('draftWithdraw'));
  const fail = (err) => fill(out, errorBox('operator-error', t('actionRefused'), err));
  submit.addEventListener('click', async () => {
    submit.disabled = true;
    try {
      const r = await api(`drafts/${encodeURIComponent(d.id)}/submit`, { method: 'POST', body: {} });
      if (!ctx.alive()) return;
      fill(out.parentElement,
        h('h2', {}, t('draftActions')),
        h('p', { class: 'message ok', role: 'status', id: 'submit-done', 'data-index': String(r.index) },
          t('draftSubmitted', num(r.index), num(r.size))),
        h('p', {}, h('a', { href: `#/berita-acara/${encodeURIComponent(d.origin)}/${r.index}` }, t('draftSeeBa'))));
    } catch (err) {
      if (ctx.alive()) fail(err);
      submit.disabled = !d.threshold_met;
    }
  });
  withdraw.addEventListener('click', () => {
    const yes = h('button', { type: 'button', id: 'withdraw-confirm', class: 'danger' }, t('withdrawConfirm'));
    const no = h('button', { type: 'button', class: 'secondary', id: 'withdraw-cancel' }, t('cancel'));
    no.addEventListener('click', () => { fill(out); withdraw.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api(`drafts/${encodeURIComponent(d.id)}/withdraw`, { method: 'POST', body: {} });
        if (ctx.alive()) ctx.go('tanda-tangan');
      } catch (err) {
        if (ctx.alive()) fail(err);
      }
    });
    fill(out, h('div', { class: 'message info', role: 'alertdialog', 'aria-labelledby': 'withdraw-q' },
      h('p', { id: 'withdraw-q' }, t('withdrawQuestion', d.number)), h('div', { class: 'buttons-row' }, yes, no)));
    yes.focus();
  });
  return h('section', { class: 'card', id: 'operator-actions', 'aria-labelledby': 'operator-h' },
    h('h2', { id: 'operator-h' }, t('draftActions')),
    h('p', { class: 'muted' }, d.threshold_met ? t('draftReady') : t('draftNotReady', num(d.approvers), num(d.threshold))),
    h('div', { class: 'buttons-row' }, submit, withdraw),
    out);
}
