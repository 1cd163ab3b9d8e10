// Beranda: the node, its alerts, and every log it holds (what
// `jejak status` lists), refreshed every 10 s.

import { t, lang, label } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime, duration } from './fmt.js';
import { lineChart } from './linechart.js';

export const titleKey = 'overviewTitle';

const REFRESH_MS = 10000;
// The history changes every 15 minutes (node/history.h): read it again every 5.
const HISTORY_MS = 300000;

export function show(main, ctx) {
  const body = h('div', { id: 'overview', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('overviewTitle')), body);

  let history = null;
  let historyAt = 0;
  const load = async () => {
    try {
      const data = await api('overview');
      if (Date.now() - historyAt >= HISTORY_MS) {
        try {
          history = await api('history');
          historyAt = Date.now();
        } catch (err) {
          if (err.status === 401) throw err;
          history = null;  // the charts are left out; the rest still shows
        }
      }
      if (ctx.alive()) draw(body, data, ctx.pages, history);
    } catch (err) {
      if (ctx.alive() && err.status !== 401) {
        const old = body.querySelector('#overview-error');
        old?.remove();
        body.prepend(h('p', { id: 'overview-error', class: 'message error', role: 'alert' }, `${t('loadFailed')}: ${err.message}`));
      }
    }
  };
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function draw(body, data, pages, history) {
  const scroller = body.querySelector('.table-scroll');
  const scrollLeft = scroller ? scroller.scrollLeft : 0;
  fill(body, alerts(data.alerts ?? []), node(data.node), shortcuts(pages), logs(data.logs ?? [], data.node?.time), charts(history, data));
  body.setAttribute('aria-busy', 'false');
  const again = body.querySelector('.table-scroll');
  if (again) again.scrollLeft = scrollLeft;
}

function alerts(list) {
  const items = list.map((a) =>
    h('li', { class: ['alert', `alert-${a.kind}`], 'data-kind': a.kind, 'data-origin': a.origin },
      h('strong', {}, label('alertKinds', a.kind)), ' ', h('code', {}, a.origin),
      h('span', { class: 'alert-detail' }, (lang() === 'id' ? a.detail_id : a.detail) ?? a.detail ?? '')),
  );
  return h(
    'section',
    { class: 'alerts', 'aria-labelledby': 'alerts-h' },
    h('h2', { id: 'alerts-h', class: 'visually-hidden' }, t('alertsSection')),
    items.length ? h('ul', { id: 'alerts', role: 'list' }, items) : h('p', { class: 'message ok', id: 'no-alerts' }, t('noAlerts')),
  );
}

function node(n) {
  if (!n) return null;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'node-h' },
    h('h2', { id: 'node-h' }, t('nodeSection')),
    defList([
      [t('nodeName'), n.name ?? t('none')],
      [t('nodeKind'), label('kinds', n.kind)],
      [t('nodeRegion'), n.region ?? t('none')],
      [t('nodeOrigin'), h('code', {}, n.origin)],
      [t('nodeKeyId'), h('code', { title: n.key }, n.key_id ?? t('none'))],
      [t('nodeGovernance'), n.governance ? h('code', {}, n.governance) : t('nodeIsGovernance')],
    ], 'kv kv-grid'),
  );
}

// A link to each page of the console that applies to this node.
const SHORTCUTS = { audit: 'navAudit', keluarga: 'navFamily', 'berita-acara': 'navBeritaAcara', 'tanda-tangan': 'navSign', verifikasi: 'navVerify', operasi: 'navOperations' };
function shortcuts(pages) {
  const here = (pages ?? []).filter((p) => SHORTCUTS[p]);
  if (!here.length) return null;
  return h('nav', { class: 'shortcuts', 'aria-labelledby': 'shortcuts-h' },
    h('h2', { id: 'shortcuts-h', class: 'visually-hidden' }, t('shortcuts')),
    h('ul', { class: 'buttons', id: 'shortcuts' }, here.map((p) => h('li', {}, h('a', { class: 'button-link', href: `#/${p}` }, t(SHORTCUTS[p]))))));
}

