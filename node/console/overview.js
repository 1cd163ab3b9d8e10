// Beranda: the node, its alerts, and every log it holds (what
// `jejak status` lists), refreshed every 10 s.

import { t, lang, label } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, dateTime, duration } from './fmt.js';

export const titleKey = 'overviewTitle';

const REFRESH_MS = 10000;

export function show(main, ctx) {
  const body = h('div', { id: 'overview', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('overviewTitle')), body);

  const load = async () => {
    try {
      const data = await api('overview');
      if (ctx.alive()) draw(body, data);
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

function draw(body, data) {
  const scroller = body.querySelector('.table-scroll');
  const scrollLeft = scroller ? scroller.scrollLeft : 0;
  fill(body, alerts(data.alerts ?? []), node(data.node), logs(data.logs ?? [], data.node?.time));
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
