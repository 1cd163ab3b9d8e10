// The node's web console in a real browser (Debian's chromium through
// playwright-core), against a running federation that tests/browser/run.sh
// starts: sign-in, the overview against `jejak status --json`, the language
// switch, the in-browser proof check (a real proof and a tampered copy),
// sign-out, screenshots of every page, and no console or page errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { WAIT, env, newPage as openPage, readNodes, shoot as shootTo } from './world.mjs';

const jejak = env('JEJAK_BINARY');
const fedDir = env('JEJAK_FEDERATION_DIR');
const artifacts = env('JEJAK_BROWSER_ARTIFACTS');
const tmp = env('JEJAK_BROWSER_TMP');
const user = env('JEJAK_CONSOLE_USER');
const password = env('JEJAK_CONSOLE_PASSWORD');
const nodeName = process.env.JEJAK_CONSOLE_NODE || 'kab-7301';

const nodes = readNodes(fedDir);
const node = nodes.get(nodeName);
const gov = nodes.get('kemensos');
assert.ok(node && gov, `${nodeName} and kemensos are in nodes.tsv`);
// JEJAK_CONSOLE_URL: where a browser reaches the node's console when it is
// not the node's own URL (a reverse proxy in front of it).
const base = `${process.env.JEJAK_CONSOLE_URL || node.url}/console/`;

// What every page says in each language.
// (kab-7301, a kabupaten node: no Audit page, a Tanda tangan page.)
const NAV = {
  id: ['Beranda', 'Keluarga', 'Berita acara', 'Tanda tangan', 'Verifikasi', 'Operasi'],
  en: ['Overview', 'Families', 'Berita acara', 'Signing', 'Verify', 'Operations'],
};
const HEADINGS = {
  masuk: { id: 'Masuk', en: 'Sign in' },
  beranda: { id: 'Ikhtisar node', en: 'Node overview' },
  verifikasi: { id: 'Periksa bukti', en: 'Check a proof' },
  operasi: { id: 'Operasi', en: 'Operations' },
};
const LOGOUT = { id: 'Keluar', en: 'Sign out' };

let browser;
const problems = [];  // console errors and page errors, from every page

function run(...args) {
  return execFileSync(jejak, args, { encoding: 'utf8', timeout: 30000 });
}

function statusOf(n) {
  return JSON.parse(run('status', '--json', '--node', n.url, '--node-key', n.key));
}

function sizes(status) {
  return Object.fromEntries(status.logs.map((l) => [l.origin, l.size]));
}

// The responses the console is meant to get, that chromium reports as
// "Failed to load resource": no session yet (GET session), and the wrong
// passwords the test types (POST login: refused, then throttled).
const EXPECTED_STATUS = [
  { path: '/jejak/v1/console/session', status: 401 },
  { path: '/jejak/v1/console/login', status: 401 },
  { path: '/jejak/v1/console/login', status: 429 },
];

const newPage = (kind) => openPage(browser, kind, problems, EXPECTED_STATUS);

const hashOf = (page) => new URL(page.url()).hash;

async function heading(page) {
  return (await page.locator('main h1').textContent()).trim();
}

async function navLabels(page) {
  return (await page.locator('header nav a').allTextContents()).map((s) => s.trim());
}

async function setLanguage(page, lang) {
  await page.locator(`header button[data-lang="${lang}"]`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: WAIT });
}

async function signIn(page) {
  await page.goto(base);
  await page.locator('#login-form').waitFor();
  await page.fill('#login-name', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.locator('#logs tr[data-origin]').first().waitFor();
}

// Opens a page through the navigation and waits until it shows its data.
async function open(page, route) {
  await page.locator(`header nav a[data-route="${route}"]`).click();
  await page.waitForFunction((r) => location.hash === `#/${r}`, route, { timeout: WAIT });
  const ready = {
    beranda: '#logs tr[data-origin]',
    operasi: '#operations[aria-busy="false"]',
    verifikasi: '#trust-count',
  }[route];
  await page.locator(ready).first().waitFor();
}

const shoot = (page, name) => shootTo(page, artifacts, name);

// Every form control has a <label>.
async function assertLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, textarea, select')]
      .filter((el) => el.labels.length === 0)
      .map((el) => el.id || el.name || el.outerHTML),
  );
  assert.deepEqual(unlabelled, [], 'controls without a <label>');
}

