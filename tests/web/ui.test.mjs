// Browser tests of the web UI: each page's main path and an error path, in
// headless Chromium (playwright-core) against `icts serve` on a free loopback
// port, with a snapshot of the project's curated registry and a throwaway
// SQLite store. Screenshots are saved to $ARTEFACTS. Started by run.sh, which
// sets ICTS, ROOT, ARTEFACTS and CHROMIUM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const { ICTS, ROOT, ARTEFACTS, CHROMIUM } = process.env;
const PAGE_TIMEOUT_MS = 20000;
const TEST_TIMEOUT_MS = 90000;

let work;
let server;
let serverLog = '';
let base;
let browser;
const tokens = {};

function icts(args) {
  return execFileSync(ICTS, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
}

function startServer(store, snapshot) {
  return new Promise((resolve, reject) => {
    const child = spawn(ICTS, ['serve', '--listen', '127.0.0.1:0', '--store', store, '--snapshot', snapshot,
      '--rules', join(ROOT, 'rules')], { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${serverLog}`)), 60000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      serverLog += chunk;
      const m = /serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(serverLog);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${serverLog}`));
    });
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'icts-web-test-'));
  const snapshot = join(work, 'curated.snap');
  icts(['lists', 'build', '--config', join(ROOT, 'examples/lists.yaml'), '-o', snapshot, '-q']);
  const store = `sqlite:${join(work, 'ui.db')}`;
  for (const role of ['admin', 'analyst', 'viewer']) {
    tokens[role] = icts(['token', 'create', '--role', role, '--name', `ui-${role}`, '--store', store]).trim();
  }
  const started = await startServer(store, snapshot);
  server = started.child;
  base = `http://127.0.0.1:${started.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root cannot use Chromium's sandbox.
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
    timeout: 60000,
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

// A fresh browser context (its own sessionStorage) with a page that records
// script errors and refused Content-Security-Policy checks; signed in with
// `role`'s token unless role is null.
async function openPage(role) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  const response = await page.goto(`${base}/`);
  if (role) await signIn(page, tokens[role]);
  return { context, page, problems, response };
}

async function signIn(page, token) {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
}

async function finish({ context, page, problems }, name) {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  await context.close();
  assert.deepEqual(problems, [], `${name}: errors in the page`);
}

async function go(page, hash, heading) {
  await page.goto(`${base}/#/${hash}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

const opts = { timeout: TEST_TIMEOUT_MS };

test('the UI is served with a strict Content-Security-Policy', opts, async () => {
  const s = await openPage(null);
  const headers = s.response.headers();
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['access-control-allow-origin'], undefined);
  await finish(s, 'login');
});

test('a wrong token shows the sign-in error', opts, async () => {
  const s = await openPage(null);
  await s.page.getByLabel('API token').fill('icts_0000000000000000');
  await s.page.getByRole('button', { name: 'Sign in' }).click();
  const alert = s.page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Sign-in failed/);
  assert.match(text, /401 Unauthorized/);
  assert.match(text, /valid bearer token/);
  // Nothing was kept.
  assert.equal(await s.page.evaluate(() => sessionStorage.getItem('icts.token')), null);
  await finish(s, 'login-error');
});

test('screening a name shows hits with citations and explanations', opts, async () => {
  const s = await openPage('admin');
  const { page } = s;
  await go(page, 'screen', 'Screening');
  await page.getByLabel('Name', { exact: true }).fill('Hikvision');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const table = page.locator('table.hits');
  await table.waitFor();
  const caption = await table.locator('> caption').innerText();
  assert.match(caption, /hits? for Hikvision/);
  const first = table.locator('tbody.hit').first();
  assert.match(await first.locator('td').first().innerText(), /Hikvision/i);
  // The curated entry's citation.
  assert.match(await first.locator('.citation').first().innerText(), /\S/);
  // The explanation: aligned tokens with their contributions.
  await first.getByText(/explanation/).click();
  const alignment = first.locator('table.alignment');
  await alignment.waitFor();
  assert.match(await alignment.innerText(), /hikvision/i);
  // A reviewer (here: admin) records a decision.
  await first.getByRole('button', { name: 'Record decision' }).click();
  await first.getByLabel('Reason').fill('Checked by hand: the listed company');
  await first.getByLabel('Decision', { exact: true }).selectOption('confirmed');
  await first.getByRole('button', { name: 'Save decision' }).click();
  await first.getByText(/Recorded confirmed/).waitFor();
  await finish(s, 'screen-hikvision');
});

