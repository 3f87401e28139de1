// facets.js — counts beside a list of documents: how many of the matching documents each source and each
// month (or year) holds, under the filters in force. The API has no facet parameter yet, so each count is
// the `meta.total` of a one-item /v1/documents request with that value added to the filters — exact, and
// cheap for the handful of values shown (the top sources, the months or years of the corpus).
import { h, route, fmtNum, monthName } from '../dom.js';
import * as api from '../api.js';
import { section, empty } from '../ui.js';

const MAX_SOURCES = 8;
const MAX_PERIODS = 12;
const pad = (n) => String(n).padStart(2, '0');

const startOf = (d) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d);
function endOf(d) {
  if (d.length === 4) return `${d}-12-31`;
  if (d.length === 7) return new Date(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0)).toISOString().slice(0, 10);
  return d;
}

/** The periods of the publication range: its months when there are few, else its (latest) years. */
function periodsOf(range) {
  const a = range && /^\d{4}/.test(range.from || '') ? range.from : null;
  const b = range && /^\d{4}/.test(range.to || '') ? range.to : null;
  if (!a || !b) return [];
  const out = [];
  if (a.length >= 7 && b.length >= 7) {
    const k0 = Number(a.slice(0, 4)) * 12 + Number(a.slice(5, 7)) - 1, k1 = Number(b.slice(0, 4)) * 12 + Number(b.slice(5, 7)) - 1;
    if (k1 - k0 < MAX_PERIODS) {
      for (let k = k1; k >= k0; k--) out.push({ value: `${Math.floor(k / 12)}-${pad((k % 12) + 1)}`, label: `${monthName((k % 12) + 1)} ${Math.floor(k / 12)}` });
      return out;
    }
  }
  for (let y = Number(b.slice(0, 4)); y >= Number(a.slice(0, 4)) && out.length < MAX_PERIODS; y--) out.push({ value: String(y), label: String(y) });
  return out;
}

/** The filters with a period added: the intersection of the user's range and the period, or null if empty. */
function withPeriod(f, p) {
  const from = f.from && startOf(f.from) > startOf(p) ? f.from : p;
  const to = f.to && endOf(f.to) < endOf(p) ? f.to : p;
  return startOf(from) > endOf(to) ? null : { ...f, from, to };
}

/**
 * The facet card. `path`/`base`: the view and its other parameters (q, sort) for the links; `f`: the filters
 * in force; `extra`: API parameters every count shares (q for a search).
 */
export function facetCard(path, base, f, extra, ctx) {
  const count = (params) => api.list('v1/documents', { ...extra, ...params, limit: 1 }, ctx).then((p) => p.meta.total);
  return section('Refine', async () => {
    const [sources, stats] = await Promise.all([api.list('v1/sources', { limit: MAX_SOURCES }, ctx), api.get('v1/stats', null, ctx)]);
    const periods = periodsOf(stats.published_range);
    const [sourceCounts, periodCounts] = await Promise.all([
      Promise.all(sources.data.map((s) => count({ ...f, source: s.name }))),
      Promise.all(periods.map((p) => { const g = withPeriod(f, p.value); return g ? count(g) : 0; })),
    ]);
    const item = (label, n, href, current) => h('li', null,
      n ? h('a', { href, 'aria-current': current ? 'true' : null }, h('span', { class: 'facet-label' }, label), h('span', { class: 'facet-count' }, fmtNum(n)))
        : h('span', { class: 'facet-empty' }, h('span', { class: 'facet-label' }, label), h('span', { class: 'facet-count' }, '0')));
    const blocks = [];
    if (sources.data.length) {
      blocks.push(h('h3', null, 'Source'), h('ul', { class: 'facet-list', id: 'facet-source' }, sources.data.map((s, i) =>
        item(s.name, sourceCounts[i], route(path, { ...base, ...f, source: f.source === s.name ? '' : s.name }), f.source === s.name))));
      if (sources.meta.total > sources.data.length) blocks.push(h('p', { class: 'hint' }, `${fmtNum(sources.meta.total - sources.data.length)} more sources: type one in the Source filter.`));
    }
    if (periods.length) {
      blocks.push(h('h3', null, periods[0].value.length === 4 ? 'Year' : 'Month'), h('ul', { class: 'facet-list', id: 'facet-period' }, periods.map((p, i) =>
        item(p.label, periodCounts[i], route(path, { ...base, ...f, from: p.value, to: p.value }), f.from === p.value && f.to === p.value))));
    }
    return blocks.length ? blocks : empty('Nothing to refine by.');
  }, { id: 'facets', cls: 'facets' });
}