// A proof of a leaf of the governance log, made by the kemensos node once
// its latest checkpoint has at least one cosignature.
let proofFile;
let proofCosignatures;
function makeProof() {
  const deadline = Date.now() + WAIT;
  let own;
  for (;;) {
    own = statusOf(gov).logs.find((l) => l.own);
    if (own.cosignatures > 0 || Date.now() > deadline) break;
    execFileSync('sleep', ['0.5']);
  }
  assert.ok(own.size >= 4, `the governance log has ${own.size} leaves`);
  assert.ok(own.cosignatures > 0, 'the governance checkpoint is cosigned');
  proofFile = join(tmp, 'governance.tlog-proof');
  run('prove', 'inclusion', '--node', gov.url, '--node-key', gov.key, '--index', String(Math.floor(own.size / 2)),
    '--format', 'tlog-proof', '--out', proofFile);
  proofCosignatures = own.cosignatures;
}

// The proof with one base64 character of its first hash line changed.
function tampered(text) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith('index ')) + 1;
  assert.match(lines[i], /^[A-Za-z0-9+/]{43}=$/, 'a hash line follows the index line');
  const c = lines[i][0];
  lines[i] = (c === 'A' ? 'B' : 'A') + lines[i].slice(1);
  return lines.join('\n');
}

// Runs `action` (a click, a file chosen) and waits until it replaces the
// verdict shown, if any, with a new one.
async function recheck(page, action) {
  const old = await page.$('#verdict');
  await action();
  if (old) await page.waitForFunction((el) => !el.isConnected, old, { timeout: WAIT });
  await page.locator('#verdict').waitFor();
}

async function verdict(page, ok) {
  const v = page.locator(`#verdict[data-ok="${ok}"]`);
  await v.waitFor();
  return v;
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: WAIT });
  makeProof();
});

after(async () => {
  await browser?.close();
});

let page;  // the laptop page, signed in by the first test

