// What the console's browser tests share: the environment run.sh sets, the
// federation's nodes, the screen sizes, and pages that record every console
// error and page error a test did not provoke on purpose.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WAIT = 15000;  // every wait is bounded by this (ms)

export const VIEWPORTS = {
  laptop: { viewport: { width: 1366, height: 768 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

// An environment variable run.sh sets; a clear error when it is not.
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run tests/browser/run.sh)`);
  return v;
}

// nodes.tsv of the federation: name -> {kind, url, key}.
export function readNodes(fedDir) {
  return new Map(
    readFileSync(join(fedDir, 'nodes.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .map(([name, kind, url, key]) => [name, { kind, url, key }]),
  );
}

// A new browser context and page of `kind` (a key of VIEWPORTS). Console
// errors and page errors go to `problems`, except the answers the console is
// meant to get that chromium logs as "Failed to load resource": `expected`
// lists them as {path, status} (the path an ending of the URL, without its
// query). `contexts` (optional) collects the context, to close it.
export async function newPage(browser, kind, problems, expected, contexts) {
  const context = await browser.newContext({ ...VIEWPORTS[kind], ignoreHTTPSErrors: true, locale: 'id-ID' });
  contexts?.push(context);
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`${kind} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    const meant = expected.some((e) => where.split('?')[0].endsWith(e.path) && msg.text().includes(`status of ${e.status}`));
    if (!meant) problems.push(`${kind} console: ${msg.text()} (${where})`);
  });
  return page;
}

// A full-page screenshot into the artifacts folder.
export async function shoot(page, artifacts, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true, timeout: WAIT });
}
