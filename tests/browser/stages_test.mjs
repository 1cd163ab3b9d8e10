// The console's stage pages in a real browser (Debian's chromium through
// playwright-core), against the full federation run.sh starts and fills
// (a stage recorded through the nodes, a second berita acara pending on
// kab-7301): Audit on the auditor node against `jejak audit`, a finding's
// proof checked in the browser, the family's trail, the berita acara
// verdict, a viewer refused, two approvers signing the pending draft in two
// sessions with their key files (the signatures equal `jejak ba sign`'s),
// refusals of a key without the role and of a signature over other rows,
// the operator's submission seen authorized by `jejak audit`, the language
// switch and screenshots of every new page.

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
const stageDir = env('JEJAK_STAGE_DIR');
const draftId = env('JEJAK_DRAFT_ID');
const password = env('JEJAK_CONSOLE_PASSWORD');
const passphrase = readFileSync(join(fedDir, 'passphrase'), 'utf8').split('\n')[0];

const nodes = readNodes(fedDir);
const auditor = nodes.get('auditor');
const kab = nodes.get('kab-7301');
const KAB_ORIGIN = 'jejak.pkh/kab/7301';

// Answers the console is meant to get and chromium logs as errors: no
// session yet, and the refusals this test provokes on purpose.
const EXPECTED_STATUS = [
  { path: '/jejak/v1/console/session', status: 401 },
  { path: '/signatures', status: 403 },
  { path: '/jejak/v1/console/audits', status: 403 },  // the viewer's POST
  { path: '/jejak/v1/console/trail', status: 403 },  // the viewer's POST
];

let browser;
const problems = [];
const contexts = [];

function run(...args) {
  return execFileSync(jejak, args, { encoding: 'utf8', timeout: 60000, env: { ...process.env, JEJAK_PASSPHRASE: passphrase } });
}

function sizeOf(node, origin) {
  const s = JSON.parse(run('status', '--json', '--node', node.url, '--node-key', node.key));
  return s.logs.find((l) => l.origin === origin)?.size ?? -1;
}

async function waitFor(fn, what, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const newPage = (kind = 'laptop') => openPage(browser, kind, problems, EXPECTED_STATUS, contexts);

async function signIn(page, node, name) {
  await page.goto(`${node.url}/console/`);
  await page.locator('#login-form').waitFor();
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.locator('#logs tr[data-origin]').first().waitFor();
}

async function goTo(page, route, ready) {
  await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
  await page.locator(ready).first().waitFor();
}

async function setLanguage(page, lang) {
  await page.locator(`header button[data-lang="${lang}"]`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: WAIT });
}

const shoot = (page, name) => shootTo(page, artifacts, name);

async function assertLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, textarea, select')].filter((el) => el.labels.length === 0).map((el) => el.id || el.outerHTML));
  assert.deepEqual(unlabelled, [], 'controls without a <label>');
}

// A session's CSRF token for requests made from the test with the page's
// cookie: the console's own api module, as the page loaded it.
async function pageApi(page, path, body) {
  return page.evaluate(async ([p, b]) => {
    const { api } = await import('/console/api.js');
    try {
      return { ok: true, data: await api(p, { method: 'POST', body: b }) };
    } catch (err) {
      return { ok: false, status: err.status, body: err.body };
    }
  }, [path, body]);
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, timeout: WAIT });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

let aud;  // the auditor account's page on the auditor node
let cliAudit;

test('a viewer cannot start an audit: no button, and a direct POST is refused 403', { timeout: 60000 }, async () => {
  const page = await newPage();
  await signIn(page, auditor, 'viewer');
  await goTo(page, 'audit', '#audit-form');
  assert.equal(await page.locator('#audit-start').isVisible(), false, 'no start button for a viewer');
  await page.locator('#audit-why').waitFor({ state: 'visible' });
  const refused = await pageApi(page, 'audits', { stage: '2026-T1', as_of: '2026-04-01' });
  assert.equal(refused.ok, false);
  assert.equal(refused.status, 403);
  // Nor may a viewer look a family up by identifier.
  assert.equal((await pageApi(page, 'trail', { id_kpm: 'TEST-KPM-9' })).status, 403);
  await page.context().close();
});

