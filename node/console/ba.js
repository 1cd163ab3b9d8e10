// Berita acara (#/berita-acara[/ORIGIN/LEAF]): the berita acara of the
// kabupaten logs this node holds, each with the audit's verdict on its
// signatures; one opens to its totals per lembaga bayar, its signers, its
// rows (a page at a time) and its PDF.

import { t, lang } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num } from './fmt.js';
import { rupiah, errorBox, pager } from './widgets.js';

export const titleKey = 'baTitle';

const PAGE = 50;
const ROWS = 100;

export function show(main, ctx) {
  if (ctx.params.length >= 2) return showOne(main, ctx, ctx.params[0], ctx.params[1]);
  const body = h('div', { id: 'ba-list', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('baTitle')), h('p', { class: 'intro' }, t('baIntro')), body);
  const load = async (offset) => {
    try {
      const data = await api(`berita-acara?offset=${offset}&limit=${PAGE}`);
      if (!ctx.alive()) return;
      const list = data.berita_acara ?? [];
      fill(body,
        list.length
          ? scrollTable('berita-acara', t('baCaption', num(data.total)),
              [t('colNumber'), t('colDate'), t('auditStage'), t('colKabupaten'), [t('colRows'), 'num'], [t('colSignatures'), 'num'], t('colVerdict')],
              list.map((b) => h('tr', { 'data-number': b.number, 'data-origin': b.origin, 'data-leaf': String(b.leaf) },
                h('td', {}, h('a', { href: `#/berita-acara/${encodeURIComponent(b.origin)}/${b.leaf}` }, b.number)),
                h('td', { class: 'when' }, b.date), h('td', {}, b.stage),
                h('td', { class: 'inst' }, b.kabupaten, b.office ? h('span', { class: 'sub' }, b.office) : null),
                h('td', { class: 'num' }, num(b.rows)),
                h('td', { class: 'num', 'data-signatures': `${b.verdict?.signatures}/${b.verdict?.threshold}` },
                  t('ofThreshold', num(b.verdict?.signatures), num(b.verdict?.threshold))),
                h('td', {}, verdict(b.verdict)))),
              'data')
          : h('p', { class: 'muted' }, t('baNone')),
        pager('ba-pager', data.offset ?? offset, PAGE, data.total ?? 0, load));
      body.setAttribute('aria-busy', 'false');
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('ba-error', t('loadFailed'), err));
    }
  };
  load(0);
  return null;
}

function verdict(v) {
  if (!v) return t('none');
  return h('span', { class: ['verdict-badge', v.authorized ? 'ok' : 'bad'], 'data-authorized': String(!!v.authorized) },
    v.authorized ? t('baAuthorized') : t('baNotAuthorized'),
    v.reason ? h('span', { class: 'sub' }, v.reason) : null);
}

function showOne(main, ctx, origin, leaf) {
  const body = h('div', { id: 'ba-one', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  const title = h('h1', { tabindex: '-1' }, t('baTitle'));
  main.append(h('p', { class: 'back' }, h('a', { href: '#/berita-acara' }, `← ${t('baBack')}`)), title, body);
  const q = `origin=${encodeURIComponent(origin)}&leaf=${encodeURIComponent(leaf)}`;
  const rowsBox = h('section', { 'aria-labelledby': 'ba-rows-h' });
  const loadRows = async (offset) => {
    try {
      const b = await api(`berita-acara/one?${q}&rows_offset=${offset}&rows_limit=${ROWS}`);
      if (!ctx.alive()) return;
      fill(rowsBox, h('h2', { id: 'ba-rows-h' }, t('baRows')),
        scrollTable('ba-rows', t('baRowsCaption', num(b.rows_total)), ['#', t('familyPseudonym'), t('colLembaga'), [t('colAmount'), 'num']],
          (b.rows ?? []).map((r) => h('tr', {},
            h('td', { class: 'num' }, num(r.n + 1)),
            h('td', {}, h('a', { href: `#/keluarga/${r.kpm}` }, h('code', {}, r.kpm))),
            h('td', {}, r.lembaga_bayar), h('td', { class: 'num' }, rupiah(r.amount)))), 'data narrow', true),
        pager('ba-rows-pager', b.rows_offset ?? offset, ROWS, b.rows_total ?? 0, loadRows));
      return b;
    } catch (err) {
      if (ctx.alive() && err.status !== 401) fill(body, errorBox('ba-error', t('loadFailed'), err));
      return null;
    }
  };
  (async () => {
    const b = await loadRows(0);
    if (!b || !ctx.alive()) return;
    title.textContent = t('baOneTitle', b.number);
    document.title = `${t('baOneTitle', b.number)} — Jejak`;
    const pdf = (l) => `/jejak/v1/console/berita-acara/pdf?${q}&lang=${l}`;
    fill(body,
      h('section', { class: 'card', 'aria-labelledby': 'ba-h' },
        h('h2', { id: 'ba-h' }, t('baSection')),
        defList([
          [t('colNumber'), b.number],
          [t('colDate'), b.date],
          [t('auditStage'), b.stage],
          [t('colKabupaten'), `${b.kabupaten}${b.office ? ` (${b.office})` : ''}`],
          [t('baLog'), h('span', {}, h('code', {}, b.origin), ' · ', t('leafIndex', num(b.leaf)))],
          [t('baGovernanceSize'), num(b.governance_size)],
          [t('baTotal'), rupiah(b.total_amount)],
          [t('colVerdict'), h('span', { id: 'ba-verdict' }, verdict(b.verdict), ' ', t('ofThreshold', num(b.verdict?.signatures), num(b.verdict?.threshold)))],
        ], 'kv kv-grid'),
        h('ul', { class: 'buttons' },
          h('li', {}, h('a', { class: 'button-link', href: pdf('id'), download: '', id: 'ba-pdf-id' }, 'PDF (Bahasa Indonesia)')),
          h('li', {}, h('a', { class: 'button-link', href: pdf('en'), download: '', id: 'ba-pdf-en' }, 'PDF (English)')))),
      h('section', { 'aria-labelledby': 'ba-lb-h' },
        h('h2', { id: 'ba-lb-h' }, t('baByLembaga')),
        scrollTable('ba-lembaga', t('baByLembaga'), [t('colLembaga'), [t('colRows'), 'num'], [t('colAmount'), 'num']],
          (b.by_lembaga_bayar ?? []).map((l) => h('tr', { 'data-lembaga': l.lembaga_bayar },
            h('td', {}, l.lembaga_bayar), h('td', { class: 'num' }, num(l.rows)), h('td', { class: 'num' }, rupiah(l.amount)))),
          'data narrow', true)),
      h('section', { 'aria-labelledby': 'ba-signers-h' },
        h('h2', { id: 'ba-signers-h' }, t('baSigners')),
        h('ul', { class: 'plain', id: 'ba-signers' }, (b.signers ?? []).map((s) =>
          h('li', {}, h('code', {}, s.key_name), ' — ', s.roles || t('baNoRole'))))),
      rowsBox);
    body.setAttribute('aria-busy', 'false');
  })();
  return null;
}
