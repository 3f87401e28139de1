// validate.mjs — starts the real corpusd on a free loopback port and checks that what it answers
// is what docs/openapi.yaml says: for every path and method of the spec, the success responses
// (with real ids taken from the lists, in json, csv and ndjson) and the error responses (400, 404,
// 405, 304, 414, 431, and 503 while a larger copy of the corpus loads), their status, Content-Type,
// declared headers and body (validated with ajv's JSON Schema 2020-12 validator against the spec's
// schemas); that every declared status of every operation was produced; that server/routes.c and
// the spec list the same paths and query parameters; that /openapi.json is docs/openapi.yaml; and
// the rules of API.md that a schema cannot express (paging, sort orders, offsets into the text).
//
// Usage: node validate.mjs [--bin build/corpusd] [--corpus corpus] [--spec docs/openapi.yaml]
// (paths relative to the repository root; CORPUSD_BIN / CORPUSD_CORPUS work too). VERBOSE=1
// prints every check; failures and skips are always printed. The last line is
// "N passed, N failed[, N skipped]"; the exit status is 1 when a check failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function arg(name, env, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i > 0 && process.argv[i + 1]) return process.argv[i + 1];
  return process.env[env] || dflt;
}
const BIN = path.resolve(root, arg('bin', 'CORPUSD_BIN', 'build/corpusd'));
const CORPUS = path.resolve(root, arg('corpus', 'CORPUSD_CORPUS', 'corpus'));
const SPEC = path.resolve(root, arg('spec', 'OPENAPI_SPEC', 'docs/openapi.yaml'));
const VERBOSE = !!process.env.VERBOSE;

// ---- results --------------------------------------------------------------------------------

let passed = 0, failed = 0, skipped = 0;
const covered = new Set(); // "template status" pairs that answered as the spec says
let loadingChecked = false;
const failures = [];

function pass(name) {
  passed++;
  if (VERBOSE) console.log(`ok - ${name}`);
}
function fail(name, why) {
  failed++;
  failures.push(name);
  console.log(`FAIL - ${name}: ${why}`);
}
function skip(name, why) {
  skipped++;
  console.log(`skip - ${name}: ${why}`);
}
function check(name, cond, why) {
  if (cond) pass(name);
  else fail(name, why);
  return cond;
}

// ---- the spec -------------------------------------------------------------------------------

// A spec that cannot be read or has no paths ends the run with an error: every later check
// would otherwise pass vacuously.
function loadSpec(file) {
  let text, doc;
  try {
    text = fs.readFileSync(file, 'utf8');
    doc = YAML.parse(text, { version: '1.2' });
  } catch (e) {
    console.error(`FATAL: cannot read the spec ${file}: ${e.message}`);
    process.exit(2);
  }
  if (!doc || typeof doc !== 'object' || !doc.paths || !Object.keys(doc.paths).length) {
    console.error(`FATAL: ${file} has no paths: not an OpenAPI document this test can check`);
    process.exit(2);
  }
  return [text, doc];
}
const [specText, spec] = loadSpec(SPEC);
const SPEC_ID = 'https://corpusd.invalid/openapi.json';

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
addFormats(ajv);
// The whole document is one schema resource, so "#/components/schemas/X" resolves inside it.
ajv.addSchema({ ...spec, $id: SPEC_ID });

const validators = new Map();
function validatorAt(pointer) {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
    validators.set(pointer, v);
  }
  return v;
}

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
function at(pointer) {
  let node = spec;
  for (const part of pointer.split('/').slice(1))
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}
// Follows OpenAPI Reference Objects ({$ref: "#/..."}); returns [object, its pointer].
function deref(obj, pointer) {
  let guard = 0;
  while (obj && obj.$ref && guard++ < 10) {
    pointer = obj.$ref.slice(1);
    obj = at(pointer);
  }
  return [obj, pointer];
}

function operation(template, method) {
  const op = spec.paths[template]?.[method];
  return op ? [op, `/paths/${esc(template)}/${method}`] : [null, null];
}

function opParams(template, method) {
  const [op, ptr] = operation(template, method);
  if (!op) return [];
  const pathLevel = spec.paths[template].parameters || [];
  return [...pathLevel, ...(op.parameters || [])].map((p, i) => deref(p, `${ptr}/parameters/${i}`)[0]);
}

// ---- HTTP -----------------------------------------------------------------------------------

let PORT = 0;

