// Operasi: what the node did since it started, its connections, its
// storage and its last error; refreshed every 10 s like Beranda.

import { t } from './i18n.js';
import { h, fill, defList, scrollTable } from './dom.js';
import { api } from './api.js';
import { num, bytes, dateTime, duration } from './fmt.js';

export const titleKey = 'opsTitle';

const REFRESH_MS = 10000;

export function show(main, ctx) {
  const body = h('div', { id: 'operations', 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  main.append(h('h1', { tabindex: '-1' }, t('opsTitle')), body);
  const load = async () => {
    try {
      const data = await api('operations');
      if (!ctx.alive()) return;
      fill(body, sections(data));
      body.setAttribute('aria-busy', 'false');
    } catch (err) {
      if (ctx.alive() && err.status !== 401) {
        body.querySelector('#operations-error')?.remove();
        body.prepend(h('p', { id: 'operations-error', class: 'message error', role: 'alert' }, `${t('loadFailed')}: ${err.message}`));
      }
    }
  };
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function card(id, title, ...content) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

function sections(d) {
  const now = d.time ?? Date.now() / 1000;  // the node's clock when it says
  const c = d.connections ?? {};
  const rejected = Object.entries(d.rejected ?? {}).sort((a, b) => b[1] - a[1]);
  return [
    h(
      'div',
      { class: 'cards' },
      card('ops-activity', t('opsActivity'), defList([
        [t('opsAppends'), num(d.appends)],
        [t('opsRequests'), num(d.requests)],
        [t('opsInternal'), h('span', { class: [d.internal_errors > 0 && 'warn'] }, num(d.internal_errors))],
        [t('opsUptime'), d.started ? duration(now - d.started) : t('none')],
        [t('opsStarted'), dateTime(d.started)],
      ])),
      card('ops-connections', t('opsConnections'), defList([
        [t('connPeer'), num(c.peer)],
        [t('connAnonymous'), num(c.anonymous)],
        [t('connRefused'), num(c.refused)],
      ])),
      card('ops-storage', t('opsStorage'), defList([
        [t('opsStore'), bytes(d.store_bytes)],
        [t('opsDiskFree'), t('ofTotal', bytes(d.disk_free_bytes), bytes(d.disk_total_bytes))],
      ])),
    ),
    card(
      'ops-last-error',
      t('opsLastError'),
      d.last_error
        ? defList([[dateTime(d.last_error.time), h('span', { class: 'error-text' }, d.last_error.message)]])
        : h('p', { class: 'muted' }, t('opsNoError')),
    ),
    h(
      'section',
      { 'aria-labelledby': 'ops-rejected' },
      h('h2', { id: 'ops-rejected' }, t('opsRejected')),
      rejected.length
        ? scrollTable('rejected', t('opsRejected'),
            [t('opsReason'), [t('opsCount'), 'num']],
            rejected.map(([reason, n]) => h('tr', { 'data-reason': reason }, h('td', {}, h('code', {}, reason)), h('td', { class: 'num' }, num(n)))),
            'data narrow', true)
        : h('p', { class: 'muted' }, t('opsNoRejected')),
    ),
    card(
      'ops-links',
      t('opsLinks'),
      h('ul', { class: 'links' },
        h('li', {}, h('a', { href: '/metrics' }, t('opsMetrics')), ' ', h('code', {}, '/metrics')),
        h('li', {}, h('a', { href: '/healthz' }, t('opsHealth')), ' ', h('code', {}, '/healthz'))),
    ),
  ];
}