test('Masuk refuses a wrong password and says so, then signs in', { timeout: 60000 }, async () => {
  page = await newPage('laptop');
  await page.goto(base);
  await page.locator('#login-form').waitFor();
  assert.equal(hashOf(page), '#/masuk');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  assert.equal(await heading(page), HEADINGS.masuk.id);
  assert.equal(await page.locator('header nav').count(), 0, 'no navigation before signing in');
  await assertLabelled(page);

  await page.fill('#login-name', user);
  await page.fill('#login-password', `${password}-wrong`);
  const refused = page.waitForResponse((r) => r.url().endsWith('/jejak/v1/console/login'), { timeout: WAIT });
  await page.click('#login-submit');
  assert.equal((await refused).status(), 401);
  const error = page.locator('#login-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.getAttribute('data-status'), '401');
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.ok((await error.textContent()).trim().length > 0, 'the refusal is said');
  assert.equal(hashOf(page), '#/masuk');
  await shoot(page, 'masuk-id-laptop');
  await setLanguage(page, 'en');
  assert.equal(await heading(page), HEADINGS.masuk.en);
  await shoot(page, 'masuk-en-laptop');
  await setLanguage(page, 'id');

  // More wrong passwords: the node throttles (5 failures are free, then
  // 1, 2, 4 s), the page says how long to wait and keeps the button
  // disabled until then.
  let throttled = null;
  for (let attempt = 0; attempt < 8 && !throttled; attempt++) {
    await page.locator('#login-submit:enabled').waitFor();
    await page.fill('#login-name', user);
    await page.fill('#login-password', `${password}-wrong`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/jejak/v1/console/login'), { timeout: WAIT });
    await page.click('#login-submit');
    const r = await answer;
    if (r.status() === 429) throttled = await r.json();
    else assert.equal(r.status(), 401);
  }
  assert.ok(throttled?.retry_after > 0, 'the node throttles repeated failures');
  await page.locator('#login-error[data-status="429"]').waitFor();
  assert.match(await error.textContent(), /\d+ detik/);
  assert.equal(await page.locator('#login-submit').isDisabled(), true);
  await page.locator('#login-submit:enabled').waitFor({ timeout: (throttled.retry_after + 5) * 1000 });

  await page.fill('#login-name', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.locator('#logs tr[data-origin]').first().waitFor();
  assert.equal(hashOf(page), '#/beranda');
  assert.equal((await page.locator('#user .user-name').textContent()).trim(), user);
  assert.equal((await page.locator('#user .user-role').textContent()).trim(), 'auditor');
});

test('Beranda lists exactly the logs and sizes `jejak status --json` reports', { timeout: 90000 }, async () => {
  // The sizes hold still between two readings of the status (a federation
  // at rest), and the console shows them.
  let shown, expected;
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = sizes(statusOf(node));
    await page.reload();
    await page.locator('#logs tr[data-origin]').first().waitFor();
    shown = Object.fromEntries(
      await page.locator('#logs tbody tr').evaluateAll((rows) =>
        rows.map((r) => [r.dataset.origin, Number(r.querySelector('[data-size]').dataset.size)]),
      ),
    );
    expected = sizes(statusOf(node));
    if (JSON.stringify(first) === JSON.stringify(expected)) break;
  }
  assert.ok(Object.keys(expected).length >= 2, 'the node holds its own log and the governance log');
  assert.deepEqual(shown, expected);
  const status = statusOf(node);
  const own = status.logs.find((l) => l.own);
  assert.equal(await page.locator(`#logs tr[data-origin="${own.origin}"] .badge-own`).count(), 1);
  assert.match(await page.locator('main').textContent(), new RegExp(status.node.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  // The history the node sampled at its start: the charts have their first
  // points (a line chart each, an image with a text alternative).
  for (const id of ['chart-own', 'chart-total', 'chart-lag']) {
    const svg = page.locator(`#${id} svg[role="img"]`);
    await svg.waitFor();
    assert.ok(Number(await svg.getAttribute('data-points')) >= 1, id);
    assert.ok((await svg.getAttribute('aria-label')).length > 10, id);
  }
  await shoot(page, 'beranda-id-laptop');
});

test('switching language changes every nav label, the headings and <html lang>', { timeout: 90000 }, async () => {
  assert.equal(await page.locator('header nav ul > li > a[href^="#/"]').count(), NAV.id.length, 'the navigation is a list of links');
  for (const route of ['beranda', 'verifikasi', 'operasi']) {
    await open(page, route);
    assert.deepEqual(await navLabels(page), NAV.id);
    assert.equal(await heading(page), HEADINGS[route].id);
    assert.equal((await page.locator('#logout').textContent()).trim(), LOGOUT.id);
    await assertLabelled(page);
    await setLanguage(page, 'en');
    assert.deepEqual(await navLabels(page), NAV.en);
    assert.equal(await heading(page), HEADINGS[route].en);
    assert.equal((await page.locator('#logout').textContent()).trim(), LOGOUT.en);
    assert.equal(await page.locator('header nav a[aria-current="page"]').getAttribute('data-route'), route);
    await setLanguage(page, 'id');
  }
  // The choice is remembered.
  await setLanguage(page, 'en');
  await page.reload();
  await page.locator('main h1').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.deepEqual(await navLabels(page), NAV.en);
  await setLanguage(page, 'id');
});

test('Verifikasi accepts a real proof and refuses a tampered copy at the inclusion step', { timeout: 90000 }, async () => {
  await open(page, 'verifikasi');
  await page.locator('#anchor-pinned').waitFor();
  const pinned = await page.evaluate(() => JSON.parse(localStorage.getItem('jejak.governance-anchor')));
  assert.equal(pinned.key, gov.key, 'the governance anchor is pinned');

  // By keyboard: Tab reaches the file input, and its drop zone shows the focus.
  await page.locator('main h1').focus();
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'proof-file');
  }
  assert.ok(reached, 'Tab reaches the proof file input');
  assert.equal(await page.locator('#drop').evaluate((el) => getComputedStyle(el).outlineStyle), 'solid');

  await recheck(page, () => page.setInputFiles('#proof-file', proofFile));
  const ok = await verdict(page, 'true');
  assert.equal(await ok.getAttribute('data-part'), '');
  const steps = await page.locator('#steps li').evaluateAll((li) => li.map((l) => [l.dataset.part, l.dataset.ok]));
  assert.ok(steps.length > 0 && steps.every(([, s]) => s === 'true'), `every step passed: ${JSON.stringify(steps)}`);
  assert.match(await ok.textContent(), /jejak\.pkh\/kemensos/);
  // The node's own cosigners are registered nodes: every one is trusted.
  const witnesses = await page.locator('#witnesses tbody tr').count();
  assert.ok(witnesses >= 1, `${witnesses} trusted witnesses (the node held ${proofCosignatures} cosignatures)`);
  assert.ok((await page.locator('#entry > div').count()) > 0, 'the entry is shown');
  await setLanguage(page, 'en');
  await verdict(page, 'true');
  assert.match(await page.locator('#steps').textContent(), /[A-Za-z]/);
  await setLanguage(page, 'id');

  // The witness policy the user asks for: as many as there are, then one more.
  await page.fill('#min-witnesses', String(witnesses));
  await recheck(page, () => page.click('#verify-submit'));
  await verdict(page, 'true');
  await page.fill('#min-witnesses', String(witnesses + 1));
  await recheck(page, () => page.click('#verify-submit'));
  assert.equal(await (await verdict(page, 'false')).getAttribute('data-part'), 'witness');
  await page.fill('#min-witnesses', '0');

  await page.fill('#proof-text', tampered(readFileSync(proofFile, 'utf8')));
  await recheck(page, () => page.click('#verify-submit'));
  const bad = await verdict(page, 'false');
  assert.equal(await bad.getAttribute('data-part'), 'inclusion');
  assert.equal(await page.locator('#steps li[data-ok="false"]').first().getAttribute('data-part'), 'inclusion');
  await shoot(page, 'verifikasi-tampered-id-laptop');

  // A registry whose anchor is not the one pinned here is refused, and
  // nothing can be checked against it.
  const other = nodes.get('prov-73').key;
  await page.evaluate((key) => {
    const pin = JSON.parse(localStorage.getItem('jejak.governance-anchor'));
    localStorage.setItem('jejak.governance-anchor', JSON.stringify({ ...pin, key }));
  }, other);
  await open(page, 'beranda');
  await page.locator('header nav a[data-route="verifikasi"]').click();
  await page.locator('#anchor-refused').waitFor();
  assert.equal(await page.locator('#verify-submit').isDisabled(), true);
  assert.equal(await page.locator('#trust-count').count(), 0);
  assert.equal(await page.locator('#verdict').count(), 0, 'no verdict shown against a refused registry');
  assert.equal(await page.locator('#proof-file').isDisabled(), true);
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('jejak.governance-anchor')));
  assert.equal(kept.key, other, 'the pin is not replaced by the registry');
  await shoot(page, 'verifikasi-refused-id-laptop');
  await page.evaluate((key) => {
    const pin = JSON.parse(localStorage.getItem('jejak.governance-anchor'));
    localStorage.setItem('jejak.governance-anchor', JSON.stringify({ ...pin, key }));
  }, gov.key);
});