test('an analyst cannot record a decision: the 403 problem is shown', opts, async () => {
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'screen', 'Screening');
  await page.getByLabel('Name', { exact: true }).fill('Huawei Technologies Co., Ltd.');
  await page.getByRole('button', { name: 'Screen', exact: true }).click();
  const first = page.locator('tbody.hit').first();
  await first.waitFor();
  await first.getByRole('button', { name: 'Record decision' }).click();
  await first.getByLabel('Reason').fill('not ours');
  await first.getByRole('button', { name: 'Save decision' }).click();
  const alert = first.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /403 Forbidden/);
  assert.match(await alert.innerText(), /needs the reviewer role/);
  await finish(s, 'screen-decision-403');
});

test('names in Chinese, Cyrillic and Persian script find their entities and render', opts, async () => {
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'screen', 'Screening');
  const cases = [
    { query: '华为技术有限公司', expect: /Huawei/i, lang: 'zh', dir: 'ltr' },
    { query: 'Лаборатория Касперского', expect: /Kaspersky/i, lang: 'und-Cyrl', dir: 'ltr' },
    { query: 'شرکت مخابرات ایران', expect: /Telecommunication|مخابرات/i, lang: 'und-Arab', dir: 'rtl' },
  ];
  for (const [i, c] of cases.entries()) {
    await page.getByLabel('Name', { exact: true }).fill(c.query);
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const caption = page.locator('table.hits caption');
    await caption.filter({ hasText: c.query }).waitFor();
    const hits = await page.locator('table.hits tbody.hit').allInnerTexts();
    assert.ok(hits.some((t) => c.expect.test(t)), `${c.query}: no hit matching ${c.expect}: ${hits.join(' | ')}`);
    // The query echoed in its own script, direction and language.
    const name = caption.locator('.name');
    assert.equal(await name.innerText(), c.query);
    assert.equal(await name.getAttribute('lang'), c.lang);
    assert.equal(await name.evaluate((el) => getComputedStyle(el).direction), c.dir);
    // The glyphs are drawn (a missing font would still give boxes of some width, so
    // the screenshots are the visual check).
    assert.ok((await name.boundingBox()).width > 20);
    await page.screenshot({ path: join(ARTEFACTS, `screen-script-${i + 1}-${c.lang}.png`), fullPage: true });
  }
  await finish(s, 'screen-scripts');
});

test('a batch file runs as a job with progress and shows its results', opts, async () => {
  const csv = join(work, 'suppliers.csv');
  writeFileSync(csv, 'name,country\nHikvision,CN\nAcme Plumbing Supplies,US\n华为技术有限公司,\nЛаборатория Касперского,RU\n');
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'screen', 'Screening');
  await page.getByLabel('File', { exact: true }).setInputFiles(csv);
  await page.getByRole('button', { name: 'Screen file' }).click();
  const results = page.locator('table.batch');
  await results.waitFor();
  assert.match(await page.locator('.job').innerText(), /done, 4 of 4/);
  assert.equal(await page.locator('progress').getAttribute('value'), '4');
  const rows = await results.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 4);
  assert.match(rows[0], /Hikvision/);
  assert.match(rows[2], /华为技术有限公司/);
  assert.match(rows[2], /Huawei/i);
  assert.match(await page.getByRole('status').filter({ hasText: 'rows screened' }).innerText(),
    /4 rows screened, 3 with hits/);
  await finish(s, 'screen-batch');
});

test('a batch file without a name column is refused with its problem', opts, async () => {
  const csv = join(work, 'bad.csv');
  writeFileSync(csv, 'supplier,country\nHikvision,CN\n');
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'screen', 'Screening');
  await page.getByLabel('File', { exact: true }).setInputFiles(csv);
  await page.getByRole('button', { name: 'Screen file' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /400 Bad Request/);
  assert.match(await alert.innerText(), /bad\.csv: no column 'name'/);
  await finish(s, 'screen-batch-error');
});