test('an audit started in the console reports what `jejak audit` reports', { timeout: 90000 }, async () => {
  cliAudit = JSON.parse(run('audit', join(fedDir, 'auditor'), '--stage', '2026-T1', '--as-of', '2026-04-01', '--format', 'json'));
  aud = await newPage();
  await signIn(aud, auditor, 'auditor');
  const nav = (await aud.locator('header nav a').allTextContents()).map((s) => s.trim());
  assert.deepEqual(nav, ['Beranda', 'Audit', 'Keluarga', 'Berita acara', 'Verifikasi', 'Operasi']);
  await goTo(aud, 'audit', '#audit-start');
  await assertLabelled(aud);
  await aud.selectOption('#audit-stage', '2026-T1');
  await aud.fill('#audit-date', '2026-04-01');
  await aud.click('#audit-start');
  await aud.waitForFunction(() => /^#\/audit\/[^/]+$/.test(location.hash), null, { timeout: 60000 });
  await aud.locator('#findings tbody tr[data-n]').first().waitFor({ timeout: 30000 });
  assert.equal(await aud.locator('#amount-at-risk').textContent(), 'Rp 600.000');

  // Every finding, with its leaves (opened one by one).
  const shown = [];
  for (const row of await aud.locator('#findings tbody tr[data-n]').all()) {
    await row.locator('button[data-finding]').click();
    const n = await row.getAttribute('data-n');
    const detail = aud.locator(`#finding-${n}-detail`);
    await detail.locator('li[data-log]').first().waitFor();
    const cells = await row.locator('td').allTextContents();
    shown.push({
      type: await row.getAttribute('data-type'),
      kabupaten: cells[2],
      txn_ref: cells[4],
      leaves: await detail.locator('li[data-log]').evaluateAll((li) => li.map((l) => `${l.dataset.log}#${l.dataset.leaf}`)),
    });
  }
  const expected = cliAudit.findings.map((f) => ({
    type: f.type, kabupaten: f.kabupaten ?? '—', txn_ref: f.txn_ref ?? f.complaint_id ?? '—',
    leaves: f.leaves.map((l) => `${l.log}#${l.leaf_index}`),
  }));
  assert.ok(expected.length >= 1);
  assert.deepEqual(shown, expected);
  assert.equal(expected[0].type, 'PAID_NOT_APPROVED');
  assert.equal(expected[0].txn_ref, 'A-3');
  // The counts by type are the CLI's summary.
  const counts = Object.fromEntries(await aud.locator('#type-counts tbody tr').evaluateAll((rows) =>
    rows.map((r) => [r.dataset.type, Number(r.lastElementChild.textContent.replace(/\D/g, ''))])));
  assert.deepEqual(counts, Object.fromEntries(Object.entries(cliAudit.summary).filter(([, n]) => n > 0)));
  // The charts and the exports are there.
  assert.equal(await aud.locator('svg#chart-kabupaten rect').count(), Object.keys(cliAudit.kabupaten).length);
  assert.equal(await aud.locator('#exports a').count(), 5);
  await shoot(aud, 'audit-run-id-laptop');
});

test('a finding opens to its proofs, checked in the browser, and to the family trail', { timeout: 90000 }, async () => {
  const first = aud.locator('#findings tbody tr.finding-detail').first();
  const buttons = first.locator('button.proof-button');
  const n = await buttons.count();
  assert.ok(n >= 1);
  for (let i = 0; i < n; i++) {
    await buttons.nth(i).click();
    await first.locator(`.proof-out`).nth(i).locator('.verdict').waitFor();
    assert.equal(await first.locator('.proof-out').nth(i).locator('.verdict').getAttribute('data-ok'), 'true');
    const steps = await first.locator('.proof-out').nth(i).locator('.steps li').evaluateAll((li) => li.map((l) => l.dataset.ok));
    assert.ok(steps.length > 0 && steps.every((s) => s === 'true'), `every step passed: ${steps}`);
  }
  await shoot(aud, 'audit-finding-proof-id-laptop');
  const kpm = await first.locator('a.trail-link').getAttribute('data-kpm');
  assert.match(kpm, /^[0-9a-f]{32}$/);
  await first.locator('a.trail-link').click();
  await aud.locator('#trail-records li.event').first().waitFor({ timeout: 30000 });
  assert.equal(await aud.locator('#trail-pseudonym').textContent(), kpm);
  const records = await aud.locator('#trail-records li.event').evaluateAll((li) => li.map((l) => `${l.dataset.kind} ${l.dataset.log}#${l.dataset.leaf}`));
  assert.deepEqual(records, ['receipt jejak.pkh/bank/bank-a#3']);
  assert.equal(await aud.locator('#trail-findings li[data-type="PAID_NOT_APPROVED"]').count(), 1);
  assert.match(await aud.locator('#trail-findings').textContent(), /dibayar tanpa persetujuan dalam berita acara/);
  // Its record's proof, checked on demand.
  await aud.locator('#trail-records button.proof-button').first().click();
  await aud.locator('#trail-records .proof-out .verdict[data-ok="true"]').waitFor();
  await assertLabelled(aud);
  // By identifier (an auditor): the same family.
  await aud.fill('#family-id', 'TEST-KPM-9');
  await aud.click('#family-id-search');
  await aud.waitForFunction((p) => document.querySelector('#trail-pseudonym')?.textContent === p && !document.querySelector('#trail[aria-busy="true"]'), kpm);
  assert.equal(await aud.locator('#family-id').inputValue(), '', 'the identifier is cleared');
  await shoot(aud, 'keluarga-id-laptop');
});

test('Berita acara lists the submitted one, authorized with 2 of 2 signatures', { timeout: 60000 }, async () => {
  await goTo(aud, 'berita-acara', '#berita-acara tbody tr');
  const row = aud.locator('#berita-acara tr[data-number="800/1/T"]');
  assert.equal(await row.locator('[data-authorized]').getAttribute('data-authorized'), 'true');
  assert.equal(await row.locator('[data-signatures]').getAttribute('data-signatures'), '2/2');
  assert.match(await row.textContent(), /Sah/);
  await row.locator('a').click();
  await aud.locator('#ba-signers li').first().waitFor();
  assert.equal(await aud.locator('#ba-signers li').count(), 2);
  assert.equal(await aud.locator('#ba-rows tbody tr').count(), 2);
  assert.match(await aud.locator('#ba-verdict').textContent(), /Sah.*2 dari 2/);
  const pdf = await aud.locator('#ba-pdf-id').getAttribute('href');
  const answer = await aud.context().request.get(new URL(pdf, auditor.url).href);
  assert.equal(answer.status(), 200);
  assert.ok((await answer.body()).subarray(0, 4).toString() === '%PDF');
  await shoot(aud, 'berita-acara-one-id-laptop');
});

const browserSignatures = new Map();  // public key -> signature, as POSTed

async function signDraft(page, keyFile) {
  await goTo(page, `tanda-tangan/${draftId}`, '#draft-check');
  assert.equal(await page.locator('#draft-check').getAttribute('data-ok'), 'true');
  await page.setInputFiles('#sign-key', join(fedDir, keyFile));
  await page.fill('#sign-passphrase', passphrase);
  const posted = page.waitForRequest((r) => r.url().endsWith(`/drafts/${draftId}/signatures`) && r.method() === 'POST', { timeout: 60000 });
  await page.click('#sign-submit');
  return { body: JSON.parse((await posted).postData()) };
}

test('approvers sign the pending draft in two sessions; refusals are shown', { timeout: 120000 }, async () => {
  const a1 = await newPage();
  await signIn(a1, kab, 'approver-1');
  const nav = (await a1.locator('header nav a').allTextContents()).map((s) => s.trim());
  assert.deepEqual(nav, ['Beranda', 'Keluarga', 'Berita acara', 'Tanda tangan', 'Verifikasi', 'Operasi']);
  await goTo(a1, 'tanda-tangan', `#draft-list tr[data-draft="${draftId}"]`);
  await a1.locator(`#draft-list tr[data-draft="${draftId}"] a`).click();
  await a1.locator('#draft-check').waitFor();
  assert.equal(await a1.locator('#draft-check').getAttribute('data-ok'), 'true');
  // The rows come from the leaves: the CLI's file lists the same ones.
  const file = JSON.parse(readFileSync(join(stageDir, 'ba2.json'), 'utf8'));
  const rows = await a1.locator('#draft-rows tbody tr').evaluateAll((tr) => tr.map((r) => r.dataset.kpm));
  assert.deepEqual(rows, file.records.map((r) => r.kpm));
  assert.equal(await a1.locator('#draft-root').textContent(), file.records_root);
  await assertLabelled(a1);
  assert.equal(await a1.locator('#sign-passphrase').getAttribute('type'), 'password');
  assert.equal(await a1.locator('#sign-passphrase').getAttribute('autocomplete'), 'off');

  // A key file that is not one, refused before anything is sent.
  await a1.setInputFiles('#sign-key', { name: 'bad.key', mimeType: 'text/plain', buffer: Buffer.from('jejak-key-v1\nname x\n') });
  await a1.fill('#sign-passphrase', passphrase);
  await a1.click('#sign-submit');
  await a1.locator('#sign-error[data-kind="key"]').waitFor();
  assert.match(await a1.locator('#sign-error').textContent(), /Baris 3/);

  // The operator's key holds no approver role: the node refuses, the page says why.
  const refusedAnswer = a1.waitForResponse((r) => r.url().endsWith('/signatures'), { timeout: 60000 });
  await a1.setInputFiles('#sign-key', join(fedDir, 'kab-7301-operator.key'));
  await a1.fill('#sign-passphrase', passphrase);
  await a1.click('#sign-submit');
  assert.equal((await refusedAnswer).status(), 403);
  await a1.locator('#sign-error[data-kind="node"][data-status="403"]').waitFor();
  const refusal = (await a1.locator('#sign-error').textContent()).trim();
  assert.match(refusal, /^Tanda tangan ditolak: \S/);
  await shoot(a1, 'tanda-tangan-refused-id-laptop');

  // A signature over other rows (the header with its records root
  // altered), made with an approver's key and sent with its session: 403.
  const altered = await a1.evaluate(async ([id, keyText, phrase]) => {
    const sodium = (await import('/console/vendor/libsodium-wrappers.mjs')).default;
    await sodium.ready;
    const { parseKeyFile, openKeyFile } = await import('/console/keyfile.js');
    const { api } = await import('/console/api.js');
    const d = await api(`drafts/${id}`);
    const bytes = Uint8Array.from(atob(d.signing_bytes), (c) => c.charCodeAt(0));
    const root = Uint8Array.from(atob(d.records_root), (c) => c.charCodeAt(0));
    const at = bytes.findIndex((_, i) => root.every((b, k) => bytes[i + k] === b));
    bytes[at] ^= 1;  // other rows: another records root
    const key = openKeyFile(sodium, parseKeyFile(new TextEncoder().encode(keyText)), new TextEncoder().encode(phrase));
    const body = { public_key: sodium.to_base64(key.publicKey, sodium.base64_variants.ORIGINAL), signature: sodium.to_base64(sodium.crypto_sign_detached(bytes, key.privateKey), sodium.base64_variants.ORIGINAL) };
    sodium.memzero(key.privateKey);
    try {
      await api(`drafts/${id}/signatures`, { method: 'POST', body });
      return { status: 200, at };
    } catch (err) {
      return { status: err.status, at };
    }
  }, [draftId, readFileSync(join(fedDir, 'kab-7301-approver-2.key'), 'utf8'), passphrase]);
  assert.ok(altered.at > 0, 'the records root is in the signed bytes');
  assert.equal(altered.status, 403);

  // Approver 1 signs.
  const one = await signDraft(a1, 'kab-7301-approver-1.key');
  await a1.locator('#sign-done').waitFor({ timeout: 60000 });
  browserSignatures.set(one.body.public_key, one.body.signature);
  assert.match(await a1.locator('#sign-done').textContent(), /1 dari 2/);
  assert.equal(await a1.locator('#sign-passphrase').inputValue(), '');
  // The same key again: the page says so from the file's public line, and
  // the button stays disabled.
  await a1.setInputFiles('#sign-key', join(fedDir, 'kab-7301-approver-1.key'));
  await a1.locator('#sign-already').waitFor();
  assert.match(await a1.locator('#sign-already').textContent(), /kab-7301\/approver-1/);
  assert.equal(await a1.locator('#sign-submit').isDisabled(), true);

  // Approver 2, in a session of its own.
  const a2 = await newPage();
  await signIn(a2, kab, 'approver-2');
  const two = await signDraft(a2, 'kab-7301-approver-2.key');
  await a2.locator('#sign-done').waitFor({ timeout: 60000 });
  browserSignatures.set(two.body.public_key, two.body.signature);
  await a2.locator('#draft-approvers[data-met="true"]').waitFor();
  assert.match(await a2.locator('#draft-approvers').textContent(), /2 dari 2/);
  await shoot(a2, 'tanda-tangan-draft-id-laptop');
  // No submit button for an approver.
  assert.equal(await a2.locator('#draft-submit').count(), 0);

  // The browser's signatures are `jejak ba sign`'s over the same file.
  const cli = JSON.parse(readFileSync(join(stageDir, 'ba2-cli.json'), 'utf8'));
  assert.equal(cli.signatures.length, 2);
  for (const s of cli.signatures) assert.equal(browserSignatures.get(s.public_key), s.signature, s.key_name);
  await a1.context().close();
  await a2.context().close();
});

let submittedIndex;

test('the operator submits the draft; `jejak audit` sees it authorized', { timeout: 120000 }, async () => {
  const op = await newPage();
  await signIn(op, kab, 'operator');
  await goTo(op, `tanda-tangan/${draftId}`, '#operator-actions');
  assert.equal(await op.locator('#sign-form').count(), 0, 'no signing form for an operator');
  await op.locator('#draft-submit:enabled').waitFor();
  await op.click('#draft-submit');
  await op.locator('#submit-done').waitFor({ timeout: 60000 });
  submittedIndex = Number(await op.locator('#submit-done').getAttribute('data-index'));
  assert.ok(submittedIndex > 0);
  await shoot(op, 'tanda-tangan-submitted-id-laptop');
  // Gone from the pending drafts.
  await goTo(op, 'tanda-tangan', '#drafts[aria-busy="false"]');
  assert.equal(await op.locator(`#draft-list tr[data-draft="${draftId}"]`).count(), 0);

  // The statement in the log carries the browser's signatures.
  const proof = run('prove', 'inclusion', '--node', kab.url, '--node-key', kab.key, '--index', String(submittedIndex), '--format', 'tlog-proof');
  const extra = proof.split('\n').find((l) => l.startsWith('extra ')).slice(6);
  const { decodeEntry } = await import('../../node/console/entry.js');
  const statement = await decodeEntry(new Uint8Array(Buffer.from(extra, 'base64')));
  assert.equal(statement.document_number, '800/2/T');
  assert.deepEqual(new Map(statement.signers.map((s) => [s.key, s.signature])), browserSignatures);

  // The auditor holds kab-7301 at its new size, and its audit finds the
  // berita acara authorized.
  const size = sizeOf(kab, KAB_ORIGIN);
  await waitFor(() => sizeOf(auditor, KAB_ORIGIN) === size, `the auditor at ${KAB_ORIGIN} size ${size}`);
  const after = JSON.parse(run('audit', join(fedDir, 'auditor'), '--stage', '2026-T1', '--as-of', '2026-04-01', '--format', 'json'));
  assert.equal(after.summary.UNAUTHORIZED_STATEMENT, 0);
  assert.equal(after.totals.approved, cliAudit.totals.approved + 2);
  await goTo(aud, 'berita-acara', '#berita-acara tr[data-number="800/2/T"]');
  const row = aud.locator('#berita-acara tr[data-number="800/2/T"]');
  assert.equal(await row.locator('[data-authorized]').getAttribute('data-authorized'), 'true');
  assert.equal(await row.locator('[data-signatures]').getAttribute('data-signatures'), '2/2');
  await op.context().close();
});

// The labels of a page: headings, labels, table headings, buttons.
async function labels(page) {
  return page.locator('main h1, main h2, main label, main th, main button, header nav a').allTextContents();
}
// What stays the same in both languages.
const SAME = new Set(['Audit', 'Berita acara', '#', 'Log', 'Node', 'JSON', 'CSV', 'XLSX', 'Checkpoint', 'Origin', 'Berita acara 800/1/T']);
const sameInBoth = (x) => SAME.has(x.trim()) || /^Audit \d+$/.test(x.trim()) || /^[\d\s/.,:Rp-]*$/.test(x);

test('the new pages in both languages, laptop and phone, every label switched', { timeout: 150000 }, async () => {
  const op = await newPage();
  await signIn(op, kab, 'operator');
  await goTo(aud, 'audit', '#runs tr[data-run]');
  const runId = await aud.locator('#runs tr[data-run]').first().getAttribute('data-run');
  await goTo(aud, 'berita-acara', '#berita-acara tr[data-number="800/1/T"]');
  const ba = await aud.locator('#berita-acara tr[data-number="800/1/T"]').getAttribute('data-leaf');
  const pages = [
    [aud, 'audit', 'audit', '#runs'],
    [aud, `audit/${runId}`, 'audit-run', '#findings'],
    [aud, 'keluarga/' + cliAudit.findings[0].kpm, 'keluarga', '#trail-records'],
    [aud, 'berita-acara', 'berita-acara', '#berita-acara'],
    [aud, `berita-acara/${encodeURIComponent(KAB_ORIGIN)}/${ba}`, 'berita-acara-one', '#ba-signers'],
    [op, 'tanda-tangan', 'tanda-tangan', '#drafts[aria-busy="false"]'],
  ];
  // The draft still pending (800/1/T: `jejak ba submit FILE` appended it,
  // and the node keeps its draft), as its operator sees it.
  await goTo(op, 'tanda-tangan', '#drafts[aria-busy="false"]');
  const pending = await op.locator('#draft-list tr[data-draft]').first().getAttribute('data-draft').catch(() => null);
  if (pending) pages.push([op, `tanda-tangan/${pending}`, 'tanda-tangan-draft', '#draft-check']);
  const phones = new Map();
  for (const [p, route, name, ready] of pages) {
    await setLanguage(p, 'id');
    await goTo(p, route, ready);
    const id = await labels(p);
    await shoot(p, `${name}-id-laptop`);
    await setLanguage(p, 'en');
    await p.locator(ready).first().waitFor();
    await p.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const en = await labels(p);
    await shoot(p, `${name}-en-laptop`);
    const same = id.filter((x, i) => x.trim() && x === en[i] && !sameInBoth(x));
    assert.deepEqual(same, [], `${route}: labels left in Bahasa Indonesia`);
    await setLanguage(p, 'id');

    const user = p === aud ? [auditor, 'auditor'] : [kab, 'operator'];
    if (!phones.has(p)) {
      const phone = await newPage('phone');
      await signIn(phone, ...user);
      phones.set(p, phone);
    }
    const phone = phones.get(p);
    for (const lang of ['id', 'en']) {
      await setLanguage(phone, lang);
      await goTo(phone, route, ready);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${route} (${lang}) is ${width} px wide on a 390 px phone`);
      await shoot(phone, `${name}-${lang}-phone`);
    }
    await setLanguage(phone, 'id');
  }
  await op.context().close();
});

// After the operator's submission: a second audit finds the two families
// approved since and never paid.
test('a second audit compares with the first: the findings added', { timeout: 90000 }, async () => {
  await goTo(aud, 'audit', '#audit-start');
  await aud.fill('#audit-date', '2026-04-01');
  const before = aud.url();
  await aud.click('#audit-start');
  await aud.waitForFunction((b) => location.href !== b && /^#\/audit\/[^/]+$/.test(location.hash), before, { timeout: 60000 });
  await aud.locator('#compare-with').waitFor();
  await aud.click('#compare-submit');
  await aud.locator('#compare-counts').waitFor();
  // The two families approved since, not paid after the window.
  const added = await aud.locator('[data-list="compareAdded"] li').count();
  assert.equal(added, 2);
  await shoot(aud, 'audit-compare-id-laptop');
});

test('no console errors and no page errors in the whole run', () => {
  assert.deepEqual(problems, []);
});

