// common.js — pieces several views share: a document card and its meta line.
import { h, route, enc, fmtDate, fmtNum } from '../dom.js';

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
