// common.js — pieces several views share: a document card and its meta line.
import { h, route, enc, fmtDate, fmtNum, plural, truncate, typeLabel } from '../dom.js';
import * as api from '../api.js';
import { prefixQuery } from '../picker.js';

export function docMeta(d) {
  const parts = [];
  if (d.source) parts.push(h('span', { class: 'meta-source' }, d.source));
  parts.push(h('span', { class: 'meta-date', title: d.published_inferred ? 'Date inferred from the text' : null },
    d.published ? fmtDate(d.published) + (d.published_inferred ? ' (inferred)' : '') : 'Date unknown'));
  if (typeof d.word_count === 'number') parts.push(h('span', null, `${fmtNum(d.word_count)} words`));
  return h('p', { class: 'meta' }, parts.flatMap((p, i) => (i ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), p] : [p])));
}

/** A document in a list; `snippetNode` (search) replaces the summary. */
export function docCard(d, snippetNode) {
  return h('li', { class: 'doc-card' },
    h('h2', { class: 'doc-title' }, h('a', { href: route('/documents/' + enc(d.id)) }, d.title || d.id)),
    docMeta(d),
    snippetNode || (d.summary ? h('p', { class: 'summary' }, d.summary) : null));
}

/**
 * The search snippet is HTML-escaped text with <mark> tags (API contract). It is only put in as HTML when
 * nothing but <mark> and </mark> tags are in it; otherwise it is shown as text.
 */
export function snippet(html) {
  const p = h('p', { class: 'snippet' });
  const stripped = String(html || '').replace(/<\/?mark>/g, '');
  if (!/[<>]/.test(stripped)) p.innerHTML = html || '';
  else p.textContent = stripped;
  return p;
}

// Typeahead searches for the pickers (js/picker.js): every option comes from the API, so any entity or
// document of the corpus can be picked, not only the most mentioned ones.
export async function searchEntities(text, signal) {
  const page = await api.list('v1/entities', { q: text, sort: '-mentions', limit: 10 }, { signal });
  return page.data.map((e) => ({ value: e.id, label: e.name, detail: `${typeLabel(e.type)} · ${plural(e.mention_count || 0, 'mention')}` }));
}

export async function searchDocuments(text, signal) {
  const q = prefixQuery(text);
  if (!q) return [];
  const page = await api.list('v1/documents', { q, limit: 10 }, { signal });
  return page.data.map((d) => ({ value: d.id, label: truncate(d.title || d.id, 90), detail: [d.source, d.published && fmtDate(d.published)].filter(Boolean).join(' · ') }));
}

/** Sources (publishers) whose name contains the typed text, most documents first (/v1/sources). */
export async function searchSources(text, signal) {
  const page = await api.list('v1/sources', { q: text, limit: 10 }, { signal });
  return page.data.map((src) => ({ value: src.name, label: src.name, detail: plural(src.document_count || 0, 'document') }));
}

/** The name of an entity (for a picker showing a picked id); null when the API has no such entity (404). */
export async function entityName(id, signal) {
  if (!id) return '';
  try { return (await api.get('v1/entities/' + enc(id), null, { signal })).name || id; } catch (e) {
    if (e.name === 'AbortError') throw e;
    return e.status === 404 ? null : id;
  }
}

/** A filter naming an entity the corpus does not have matches nothing: say so instead of "0 results". */
export function unknownEntityBanner(id) {
  return h('div', { class: 'banner banner-warn', role: 'status', id: 'unknown-entity' },
    h('span', null, 'There is no entity ', h('code', null, id), ' in this corpus, so this filter matches nothing. Check the id, or pick an entity by name.'));
}

export async function documentTitle(id, signal) {
  if (!id) return '';
  try { return (await api.get('v1/documents/' + enc(id), null, { signal })).title || id; } catch (e) { if (e.name === 'AbortError') throw e; return id; }
}
