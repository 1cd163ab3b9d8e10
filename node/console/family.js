// Keluarga (#/keluarga[/PSEUDONYM]): a family's trail by its pseudonym, or
// (an auditor, on a node holding the program key) by its identifier, sent
// in a POST body and never stored; its records as a timeline, each proof
// checked in this browser on demand, and the findings about it.

import { t, lang, label } from './i18n.js';
import { h, fill, defList } from './dom.js';
import { api, currentSession } from './api.js';
import { rupiah, errorBox, proofCheck } from './widgets.js';

export const titleKey = 'familyTitle';

const PSEUDONYM = /^[0-9a-f]{32}$/;
let typesOnce = null;  // the finding types' descriptions (GET audits), once

export function show(main, ctx) {
  const wanted = (ctx.params[0] ?? '').toLowerCase();
  const out = h('div', { id: 'trail', 'aria-live': 'polite' });
  const input = h('input', {
    id: 'family-pseudonym', name: 'pseudonym', value: wanted, required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'none', pattern: '[0-9a-fA-F]{32}', maxlength: '32', 'aria-describedby': 'family-pseudonym-hint',
  });
  const byPseudonym = h('form', {
    id: 'family-form', class: 'card',
    on: {
      submit: (e) => {
        e.preventDefault();
        const p = input.value.trim().toLowerCase();
        if (!PSEUDONYM.test(p)) {
          fill(out, h('p', { class: 'message error', role: 'alert', id: 'family-error' }, t('familyBadPseudonym')));
          return;
        }
        if (p === wanted) load(() => api(`trail?pseudonym=${p}`));
        else ctx.go(`keluarga/${p}`);
      },
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'family-pseudonym' }, t('familyPseudonym')), input,
    h('p', { class: 'hint muted', id: 'family-pseudonym-hint' }, t('familyPseudonymHint'))),
  h('button', { type: 'submit', id: 'family-search' }, t('familySearch')));

  const role = currentSession()?.role;
  let byId = null;
  if (role === 'auditor' || role === 'admin') {
    const id = h('input', { id: 'family-id', name: 'id_kpm', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'family-id-hint' });
    byId = h('form', {
      id: 'family-id-form', class: 'card',
      on: {
        submit: (e) => {
          e.preventDefault();
          const value = id.value.trim();
          id.value = '';
          if (value) load(() => api('trail', { method: 'POST', body: { id_kpm: value } }));
        },
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'family-id' }, t('familyId')), id,
      h('p', { class: 'hint muted', id: 'family-id-hint' }, t('familyIdHint'))),
    h('button', { type: 'submit', id: 'family-id-search', class: 'secondary' }, t('familySearch')));
  }

  const load = async (ask) => {
    fill(out, h('p', { class: 'muted' }, t('loading')));
    out.setAttribute('aria-busy', 'true');
    try {
      if (!typesOnce) typesOnce = api('audits').then((a) => a.types ?? []).catch(() => []);
      const [trail, types] = await Promise.all([ask(), typesOnce]);
      if (!ctx.alive()) return;
      fill(out, trailView(trail, types));
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(out, errorBox('family-error', t('loadFailed'), err));
    }
    out.setAttribute('aria-busy', 'false');
  };

  main.append(h('h1', { tabindex: '-1' }, t('familyTitle')), h('p', { class: 'intro' }, t('familyIntro')),
    h('div', { class: 'cards' }, byPseudonym, byId), out);
  if (PSEUDONYM.test(wanted)) load(() => api(`trail?pseudonym=${wanted}`));
  return null;
}

function trailView(trail, types) {
  const records = trail.records ?? [];
  const findings = trail.findings ?? [];
  const missing = (lang() === 'id' ? trail.missing_id : trail.missing) ?? [];
  return [
    h('section', { class: 'card', 'aria-labelledby': 'trail-h', 'data-pseudonym': trail.pseudonym },
      h('h2', { id: 'trail-h' }, t('trailOf'), ' ', h('code', { id: 'trail-pseudonym' }, trail.pseudonym)),
      defList([
        [t('auditStage'), trail.stage ?? t('trailAllStages')],
        [t('auditMoment'), trail.moment ?? t('none')],
        [t('trailNode'), h('code', {}, trail.node ?? '')],
        [t('auditMissing'), missing.length ? missing.join('; ') : t('none')],
      ], 'kv kv-grid')),
    h('section', { 'aria-labelledby': 'records-h' },
      h('h2', { id: 'records-h' }, t('trailRecords', records.length)),
      records.length
        ? h('ol', { class: 'timeline', id: 'trail-records' }, records.map((r, i) =>
          h('li', { class: 'event', 'data-kind': r.kind, 'data-log': r.log, 'data-leaf': String(r.leaf) },
            h('div', { class: 'event-head' },
              h('span', { class: 'event-date' }, r.date), ' ',
              h('strong', {}, label('trailKinds', r.kind)),
              r.status ? h('span', { class: 'badge' }, `${t('trailStatus')}: ${r.status}`) : null),
            h('p', { class: 'muted' }, h('code', {}, r.log), ' · ', t('leafIndex', String(r.leaf)), r.stage ? ` · ${r.stage}` : ''),
            defList((r.fields ?? []).map((f) => [label('entryFields', f.name), f.value]), 'kv kv-grid'),
            proofCheck(`r${i}-`, r.tlog_proof))))
        : h('p', { class: 'muted' }, t('trailNoRecords'))),
    h('section', { 'aria-labelledby': 'trail-findings-h' },
      h('h2', { id: 'trail-findings-h' }, t('trailFindings')),
      findings.length
        ? h('ul', { class: 'findings-list', id: 'trail-findings' }, findings.map((f) => {
          const d = types.find((x) => x.type === f.type);
          return h('li', { class: 'card finding', 'data-type': f.type },
            h('p', {}, h('code', {}, f.type), ' — ', d ? (lang() === 'id' ? d.id : d.en) : f.description),
            h('p', {}, (lang() === 'id' ? f.detail_id : f.detail) ?? f.detail ?? ''),
            defList([
              [t('auditStage'), f.stage ?? t('none')],
              [t('colKabupaten'), f.kabupaten ?? t('none')],
              [t('colLembaga'), f.lembaga_bayar ?? t('none')],
              [t('colTxn'), f.txn_ref ?? f.complaint_id ?? t('none')],
              [t('colAmount'), rupiah(f.amount)],
              [t('findingLeaves'), (f.leaves ?? []).map((l) => `${l.role} ${l.log}#${l.leaf}`).join(', ')],
            ], 'kv kv-grid'));
        }))
        : h('p', { class: 'message ok', id: 'trail-no-findings' }, t('trailNoFindings'))),
  ];
}