test('screenshots of every page in both languages, laptop and phone', { timeout: 180000 }, async () => {
  const phone = await newPage('phone');
  await phone.goto(base);
  await phone.locator('#login-form').waitFor();
  await shoot(phone, 'masuk-id-phone');
  await setLanguage(phone, 'en');
  await shoot(phone, 'masuk-en-phone');
  await setLanguage(phone, 'id');
  await signIn(phone);
  // The page itself never scrolls sideways on a phone; the log table does.
  const widths = await phone.evaluate(() => {
    const s = document.querySelector('.table-scroll');
    return { page: document.documentElement.scrollWidth, table: s.scrollWidth, box: s.clientWidth };
  });
  assert.ok(widths.page <= 390, `the page is ${widths.page} px wide`);
  assert.ok(widths.table > widths.box, 'the log table scrolls horizontally');

  for (const [kind, p] of [['laptop', page], ['phone', phone]]) {
    for (const lang of ['id', 'en']) {
      await setLanguage(p, lang);
      for (const route of ['beranda', 'operasi', 'verifikasi']) {
        await open(p, route);
        if (route === 'verifikasi' && (await p.locator('#verdict[data-ok="true"]').count()) === 0) {
          await recheck(p, () => p.setInputFiles('#proof-file', proofFile));
          await verdict(p, 'true');
        }
        assert.equal(await heading(p), HEADINGS[route][lang]);
        if (kind === 'phone') {
          const width = await p.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= 390, `${route} (${lang}) is ${width} px wide on a 390 px phone`);
        }
        await shoot(p, `${route}-${lang}-${kind}`);
      }
    }
    await setLanguage(p, 'id');
  }
  await phone.context().close();
});

test('Keluar signs out, and the overview then needs a sign-in', { timeout: 60000 }, async () => {
  await open(page, 'beranda');
  const out = page.waitForResponse((r) => r.url().endsWith('/jejak/v1/console/logout'), { timeout: WAIT });
  await page.click('#logout');
  assert.equal((await out).status(), 204);
  await page.locator('#login-form').waitFor();
  assert.equal(hashOf(page), '#/masuk');
  assert.equal(await page.locator('header nav').count(), 0);

  // A fresh load of the overview asks the node, which has no session.
  await page.goto('about:blank');
  await page.goto(`${base}#/beranda`);
  await page.locator('#login-form').waitFor();
  assert.equal(hashOf(page), '#/masuk');
  assert.equal(await page.locator('#logs').count(), 0);
});

test('no console errors and no page errors in the whole run', () => {
  assert.deepEqual(problems, []);
});
