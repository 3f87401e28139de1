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
// `--suite seed` (default): every view on the small seed corpus. `--suite scale`: the tests at scale, against a
// Reuters-sized corpus (`--corpus DIR` holding the JSONL); their screenshots are named *-large.png.
const SUITE = args.suite || 'seed';
const READY_S = Number(args['ready-timeout'] || (SUITE === 'scale' ? 180 : 20));

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
  for (let i = 0; i < READY_S * 10; i++) {
    if (exited) throw new Error(exited);
    try {
      const r = await fetch(base + 'readyz');
      if (r.ok) return { child, base, port };
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error(`corpusd did not become ready within ${READY_S} s`);
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
  // A view never shows a stray "null" or "undefined" (a missing value put in the page as text).
  const stray = await page.evaluate(() => {
    const corpus = '#reader-text, .summary, .snippet, .event-body, blockquote, .doc-title'; // the corpus's own words
    const walk = document.createTreeWalker(document.getElementById('main'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement.closest(corpus)) continue;
      const t = n.nodeValue.trim();
      if (t === 'null' || /\b(undefined|NaN)\b/.test(t)) return [t, t];
    }
    return null;
  });
  assert(!stray, `${hash} shows "${stray && stray[1]}"`);
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
}

const count = (page, sel) => page.locator(sel).count();

/** Types `text` into a typeahead picker and picks the option whose value is `value`, with the keyboard. */
async function pickOption(page, sel, text, value) {
  await page.fill(sel, '');
  await page.focus(sel);
  await page.keyboard.type(text, { delay: 10 });
  const list = '#' + (await page.getAttribute(sel, 'aria-controls'));
  const option = page.locator(`${list} [role="option"][data-value="${value.replace(/"/g, '\\"')}"]`);
  await option.waitFor({ timeout: 5000 });
  const values = await page.locator(`${list} [role="option"]`).evaluateAll((els) => els.map((e) => e.dataset.value));
  for (let i = 0; i < values.indexOf(value); i++) await page.keyboard.press('ArrowDown');
  assert(await option.getAttribute('aria-selected') === 'true', `option ${value} is the active one`);
  await page.keyboard.press('Enter');
}

// ---------------------------------------------------------------------------------------------------------
// The tests. Each gets a fresh browser context; `t.allow(re)` lets a test expect a console message (an
// error state it provokes on purpose).

const tests = [];
const test = (name, fn) => tests.push({ name, fn, suite: 'seed' });
const scaleTest = (name, fn) => tests.push({ name, fn, suite: 'scale' });

test('overview shows the corpus counts, the events histogram and the top entities', async ({ page, base, data }) => {
  await open(page, base, '#/');
  assert(await page.locator('h1').innerText() === 'Corpus overview', 'overview heading');
  const docs = await page.locator('.stat .stat-value').first().innerText();
  assert(docs === String(data.stats.documents), `documents stat ${docs} != ${data.stats.documents}`);
  if (data.hist.data.length) {
    // One bar per month with events; months of stray dates far outside the corpus's span may be left out, and
    // the chart says how many events that is.
    const bars = await count(page, '#ov-hist a.hist-bar');
    const hidden = Number(await page.locator('#ov-hist svg.histogram').getAttribute('data-hidden-buckets'));
    assert(bars + hidden === data.hist.data.filter((d) => d.count > 0).length, `one histogram bar per month with events: ${bars} + ${hidden} left out`);
    assert(hidden <= 0.05 * bars, `few months left out: ${hidden} of ${bars + hidden}`);
  }
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
  // The source picker offers the publishers the API knows, with their counts, and filters by the one picked.
  const sources = (await api(base, 'v1/sources?limit=100')).data;
  const facet = await page.locator('#facet-source li').allInnerTexts();
  assert(JSON.stringify(facet.map((t) => t.replace(/\s+/g, ' ').trim())) === JSON.stringify(sources.slice(0, 8).map((x) => `${x.name} ${x.document_count}`)),
    `source facet: ${facet.join(' | ')}`);
  if (sources.length) {
    const src = sources[sources.length - 1];
    await pickOption(page, '#doc-source', src.name.slice(1, 5).toLowerCase(), src.name);
    await ready(page, /source=/);
    assert(await count(page, '.doc-card') === Math.min(20, src.document_count), `${src.document_count} documents from ${src.name}`);
    assert((await page.locator('.page-head .lede').innerText()).startsWith(`${src.document_count} document`), 'the count is the API\'s');
    assert((await page.locator('.doc-card .meta-source').allInnerTexts()).every((t) => t === src.name), 'only that source');
    await page.locator('.active-filters .chip-x').click();
    await ready(page, /^#\/documents\?sort=title$/);
  }
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
  // The top-entities chart follows the name filter.
  const part = (await api(base, 'v1/entities?sort=-mentions&limit=1')).data[0].name.slice(0, 3).toLowerCase();
  await open(page, base, `#/entities?q=${encodeURIComponent(part)}`);
  const matching = (await api(base, `v1/entities?q=${encodeURIComponent(part)}&sort=-mentions&limit=10`)).data.map((e) => `${e.name}: ${e.mention_count.toLocaleString('en-GB')} mentions`);
  const bars = await page.locator('#ent-chart a.bar-row').evaluateAll((els) => els.map((a) => a.getAttribute('aria-label')));
  assert(JSON.stringify(bars) === JSON.stringify(matching), `chart of entities matching "${part}": ${bars.join('; ')}`);
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
  await ready(page, new RegExp(`from=${year}&to=${year}$`));
  assert((await page.locator('#tl-chart-title').innerText()) === year, 'zoomed to the year');
  const inYear = (await api(base, `v1/timeline?from=${year}&to=${year}&limit=1`)).meta.total;
  assert((await page.locator('#tl-window-count').innerText()) === `${inYear} event${inYear === 1 ? '' : 's'}`, `the year's count is the API's ${inYear}`);
  if (ev.date.length >= 7) {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(ev.date.slice(5, 7)) - 1];
    await page.locator('.zoom a.zbtn', { hasText: new RegExp(`^${month}$`) }).click();
    await ready(page, new RegExp(`from=${ev.date.slice(0, 7)}&to=${ev.date.slice(0, 7)}$`));
    const inMonth = data.events.filter((e) => e.date.startsWith(ev.date.slice(0, 7))).length;
    assert(await count(page, 'svg.timeline-chart a.event-mark') === inMonth, `events of the month: ${inMonth}`);
    assert(await count(page, '#tl-events > li') === inMonth, `listed events of the month: ${inMonth}`);
    await shot(page, 'timeline-month');
  }
  const ent = (ev.entities || [])[0];
  if (ent) {
    await pickOption(page, '#tl-entity', ent.name, ent.id);
    await ready(page, new RegExp(`entity=${encodeURIComponent(ent.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const withEnt = (await api(base, `v1/timeline?entity=${encodeURIComponent(ent.id)}&limit=1`)).meta.total;
    assert((await page.locator('.page-head .lede').innerText()).startsWith(`${withEnt} dated event`), 'entity filter applied');
    assert(await page.getAttribute('#tl-entity', 'data-value') === ent.id, 'the picker shows the picked entity');
  }
  const doc = await api(base, `v1/documents/${encodeURIComponent(ev.document_id)}`);
  await pickOption(page, '#tl-document', doc.title.split(/\s+/).slice(0, 3).join(' '), ev.document_id);
  await ready(page, /document=/);
  const withDoc = (await api(base, `v1/timeline?document=${encodeURIComponent(ev.document_id)}${ent ? '&entity=' + encodeURIComponent(ent.id) : ''}&limit=1`)).meta.total;
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${withDoc} dated event`), 'document filter applied');
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
  assert(await page.getAttribute('#tl-document', 'data-value') === data.docs.data[0].id, 'timeline filter after reload');
  assert(await page.inputValue('#tl-document') === (data.docs.data[0].title || data.docs.data[0].id), 'the picker shows the document title');
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
    await ready(page, /^#\/timeline\?from=\d{4}(-\d{2})?&to=/);
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
  // A filter naming an entity the corpus does not have says so, rather than looking like "no results".
  for (const v of ['#/documents?entity=person%3Ano-such-person', '#/timeline?entity=person%3Ano-such-person', '#/search?q=the&entity=person%3Ano-such-person']) {
    await open(page, base, v);
    assert(/no entity person:no-such-person/i.test(await page.locator('#unknown-entity').innerText()), `${v}: the unknown entity is named`);
  }
  await open(page, base, '#/documents/no-such-document');
  assert(/404/.test(await page.locator('[role="alert"]').innerText()), 'the 404 is shown');
  assert(await count(page, '[role="alert"] button') === 1, 'with a Retry button');
  await open(page, base, '#/no/such/view');
  assert((await page.locator('h1').innerText()) === 'Page not found', 'unknown view');
  await shot(page, 'not-found');
});

// ---------------------------------------------------------------------------------------------------------
// The tests at scale (`--suite scale`), on a corpus of 10,000+ documents: every count the dashboard shows is
// the API's, not what one page fetched; pickers reach past the top 100; each view is ready within a second.

const fmt = (n) => n.toLocaleString('en-GB');

/** Sets the hash inside a loaded page and measures, in the page, how long the view takes to be ready. */
async function timedOpen(page, hash) {
  const ms = await page.evaluate(async (target) => {
    const t0 = performance.now();
    location.hash = target;
    await new Promise((resolve) => {
      const check = () => {
        if (document.body.dataset.ready === target && !document.querySelector('[aria-busy="true"]')) resolve();
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    return performance.now() - t0;
  }, hash);
  return Math.round(ms);
}

scaleTest('at scale: the overview\'s tallest month opens on the timeline with the API\'s count for that month', async ({ page, base, data }) => {
  assert(data.stats.documents >= 10000, `a large corpus: ${data.stats.documents} documents`);
  const tallest = data.hist.data.reduce((a, b) => (b.count > a.count ? b : a));
  await open(page, base, '#/');
  const bar = page.locator(`#ov-hist a.hist-bar[data-period="${tallest.period}"]`);
  assert(await bar.count() === 1, `the tallest month ${tallest.period} has a bar`);
  await bar.click();
  await ready(page, new RegExp(`^#/timeline\\?from=${tallest.period}&to=${tallest.period}$`));
  const inMonth = (await api(base, `v1/timeline?from=${tallest.period}&to=${tallest.period}&limit=1`)).meta.total;
  assert(inMonth === tallest.count, `the API's month (${inMonth}) is the bar's count (${tallest.count})`);
  const shown = await page.locator('#tl-window-count').innerText();
  assert(shown === `${fmt(inMonth)} events`, `the month shows "${shown}", the API has ${fmt(inMonth)}`);
  const lede = await page.locator('.page-head .lede').innerText();
  assert(lede.startsWith(`${fmt(data.stats.events)} dated events`), `the header counts every event of the corpus (${fmt(data.stats.events)}): "${lede}"`);
  assert(await page.locator('#tl-months a.zbtn[aria-current="true"]').count() === 1, 'the month is marked in the zoom');
  // The month's days, one bar each, add up to the events dated to a day.
  const days = (await api(base, `v1/timeline/histogram?interval=day&from=${tallest.period}&to=${tallest.period}`)).data;
  assert(await count(page, '#tl-hist a.hist-bar') === days.length, `one bar per day with events: ${days.length}`);
  // Events come a page at a time, in date order, and "Show more" adds the next page.
  assert(await count(page, '#tl-events > li') === Math.min(50, inMonth), 'the first 50 events are listed');
  await shot(page, 'timeline-month-large');
  if (inMonth > 50) {
    await page.locator('#tl-more').click();
    await page.waitForFunction(() => document.querySelectorAll('#tl-events > li').length > 50);
    const n = await count(page, '#tl-events > li');
    assert(n === Math.min(100, inMonth), `${n} events after "Show more"`);
    const ids = await page.locator('#tl-events .event-date').evaluateAll((els) => els.map((a) => new URL(a.href).hash));
    assert(new Set(ids).size === ids.length, 'no event is listed twice');
    const byApi = (await api(base, `v1/timeline?from=${tallest.period}&to=${tallest.period}&limit=100`)).data.map((e) => e.id);
    const shownIds = ids.map((hsh) => decodeURIComponent(hsh.split('event=')[1]));
    assert(JSON.stringify(shownIds) === JSON.stringify(byApi.slice(0, n)), 'the list is the API\'s first 100 events, in its order');
    assert(/Showing 100 of/.test(await page.locator('#tl-shown').innerText()), 'the status counts what is shown');
  }
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert(height < 20000, `the page stays a readable length: ${height} px`);
});

scaleTest('at scale: the timeline shows the corpus\'s own years and the API\'s counts', async ({ page, base, data }) => {
  await open(page, base, '#/timeline');
  const years = (await api(base, 'v1/timeline/histogram?interval=year')).data;
  const buttons = await page.locator('#tl-years a.zbtn').evaluateAll((els) => els.map((a) => a.textContent).filter((t) => t !== 'All'));
  assert(JSON.stringify(buttons.slice().sort()) === JSON.stringify(years.map((y) => y.period).sort()), `one button per year of the corpus (${years.length}), got ${buttons.length}`);
  const busiest = years.reduce((a, b) => (b.count > a.count ? b : a));
  assert(await page.locator(`#tl-years > a.zbtn`, { hasText: new RegExp(`^${busiest.period}$`) }).count() === 1, `the busiest year ${busiest.period} is in the main row`);
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(data.stats.events)} dated events`), 'the header has the API\'s count');
  assert(await count(page, '#tl-hist a.hist-bar') > 0, 'the overview histogram');
  await shot(page, 'timeline-large');
  await page.locator(`#tl-years > a.zbtn`, { hasText: new RegExp(`^${busiest.period}$`) }).click();
  await ready(page, new RegExp(`from=${busiest.period}&to=${busiest.period}$`));
  assert(await page.locator('#tl-window-count').innerText() === `${fmt(busiest.count)} events`, `the year shows the API's ${fmt(busiest.count)}`);
});

scaleTest('at scale: the entity picker finds an entity outside the top 100', async ({ page, base }) => {
  const top = await api(base, 'v1/entities?sort=-mentions&limit=100');
  assert(top.meta.next_cursor, 'more than 100 entities');
  const next = (await api(base, `v1/entities?sort=-mentions&limit=100&cursor=${encodeURIComponent(top.meta.next_cursor)}`)).data;
  // An entity ranked past 100 that its own name finds (other names may contain a short one).
  let target = null;
  for (const e of next.slice(20)) {
    const found = (await api(base, `v1/entities?q=${encodeURIComponent(e.name)}&sort=-mentions&limit=10`)).data;
    if (found.some((x) => x.id === e.id) && !top.data.some((x) => x.id === e.id)) { target = e; break; }
  }
  assert(target, 'an entity past the top 100 to look for');
  await open(page, base, '#/timeline');
  await pickOption(page, '#tl-entity', target.name, target.id);
  await ready(page, new RegExp(`entity=${encodeURIComponent(target.id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const total = (await api(base, `v1/timeline?entity=${encodeURIComponent(target.id)}&limit=1`)).meta.total;
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(total)} dated event`), `the timeline of ${target.name} has the API's ${total}`);
  assert(await page.inputValue('#tl-entity') === target.name, 'the picker shows the name, not the id');
  // The same picker on the documents view filters the list by the API.
  await open(page, base, '#/documents');
  await pickOption(page, '#doc-entity', target.name, target.id);
  await ready(page, /^#\/documents\?sort=-published&entity=/);
  const docs = (await api(base, `v1/documents?entity=${encodeURIComponent(target.id)}&limit=1`)).meta.total;
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(docs)} document`), `documents mentioning ${target.name}: ${docs}`);
});

scaleTest('at scale: documents filter by date range, source and entity and jump by date', async ({ page, base, data }) => {
  await open(page, base, '#/documents');
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(data.stats.documents)} documents`), 'the header has the API\'s count');
  const month = data.stats.published_range.to.slice(0, 7);
  const lastMonth = (await api(base, `v1/documents?from=${month}&to=${month}&limit=1`)).meta.total;
  await page.fill('#doc-from', month);
  await page.fill('#doc-to', month);
  await page.press('#doc-to', 'Enter');
  await ready(page, new RegExp(`from=${month}&to=${month}$`));
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(lastMonth)} document`), `documents of ${month}: ${lastMonth}`);
  // A source, picked by typeahead.
  const source = data.docs.data.find((d) => d.source).source;
  await pickOption(page, '#doc-source', source.slice(0, 4).toLowerCase(), source); // a part of the name, any case
  await ready(page, /source=/);
  const both = (await api(base, `v1/documents?from=${month}&to=${month}&source=${encodeURIComponent(source)}&limit=1`)).meta.total;
  assert((await page.locator('.page-head .lede').innerText()).startsWith(`${fmt(both)} document`), `documents of ${month} from ${source}: ${both}`);
  assert(await count(page, '.active-filters .chip-filter') === 3, 'three filter chips');
  // The facets count under the filters in force: each source's count is the API's for the month and that source.
  const facetSources = (await api(base, 'v1/sources?limit=8')).data;
  const facetTexts = (await page.locator('#facet-source li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  for (const [i, s2] of facetSources.entries()) {
    const n = (await api(base, `v1/documents?from=${month}&to=${month}&source=${encodeURIComponent(s2.name)}&limit=1`)).meta.total;
    assert(facetTexts[i] === `${s2.name} ${fmt(n)}`, `facet ${facetTexts[i]}, the API has ${n}`);
  }
  // A date jump: newest first, from the middle of the corpus; the position is the API's.
  const mid = data.stats.published_range.from.slice(0, 4) + '-' + '06';
  await open(page, base, `#/documents?sort=-published&jump=${mid}`);
  const midEnd = new Date(Date.UTC(Number(mid.slice(0, 4)), 6, 0)).toISOString().slice(0, 10);
  const newer = (await api(base, `v1/documents?from=${mid.slice(0, 4)}-07-01&limit=1`)).meta.total;
  const first = (await api(base, `v1/documents?to=${midEnd}&sort=-published&limit=20`)).data;
  const pos = await page.locator('#doc-position').innerText();
  assert(pos.startsWith(`Documents ${fmt(newer + 1)}–${fmt(newer + first.length)} of ${fmt(data.stats.documents)}`), `position after the jump: "${pos}", ${newer} newer documents`);
  const titles = await page.locator('.doc-card .doc-title').allInnerTexts();
  assert(JSON.stringify(titles) === JSON.stringify(first.map((d) => d.title || d.id)), 'the jump lists the API\'s documents from that date');
  await page.locator('.pager a[rel="next"]').click();
  await ready(page, /cursor=/);
  assert((await page.locator('#doc-position').innerText()).startsWith(`Documents ${fmt(newer + 21)}–`), 'the next page continues the count');
  await open(page, base, '#/documents');
  await shot(page, 'documents-large');
});

scaleTest('at scale: a filtered search lists what the API finds under those filters', async ({ page, base, data }) => {
  const month = data.stats.published_range.to.slice(0, 7);
  const word = data.docs.data[0].title.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) || 'said';
  await open(page, base, `#/search?q=${encodeURIComponent(word)}`);
  const all = (await api(base, `v1/search?q=${encodeURIComponent(word)}&limit=1`)).meta.total;
  assert((await page.locator('.result-count').innerText()).includes(`${fmt(all)} document`), `unfiltered: the search API's ${all}`);
  await page.fill('#search-from', month);
  await page.press('#search-from', 'Enter');
  await ready(page, new RegExp(`from=${month}`));
  const filtered = (await api(base, `v1/documents?q=${encodeURIComponent(word)}&from=${month}&limit=1`)).meta.total;
  const text = await page.locator('.result-count').innerText();
  assert(filtered === 0 || text.includes(`${fmt(filtered)} document`) || text.startsWith('1 document'), `filtered: "${text}", the API has ${filtered}`);
  assert(await page.locator('#search-filtered-note').count() === 1, 'the page says filtered results are not ranked');
});

scaleTest('at scale: every view is ready within a second, with no console error', async ({ page, base, data }) => {
  const tallest = data.hist.data.reduce((a, b) => (b.count > a.count ? b : a));
  const ent = (await api(base, 'v1/entities?sort=-mentions&limit=1')).data[0];
  const views = ['#/', '#/documents', '#/documents?sort=-published&jump=' + data.stats.published_range.to.slice(0, 7), `#/search?q=${data.word}`,
    `#/search?q=${data.word}&from=${data.stats.published_range.from.slice(0, 4)}`, '#/entities', '#/entities?q=bank', `#/entities/${encodeURIComponent(ent.id)}`,
    '#/timeline', `#/timeline?from=${tallest.period}&to=${tallest.period}`, `#/timeline?entity=${encodeURIComponent(ent.id)}`,
    `#/documents/${encodeURIComponent(data.docs.data[0].id)}`];
  await open(page, base, '#/');
  const times = [];
  for (const v of views) {
    await timedOpen(page, '#/not-a-view'); // leave the view, so each one is rendered afresh
    times.push([v, await timedOpen(page, v)]);
  }
  console.log('    ready in: ' + times.map(([v, ms]) => `${v} ${ms} ms`).join(', '));
  const slow = times.filter(([, ms]) => ms >= 1000);
  assert(!slow.length, `slower than 1 s: ${slow.map(([v, ms]) => `${v} ${ms} ms`).join(', ')}`);
});

scaleTest('at scale: at 390 px the entities table and every view fit the screen', async ({ page, base, data }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const v of ['#/', '#/documents', '#/entities', '#/entities?q=bank', '#/timeline', `#/search?q=${data.word}`]) {
    await open(page, base, v);
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert(sw <= iw, `${v} is ${sw}px wide in a ${iw}px window`);
  }
  await open(page, base, '#/entities');
  const [tw, ww] = await page.evaluate(() => { const t = document.getElementById('entity-table'); return [t.scrollWidth, t.parentElement.clientWidth]; });
  assert(tw <= ww, `the entities table (${tw}px) fits its ${ww}px box: no column is cut off`);
  for (const col of ['Name', 'Type', 'Mentions']) assert(await page.locator('#entity-table thead th', { hasText: col }).isVisible(), `${col} column visible`);
  await shot(page, 'entities-mobile-large');
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
      if (t.suite !== SUITE || (ONLY && !ONLY.test(t.name))) continue;
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