function request(method, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: PORT, method, path: target, headers, agent: false, timeout: 15000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- checking one response against the spec -------------------------------------------------

function mediaType(ct) {
  return (ct || '').split(';')[0].trim().toLowerCase();
}

function decodedBody(res) {
  if ((res.headers['content-encoding'] || '').toLowerCase() === 'gzip') return zlib.gunzipSync(res.body);
  return res.body;
}

function ajvErrors(v) {
  return (v.errors || []).slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params && e.params.unevaluatedProperty ? ` (${e.params.unevaluatedProperty})` : ''}`).join('; ');
}

// Checks res against the spec's response for (template, method, status). Returns the parsed JSON
// body (or the text) when everything matched, undefined otherwise.
function conforms(name, template, method, res, { expectStatus, head = false } = {}) {
  const statuses = Array.isArray(expectStatus) ? expectStatus : expectStatus ? [expectStatus] : null;
  if (statuses && !statuses.includes(res.status)) {
    let detail = '';
    try { detail = ' ' + decodedBody(res).toString('utf8').slice(0, 200); } catch { /* binary */ }
    fail(name, `status ${res.status}, expected ${statuses.join(' or ')}${detail}`);
    return undefined;
  }
  const [op, opPtr] = operation(template, method === 'head' ? 'get' : method);
  if (!op) { fail(name, `the spec has no ${method.toUpperCase()} ${template}`); return undefined; }
  const code = String(res.status);
  const raw = op.responses[code];
  if (!raw) { fail(name, `status ${code} is not declared for ${method.toUpperCase()} ${template}`); return undefined; }
  const [resp, respPtr] = deref(raw, `${opPtr}/responses/${esc(code)}`);
  const problems = [];

  // Declared headers: present (when required) and valid.
  for (const [hname, hraw] of Object.entries(resp.headers || {})) {
    const [h, hptr] = deref(hraw, `${respPtr}/headers/${esc(hname)}`);
    const value = res.headers[hname.toLowerCase()];
    if (value === undefined) {
      if (h.required) problems.push(`header ${hname} missing`);
      continue;
    }
    if (h.schema) {
      const v = validatorAt(`${hptr}/schema`);
      if (!v(value)) problems.push(`header ${hname}: ${JSON.stringify(value)} ${ajvErrors(v)}`);
    }
  }

  const content = resp.content || {};
  const types = Object.keys(content);
  const mt = mediaType(res.headers['content-type']);
  let body;
  try { body = decodedBody(res); } catch (e) { problems.push(`body does not gunzip: ${e.message}`); body = Buffer.alloc(0); }
  let parsed;
  if (types.length === 0) {
    if (res.body.length) problems.push(`expected no body, got ${res.body.length} bytes`);
  } else if (!types.includes(mt)) {
    problems.push(`Content-Type ${JSON.stringify(res.headers['content-type'])} is not one of ${types.join(', ')}`);
  } else if (head) {
    if (res.body.length) problems.push(`HEAD answered a body of ${res.body.length} bytes`);
  } else {
    const text = body.toString('utf8');
    const schemaPtr = `${respPtr}/content/${esc(mt)}/schema`;
    if (mt.endsWith('json') && mt !== 'application/x-ndjson') {
      if (!/charset=utf-8/i.test(res.headers['content-type']) && mt === 'application/json')
        problems.push(`Content-Type ${res.headers['content-type']} lacks charset=utf-8`);
      try { parsed = JSON.parse(text); } catch (e) { problems.push(`body is not JSON: ${e.message}`); }
    } else {
      parsed = text;
    }
    if (parsed !== undefined && content[mt].schema) {
      const v = validatorAt(schemaPtr);
      if (!v(parsed)) problems.push(`body: ${ajvErrors(v)}`);
    }
    if (parsed && typeof parsed === 'object' && code >= '400' && parsed.status !== res.status)
      problems.push(`problem status ${parsed.status} != HTTP status ${res.status}`);
  }
  covered.add(`${template} ${code}`);
  if (problems.length) { fail(name, problems.join('; ')); return undefined; }
  pass(name);
  return parsed === undefined ? true : parsed;
}

// GET target, check it conforms; returns the parsed body (undefined on failure).
// The id corpusd makes from a type and a name (store_entity_id): apostrophes vanish, other
// non-letters separate, letters are lower-cased.
function entitySlug(type, name) {
  const words = name.replace(/['\u2018\u2019\u02bc]/g, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return `${type.toLowerCase()}:${words.join('-')}`;
}
let movedFrom = null;

async function get(template, target, expectStatus = 200, headers = {}) {
  const name = `GET ${target} -> ${expectStatus}`;
  let res;
  try { res = await request('GET', target, headers); } catch (e) { fail(name, e.message); return undefined; }
  return conforms(name, template, 'get', res, { expectStatus });
}

// Facets and collapse=duplicates (issue 19): validated against the schema, and the facets that
// give every document one value (source, year, month) add up to meta.total unless truncated.
function facetSum(body, name) {
  const f = body.meta.facets && body.meta.facets[name];
  return f ? { sum: f.values.reduce((n, v) => n + v.count, 0), truncated: f.truncated } : undefined;
}
function checkFacetTotals(target, body, names) {
  for (const name of names) {
    const s = facetSum(body, name);
    if (!s) { fail(`${target}: meta.facets.${name}`, 'missing'); continue; }
    if (!s.truncated) check(`${target}: facet ${name} adds up to meta.total`, s.sum === body.meta.total, `${s.sum} vs ${body.meta.total}`);
  }
}
async function checkFacetsAndCollapse(nDocs) {
  const all = '/v1/documents?facet=source,year,month,entity,type&facet_size=1000&limit=5';
  const body = await get('/v1/documents', all);
  if (body) {
    checkFacetTotals(all, body, ['source', 'year', 'month']);
    check(`${all}: facets in the order asked`, JSON.stringify(Object.keys(body.meta.facets)) === JSON.stringify(['source', 'year', 'month', 'entity', 'type']), Object.keys(body.meta.facets).join());
  }
  const collapsed = await pages('/v1/documents', '/v1/documents?collapse=duplicates&limit=100');
  if (collapsed) {
    check('/v1/documents?collapse=duplicates lists no group twice', collapsed.length <= nDocs && collapsed.every((d) => Number.isInteger(d.collapsed_duplicates)), `${collapsed.length} of ${nDocs}`);
    const kept = collapsed.length + collapsed.reduce((n, d) => n + d.collapsed_duplicates, 0);
    check('/v1/documents?collapse=duplicates: shown + collapsed = every document', kept === nDocs, `${kept} vs ${nDocs}`);
  }
  const cf = '/v1/documents?collapse=duplicates&facet=source,month&sort=title';
  const cbody = await get('/v1/documents', cf);
  if (cbody) checkFacetTotals(cf, cbody, ['source', 'month']);
  const sf = '/v1/search?q=the&collapse=duplicates&facet=year,entity,type&facet_size=3';
  const sbody = await get('/v1/search', sf);
  if (sbody) {
    checkFacetTotals(sf, sbody, ['year']);
    check(`${sf}: collapsed_duplicates on every hit`, sbody.data.every((h) => Number.isInteger(h.collapsed_duplicates)), 'missing');
  }
  await get('/v1/documents', '/v1/documents?facet=bogus', 400);
  await get('/v1/search', '/v1/search?q=the&facet=year,year', 400);
  await get('/v1/documents', '/v1/documents?collapse=twice', 400);
}

// ---- the server -----------------------------------------------------------------------------

let server;
let serverLog = '';

// Starts corpusd on a free port; resolves once it answers HTTP at all (untilReady: once /readyz is 200).
async function startServer(corpus = CORPUS, untilReady = true) {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} does not exist (build it first: make)`);
  PORT = await freePort();
  serverLog = '';
  server = spawn(BIN, ['--listen', `127.0.0.1:${PORT}`, '--corpus', corpus, '--log-level', 'warn', '--access-log', 'off'], {
    cwd: root, stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.on('data', (d) => { serverLog += d; });
  let exited = null;
  server.on('exit', (code, sig) => { exited = `exited with ${code ?? sig}`; });
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`corpusd ${exited}: ${serverLog.slice(-2000)}`);
    try {
      const r = await request('GET', '/readyz');
      if (r.status === 200 || !untilReady) return r.status;
      if (r.status !== 503) throw new Error(`/readyz answered ${r.status}`);
    } catch (e) {
      if (!/ECONNREFUSED|ECONNRESET|socket hang up/.test(e.message)) throw e;
    }
    await sleep(untilReady ? 100 : 5);
  }
  throw new Error('corpusd was not ready within 120 s');
}

