// The console: hash routes (#/masuk, #/beranda, #/audit[/ID],
// #/keluarga[/PSEUDONYM], #/berita-acara[/ORIGIN/LEAF], #/tanda-tangan[/ID],
// #/verifikasi, #/operasi), the header with the navigation (the pages that
// apply to this node's kind), the language toggle and the session.

import { t, lang, setLang, label } from './i18n.js';
import { h, clear, fill } from './dom.js';
import { api, currentSession, loadSession, logout, setUnauthorizedHandler } from './api.js';
import * as loginPage from './login.js';
import * as overviewPage from './overview.js';
import * as operationsPage from './operations.js';
import * as checkPage from './check.js';
import * as auditPage from './audit.js';
import * as familyPage from './family.js';
import * as baPage from './ba.js';
import * as signPage from './sign.js';
import { resetTrust } from './proof.js';

const PAGES = {
  masuk: loginPage,
  beranda: overviewPage,
  verifikasi: checkPage,
  operasi: operationsPage,
  audit: auditPage,
  keluarga: familyPage,
  'berita-acara': baPage,
  'tanda-tangan': signPage,
};
// [route, label, the node kinds it applies to (null: every node)].
const NAV = [
  ['beranda', 'navOverview', null],
  ['audit', 'navAudit', ['auditor', 'kemensos']],
  ['keluarga', 'navFamily', null],
  ['berita-acara', 'navBeritaAcara', null],
  ['tanda-tangan', 'navSign', ['kabupaten']],
  ['verifikasi', 'navVerify', null],
  ['operasi', 'navOperations', null],
];

let generation = 0;  // bumped by every render; a page's late answers check it
let stopPage = null;  // the shown page's cleanup (its refresh timer)
let returnTo = 'beranda';  // where Masuk leads once signed in
let notice = null;  // a message for Masuk (the session ended)
let sessionChecked = false;
let nodeKind = null;  // this node's kind (from the overview), once signed in

function routeParts() {
  return location.hash.replace(/^#\/?/, '').split('?')[0].split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '';
    }
  });
}

// The route with its parameters, as written after "#/".
const hashPath = () => location.hash.replace(/^#\/?/, '') || 'beranda';

function routeName() {
  return routeParts()[0] || 'beranda';
}

// Whether a page applies to this node (before its kind is known: yes).
const applies = (route) => {
  const item = NAV.find(([name]) => name === route);
  return !item || !item[2] || !nodeKind || item[2].includes(nodeKind);
};

// The pages the navigation offers on this node.
export function pagesHere() {
  return NAV.filter(([name]) => applies(name)).map(([name, key]) => [name, key]);
}

export function go(name) {
  if (routeName() === name) render();
  else location.hash = `#/${name}`;
}

function renderHeader(route) {
  const session = currentSession();
  const langButton = (code, title) =>
    h('button', {
      type: 'button',
      class: 'lang-button',
      'data-lang': code,
      lang: code,
      title,
      'aria-pressed': String(lang() === code),
      text: code.toUpperCase(),
      on: { click: () => switchLanguage(code) },
    });
  const header = document.getElementById('top');
  fill(
    header,
    h(
      'div',
      { class: 'bar' },
      h('a', { class: 'brand', href: '#/beranda' }, h('span', { class: 'mark', 'aria-hidden': 'true' }), t('brand'),
        h('span', { class: 'brand-sub' }, t('brandSub'))),
      session &&
        h('nav', { 'aria-label': t('navLabel') },
          h('ul', {}, pagesHere().map(([name, key]) =>
            h('li', {}, h('a', { href: `#/${name}`, 'aria-current': route === name ? 'page' : null, 'data-route': name }, t(key)))))),
      h(
        'div',
        { class: 'tools' },
        h('div', { class: 'lang', role: 'group', 'aria-label': t('langLabel') },
          langButton('id', 'Bahasa Indonesia'), h('span', { 'aria-hidden': 'true' }, '|'), langButton('en', 'English')),
        session &&
          h('div', { class: 'account' },
            h('span', { class: 'user', id: 'user' },
              h('span', { class: 'visually-hidden' }, `${t('signedInAs')} `),
              h('span', { class: 'user-name' }, session.name),
              h('span', { class: 'user-role' }, label('roles', session.role))),
            h('button', { type: 'button', id: 'logout', class: 'secondary', on: { click: signOut } }, t('logout'))),
      ),
    ),
  );
}

async function render({ focus = false } = {}) {
  const mine = ++generation;
  if (stopPage) stopPage();
  stopPage = null;
  if (!sessionChecked) {
    try {
      await loadSession();
    } catch {
      // The node did not answer: Masuk shows what the login attempt says.
    }
    sessionChecked = true;
    if (mine !== generation) return;
  }
  const session = currentSession();
  if (session && nodeKind === null) {
    try {
      nodeKind = (await api('overview'))?.node?.kind ?? '';
    } catch {
      nodeKind = '';
    }
    if (mine !== generation) return;
  }
  let route = routeName();
  if (!PAGES[route]) route = 'beranda';
  if (!session && route !== 'masuk') {
    returnTo = route === routeName() ? hashPath() : route;
    history.replaceState(null, '', '#/masuk');
    route = 'masuk';
  } else if (session && route === 'masuk') {
    history.replaceState(null, '', `#/${returnTo}`);
    route = PAGES[routeName()] ? routeName() : 'beranda';
  }
  if (session && !applies(route)) {
    history.replaceState(null, '', '#/beranda');
    route = 'beranda';
  }
  renderHeader(route);
  const main = clear(document.getElementById('main'));
  const page = PAGES[route];
  document.title = `${t(page.titleKey)} — Jejak`;
  const ctx = {
    alive: () => mine === generation,
    go,
    params: routeParts().slice(1).filter(Boolean),
    nodeKind,
    pages: pagesHere().map(([name]) => name),
    notice: route === 'masuk' ? notice : null,
    signedIn: () => {
      notice = null;
      go(returnTo);
    },
  };
  stopPage = page.show(main, ctx) ?? null;
  if (focus) main.querySelector('h1')?.focus();
}

function switchLanguage(code) {
  if (code === lang()) return;
  setLang(code);
  render().then(() => document.querySelector(`[data-lang="${code}"]`)?.focus());
}

async function signOut() {
  try {
    await logout();
  } catch {
    // Signed out here whatever the node answered; its session expires.
  }
  returnTo = 'beranda';
  checkPage.reset();
  resetTrust();
  nodeKind = null;
  go('masuk');
}

setUnauthorizedHandler(() => {
  notice = 'sessionEnded';
  checkPage.reset();
  resetTrust();
  nodeKind = null;
  returnTo = routeName() === 'masuk' ? returnTo : hashPath();
  go('masuk');
});

window.addEventListener('hashchange', () => render({ focus: true }));
render();
