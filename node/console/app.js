// The console: hash routes (#/masuk, #/beranda, #/verifikasi, #/operasi),
// the header with the navigation, the language toggle and the session.

import { t, lang, setLang, label } from './i18n.js';
import { h, clear, fill } from './dom.js';
import { currentSession, loadSession, logout, setUnauthorizedHandler } from './api.js';
import * as loginPage from './login.js';
import * as overviewPage from './overview.js';
import * as operationsPage from './operations.js';
import * as checkPage from './check.js';

const PAGES = {
  masuk: loginPage,
  beranda: overviewPage,
  verifikasi: checkPage,
  operasi: operationsPage,
};
const NAV = [
  ['beranda', 'navOverview'],
  ['verifikasi', 'navVerify'],
  ['operasi', 'navOperations'],
];

let generation = 0;  // bumped by every render; a page's late answers check it
let stopPage = null;  // the shown page's cleanup (its refresh timer)
let returnTo = 'beranda';  // where Masuk leads once signed in
let notice = null;  // a message for Masuk (the session ended)
let sessionChecked = false;

function routeName() {
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return name || 'beranda';
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
          h('ul', {}, NAV.map(([name, key]) =>
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
  let route = routeName();
  if (!PAGES[route]) route = 'beranda';
  const session = currentSession();
  if (!session && route !== 'masuk') {
    returnTo = route;
    history.replaceState(null, '', '#/masuk');
    route = 'masuk';
  } else if (session && route === 'masuk') {
    history.replaceState(null, '', `#/${returnTo}`);
    route = returnTo;
  }
  renderHeader(route);
  const main = clear(document.getElementById('main'));
  const page = PAGES[route];
  document.title = `${t(page.titleKey)} — Jejak`;
  const ctx = {
    alive: () => mine === generation,
    go,
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
  go('masuk');
}

setUnauthorizedHandler(() => {
  notice = 'sessionEnded';
  checkPage.reset();
  returnTo = routeName() === 'masuk' ? returnTo : routeName();
  go('masuk');
});

window.addEventListener('hashchange', () => render({ focus: true }));
render();