// While a (large) corpus loads: /readyz and every route that needs the store answer the 503
// problem of the spec, /healthz and /metrics answer 200.
async function checkLoading() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpusd-openapi-'));
  try {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).slice(0, 20);
    if (!files.length) { skip('503 while loading', 'no *.txt in the corpus to copy'); return; }
    // About 600 articles: a few seconds of loading, during which every request below is answered.
    for (let i = 0; i < Math.ceil(600 / files.length); i++)
      for (const f of files) fs.copyFileSync(path.join(CORPUS, f), path.join(dir, `${String(i).padStart(3, '0')}_${f}`));
    const first = await startServer(dir, false);
    if (first !== 503) { skip('503 while loading', `the copied corpus loaded before the first request (${first})`); return; }
    const targets = [['/readyz', '/readyz']];
    for (const t of Object.keys(spec.paths)) {
      const [op] = operation(t, 'get');
      if (t !== '/readyz' && op.responses['503']) targets.push([t, t.replace('{id}', 'x')]);
    }
    targets.push(['/v1/documents', '/v1/documents?format=ndjson'], ['/v1/documents', '/v1/documents?format=csv']);
    let done = 0;
    for (const [t, target] of targets) {
      const res = await request('GET', target);
      if (res.status === 200 && (await request('GET', '/readyz')).status === 200) break; // loaded meanwhile
      conforms(`GET ${target} while loading -> 503`, t, 'get', res, { expectStatus: 503 });
      done++;
    }
    for (const t of ['/healthz', '/metrics']) {
      const res = await request('GET', t);
      if (res.status === 404) continue;
      conforms(`GET ${t} while loading -> 200`, t, 'get', res, { expectStatus: 200 });
    }
    if (done < targets.length) skip('503 while loading', `the corpus loaded after ${done} of ${targets.length} requests`);
    else loadingChecked = true;
  } finally {
    await stopServer();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// SIGTERM, then SIGKILL if it has not exited within 5 s.
async function stopServer() {
  const proc = server;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// ---- the checks -----------------------------------------------------------------------------

const cp = (s) => Array.from(s);
const sliceCp = (chars, start, end) => chars.slice(start, end).join('');

// Paths served by the server itself rather than routed; they ignore the query string.
const IGNORES_QUERY = new Set(['/', '/metrics', '/openapi.json']);

// Every (template, target) that answers 200, collected for the generic checks (304, HEAD, 405, 400).
const seen = [];
function remember(template, target) { seen.push([template, target]); }

async function pages(template, first, max = 50) {
  // Follows next_cursor; returns all items, or undefined when a page failed.
  const all = [];
  let target = first;
  for (let i = 0; i < max && target; i++) {
    const body = await get(template, target);
    if (!body) return undefined;
    all.push(...body.data);
    const nc = body.meta.next_cursor;
    if (nc !== null && body.data.length !== body.meta.limit)
      fail(`${target}: a page with a next_cursor is full`, `${body.data.length} items, limit ${body.meta.limit}`);
    if (body.meta.next !== undefined && (nc === null) !== (body.meta.next === null))
      fail(`${target}: meta.next and meta.next_cursor agree`, `next=${body.meta.next} next_cursor=${nc}`);
    const composed = nc === null ? null : first + (first.includes('?') ? '&' : '?') + 'cursor=' + encodeURIComponent(nc);
    if (body.meta.next && !body.meta.next.endsWith(`cursor=${encodeURIComponent(nc)}`))
      fail(`${target}: meta.next carries next_cursor`, `next=${body.meta.next} next_cursor=${nc}`);
    // Follow meta.next (what a client does) when the server gives it.
    target = body.meta.next ?? composed;
  }
  return all;
}

async function checkPaging(template, base, limit) {
  const whole = await get(template, base + (base.includes('?') ? '&' : '?') + 'limit=100');
  if (!whole) return;
  const first = base + (base.includes('?') ? '&' : '?') + `limit=${limit}`;
  const all = await pages(template, first);
  if (!all) return;
  const total = whole.meta.total;
  const ids = all.map((x) => JSON.stringify(x));
  check(`${base}: paging by ${limit} gives meta.total items`, all.length === Math.min(total, limit * 50),
    `${all.length} items over the pages, total ${total}`);
  check(`${base}: no item twice when paging`, new Set(ids).size === ids.length, 'duplicates');
  if (total <= 100)
    check(`${base}: paging gives the same items, in the same order, as one page`,
      JSON.stringify(all) === JSON.stringify(whole.data), 'order or items differ');
}

function checkSpans(name, chars, spans) {
  // spans: [{start, end, text?}]
  const bad = [];
  for (const s of spans) {
    if (!(s.start <= s.end && s.end <= chars.length)) bad.push(`[${s.start},${s.end}) outside text of ${chars.length}`);
    else if (s.text !== undefined && sliceCp(chars, s.start, s.end) !== s.text)
      bad.push(`[${s.start},${s.end}) is ${JSON.stringify(sliceCp(chars, s.start, s.end))}, not ${JSON.stringify(s.text)}`);
    if (bad.length >= 3) break;
  }
  check(name, bad.length === 0, bad.join('; '));
}

// The route table (server/routes.c) and the spec name the same paths and query parameters.
function checkRouteTable() {
  const file = path.join(root, 'server', 'routes.c');
  if (!fs.existsSync(file)) { fail('route table = spec', `${file} does not exist`); return; }
  const src = fs.readFileSync(file, 'utf8');
  const keys = new Map();
  for (const m of src.matchAll(/static const char \*const (\w+)\[\]\s*=\s*\{([^}]*)\}/g))
    keys.set(m[1], [...m[2].matchAll(/"([^"]+)"/g)].map((k) => k[1]).sort());
  const routes = [...src.matchAll(/\{\s*"(\/[^"]*)",\s*\w+,\s*(\w+),/g)].map((m) => [m[1].replace(/\{\}/g, '{id}'), keys.get(m[2]), m[2]]);
  // Every pattern-looking string of the file must have been read as a route: a table whose
  // shape changed fails here instead of checking fewer routes.
  const patterns = [...src.matchAll(/\{\s*"(\/[^"]*)",/g)].length;
  if (!routes.length || routes.length !== patterns) {
    fail('route table = spec', `server/routes.c did not parse: ${routes.length} routes read of ${patterns} patterns`);
    return;
  }
  for (const [template, routeKeys, keysName] of routes)
    if (!routeKeys) fail(`${template} of server/routes.c`, `its query keys ${keysName} were not found in the file`);
  for (const [template, routeKeys] of routes) {
    if (!routeKeys) continue;
    if (!check(`${template} of server/routes.c is in the spec`, !!spec.paths[template]?.get, 'missing')) continue;
    const specKeys = opParams(template, 'get').filter((p) => p.in === 'query').map((p) => p.name).sort();
    check(`${template}: the spec's query parameters are the route's`, JSON.stringify(specKeys) === JSON.stringify(routeKeys),
      `spec [${specKeys}] vs routes.c [${routeKeys}]`);
  }
  const routed = new Set(routes.map(([t]) => t));
  for (const template of Object.keys(spec.paths))
    if (!routed.has(template) && !IGNORES_QUERY.has(template)) fail(`${template} of the spec is in server/routes.c`, 'missing');
}

// Deviations from API.md / the HTTP RFCs found when this test was first written; fixed in the
// server since, and checked on every run so they stay fixed.
async function strictChecks(docs) {
  const name = (n) => `strict: ${n}`;
  // 1. A CSV of an empty list says it has no header row (RFC 4180 header=absent), or has one.
  const empty = await request('GET', '/v1/documents?format=csv&q=zzzzzzqqqq');
  check(name('CSV of an empty list: a header row, or header=absent'),
    empty.body.toString().startsWith('id,') || /header=absent/.test(empty.headers['content-type'] || ''),
    `body ${JSON.stringify(empty.body.toString())} ${empty.headers['content-type']}`);
  // 2. Browsers can read the Link header that paginates CSV.
  const csv = await request('GET', '/v1/entities?format=csv&limit=1', { Origin: 'http://example.test' });
  check(name('Access-Control-Expose-Headers includes Link'), /\blink\b/i.test(csv.headers['access-control-expose-headers'] || ''),
    csv.headers['access-control-expose-headers']);
  // 3. A 304 carries the ETag the 200 would have carried (RFC 9110 §15.4.5), gzip variant included.
  const gz = await request('GET', '/v1/documents?limit=100', { 'Accept-Encoding': 'gzip' });
  if (gz.headers.etag) {
    const nm = await request('GET', '/v1/documents?limit=100', { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
    check(name('304 of a gzipped representation keeps its ETag'), nm.status === 304 && nm.headers.etag === gz.headers.etag,
      `${nm.status} ETag ${nm.headers.etag}, 200 had ${gz.headers.etag}`);
  }
  // 4. A preflight for a path that does not exist is a 404, not a 204.
  const pre = await request('OPTIONS', '/nope', { Origin: 'http://example.test', 'Access-Control-Request-Method': 'GET' });
  check(name('OPTIONS /nope -> 404'), pre.status === 404, `status ${pre.status}`);
  // 5. published_inferred is false when nothing was found (published null).
  const undated = docs.filter((d) => d.published === null && d.published_inferred);
  check(name('no document has published null with published_inferred true'), undated.length === 0, undated.map((d) => d.id).join(', '));
}

async function main() {
  await startServer();
  console.log(`corpusd on 127.0.0.1:${PORT} (${path.relative(root, BIN)}, corpus ${path.relative(root, CORPUS) || '.'})`);

  check('spec is OpenAPI 3.1', /^3\.1\./.test(spec.openapi), spec.openapi);
  checkRouteTable();

  // -- health, metrics, spec, dashboard
  if (await get('/healthz', '/healthz')) remember('/healthz', '/healthz');
  if (await get('/readyz', '/readyz')) remember('/readyz', '/readyz');
  const stats = await get('/v1/stats', '/v1/stats');
  if (stats) remember('/v1/stats', '/v1/stats');

  for (const [template, what] of [['/metrics', 'metrics'], ['/openapi.json', 'the OpenAPI document'], ['/', 'the dashboard']]) {
    const res = await request('GET', template);
    if (res.status === 404) { skip(`GET ${template}`, `404: ${what} is not served yet`); continue; }
    const body = conforms(`GET ${template} -> 200`, template, 'get', res, { expectStatus: 200 });
    if (!body) continue;
    remember(template, template);
    if (template === '/openapi.json')
      check('/openapi.json is docs/openapi.yaml', JSON.stringify(body) === JSON.stringify(spec),
        'the served document differs from docs/openapi.yaml (parsed); rebuild?');
    if (template === '/metrics') {
      for (const m of ['corpusd_http_requests_total', 'corpusd_http_request_duration_seconds', 'corpusd_store_documents'])
        check(`/metrics has ${m}`, body.includes(m), 'missing');
      check('/metrics Content-Type is the Prometheus text format', /^text\/plain;\s*version=0\.0\.4/.test(res.headers['content-type'] || ''),
        res.headers['content-type']);
    }
    if (template === '/') check('/ is an HTML page', /<html/i.test(body), 'no <html');
  }

  // -- documents
  const docs = await pages('/v1/documents', '/v1/documents?limit=100');
  remember('/v1/documents', '/v1/documents');
  if (!docs || docs.length === 0) throw new Error('no documents: cannot check the rest');
  if (stats && docs.length < 5000) check('/v1/documents total = stats.documents', docs.length === stats.documents, `${docs.length} vs ${stats.documents}`);
  for (const sort of ['-published', 'published', 'title']) {
    const list = await pages('/v1/documents', `/v1/documents?sort=${sort}&limit=100`);
    if (!list) continue;
    const key = sort.replace('-', '');
    const vals = list.map((d) => d[key]).filter((v) => v !== null);
    const sorted = [...vals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (sort.startsWith('-')) sorted.reverse();
    check(`/v1/documents?sort=${sort} is sorted`, JSON.stringify(vals) === JSON.stringify(sorted), vals.join(' | '));
  }
  await checkPaging('/v1/documents', '/v1/documents', 2);
  await checkPaging('/v1/documents', '/v1/documents?sort=title', 2);
  const withSource = docs.find((d) => d.source);
  if (withSource) {
    const body = await get('/v1/documents', `/v1/documents?source=${encodeURIComponent(withSource.source)}`);
    if (body) check('/v1/documents?source= filters', body.data.length > 0 && body.data.every((d) => d.source === withSource.source), 'wrong documents');
  }
  const dated = docs.find((d) => d.published);
  if (dated) {
    const y = dated.published.slice(0, 4);
    const body = await get('/v1/documents', `/v1/documents?from=${y}&to=${y}-12-31`);
    if (body) check('/v1/documents?from=&to= keeps the document', body.data.some((d) => d.id === dated.id), `${dated.id} missing`);
  }
  await get('/v1/documents', '/v1/documents?q=the&limit=3');
  // Without `fields` every item is a whole Document (the list's schema also admits a DocumentPart).
  {
    const full = validatorAt('/components/schemas/Document');
    const bad = docs.findIndex((d) => !full(d));
    check('/v1/documents items are whole documents without fields=', bad < 0, bad < 0 ? '' : ajvErrors(full));
  }
  // fields=: the items hold those fields, in that order, in JSON, CSV and NDJSON (issue 19).
  for (const [template, target, wanted] of [
    ['/v1/documents', '/v1/documents?fields=title,id,published&limit=5', ['title', 'id', 'published']],
    ['/v1/search', '/v1/search?q=the&fields=score,id,snippet&limit=5', ['score', 'id', 'snippet']],
  ]) {
    const body = await get(template, target);
    if (body) check(`${target}: items have exactly the fields, in order`, body.data.length > 0 && body.data.every((x) => JSON.stringify(Object.keys(x)) === JSON.stringify(wanted)), JSON.stringify(body.data[0]));
    const csv = await request('GET', `${target}&format=csv`);
    check(`${target}&format=csv: the columns are the fields`, csv.status === 200 && csv.body.toString().split('\r\n')[0] === wanted.join(','), csv.body.toString().slice(0, 80));
    const nd = await request('GET', `${target}&format=ndjson`);
    const lines = nd.body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    check(`${target}&format=ndjson: each line has the fields`, nd.status === 200 && lines.length > 0 && lines.every((x) => JSON.stringify(Object.keys(x)) === JSON.stringify(wanted)), JSON.stringify(lines[0]));
  }
  await get('/v1/documents', '/v1/documents?fields=id,nope', 400);
  await get('/v1/search', '/v1/search?q=the&fields=mention_count', 400);
  await get('/v1/documents', '/v1/documents?q=zzzzzzqqqq');
  await checkFacetsAndCollapse(docs.length);

  const documentTexts = new Map();
  for (const d of docs.slice(0, 10)) {
    const id = encodeURIComponent(d.id);
    const full = await get('/v1/documents/{id}', `/v1/documents/${id}`);
    const part = await get('/v1/documents/{id}', `/v1/documents/${id}?fields=place,id,paragraphs`);
    if (part && full) check(`/v1/documents/${id}?fields= keeps those fields of the document`, JSON.stringify(part) === JSON.stringify({ place: full.place, id: full.id, paragraphs: full.paragraphs }), JSON.stringify(part).slice(0, 120));
    remember('/v1/documents/{id}', `/v1/documents/${id}`);
    if (!full) continue;
    const chars = cp(full.text);
    documentTexts.set(d.id, chars);
    const { text, paragraphs, published_evidence, place, dateline, authors, captions, encoding,
            duplicates, ...listed } = full;
    check(`/v1/documents/${id} duplicates: a group that holds it and its representative`,
      !duplicates.ids.includes(d.id) && (duplicates.representative === d.id) !== duplicates.ids.includes(duplicates.representative),
      JSON.stringify(duplicates));
    check(`/v1/documents/${id} has the fields it has in the list`, JSON.stringify(listed) === JSON.stringify(d), 'differs from the list item');
    check(`/v1/documents/${id} has published_evidence only for a month inferred from the corpus`,
      published_evidence === null || (full.published_inferred && full.precision === 'month' &&
        full.published === published_evidence.date.slice(0, 7)), 'evidence without an inferred month');
    checkSpans(`/v1/documents/${id} paragraphs lie inside the text`, chars, paragraphs);
    if (dateline) checkSpans(`/v1/documents/${id} dateline lies inside the text`, chars, [dateline]);

    const src = await get('/v1/documents/{id}/source', `/v1/documents/${id}/source`);
    remember('/v1/documents/{id}/source', `/v1/documents/${id}/source`);
    if (src && src.original !== null) {
      const orig = cp(src.original);
      check(`/v1/documents/${id}/source spans lie in the original, in order, with their text`,
        src.set_aside.every((a, i) => a.start < a.end && a.end <= orig.length && (i === 0 || src.set_aside[i - 1].end <= a.start) &&
          orig.slice(a.start, a.end).join('') === a.text), 'a span outside the original or out of order');
      check(`/v1/documents/${id}/source count = spans`, src.set_aside_count === src.set_aside.length, String(src.set_aside_count));
    }

    const ents = await get('/v1/documents/{id}/entities', `/v1/documents/${id}/entities`);
    remember('/v1/documents/{id}/entities', `/v1/documents/${id}/entities`);
    if (ents) {
      check(`/v1/documents/${id}/entities meta: limit = total = items, no cursor`,
        ents.meta.total === ents.data.length && ents.meta.limit === ents.meta.total && ents.meta.next_cursor === null, JSON.stringify(ents.meta));
      checkSpans(`/v1/documents/${id}/entities mention offsets match the text`, chars, ents.data.flatMap((e) => e.mentions));
    }
    const tx = await get('/v1/documents/{id}/timexes', `/v1/documents/${id}/timexes`);
    remember('/v1/documents/{id}/timexes', `/v1/documents/${id}/timexes`);
    if (tx) {
      check(`/v1/documents/${id}/timexes meta: limit = total = items, no cursor`,
        tx.meta.total === tx.data.length && tx.meta.limit === tx.meta.total && tx.meta.next_cursor === null, JSON.stringify(tx.meta));
      checkSpans(`/v1/documents/${id}/timexes offsets match the text`, chars, tx.data);
      check(`/v1/documents/${id}/timexes are in text order`, tx.data.every((t, i) => i === 0 || tx.data[i - 1].start <= t.start), 'out of order');
      check(`/v1/documents/${id}/timexes belong to it`, tx.data.every((t) => t.document_id === d.id), 'other document_id');
    }
    const tl = await pages('/v1/documents/{id}/timeline', `/v1/documents/${id}/timeline?limit=100`);
    remember('/v1/documents/{id}/timeline', `/v1/documents/${id}/timeline`);
    if (tl) {
      check(`/v1/documents/${id}/timeline belongs to it`, tl.every((e) => e.document_id === d.id), 'other document_id');
      checkSpans(`/v1/documents/${id}/timeline timex offsets match the text`, chars, tl.map((e) => e.timex));
    }
  }

  // -- entities
  const entities = await pages('/v1/entities', '/v1/entities?limit=100');
  remember('/v1/entities', '/v1/entities');
  if (entities && stats && entities.length < 5000) check('/v1/entities total = stats.entities', entities.length === stats.entities, `${entities.length} vs ${stats.entities}`);
  await checkPaging('/v1/entities', '/v1/entities', 7);
  await checkPaging('/v1/entities', '/v1/entities?sort=name', 7);
  for (const type of ['PERSON', 'ORG', 'LOC', 'MISC']) {
    const body = await get('/v1/entities', `/v1/entities?type=${type}&limit=100`);
    if (body) check(`/v1/entities?type=${type} filters`, body.data.every((e) => e.type === type) && (!stats || body.meta.total === stats.entities_by_type[type]),
      `total ${body.meta.total}`);
  }
  const top = (entities || []).slice(0, 6);
  movedFrom = null;
  if (top[0]) {
    const body = await get('/v1/entities', `/v1/entities?q=${encodeURIComponent(top[0].name.slice(0, 3))}`);
    if (body) check('/v1/entities?q= finds by name', body.data.some((e) => e.id === top[0].id) || body.meta.total > body.data.length, `${top[0].id} missing`);
    await get('/v1/entities', `/v1/entities?document=${encodeURIComponent(docs[0].id)}&sort=name`);
  }
  for (const e of top) {
    const id = encodeURIComponent(e.id);
    const one = await get('/v1/entities/{id}', `/v1/entities/${id}`);
    remember('/v1/entities/{id}', `/v1/entities/${id}`);
    // the detail explains each alias ({name, count, why}); the list names them
    if (one) check(`/v1/entities/${id} is the list item`, JSON.stringify({ ...one, aliases: one.aliases.map((a) => a.name) }) === JSON.stringify(e), 'differs');
    if (one && !movedFrom) {
      const taken = new Set(top.map((x) => x.id));
      const alias = one.aliases.find((a) => a.why && !taken.has(entitySlug(e.type, a.name)));
      if (alias) movedFrom = { from: entitySlug(e.type, alias.name), to: e.id };
    }
    const mentions = await pages('/v1/entities/{id}/mentions', `/v1/entities/${id}/mentions?limit=40`);
    remember('/v1/entities/{id}/mentions', `/v1/entities/${id}/mentions`);
    if (mentions) {
      check(`/v1/entities/${id}/mentions count = mention_count`, mentions.length === e.mention_count, `${mentions.length} vs ${e.mention_count}`);
      const bad = mentions.filter((m) => documentTexts.has(m.document_id) && sliceCp(documentTexts.get(m.document_id), m.start, m.end) !== m.text);
      check(`/v1/entities/${id}/mentions offsets match the text`, bad.length === 0, bad.slice(0, 2).map((m) => JSON.stringify(m.text)).join(', '));
    }
    const edocs = await pages('/v1/entities/{id}/documents', `/v1/entities/${id}/documents?limit=3`);
    const counts = await get('/v1/entities/{id}/documents', `/v1/entities/${id}/documents?fields=id,mention_count&sort=-published`);
    if (counts) check(`/v1/entities/${id}/documents?fields=id,mention_count`, counts.data.every((x) => Object.keys(x).join() === 'id,mention_count' && x.mention_count >= 1), JSON.stringify(counts.data[0]));
    remember('/v1/entities/{id}/documents', `/v1/entities/${id}/documents`);
    if (edocs) check(`/v1/entities/${id}/documents count = document_count`, edocs.length === e.document_count, `${edocs.length} vs ${e.document_count}`);
    for (const sort of ['-published', 'published']) {
      const byDate = await pages('/v1/entities/{id}/documents', `/v1/entities/${id}/documents?sort=${sort}&limit=3`);
      if (!byDate || !edocs) continue;
      const dates = byDate.map((d) => d.published ?? '');
      const sorted = [...dates].sort();
      if (sort.startsWith('-')) sorted.reverse();
      check(`/v1/entities/${id}/documents?sort=${sort} is sorted and complete`, JSON.stringify(dates) === JSON.stringify(sorted) &&
        JSON.stringify(byDate.map((d) => d.id).sort()) === JSON.stringify(edocs.map((d) => d.id).sort()), dates.join(' | '));
    }
    const related = await pages('/v1/entities/{id}/related', `/v1/entities/${id}/related?limit=10`);
    remember('/v1/entities/{id}/related', `/v1/entities/${id}/related`);
    if (related) check(`/v1/entities/${id}/related excludes itself`, related.every((r) => r.entity.id !== e.id), 'lists itself');
    const etl = await pages('/v1/entities/{id}/timeline', `/v1/entities/${id}/timeline?limit=5`);
    remember('/v1/entities/{id}/timeline', `/v1/entities/${id}/timeline`);
    if (etl) check(`/v1/entities/${id}/timeline involves it`, etl.every((ev) => ev.entities.some((x) => x.id === e.id)), 'an event without the entity');
  }

  // -- timeline
  const events = await pages('/v1/timeline', '/v1/timeline?limit=100');
  remember('/v1/timeline', '/v1/timeline');
  if (events) {
    if (stats && events.length < 5000) check('/v1/timeline total = stats.events', events.length === stats.events, `${events.length} vs ${stats.events}`);
    check('/v1/timeline is in date order', events.every((e, i) => i === 0 || events[i - 1].date <= e.date), 'out of order');
    await checkPaging('/v1/timeline', '/v1/timeline', 3);
    // sort=-date: the same events, newest first, paged by their own cursors (issue 19).
    const newest = await pages('/v1/timeline', '/v1/timeline?sort=-date&limit=100');
    if (newest) check('/v1/timeline?sort=-date is the date order reversed', JSON.stringify(newest.map((e) => e.id)) === JSON.stringify(events.map((e) => e.id).reverse()), 'differs');
    await checkPaging('/v1/timeline', '/v1/timeline?sort=-date', 3);
    for (const p of ['day', 'month', 'year']) {
      const body = await get('/v1/timeline', `/v1/timeline?precision=${p}&limit=100`);
      if (body) check(`/v1/timeline?precision=${p} filters`, body.data.every((e) => e.precision === p), 'other precision');
    }
    if (events[0]) {
      const y = events[0].date.slice(0, 4);
      const body = await get('/v1/timeline', `/v1/timeline?from=${y}&to=${y}&document=${encodeURIComponent(events[0].document_id)}`);
      if (body) check('/v1/timeline?from=&to=&document= keeps the event', body.data.some((e) => e.id === events[0].id), 'missing');
      const ent = events.find((e) => e.entities.length)?.entities[0];
      if (ent) await get('/v1/timeline', `/v1/timeline?entity=${encodeURIComponent(ent.id)}`);
    }
  }
  for (const interval of ['year', 'month', 'day']) {
    const h = await get('/v1/timeline/histogram', `/v1/timeline/histogram?interval=${interval}`);
    if (!h) continue;
    const len = { year: 4, month: 7, day: 10 }[interval];
    check(`/v1/timeline/histogram?interval=${interval} buckets`, h.meta.interval === interval && h.meta.buckets === h.data.length &&
      h.data.every((b) => b.period.length === len) && h.meta.events === h.data.reduce((n, b) => n + b.count, 0), JSON.stringify(h.meta));
  }
  const hist = await get('/v1/timeline/histogram', '/v1/timeline/histogram');
  remember('/v1/timeline/histogram', '/v1/timeline/histogram');
  if (hist) check('/v1/timeline/histogram defaults to month', hist.meta.interval === 'month', hist.meta.interval);

  // -- search
  const word = (() => {
    const t = docs.find((d) => d.title)?.title || 'the';
    return (t.match(/[A-Za-z]{4,}/) || ['the'])[0];
  })();
  const hits = await get('/v1/search', `/v1/search?q=${encodeURIComponent(word)}`);
  remember('/v1/search', `/v1/search?q=${encodeURIComponent(word)}`);
  if (hits) {
    check(`/v1/search?q=${word} finds something`, hits.data.length > 0, 'no hits');
    check(`/v1/search?q=${word} is ranked`, hits.data.every((h, i) => i === 0 || hits.data[i - 1].score >= h.score), 'scores not descending');
    check(`/v1/search?q=${word} marks matches`, hits.data.some((h) => h.snippet.includes('<mark>')), 'no <mark>');
    // Real BM25 (issue 19): a word of a title is no longer scored ~0.000002 when most documents hold it.
    check(`/v1/search?q=${word}: the best score is a real BM25 score`, hits.data[0].score > 0.05, String(hits.data[0]?.score));
  }
  // q on /v1/documents: snippets and scores in any order, and sort=relevance is the search's ranking.
  {
    const rel = await get('/v1/documents', `/v1/documents?q=${encodeURIComponent(word)}&sort=relevance&limit=100`);
    const srch = await get('/v1/search', `/v1/search?q=${encodeURIComponent(word)}&limit=100`);
    if (rel && srch) check('/v1/documents?q=&sort=relevance is the search', JSON.stringify(rel.data) === JSON.stringify(srch.data) && rel.meta.total === srch.meta.total, 'differs');
    const dated = await get('/v1/documents', `/v1/documents?q=${encodeURIComponent(word)}&sort=published`);
    if (dated) check('/v1/documents?q= items have a snippet and a score', dated.data.length > 0 && dated.data.every((d) => d.snippet.includes('<mark>') && d.score > 0), JSON.stringify(dated.data[0]).slice(0, 200));
    await checkPaging('/v1/documents', `/v1/documents?q=${encodeURIComponent(word)}&sort=relevance`, 1);
    await get('/v1/documents', '/v1/documents?sort=relevance', 400);
  }
  await checkPaging('/v1/search', '/v1/search?q=the', 2);
  // The filters of /v1/documents on a search: every hit passes them (issue 19).
  {
    const withSrc = docs.find((d) => d.source && d.published);
    if (withSrc) {
      const y = withSrc.published.slice(0, 4);
      const body = await get('/v1/search', `/v1/search?q=the&source=${encodeURIComponent(withSrc.source)}&from=${y}&to=${y}`);
      if (body) check('/v1/search?source=&from=&to= filters the hits', body.data.length > 0 && body.data.every((h) => h.source === withSrc.source && h.published.startsWith(y)), JSON.stringify(body.data.map((h) => [h.id, h.source, h.published])));
    }
    const ent = (entities || [])[0];
    if (ent) {
      const both = await get('/v1/search', `/v1/search?q=the&entity=${encodeURIComponent(ent.id)}&type=${ent.type.toLowerCase()}`);
      const listed = await get('/v1/documents', `/v1/documents?q=the&entity=${encodeURIComponent(ent.id)}&type=${ent.type}&limit=1`);
      if (both && listed) check('/v1/search?entity=&type= has the total of /v1/documents with the same filters', both.meta.total === listed.meta.total && both.meta.total > 0, `${both.meta.total} vs ${listed.meta.total}`);
      const tl = await get('/v1/timeline', `/v1/timeline?type=${ent.type}&entity=${encodeURIComponent(ent.id)},${encodeURIComponent(ent.id)}`);
      if (tl) check('/v1/timeline?type=&entity=a,a: every event involves the entity', tl.data.every((e) => e.entities.some((x) => x.id === ent.id)), 'an event without it');
      await get('/v1/timeline/histogram', `/v1/timeline/histogram?type=${ent.type}&entity=${encodeURIComponent(ent.id)}&entity=${encodeURIComponent(ent.id)}`);
    }
  }
  await get('/v1/search', `/v1/search?q=${encodeURIComponent('"' + word + '"')}`);
  await get('/v1/search', `/v1/search?q=${encodeURIComponent(word.slice(0, 3) + '*')}`);
  await get('/v1/search', `/v1/search?q=${encodeURIComponent("'; DROP title:")}`);
  await get('/v1/search', '/v1/search?q=zzzzzzqqqq');

  // -- sources: every publisher once, counts that add up to the documents with a source
  const sources = await pages('/v1/sources', '/v1/sources?limit=100');
  remember('/v1/sources', '/v1/sources');
  if (sources && docs) {
    const bySource = new Map();
    for (const d of docs) if (d.source) bySource.set(d.source, (bySource.get(d.source) || 0) + 1);
    if (docs.length < 5000)
      check('/v1/sources counts the documents of each source', sources.length === bySource.size && sources.every((x) => bySource.get(x.name) === x.document_count),
        JSON.stringify(sources.slice(0, 5)));
    check('/v1/sources: most documents first', sources.every((x, i) => !i || sources[i - 1].document_count >= x.document_count), 'not sorted');
    if (sources[0]) {
      const part = sources[0].name.slice(1, 4).toLowerCase();
      const body = await get('/v1/sources', `/v1/sources?q=${encodeURIComponent(part)}`);
      if (body) check('/v1/sources?q= finds by a part of the name, any case', body.data.some((x) => x.name === sources[0].name) && body.data.every((x) => x.name.toLowerCase().includes(part)), JSON.stringify(body.data));
    }
  }
  await checkPaging('/v1/sources', '/v1/sources', 1);
  await get('/v1/sources', '/v1/sources?q=zzzzzzqqqq');

  // -- format=csv / ndjson on the list endpoints
  const listOps = Object.keys(spec.paths).filter((t) => opParams(t, 'get').some((p) => p.name === 'format'));
  const sampleOf = new Map(seen);
  for (const template of listOps) {
    const base = sampleOf.get(template);
    if (!base) { fail(`format on ${template}`, 'no sample request'); continue; }
    for (const fmt of ['json', 'csv', 'ndjson']) {
      const target = base + (base.includes('?') ? '&' : '?') + `format=${fmt}`;
      const res = await request('GET', target);
      if (res.status === 400 && /unknown query parameter 'format'/.test(res.body.toString())) {
        skip(`GET ${target}`, 'format is not implemented yet');
        continue;
      }
      const body = conforms(`GET ${target} -> 200`, template, 'get', res, { expectStatus: 200 });
      if (body === undefined) continue;
      const json = JSON.parse((await request('GET', base)).body.toString());
      const items = json.data;
      if (fmt === 'json') {
        const strip = (b) => ({ ...b, meta: { ...b.meta, next: undefined } }); // meta.next repeats format=json
        check(`${target} is the default representation`, JSON.stringify(strip(body)) === JSON.stringify(strip(json)), 'differs from the request without format');
      } else if (fmt === 'ndjson') {
        // The whole list from the cursor on, whatever the limit.
        const paged = opParams(template, 'get').some((p) => p.name === 'limit');
        const all = await pages(template, paged ? base + (base.includes('?') ? '&' : '?') + 'limit=100' : base);
        const lines = body.split('\n').filter((l) => l !== '');
        let parsedLines;
        try { parsedLines = lines.map((l) => JSON.parse(l)); } catch (e) { fail(`${target} lines are JSON`, e.message); continue; }
        const itemPtr = (() => {
          const [op, opPtr] = operation(template, 'get');
          const [, rPtr] = deref(op.responses['200'], `${opPtr}/responses/200`);
          return `${rPtr}/content/application~1json/schema/properties/data/items`;
        })();
        const v = validatorAt(itemPtr);
        const bad = parsedLines.findIndex((x) => !v(x));
        check(`${target} lines are items of the list's schema`, bad < 0, bad < 0 ? '' : `line ${bad + 1}: ${ajvErrors(v)}`);
        // The documents' export also carries each one's text (issue 19): the same items, plus text.
        const withText = template === '/v1/documents';
        if (withText) {
          const bad = parsedLines.findIndex((x) => typeof x.text !== 'string');
          check(`${target}: every document line carries its text`, bad < 0, `line ${bad + 1}`);
          for (const x of parsedLines.slice(0, 3)) {
            const one = await get('/v1/documents/{id}', `/v1/documents/${encodeURIComponent(x.id)}`);
            if (one) check(`${target}: the text of ${x.id} is the document's`, one.text === x.text, 'differs');
          }
        }
        const strip = (x) => { if (!withText) return x; const { text, ...rest } = x; return rest; };
        if (all) check(`${target} is every item of the list, one per line`, JSON.stringify(parsedLines.map(strip)) === JSON.stringify(all), `${lines.length} lines vs ${all.length} items`);
      } else if (fmt === 'csv') {
        const rows = body.split('\r\n');
        const last = rows.pop();
        check(`${target} rows end with CRLF`, last === '', `trailing ${JSON.stringify(last.slice(0, 40))}`);
        // A header row, then one row per item (quoted fields may span lines, so count at least).
        if (items.length) {
          // Flat columns (issue 19): a nested object's members by path (entity_id), arrays looked
          // through; never JSON in a cell.
          const header = rows[0].split(',');
          const flat = [];
          const walk = (v, path) => {
            if (Array.isArray(v)) { if (v.length) v.forEach((x) => walk(x, path)); else flat.push([path, true]); }
            else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}_${k}` : k);
            else flat.push([path, v === null]);
          };
          items.forEach((it) => walk(it, ''));
          const names = [];
          for (const [n, weak] of flat) if (!names.includes(n) && !(weak && flat.some(([m]) => m.startsWith(n + '_')))) names.push(n);
          check(`${target} header row names the item's flattened fields`, JSON.stringify(header) === JSON.stringify(names), `${rows[0]} vs ${names.join(',')}`);
          check(`${target} has no JSON in a cell`, !/[{[]"/.test(body) && !/\{"/.test(body), body.slice(0, 200));
          check(`${target} has a row per item`, rows.length >= items.length + 1, `${rows.length} rows for ${items.length} items`);
        } else {
          check(`${target} of an empty list has at most a header row`, rows.length <= 1, `${rows.length} rows`);
        }
        const link = res.headers.link;
        // meta.next repeats the query without the cursor, then the cursor; format came last here.
        const expected = json.meta.next ? `<${json.meta.next.replace(/([?&])cursor=/, '$1format=csv&cursor=')}>; rel="next"` : undefined;
        check(`${target} Link rel=next is meta.next`, link === expected, `Link: ${link}, expected ${expected}`);
      }
    }
  }

  // -- gzip
  {
    const target = '/v1/documents?limit=100';
    const res = await request('GET', target, { 'Accept-Encoding': 'gzip' });
    if ((res.headers['content-encoding'] || '') !== 'gzip') skip(`GET ${target} with Accept-Encoding: gzip`, 'not gzipped (not implemented yet?)');
    else {
      conforms(`GET ${target} gzipped -> 200`, '/v1/documents', 'get', res, { expectStatus: 200 });
      check(`${target} gzipped has Vary: Accept-Encoding`, /accept-encoding/i.test(res.headers.vary || ''), `Vary: ${res.headers.vary}`);
    }
  }

  // -- generic checks on every route that answered: 304, HEAD, 405, unknown parameter, X-Request-Id
  const byTemplate = new Map();
  for (const [t, target] of seen) if (!byTemplate.has(t)) byTemplate.set(t, target);
  const untested = Object.keys(spec.paths).filter((t) => !byTemplate.has(t));
  for (const t of untested) if (!['/metrics', '/openapi.json', '/'].includes(t)) fail(`${t} exercised`, 'no successful request to this path');

  for (const [template, target] of byTemplate) {
    const first = await request('GET', target);
    const etag = first.headers.etag;
    const [op] = operation(template, 'get');
    if (op.responses['304']) {
      if (!check(`GET ${target} has an ETag`, !!etag, 'none')) continue;
      const res = await request('GET', target, { 'If-None-Match': etag });
      conforms(`GET ${target} If-None-Match -> 304`, template, 'get', res, { expectStatus: 304 });
      check(`GET ${target} 304 keeps the ETag`, res.headers.etag === etag, `${res.headers.etag} vs ${etag}`);
      const other = await request('GET', target, { 'If-None-Match': '"0000000000000000"' });
      check(`GET ${target} other If-None-Match -> 200`, other.status === 200, `status ${other.status}`);
    }
    const head = await request('HEAD', target);
    const h = conforms(`HEAD ${target} -> 200`, template, 'head', head, { expectStatus: 200, head: true });
    if (h) check(`HEAD ${target} has the GET headers`, head.headers['content-type'] === first.headers['content-type'] && (template === '/metrics' || head.headers.etag === first.headers.etag),
      `${head.headers['content-type']} ${head.headers.etag}`);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await request(method, target);
      if (conforms(`${method} ${target} -> 405`, template, 'get', res, { expectStatus: 405 }))
        check(`${method} ${target} Allow`, /GET/.test(res.headers.allow || '') && /HEAD/.test(res.headers.allow || ''), `Allow: ${res.headers.allow}`);
    }
    const pre = await request('OPTIONS', target, { Origin: 'http://example.test', 'Access-Control-Request-Method': 'GET' });
    check(`OPTIONS ${target} -> 204 preflight`, pre.status === 204 && !!pre.headers['access-control-allow-origin'] && /GET/.test(pre.headers['access-control-allow-methods'] || ''),
      `status ${pre.status}, ${JSON.stringify(pre.headers)}`);
    if (!IGNORES_QUERY.has(template)) await get(template, target + (target.includes('?') ? '&' : '?') + 'bogus=1', 400);
    // 414: a request target over 8 KiB (a long query); 431: over 16 KiB of headers.
    let big;
    try { big = await request('GET', target + (target.includes('?') ? '&' : '?') + 'q=' + 'x'.repeat(9000)); } catch (e) { big = { status: 0, headers: {}, body: Buffer.from(e.message) }; }
    conforms(`GET ${template} with a 9000-byte query -> 414`, template, 'get', big, { expectStatus: 414 });
    try { big = await request('GET', target, { 'X-Big': 'b'.repeat(20000) }); } catch (e) { big = { status: 0, headers: {}, body: Buffer.from(e.message) }; }
    conforms(`GET ${template} with 20000 bytes of headers -> 431`, template, 'get', big, { expectStatus: 431 });
    try { big = await request('GET', target, { 'Content-Length': '1000000' }); } catch (e) { big = { status: 0, headers: {}, body: Buffer.from(e.message) }; }
    conforms(`GET ${template} declaring a 1 MB body -> 413`, template, 'get', big, { expectStatus: 413 });
    const rid = await request('GET', target, { 'X-Request-Id': 'openapi-test.42' });
    check(`GET ${target} echoes X-Request-Id`, rid.headers['x-request-id'] === 'openapi-test.42', rid.headers['x-request-id']);

    // Every query parameter the spec declares is accepted by the server (not "unknown").
    for (const p of opParams(template, 'get').filter((x) => x.in === 'query')) {
      const s = deref(p.schema || {}, '')[0];
      const value = p.name === 'cursor' ? 'AAAA' : s.enum ? s.enum[s.enum.length - 1] : s.type === 'integer' ? String(s.default ?? 1)
        : (s.pattern || '').includes('\\d{4}') ? '2024' : p.name === 'q' ? 'the' : 'x';
      const sep = target.includes('?') ? '&' : '?';
      const t2 = target.includes(`${p.name}=`) ? target : `${target}${sep}${p.name}=${encodeURIComponent(value)}`;
      const res = await request('GET', t2);
      const text = res.body.toString();
      if (p.name === 'format' && /unknown query parameter 'format'/.test(text)) { skip(`${template} accepts ?format`, 'not implemented yet'); continue; }
      check(`${template} accepts the declared parameter ${p.name}`, !/unknown query parameter/.test(text), `${res.status} ${text.slice(0, 120)}`);
    }
  }

  // -- 400: bad parameters, on every operation that declares them
  for (const template of Object.keys(spec.paths)) {
    const target = byTemplate.get(template);
    if (!target) continue;
    const params = opParams(template, 'get').filter((p) => p.in === 'query');
    const sep = target.includes('?') ? '&' : '?';
    const bad = [];
    for (const p of params) {
      const s = deref(p.schema || {}, '')[0];
      if (p.name === 'limit') bad.push('limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=1.5', 'limit=');
      else if (p.name === 'cursor') bad.push('cursor=!!', 'cursor=AAAA');
      else if ((s.pattern || '').includes('\\d{4}')) bad.push(`${p.name}=2024-13`, `${p.name}=2023-02-29`, `${p.name}=24`, `${p.name}=yesterday`);
      else if (s.enum && p.name !== 'format') bad.push(`${p.name}=nope`);
    }
    if (params.length) bad.push(`${params[0].name}=a&${params[0].name}=b`);
    for (const q of bad) {
      if (target.includes(q.split('=')[0] + '=')) continue;
      await get(template, `${target}${sep}${q}`, 400);
    }
  }
  await get('/v1/search', '/v1/search', 400);
  await get('/v1/search', '/v1/search?q=', 400);
  await get('/v1/search', `/v1/search?q=${encodeURIComponent('"unbalanced')}`, 400);
  await get('/v1/search', `/v1/search?q=${encodeURIComponent('(a OR b')}`, 400);
  await get('/v1/documents', `/v1/documents?q=${encodeURIComponent('"unbalanced')}`, 400);
  await get('/v1/documents', '/v1/documents?q=%FF', 400);
  await get('/v1/documents/{id}', '/v1/documents/%FF', 400);
  await get('/v1/documents/{id}', '/v1/documents/a%00b', 400);
  await get('/v1/documents', `/v1/documents?cursor=${encodeURIComponent('AAAA')}`, 400);
  // A cursor of one sort is not a cursor of another.
  const byTitle = await get('/v1/documents', '/v1/documents?sort=title&limit=1');
  if (byTitle?.meta.next_cursor)
    await get('/v1/documents', `/v1/documents?sort=published&cursor=${encodeURIComponent(byTitle.meta.next_cursor)}`, 400);

  // -- 301: an id made from an alias answers with the entity's URL, on every entity path
  if (movedFrom) {
    for (const template of Object.keys(spec.paths).filter((t) => t.startsWith('/v1/entities/{id}'))) {
      const target = template.replace('{id}', encodeURIComponent(movedFrom.from));
      const res = await request('GET', target);
      conforms(`GET ${target} -> 301`, template, 'get', res, { expectStatus: 301 });
      const want = template.replace('{id}', movedFrom.to);
      check(`GET ${target} Location`, res.headers.location === want, `${res.headers.location} vs ${want}`);
    }
  } else {
    skip('301 redirects', 'LOUD SKIP: no entity in the corpus has an alias whose id differs from every entity id');
  }

  // -- 404: unknown ids on every {id} path, unknown paths
  for (const template of Object.keys(spec.paths).filter((t) => t.includes('{id}'))) {
    const id = template.startsWith('/v1/entities') ? 'person:no-such-entity' : 'no-such-document';
    await get(template, template.replace('{id}', encodeURIComponent(id)), 404);
  }
  // A filter naming an entity, document or source the corpus does not have (issue 19).
  for (const [template, target] of [
    ['/v1/documents', '/v1/documents?entity=person:no-such-entity'],
    ['/v1/documents', '/v1/documents?source=No%20Such%20Source'],
    ['/v1/search', '/v1/search?q=the&entity=person:no-such-entity'],
    ['/v1/timeline', '/v1/timeline?document=no-such-document'],
    ['/v1/timeline/histogram', '/v1/timeline/histogram?entity=loc:no-such-place'],
    ['/v1/entities', '/v1/entities?document=no-such-document'],
  ]) {
    const body = await get(template, target, 404);
    const value = decodeURIComponent(target.split('=').pop());
    if (body) check(`GET ${target}: the 404 names ${value}`, body.detail.includes(value), body.detail);
  }
  await get('/v1/documents', '/v1/documents?entity=no-type', 400);
  for (const target of ['/nope', '/v1', '/v1/documents/x/y/z', '/v1//documents', '/v2/stats']) {
    const res = await request('GET', target);
    const body = res.status === 404 && mediaType(res.headers['content-type']) === 'application/problem+json' ? JSON.parse(res.body.toString()) : null;
    const v = validatorAt('/components/schemas/Problem');
    check(`GET ${target} -> 404 problem`, body && v(body) && body.status === 404, `status ${res.status} ${res.body.toString().slice(0, 120)}`);
  }
  {
    const res = await request('POST', '/nope');
    check('POST /nope -> 404 problem', res.status === 404 && mediaType(res.headers['content-type']) === 'application/problem+json', `status ${res.status}`);
  }

  // -- 414 / 431
  {
    const longPath = '/v1/documents/' + 'a'.repeat(40000);
    let res;
    try { res = await request('GET', longPath); } catch (e) { res = { status: 0, headers: {}, body: Buffer.from(e.message) }; }
    conforms('GET /v1/documents/{40000 chars} -> 414', '/v1/documents/{id}', 'get', res, { expectStatus: 414 });
    const mid = '/v1/documents/' + 'a'.repeat(3000);
    res = await request('GET', mid);
    check('GET /v1/documents/{3000 chars} -> 404 or 414 problem', [404, 414].includes(res.status) && mediaType(res.headers['content-type']) === 'application/problem+json',
      `status ${res.status} ${res.headers['content-type']}`);
    try { res = await request('GET', '/v1/stats', { 'X-Big': 'b'.repeat(40000) }); } catch (e) { res = { status: 0, headers: {}, body: Buffer.from(e.message) }; }
    conforms('GET /v1/stats with a 40000-byte header -> 431', '/v1/stats', 'get', res, { expectStatus: 431 });
  }

  await strictChecks(docs);
  await stopServer();
  await checkLoading();

  // Every status the spec declares for an operation was answered (as declared) at least once.
  for (const [template, item] of Object.entries(spec.paths)) {
    if (!byTemplate.has(template)) continue; // not served (yet): skipped above
    for (const code of Object.keys(item.get.responses)) {
      if (code === '503' && !loadingChecked) continue;
      check(`${template} ${code} exercised`, covered.has(`${template} ${code}`), 'no request produced this declared response');
    }
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  fail('run', e.stack || String(e));
} finally {
  await stopServer();
}
if (failed) {
  console.log(`\nfailed checks: ${failures.length}`);
  if (serverLog.trim()) console.log(`corpusd stderr (last 2000 bytes):\n${serverLog.slice(-2000)}`);
  exitCode = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode);