test('a scan groups findings by supplier and category, with evidence and the HTML report', opts, async () => {
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'scan', 'Scan');
  await page.getByLabel('Inventory file').setInputFiles(join(ROOT, 'examples/scan/clinic-hbom.cdx.json'));
  await page.getByRole('button', { name: 'Scan', exact: true }).click();
  await page.getByRole('heading', { name: 'Result' }).waitFor();
  assert.match(await page.locator('.summary').innerText(), /items: \d+ prohibited/);
  const groups = page.locator('.groups section.group');
  assert.ok((await groups.count()) > 0, 'no supplier groups');
  // A finding opens to its evidence chain.
  const finding = page.locator('ul.findings details').first();
  await finding.locator('summary').click();
  const chain = await finding.locator('dl.chain').innerText();
  for (const step of ['component', 'supplier', 'because', 'rule', 'citation']) {
    assert.match(chain, new RegExp(step), `evidence chain lacks ${step}`);
  }
  await page.screenshot({ path: join(ARTEFACTS, 'scan-by-supplier.png'), fullPage: true });
  await page.getByLabel('category').check();
  assert.match(await page.locator('.groups h3').first().innerText(), /hardware|software|firmware|service|data|unknown/);
  // The HTML report, as `icts scan -o html` writes it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export HTML report' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^icts-scan-job-\d+\.html$/);
  const saved = join(ARTEFACTS, 'scan-report.html');
  await download.saveAs(saved);
  assert.match(readFileSync(saved, 'utf8'), /<!doctype html>/i);
  await finish(s, 'scan-by-category');
});

test('a review from the form and from JSON shows the determination with trace and citations', opts, async () => {
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'review', 'Review');
  // The form.
  await page.getByLabel('Item description').fill('Surveillance cameras for a warehouse');
  await page.getByLabel('Name').first().fill('Hangzhou Hikvision Digital Technology Co., Ltd.');
  await page.locator('#rv-p0-role').selectOption('manufacturer');
  await page.locator('#rv-p0-country').fill('CN');
  await page.getByLabel('Name').nth(1).fill('Harbor Logistics LLC');
  await page.locator('#rv-p1-country').fill('US');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const det = page.locator('section.determination');
  await det.waitFor();
  assert.match(await det.locator('.verdict').innerText(), /Outcome: (prohibited|needs review|clear)/);
  await page.screenshot({ path: join(ARTEFACTS, 'review-form.png'), fullPage: true });
  // JSON: the built-in example.
  await page.getByRole('button', { name: 'JSON' }).click();
  await page.getByRole('button', { name: 'Load example' }).click();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await det.locator('h2', { hasText: 'example-router-purchase' }).waitFor();
  const findings = det.locator('table.findings-table tbody tr');
  assert.ok((await findings.count()) > 0, 'no findings');
  assert.match(await det.locator('table.findings-table .citation').first().innerText(), /\S/);
  await det.locator('details.trace summary').click();
  assert.ok((await det.locator('details.trace ol > li').count()) > 0, 'empty trace');
  await finish(s, 'review-json');
});

test('malformed review JSON shows the problem document', opts, async () => {
  const s = await openPage('analyst');
  const { page } = s;
  await go(page, 'review', 'Review');
  await page.getByRole('button', { name: 'JSON' }).click();
  await page.getByLabel(/Transaction \(JSON/).fill('{"id": "t1", "date": ');
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Review failed/);
  assert.match(text, /400 Bad Request/);
  assert.match(text, /not valid JSON/);
  assert.match(text, /\/api\/v1\/review/);
  await finish(s, 'review-error');
});

test('an entity shows its ownership graph with adversary shares and the path', opts, async () => {
  const s = await openPage('viewer');
  const { page } = s;
  await go(page, 'entity', 'Entity');
  // Hikvision: 38.88% held by CETC HIK Group, itself wholly owned by CETC (a
  // Chinese state enterprise), which also controls it.
  await page.getByLabel('Entity id').fill('icts:hikvision');
  await page.getByRole('button', { name: 'Show owners' }).click();
  const heading = page.locator('#owners-heading');
  await heading.waitFor();
  assert.match(await heading.innerText(), /Hikvision/);
  const status = await page.getByRole('status').filter({ hasText: 'Outcome' }).innerText();
  assert.match(status, /holds/);
  assert.match(status, /CN 39%/);
  // Cytoscape drew the graph; the nodes carry their shares.
  await page.locator('.graph canvas').first().waitFor();
  const nodes = await page.locator('table.graph-table tbody tr').allInnerTexts();
  assert.ok(nodes.length >= 3, `graph nodes: ${nodes.join(' | ')}`);
  assert.ok(nodes.some((t) => /cetc-hik-group.*CN 100%/s.test(t)), `no node with its CN share: ${nodes.join(' | ')}`);
  assert.ok((await page.locator('table.graph-table tr.on-path').count()) >= 2, 'no highlighted path');
  await finish(s, 'entity-graph');
});

