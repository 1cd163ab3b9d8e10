// What the newer pages share: a table sorted by a click on its headings, a
// bar chart drawn as plain SVG, a pager, rupiah amounts, the node's error
// in the console's language, and "Periksa bukti" for one tlog-proof.

import { t, lang } from './i18n.js';
import { h, fill, scrollTable } from './dom.js';
import { num } from './fmt.js';
import { ApiError } from './api.js';
import { checkProof, compactOutcome } from './proof.js';

const SVG = 'http://www.w3.org/2000/svg';

export const rupiah = (n) => (n === null || n === undefined ? t('none') : `Rp ${num(n)}`);

// An error as the node said it (error_id in Bahasa Indonesia), else its message.
export function errorText(err) {
  return err instanceof ApiError ? err.text(lang()) : String(err?.message ?? err);
}

export function errorBox(id, prefix, err) {
  return h('p', { id, class: 'message error', role: 'alert', 'data-status': String(err?.status ?? 0) },
    prefix ? `${prefix}: ${errorText(err)}` : errorText(err));
}

// A table whose headings sort it: columns are {key, label, num, cell(row),
// value(row)}; the first click sorts ascending, the next descending.
export function sortableTable(id, caption, columns, rows, { sortBy = 0, desc = false, tableClass = 'data narrow' } = {}) {
  const state = { by: sortBy, desc };
  const wrap = h('div', {});
  const draw = () => {
    const col = columns[state.by];
    const value = col.value ?? ((r) => r[col.key]);
    const sorted = [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
      return state.desc ? -c : c;
    });
    const head = columns.map((c, i) => {
      const sorted = i === state.by ? (state.desc ? 'descending' : 'ascending') : null;
      return [h('button', {
        type: 'button',
        class: 'sort',
        'data-sort': c.key,
        on: { click: () => { state.desc = i === state.by ? !state.desc : false; state.by = i; draw(); wrap.querySelector(`button[data-sort="${c.key}"]`)?.focus(); } },
      }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (state.desc ? ' ▼' : ' ▲') : '')), c.num ? 'num' : ''];
    });
    const table = scrollTable(id, caption, head, sorted.map((r) =>
      h('tr', { 'data-key': String(r[columns[0].key] ?? '') },
        columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.cell ? c.cell(r) : r[c.key])))), tableClass);
    table.querySelectorAll('th').forEach((th, i) => {
      if (i === state.by) th.setAttribute('aria-sort', state.desc ? 'descending' : 'ascending');
    });
    fill(wrap, table);
  };
  draw();
  return wrap;
}

// A horizontal bar chart: items [{label, value}], values shown as `format`.
// Plain SVG, read out as a list by screen readers (role img + its title;
// the same numbers are in the table beside it).
export function barChart(id, title, items, format = num) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const rowH = 28;
  const labelW = 150;
  const width = 560;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${Math.max(1, items.length) * rowH + 4}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('id', id);
  svg.setAttribute('aria-labelledby', `${id}-title`);
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  el('title', { id: `${id}-title` }, `${title}: ${items.map((i) => `${i.label} ${format(i.value)}`).join('; ')}`);
  items.forEach((item, k) => {
    const y = k * rowH + 4;
    const w = Math.round(((width - labelW - 130) * item.value) / max);
    el('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', class: 'chart-label' }, item.label.length > 20 ? `${item.label.slice(0, 19)}…` : item.label);
    el('rect', { x: labelW, y: y + 3, width: Math.max(item.value > 0 ? 2 : 0, w), height: rowH - 10, rx: 2, class: 'chart-bar' });
    el('text', { x: labelW + w + 6, y: y + 16, class: 'chart-value' }, format(item.value));
  });
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg);
}

// Previous / next over `total` items, `limit` a page.
export function pager(id, offset, limit, total, goTo) {
  if (total <= limit) return null;
  const last = Math.min(total, offset + limit);
  return h('nav', { class: 'pager', id, 'aria-label': t('pagerLabel') },
    h('button', { type: 'button', class: 'secondary', 'data-page': 'prev', disabled: offset === 0, on: { click: () => goTo(Math.max(0, offset - limit)) } }, t('pagerPrev')),
    h('span', { role: 'status' }, t('pagerRange', num(offset + 1), num(last), num(total))),
    h('button', { type: 'button', class: 'secondary', 'data-page': 'next', disabled: last >= total, on: { click: () => goTo(offset + limit) } }, t('pagerNext')));
}

// "Periksa bukti": a button that checks `proof` (a tlog-proof's text) in
// this browser against the pinned registry and shows the verdict below it.
export function proofCheck(prefix, proof) {
  const out = h('div', { class: 'proof-out', 'aria-live': 'polite', 'data-proof': prefix });
  if (!proof) return h('p', { class: 'muted' }, t('noProof'));
  const button = h('button', { type: 'button', class: 'secondary proof-button', 'data-proof': prefix }, t('checkProof'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    fill(out, h('p', { class: 'muted' }, t('checking')));
    const outcome = await checkProof(proof);
    fill(out, compactOutcome(outcome, prefix));
    button.disabled = false;
    out.querySelector('.verdict')?.focus();
  });
  return h('div', { class: 'proof-check' }, button, out);
}
