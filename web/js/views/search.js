// #/search?q=…&cursor=… — full-text search with highlighted snippets.
import { h, route } from '../dom.js';
import * as api from '../api.js';
import { empty, errorState, pager, pageHeader, loading } from '../ui.js';
import { docCard, snippet } from './common.js';

export default async function search(ctx) {
  const q = (ctx.query.get('q') || '').trim();
  ctx.title(q ? `Search: ${q}` : 'Search');
  const input = h('input', { id: 'search-q', name: 'q', type: 'search', value: q, placeholder: 'soybean, "trade talks", export*', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form', { class: 'searchbox', role: 'search', 'aria-label': 'Search documents',
    onsubmit: (ev) => { ev.preventDefault(); const v = input.value.trim(); if (v) location.hash = route('/search', { q: v }); } },
  h('label', { for: 'search-q', class: 'sr-only' }, 'Search words'), input, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Search'));
  const help = h('p', { class: 'hint' }, 'Words, "exact phrases", prefix* and AND / OR / NOT. Results are ranked; titles weigh more than text.');
  const results = h('div', { class: 'results' });
  ctx.root.replaceChildren(pageHeader('Search', null), form, help, results);
  if (!q) {
    results.replaceChildren(empty('Type some words to search the documents.'));
    ctx.focus(input);
    return;
  }
  results.replaceChildren(loading('Searching…'));
  let page;
  try {
    page = await api.list('v1/search', { q, cursor: ctx.query.get('cursor'), limit: 20 }, ctx);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    results.replaceChildren(errorState(e.status === 400 ? { ...e, title: 'This query cannot be searched' } : e,
      e.status === 400 ? null : () => search(ctx)));
    return;
  }
  if (!ctx.alive) return;
  const n = page.meta.total;
  results.replaceChildren(
    h('p', { class: 'result-count', role: 'status' }, n ? `${n} ${n === 1 ? 'document matches' : 'documents match'} “${q}”.` : ''),
    page.data.length
      ? h('ol', { class: 'doc-list', 'aria-label': 'Search results' }, page.data.map((d) => docCard(d, snippet(d.snippet))))
      : empty(`No document matches “${q}”.`),
    page.data.length ? pager('/search', ctx.query, page.meta, page.data.length) : null);
}