test('an unknown entity shows the 404 problem', opts, async () => {
  const s = await openPage('viewer');
  await go(s.page, 'entity/no-such-entity', 'Entity');
  const alert = s.page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /404 Not Found/);
  assert.match(await alert.innerText(), /no-such-entity/);
  await finish(s, 'entity-404');
});

test('cases list what falls due; a case shows its timeline; a refused event shows 409', opts, async () => {
  const s = await openPage('admin');
  const { page } = s;
  await go(page, 'cases', 'Cases');
  await page.getByText('Open a new case').click();
  await page.getByLabel('Title').fill('Router vendor review — 路由器');
  await page.getByLabel('Opened on').fill('2025-03-03');
  await page.getByRole('button', { name: 'Open case' }).click();
  const detail = page.locator('section.case');
  await detail.waitFor();
  assert.match(await detail.locator('h2').innerText(), /Router vendor review — 路由器/);
  const timeline = detail.locator('ol.timeline');
  // An event the state allows.
  await page.getByLabel('Event', { exact: true }).fill('referral-accepted');
  await page.getByLabel('Date', { exact: true }).fill('2025-03-05');
  await page.getByLabel('Note (optional)').fill('accepted for review');
  await page.getByRole('button', { name: 'Record event' }).click();
  await timeline.locator('li.event', { hasText: 'referral-accepted' }).waitFor();
  // Notice of a proposed initial determination starts the first deadline.
  await page.getByLabel('Event', { exact: true }).fill('id-noticed');
  await page.getByLabel('Date', { exact: true }).fill('2025-03-10');
  await page.getByLabel('Note (optional)').fill('');
  await page.getByRole('button', { name: 'Record event' }).click();
  await timeline.locator('li.event', { hasText: 'id-noticed' }).waitFor();
  // The deadline, on the timeline with its citation.
  const deadlines = timeline.locator('li.deadline');
  assert.ok((await deadlines.count()) > 0, 'no deadlines on the timeline');
  assert.match(await deadlines.first().innerText(), /2025-03-31 deadline Initial determination may be served/);
  assert.match(await deadlines.first().locator('.citation').innerText(), /\S/);
  // The list, with the case and its next due date.
  const rows = await page.locator('table.cases tbody tr').allInnerTexts();
  assert.ok(rows.some((r) => /Router vendor review/.test(r)), rows.join(' | '));
  // An event the state machine refuses.
  await page.getByLabel('Event', { exact: true }).fill('fd-prohibited');
  await page.getByRole('button', { name: 'Record event' }).click();
  const alert = detail.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /409 Conflict/);
  await finish(s, 'cases');
});

test('audit shows the chain status; a revoked session shows 401', opts, async () => {
  const s = await openPage('viewer');
  const { page } = s;
  await go(page, 'audit', 'Audit');
  const status = page.locator('.chain-status');
  await status.waitFor();
  assert.equal(await status.innerText(), 'Audit chain intact');
  assert.ok(Number(await page.locator('.chain dd').first().innerText()) > 0);
  await page.screenshot({ path: join(ARTEFACTS, 'audit.png'), fullPage: true });
  // A token the server does not know.
  await page.evaluate(() => sessionStorage.setItem('icts.token', 'icts_not-a-token'));
  await page.getByRole('button', { name: 'Verify again' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /401 Unauthorized/);
  await finish(s, 'audit-401');
});

test('lists show the snapshot and the age of each source', opts, async () => {
  const s = await openPage('viewer');
  const { page } = s;
  await go(page, 'lists', 'Lists');
  const table = page.locator('table.sources');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 4);
  assert.match(await table.innerText(), /curated/);
  assert.match(await page.getByRole('status').innerText(), /Snapshot [0-9a-f]{16}: \d+ entities/);
  await finish(s, 'lists');
});