function lagText(log) {
  if (log.own || log.lag === null || log.lag === undefined) return t('none');
  if (log.lag === 0) return '0';
  return `${t('lagEntries', num(log.lag))} · ${duration(log.lag_seconds)}`;
}

function logs(list, now) {
  const rows = list.map((log) => {
    const wanted = log.witnesses_wanted;
    const short = wanted !== null && wanted !== undefined && log.size > 0 && log.cosignatures < wanted;
    return h(
      'tr',
      { 'data-origin': log.origin, class: [log.frozen && 'row-frozen'] },
      h('td', {}, h('code', {}, log.origin)),
      h('td', { class: 'inst' }, log.name ?? t('none'), log.kind && label('kinds', log.kind) !== log.name && h('span', { class: 'sub' }, label('kinds', log.kind))),
      h('td', {}, h('span', { class: ['badge', log.own ? 'badge-own' : 'badge-replica'] }, log.own ? t('own') : t('replica'))),
      h('td', { class: 'num', 'data-size': String(log.size) }, num(log.size)),
      h('td', { class: ['num', short && 'warn'] }, `${num(log.cosignatures)} / ${wanted === null || wanted === undefined ? t('none') : num(wanted)}`),
      h('td', { class: ['num', log.lag > 0 && 'warn'] }, lagText(log)),
      h('td', { class: 'when' }, dateTime(log.checkpoint_time)),
      h('td', {}, log.frozen ? h('span', { class: 'badge badge-frozen' }, t('frozenYes')) : t('no')),
    );
  });
  return h(
    'section',
    { 'aria-labelledby': 'logs-h' },
    h('h2', { id: 'logs-h' }, t('logsSection')),
    h('p', { class: 'muted', id: 'updated' }, t('logsUpdated', dateTime(now ?? Date.now() / 1000))),
    scrollTable(
      'logs',
      t('logsCaption', num(list.length)),
      [t('colOrigin'), t('colInstitution'), t('colHolding'), [t('colSize'), 'num'], [t('colCosig'), 'num'], [t('colLag'), 'num'], t('colCheckpoint'), t('colFrozen')],
      rows,
      'data',
    ),
  );
}

// Log growth and replication lag over the days the node keeps (GET history):
// the own log's size, every log's size together, and the largest lag, each
// ending in the value the overview reads now.
function charts(history, data) {
  if (!history) return null;
  const shortTime = (unix) => dateTime(unix).replace(/:\d\d WIB$/, ' WIB');
  const now = data.node?.time;
  const list = data.logs ?? [];
  const ownNow = list.find((l) => l.origin === history.origin)?.size;
  const sizeNow = list.reduce((a, l) => a + (l.size ?? 0), 0);
  const lagNow = list.reduce((a, l) => Math.max(a, l.lag ?? 0), 0);
  const withNow = (points, v) => (now && v !== undefined && points.length && now > points[points.length - 1][0] ? [...points, [now, v]] : points);
  const total = history.total ?? [];
  const chart = (id, title, points) =>
    lineChart({ id, title, points, format: (v) => num(v), time: shortTime, empty: t('historyEmpty') });
  return h(
    'section',
    { 'aria-labelledby': 'history-h', id: 'history' },
    h('h2', { id: 'history-h' }, t('historySection')),
    h('p', { class: 'muted' }, t('historyNote', num(Math.round((history.interval ?? 900) / 60)), num(Math.round((history.keep ?? 604800) / 86400)))),
    h('div', { class: 'charts' },
      chart('chart-own', t('chartOwn', history.origin ?? ''), withNow((history.log ?? []).map((p) => [p[0], p[1]]), ownNow)),
      chart('chart-total', t('chartTotal'), withNow(total.map((p) => [p[0], p[1]]), sizeNow)),
      chart('chart-lag', t('chartLag'), withNow(total.map((p) => [p[0], p[4]]), lagNow)),
    ),
  );
}
