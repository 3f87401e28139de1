// #/search?q=…&from=…&to=…&source=…&entity=ID&cursor=…&at=N — full-text search with highlighted snippets.
// /v1/search takes no filters yet (it answers 400 to from/to/source/entity), so a filtered search asks the
// documents list instead (`/v1/documents?q=…` takes the same query syntax and every filter): those results
// are the same matching documents, newest first, without relevance ranking or snippets — the page says so.
import { h, route, fmtNum, plural, replace } from '../dom.js';
import * as api from '../api.js';
import { empty, errorState, pageHeader, loading } from '../ui.js';
import { docCard, snippet } from './common.js';
import { readFilters, hasFilters, filterBar, describeFilters } from './filters.js';
import { facetCard } from './facets.js';

const PAGE = 20;

export default async function search(ctx) {
  const q = (ctx.query.get('q') || '').trim();
  const f = readFilters(ctx.query);
  const filtered = hasFilters(f);
  ctx.title(q ? `Search: ${q}` : 'Search');
  const input = h('input', { id: 'search-q', name: 'q', type: 'search', value: q, placeholder: 'soybean, "trade talks", export*', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'searchbox', role: 'search', 'aria-label': 'Search documents',
    onsubmit: (ev) => { ev.preventDefault(); const v = input.value.trim(); if (v) location.hash = route('/search', { q: v, ...f }); } },
  h('label', { for: 'search-q', class: 'sr-only' }, 'Search words'), input, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));
  const help = h('p', { class: 'hint' }, 'Words, "exact phrases", prefix* and AND / OR / NOT. Results are ranked; titles weigh more than text.');
  const results = h('div', { class: 'results' });
  const bar = await filterBar('/search', { q }, f, { signal: ctx.signal, idPrefix: 'search' });
  if (!ctx.alive) return;
  ctx.root.replaceChildren(pageHeader('Search', null), form, help, bar.el, results);
  if (!q) {
    results.replaceChildren(empty('Type some words to search the documents.'));
    ctx.focus(input);
    return;
  }
  results.replaceChildren(loading('Searching…'));
  const cursor = ctx.query.get('cursor') || '';
  let page;
  try {
    page = filtered
      ? await api.list('v1/documents', { q, ...f, sort: '-published', cursor, limit: PAGE }, ctx)
      : await api.list('v1/search', { q, cursor, limit: PAGE }, ctx);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    results.replaceChildren(errorState(e.status === 400 ? { ...e, title: 'This query cannot be searched' } : e,
      e.status === 400 ? null : () => search(ctx)));
    return;
  }
  if (!ctx.alive) return;
  const n = page.meta.total;
  const at = cursor ? Math.max(0, Number(ctx.query.get('at')) || 0) : 0;
  const described = describeFilters(f, bar.entLabel);
  const shown = page.data.length;
  const list = h('div', null);
  results.replaceChildren(h('div', { class: 'with-aside' }, list, facetCard('/search', { q }, f, { q }, ctx)));
  replace(list,
    h('p', { class: 'result-count', role: 'status' }, n ? `${n === 1 ? '1 document matches' : `${fmtNum(n)} documents match`} “${q}”${described ? ', ' + described : ''}.` : ''),
    filtered ? h('p', { class: 'hint', id: 'search-filtered-note' }, 'With filters, the matching documents are listed newest first, without relevance ranking or snippets (the search API takes no filters yet).') : null,
    shown
      ? h('ol', { class: 'doc-list', 'aria-label': 'Search results', start: at + 1 }, page.data.map((d) => docCard(d, filtered ? null : snippet(d.snippet))))
      : empty(`No document matches “${q}”${described ? ', ' + described : ''}.`),
    shown ? h('nav', { class: 'pager', 'aria-label': 'Pages' },
      h('span', { class: 'pager-info' }, `Results ${fmtNum(at + 1)}–${fmtNum(at + shown)} of ${plural(n, 'document')}`),
      cursor ? h('a', { class: 'btn', href: route('/search', { q, ...f }) }, '« First page') : null,
      page.meta.next_cursor ? h('a', { class: 'btn', rel: 'next', href: route('/search', { q, ...f, cursor: page.meta.next_cursor, at: at + shown }) }, 'Next page »') : null) : null);
}
