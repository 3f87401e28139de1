// run.mjs — end-to-end browser tests of the dashboard: Debian's chromium driven by playwright-core, against
// a real corpusd started here on a free port (and, for one test, behind a reverse-proxy prefix).
//
//   node tests/browser/run.mjs --bin build/corpusd --corpus corpus --web web --artifacts tests/artifacts
//   node tests/browser/run.mjs --url http://127.0.0.1:8080/      (against a server that is already running)
//
// Every test fails on any console error, page error or failed request. Screenshots of each view go to
// the artifacts directory. The last line is "N passed, N failed"; the exit status is 1 when one failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startProxy } from './proxy.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BIN = path.resolve(args.bin || path.join(ROOT, 'build/corpusd'));
const CORPUS = path.resolve(args.corpus || path.join(ROOT, 'corpus'));
const WEB = path.resolve(args.web || path.join(ROOT, 'web'));
const ARTIFACTS = path.resolve(args.artifacts || path.join(ROOT, 'tests/artifacts'));
const CHROMIUM = args.chromium || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ONLY = args.only ? new RegExp(args.only, 'i') : null;

fs.mkdirSync(ARTIFACTS, { recursive: true });
for (const f of fs.readdirSync(ARTIFACTS)) if (/^FAILED-\d+\.png$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer() {
  const port = await freePort();
  const log = fs.openSync(path.join(ARTIFACTS, 'corpusd.log'), 'w');
  const child = spawn(BIN, ['--corpus', CORPUS, '--listen', `127.0.0.1:${port}`, '--web-dir', WEB], {
    stdio: ['ignore', log, log], env: { ...process.env },
  });
  let exited = null;
  child.on('exit', (code, sig) => { exited = `corpusd exited (${code ?? sig}); see ${path.join(ARTIFACTS, 'corpusd.log')}`; });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error(exited);
    try {
      const r = await fetch(base + 'readyz');
      if (r.ok) return { child, base, port };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error('corpusd did not become ready within 20 s');
}

async function api(base, p) {
  const r = await fetch(base + p);
  if (!r.ok) throw new Error(`GET ${p}: ${r.status}`);
  return r.json();
}

// ---------------------------------------------------------------------------------------------------------
// Helpers used by the tests.

function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** Waits until the router has rendered the current hash (matching `re`) and no section is still loading. */
async function ready(page, re = /.*/) {
  await page.waitForFunction((src) => {
    const r = document.body.dataset.ready;
    return r !== undefined && new RegExp(src).test(r) && !document.querySelector('[aria-busy="true"]');
  }, re.source, { timeout: 15000 });
}

async function open(page, base, hash, re) {
  await page.goto(base + hash);
  await ready(page, re || new RegExp('^' + hash.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'));
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

const count = (page, sel) => page.locator(sel).count();

// ---------------------------------------------------------------------------------------------------------
// The tests. Each gets a fresh browser context; `t.allow(re)` lets a test expect a console message (an
// error state it provokes on purpose).

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('overview shows the corpus counts, the events histogram and the top entities', async ({ page, base, data }) => {
  await open(page, base, '#/');
  assert(await page.locator('h1').innerText() === 'Corpus overview', 'overview heading');
  const docs = await page.locator('.stat .stat-value').first().innerText();
  assert(docs === String(data.stats.documents), `documents stat ${docs} != ${data.stats.documents}`);
  if (data.hist.data.length) assert(await count(page, '#ov-hist a.hist-bar') === data.hist.data.filter((d) => d.count > 0).length, 'one histogram bar per month with events');
  if (data.stats.entities) assert(await count(page, '#ov-top a.bar-row') === Math.min(10, data.stats.entities), 'top entities bars');
  await shot(page, 'overview');
});

test('documents view lists the documents and sorts them', async ({ page, base, data }) => {
  await open(page, base, '#/documents');
  const n = await count(page, '.doc-card');
  assert(n === Math.min(20, data.docs.meta.total), `${n} document cards, expected ${Math.min(20, data.docs.meta.total)}`);
  await shot(page, 'documents');
  await page.selectOption('#doc-sort', 'title');
  await ready(page, /^#\/documents\?sort=title$/);
  const titles = await page.locator('.doc-card .doc-title').allInnerTexts();
  const byApi = (await api(base, 'v1/documents?sort=title&limit=20')).data.map((d) => d.title || d.id);
  assert(JSON.stringify(titles) === JSON.stringify(byApi), 'title order follows the API');
});

test('search from the top bar shows ranked results with highlighted snippets', async ({ page, base, data }) => {
  await open(page, base, '#/documents');
  await page.fill('#topsearch-q', data.word);
  await page.press('#topsearch-q', 'Enter');
  await ready(page, /^#\/search\?q=/);
  const cards = await count(page, '.doc-card');
  assert(cards === Math.min(20, data.search.meta.total) && cards > 0, `${cards} results, API says ${data.search.meta.total}`);
  const marks = await page.locator('.snippet mark').allInnerTexts();
  assert(marks.length > 0 && marks.every((m) => m.toLowerCase().startsWith(data.word.toLowerCase())), `snippet marks: ${marks.join(', ')}`);
  assert(/match/.test(await page.locator('.result-count').innerText()), 'result count shown');
  await shot(page, 'search');
});

test('a query the API refuses shows an error state, not a broken page', async ({ page, base, allow }) => {
  allow(/status of 400/);
  await open(page, base, '#/search?q=%22unbalanced');
  const alert = page.locator('[role="alert"]');
  assert(await alert.count() === 1, 'one alert');
  assert(/double quote/i.test(await alert.innerText()), 'the problem detail is shown');
  await shot(page, 'search-error');
});

test('opening a document shows its text with entities and dates highlighted', async ({ page, base, data }) => {
  await open(page, base, '#/documents');
  const first = page.locator('.doc-card .doc-title a').first();
  const title = await first.innerText();
  await first.click();
  await ready(page, /^#\/documents\/[^?]+$/);
  assert(await page.locator('h1').innerText() === title, 'reader heading is the document title');
  const id = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const doc = await api(base, `v1/documents/${encodeURIComponent(id)}`);
  const ents = await api(base, `v1/documents/${encodeURIComponent(id)}/entities`);
  const tx = await api(base, `v1/documents/${encodeURIComponent(id)}/timexes`);
  const paras = await count(page, '#reader-text p');
  assert(paras === (doc.paragraphs.length || paras), `${paras} paragraphs, API has ${doc.paragraphs.length}`);
  const text = (await page.locator('#reader-text').innerText()).replace(/\s+/g, '');
  assert(text === doc.text.replace(/\s+/g, ''), 'the reader shows the whole text, unchanged');
  if (ents.data.length) {
    assert(await count(page, '#reader-text a.ent') > 0, 'entity mentions highlighted');
    // Every highlighted mention is exactly the text at its offsets.
    const cps = Array.from(doc.text);
    const m = ents.data[0].mentions[0];
    const shown = await page.locator(`#reader-text a.ent[data-entity="${ents.data[0].id}"]`).first().innerText();
    assert(ents.data[0].mentions.some((x) => cps.slice(x.start, x.end).join('') === shown), `mention text ${shown} vs ${cps.slice(m.start, m.end).join('')}`);
  }
  if (tx.data.length) assert(await count(page, '#reader-text time.timex') > 0, 'dates highlighted');
  await shot(page, 'document');
  // Every document of the first page reads back unchanged, with one highlight per entity mention kept.
  for (const d of data.docs.data) {
    await open(page, base, `#/documents/${encodeURIComponent(d.id)}`);
    const full = await api(base, `v1/documents/${encodeURIComponent(d.id)}`);
    const shownText = (await page.locator('#reader-text').innerText()).replace(/\s+/g, '');
    assert(shownText === full.text.replace(/\s+/g, ''), `text of ${d.id} unchanged`);
  }
  await page.goto(base + `#/documents/${encodeURIComponent(id)}`);
  await ready(page, /^#\/documents\/[^?]+$/);
  // The highlight toggles work with the keyboard.
  await page.focus('#hl-LOC');
  await page.keyboard.press('Space');
  assert(await page.locator('article.reader.hide-t-LOC').count() === 1, 'LOC highlight toggled off');
  // "Show what cleaning set aside" swaps the text for the original with its set-aside spans greyed.
  const src = await api(base, `v1/documents/${encodeURIComponent(id)}/source`);
  await page.locator('#show-aside').check();
  await page.locator('#reader-source').waitFor();
  assert(await page.locator('#reader-text').isHidden(), 'cleaned text hidden while the original shows');
  assert(await count(page, '#reader-source .aside') >= Math.min(1, src.set_aside.length), 'set-aside spans shown');
  if (src.set_aside.length) {
    const first = await page.locator('#reader-source .aside').first().getAttribute('data-reason');
    assert(first === src.set_aside[0].reason, `first span's reason ${first}`);
  }
  await page.locator('#show-aside').uncheck();
  assert(await page.locator('#reader-text').isVisible(), 'cleaned text back');
});

test('entities table sorts by mentions, filters by type and charts the top entities', async ({ page, base, data }) => {
  if (!data.stats.entities) return;
  await open(page, base, '#/entities');
  const mentions = (await page.locator('#entity-table tbody td.num:nth-child(3)').allInnerTexts()).map((s) => Number(s.replace(/\D/g, '')));
  assert(mentions.length > 0 && mentions.every((v, i) => !i || mentions[i - 1] >= v), `sorted by mentions: ${mentions.join(',')}`);
  assert(await count(page, '#ent-chart a.bar-row') === Math.min(10, data.stats.entities), 'bar chart of the top entities');
  await shot(page, 'entities');
  if (data.stats.entities > 25) {
    const firstPage = await page.locator('#entity-table tbody th a').allInnerTexts();
    await page.locator('.pager a[rel="next"]').click();
    await ready(page, /cursor=/);
    const second = await page.locator('#entity-table tbody th a').allInnerTexts();
    assert(second.length > 0 && !second.some((n) => firstPage.includes(n)), 'the next page lists other entities');
    assert(await page.locator('.pager a', { hasText: 'First page' }).count() === 1, 'a link back to the first page');
    await page.goBack();
    await ready(page, /^#\/entities$/);
  }
  await page.locator('#entity-table thead a.sort', { hasText: 'Name' }).click();
  await ready(page, /sort=name/);
  assert(await page.locator('#entity-table th[aria-sort="ascending"]').count() === 1, 'name column sorted ascending');
  const type = Object.entries(data.stats.entities_by_type).find(([, n]) => n > 0)[0];
  const label = { PERSON: 'People', ORG: 'Organisations', LOC: 'Locations', MISC: 'Other' }[type];
  await page.locator('.segmented a', { hasText: label }).click();
  await ready(page, new RegExp(`type=${type}`));
  const badges = await page.locator('#entity-table tbody .badge').allInnerTexts();
  assert(badges.length > 0 && new Set(badges).size === 1, `only one type listed: ${[...new Set(badges)]}`);
  await shot(page, 'entities-filtered');
});

test('an entity page shows aliases, roles, mentions in context and the related-entity graph', async ({ page, base, data }) => {
  if (!data.stats.entities) return;
  await open(page, base, '#/entities');
  const link = page.locator('#entity-table tbody th a').first();
  const name = await link.innerText();
  await link.click();
  await ready(page, /^#\/entities\/[^?]+$/);
  assert((await page.locator('h1').innerText()).includes(name), 'entity heading');
  assert(await count(page, '.facts dt') === 2, 'aliases and roles shown');
  assert(await count(page, '#ent-mentions blockquote mark') > 0, 'mentions in context highlighted');
  const id = decodeURIComponent((await page.evaluate(() => location.hash)).split('/')[2]);
  const rel = await api(base, `v1/entities/${encodeURIComponent(id)}/related?limit=12`);
  if (rel.data.length) assert(await count(page, '#ent-related svg.ego-graph a.node') === rel.data.length, 'one graph node per related entity');
  await shot(page, 'entity');
  // A mention opens the document with the mention outlined.
  await page.locator('#ent-mentions .meta a').first().click();
  await ready(page, /^#\/documents\/[^?]+\?mark=\d+-\d+$/);
  assert(await page.locator('#focus').isVisible(), 'the mention is outlined and visible');
});

test('timeline: events on a time axis; clicking one opens its sentence in the document', async ({ page, base, data }) => {
  if (!data.events.length) return;
  await open(page, base, '#/timeline');
  const marks = await count(page, 'svg.timeline-chart a.event-mark');
  assert(marks === data.events.length, `${marks} marks for ${data.events.length} events`);
  assert(await count(page, '#tl-hist a.hist-bar') > 0 || !data.hist.data.length, 'histogram of events per month');
  await shot(page, 'timeline');
  const mark = page.locator('svg.timeline-chart a.event-mark').last();
  const evId = await mark.getAttribute('data-event');
  const ev = data.events.find((e) => e.id === evId);
  await mark.click();
  await ready(page, /^#\/documents\/[^?]+\?event=/);
  const focus = page.locator('#focus');
  assert(await focus.isVisible(), 'the event sentence is outlined and visible');
  const outlined = (await page.locator('#reader-text .focus').allInnerTexts()).join('');
  assert(outlined.replace(/\s+/g, ' ').trim() === ev.sentence.replace(/\s+/g, ' ').trim(), `outlined "${outlined}" is the event sentence "${ev.sentence}"`);
  assert(await page.evaluate(() => document.activeElement && document.activeElement.id === 'focus'), 'focus moved to the sentence');
  await shot(page, 'timeline-event', false);
});

test('timeline zooms by year and month and filters by entity and document', async ({ page, base, data }) => {
  if (!data.events.length) return;
  const ev = data.events.find((e) => e.precision === 'day') || data.events[0];
  const year = ev.date.slice(0, 4);
  await open(page, base, '#/timeline');
  await page.locator('.zoom a.zbtn', { hasText: new RegExp(`^${year}$`) }).click();
  await ready(page, new RegExp(`from=${year}-01-01&to=${year}-12-31`));
  assert((await page.locator('#tl-chart-title').innerText()) === year, 'zoomed to the year');
  if (ev.date.length >= 7) {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(ev.date.slice(5, 7)) - 1];
    await page.locator('.zoom a.zbtn', { hasText: new RegExp(`^${month}$`) }).click();
    await ready(page, new RegExp(`from=${ev.date.slice(0, 7)}-01`));
    const inMonth = data.events.filter((e) => e.date.startsWith(ev.date.slice(0, 7)) || e.date === year).length;
    assert(await count(page, 'svg.timeline-chart a.event-mark') === inMonth, `events of the month: ${inMonth}`);
    await shot(page, 'timeline-month');
  }
  const ent = (ev.entities || [])[0];
  if (ent) {
    await page.selectOption('#tl-entity', ent.id);
    await ready(page, new RegExp(`entity=${encodeURIComponent(ent.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const withEnt = (await api(base, `v1/timeline?entity=${encodeURIComponent(ent.id)}&limit=100`)).data;
    assert((await page.locator('.page-head .lede').innerText()).startsWith(`${withEnt.length} dated event`), 'entity filter applied');
  }
  await page.selectOption('#tl-document', ev.document_id);
  await ready(page, /document=/);
  await shot(page, 'timeline-filtered');
});

test('deep links work on reload', async ({ page, base, data }) => {
  await open(page, base, `#/search?q=${encodeURIComponent(data.word)}`);
  await page.reload();
  await ready(page, /^#\/search\?q=/);
  assert(await count(page, '.snippet mark') > 0, 'search results after reload');
  assert(await page.inputValue('#search-q') === data.word, 'query kept');
  if (data.stats.entities) {
    const e = (await api(base, 'v1/entities?limit=1&sort=-mentions')).data[0];
    await open(page, base, `#/entities/${encodeURIComponent(e.id)}`);
    await page.reload();
    await ready(page, /^#\/entities\//);
    assert((await page.locator('h1').innerText()).includes(e.name), 'entity page after reload');
  }
  await open(page, base, '#/timeline?document=' + encodeURIComponent(data.docs.data[0].id));
  await page.reload();
  await ready(page, /^#\/timeline\?document=/);
  assert(await page.inputValue('#tl-document') === data.docs.data[0].id, 'timeline filter after reload');
});

test('keyboard: skip link, navigation, "/" to search and chart links work without a mouse', async ({ page, base, data }) => {
  await open(page, base, '#/');
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.id) === 'skip-link', 'first Tab reaches the skip link');
  let found = false;
  for (let i = 0; i < 8 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement.textContent === 'Entities' && !!document.activeElement.closest('.mainnav'));
  }
  assert(found, 'Tab reaches the Entities navigation link');
  await page.keyboard.press('Enter');
  await ready(page, /^#\/entities$/);
  assert(await page.evaluate(() => document.activeElement.tagName) === 'H1', 'focus moves to the new view heading');
  await page.keyboard.press('/');
  assert(await page.evaluate(() => document.activeElement.id) === 'topsearch-q', '"/" focuses the search box');
  await page.keyboard.type(data.word);
  await page.keyboard.press('Enter');
  await ready(page, /^#\/search\?q=/);
  // Focus a histogram bar on the timeline with Tab and follow it with Enter.
  if (data.hist.data.length) {
    await open(page, base, '#/timeline');
    await page.locator('#tl-hist a.hist-bar').first().focus();
    await page.keyboard.press('Enter');
    await ready(page, /^#\/timeline\?from=\d{4}-\d{2}-01&to=/);
  }
  // Focus styles are visible.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline && outline !== 'none', 'a focused control has a visible outline');
});

test('works behind a reverse-proxy prefix (/corpus/) with relative URLs only, under a strict CSP', async ({ page, proxyBase, data }) => {
  const outside = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.protocol.startsWith('http') && !u.pathname.startsWith('/corpus/')) outside.push(r.url()); });
  await open(page, proxyBase, '#/documents');
  const csp = (await page.request.get(proxyBase)).headers()['content-security-policy'] || '';
  assert(csp.includes("script-src 'self'"), 'the proxy sends a strict Content-Security-Policy');
  assert(await count(page, '.doc-card') === Math.min(20, data.docs.meta.total), 'documents through the proxy');
  await open(page, proxyBase, `#/search?q=${encodeURIComponent(data.word)}`);
  assert(await count(page, '.snippet mark') > 0, 'search through the proxy');
  await open(page, proxyBase, '#/timeline');
  await open(page, proxyBase, `#/documents/${encodeURIComponent(data.docs.data[0].id)}`);
  if (data.stats.entities) await open(page, proxyBase, `#/entities/${encodeURIComponent((await api(data.base, 'v1/entities?limit=1&sort=-mentions')).data[0].id)}`);
  await open(page, proxyBase, '#/');
  assert(!outside.length, `requests outside the prefix: ${outside.join(', ')}`);
  await shot(page, 'proxy-overview');
});

test('narrow screens: no view scrolls sideways', async ({ page, base, data }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const views = ['#/', '#/documents', `#/search?q=${data.word}`, `#/documents/${encodeURIComponent(data.docs.data[0].id)}`, '#/entities', '#/timeline'];
  if (data.stats.entities) views.push(`#/entities/${encodeURIComponent((await api(base, 'v1/entities?limit=1&sort=-mentions')).data[0].id)}`);
  for (const v of views) {
    await open(page, base, v);
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert(sw <= iw, `${v} is ${sw}px wide in a ${iw}px window`);
  }
  await open(page, base, '#/');
  await shot(page, 'overview-mobile');
  await open(page, base, '#/timeline');
  await shot(page, 'timeline-mobile');
});

test('an unknown document or view shows an error state', async ({ page, base, allow }) => {
  allow(/status of 404/);
  await open(page, base, '#/documents/no-such-document');
  assert(/404/.test(await page.locator('[role="alert"]').innerText()), 'the 404 is shown');
  assert(await count(page, '[role="alert"] button') === 1, 'with a Retry button');
  await open(page, base, '#/no/such/view');
  assert((await page.locator('h1').innerText()) === 'Page not found', 'unknown view');
  await shot(page, 'not-found');
});

// ---------------------------------------------------------------------------------------------------------

async function main() {
  let server = null;
  let proxy = null;
  let browser = null;
  let passed = 0;
  let failed = 0;
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    if (proxy) proxy.close();
    if (server) server.child.kill('SIGTERM');
  };
  process.on('SIGINT', async () => { await cleanup(); process.exit(130); });
  try {
    if (args.url) server = { base: args.url.replace(/\/?$/, '/'), child: { kill() {} } };
    else server = await startServer();
    const base = server.base;
    const upPort = Number(new URL(base).port);
    proxy = await startProxy({ upstreamPort: upPort, prefix: '/corpus/' });
    const proxyBase = `http://127.0.0.1:${proxy.address().port}/corpus/`;

    // What the API says, to compare the pages with.
    const stats = await api(base, 'v1/stats');
    const docs = await api(base, 'v1/documents?limit=20&sort=-published');
    const hist = await api(base, 'v1/timeline/histogram?interval=month');
    const events = (await api(base, 'v1/timeline?limit=100')).data;
    const word = 'China';
    const search = await api(base, `v1/search?q=${word}&limit=20`);
    const data = { stats, docs, hist, events, word, search, base };

    // playwright's launch() gives Chromium a fresh temporary --user-data-dir of its own each run.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    console.log(`browser tests: chromium ${browser.version()}, corpusd at ${base}, proxy at ${proxyBase}`);

    let i = 0;
    for (const t of tests) {
      i++;
      if (ONLY && !ONLY.test(t.name)) continue;
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      const problems = [];
      const allowed = [];
      page.on('console', (m) => { if (m.type() === 'error' && !allowed.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => { const f = r.failure(); if (!f || !/ERR_ABORTED/.test(f.errorText)) problems.push(`request failed: ${r.url()} ${f && f.errorText}`); });
      const t0 = Date.now();
      try {
        await t.fn({ page, base, proxyBase, data, allow: (re) => allowed.push(re) });
        await sleep(100);
        if (problems.length) throw new Error(problems.join('; '));
        passed++;
        console.log(`ok ${i} - ${t.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`not ok ${i} - ${t.name}\n    ${String(e.message || e).split('\n')[0]}`);
        if (problems.length && !String(e.message).includes(problems[0])) console.log(`    also: ${problems.join('; ')}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `FAILED-${i}.png`), fullPage: true }).catch(() => {});
      }
      await context.close();
    }
  } catch (e) {
    failed++;
    console.log(`not ok - setting up the browser tests: ${e.message}`);
  } finally {
    await cleanup();
  }
  console.log(`screenshots in ${path.relative(process.cwd(), ARTIFACTS) || ARTIFACTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
