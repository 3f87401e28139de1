// #/documents/ID?event=EVENT_ID | ?mark=START-END — the reader: the text with its entity mentions and
// temporal expressions highlighted; an event (from the timeline) or a mention (from an entity page) is
// scrolled to and outlined. Offsets are Unicode code points, so the text is sliced as Array.from(text).
import { h, append, route, enc, fmtDate, fmtNum, typeLabel, typePlural, TYPES } from '../dom.js';
import * as api from '../api.js';
import { empty, errorState } from '../ui.js';
import { docMeta } from './common.js';

/** Converts a UTF-16 index of `str` to a code-point index. */
function cpIndex(str, i) {
  let n = 0;
  for (let k = 0; k < i; k++) {
    const c = str.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < i) k++;
    n++;
  }
  return n;
}

/** Where `sentence` is in the text, as code points, choosing the occurrence nearest `near`. */
function findSentence(text, sentence, near) {
  if (!sentence) return null;
  let best = null;
  for (let i = text.indexOf(sentence); i >= 0; i = text.indexOf(sentence, i + 1)) {
    const start = cpIndex(text, i);
    const end = start + Array.from(sentence).length;
    const dist = near >= start && near < end ? 0 : Math.abs(start - near);
    if (!best || dist < best.dist) best = { start, end, dist };
    if (!dist) break;
  }
  return best;
}

/** Keeps annotations that do not overlap (the earlier, then the longer wins). */
function nonOverlapping(anns) {
  anns.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let last = -1;
  for (const a of anns) if (a.start >= last && a.end > a.start) { out.push(a); last = a.end; }
  return out;
}

function annElement(a) {
  if (a.kind === 'entity') {
    return h('a', { class: `ann ent t-${a.type}`, href: route('/entities/' + enc(a.id)), title: `${a.name} · ${typeLabel(a.type)}`,
      dataset: { entity: a.id } });
  }
  return h('time', { class: 'ann timex', title: `${a.type || 'DATE'} ${a.value || ''}`.trim(), id: `timex-${a.start}`,
    dataset: { value: a.value || '' }, tabindex: '-1' });
}

/** The text as paragraphs of nodes; returns {nodes, focusEl}. */
function renderText(text, paragraphs, anns, focus) {
  const cps = Array.from(text || '');
  let paras = (paragraphs || []).filter((p) => p.end > p.start).sort((a, b) => a.start - b.start);
  // Text that no paragraph covers (other than blank lines) is shown as a paragraph of its own.
  if (paras.length) {
    const all = [];
    let at = 0;
    for (const p of [...paras, { start: cps.length, end: cps.length }]) {
      if (p.start > at && cps.slice(at, p.start).join('').trim()) all.push({ start: at, end: p.start });
      if (p.end > p.start) all.push(p);
      at = Math.max(at, p.end);
    }
    paras = all;
  } else {
    paras = [];
    let start = 0;
    const t = cps.join('');
    for (const part of t.split(/\n\s*\n/)) {
      const len = Array.from(part).length;
      paras.push({ start, end: start + len });
      start += len + 2;
    }
  }
  let focusEl = null;
  const nodes = paras.map((p) => {
    const pEl = h('p');
    const inP = anns.filter((a) => a.start < p.end && a.end > p.start);
    const cuts = new Set([p.start, p.end]);
    for (const a of inP) { cuts.add(Math.max(a.start, p.start)); cuts.add(Math.min(a.end, p.end)); }
    const hasFocus = focus && focus.start < p.end && focus.end > p.start;
    if (hasFocus) { cuts.add(Math.max(focus.start, p.start)); cuts.add(Math.min(focus.end, p.end)); }
    const pts = [...cuts].sort((a, b) => a - b);
    let curAnn = null;
    let curEl = null;
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      if (a >= b) continue;
      const str = cps.slice(a, b).join('');
      const ann = inP.find((x) => x.start <= a && x.end >= b) || null;
      const inFocus = hasFocus && focus.start <= a && focus.end >= b;
      const node = inFocus ? h('span', { class: 'focus' }, str) : document.createTextNode(str);
      if (inFocus && !focusEl) { focusEl = node; node.id = 'focus'; node.tabIndex = -1; }
      if (ann) {
        if (curAnn !== ann) { curEl = annElement(ann); pEl.append(curEl); curAnn = ann; }
        curEl.append(node);
      } else {
        curAnn = null;
        pEl.append(node);
      }
    }
    return pEl;
  });
  return { nodes, focusEl };
}

/** The original with what cleaning set aside greyed out, each span labelled with its reason. */
function renderSource(src) {
  const cps = Array.from(src.original || '');
  const spans = [...(src.set_aside || [])].sort((a, b) => a.start - b.start);
  const out = h('div', { class: 'reader-source', id: 'reader-source' });
  let para = h('p');
  const flush = () => { if (para.childNodes.length) out.append(para); para = h('p'); };
  const put = (from, to, aside) => {
    // Lines of the original become lines of the view; a blank line ends a paragraph.
    const parts = cps.slice(from, to).join('').split(/\n\s*\n/);
    parts.forEach((part, i) => {
      if (i) flush();
      if (!part) return;
      if (!aside) { para.append(document.createTextNode(part)); return; }
      const why = aside.reason.replace(/_/g, ' ') + (aside.pages ? ` (on ${aside.pages} pages of this source)` : '');
      para.append(h('span', { class: 'aside', title: `Set aside: ${why}`, dataset: { reason: aside.reason } },
        part, h('span', { class: 'aside-why' }, why)));
    });
  };
  let at = 0;
  for (const a of spans) {
    if (a.start > at) put(at, a.start, null);
    put(Math.max(a.start, at), a.end, a);
    at = Math.max(at, a.end);
  }
  if (at < cps.length) put(at, cps.length, null);
  flush();
  return out;
}

/** Dateline, authors and captions: what the text says about itself. */
function statedMeta(doc) {
  const parts = [];
  if (doc.authors && doc.authors.length) parts.push(h('span', { class: 'meta-authors' }, 'By ' + doc.authors.join(', ')));
  if (doc.place) parts.push(h('span', { class: 'meta-place', title: 'From the dateline' }, doc.place));
  if (doc.encoding) parts.push(h('span', { class: 'meta-encoding', title: 'How the input was decoded' }, doc.encoding));
  const line = parts.length ? h('p', { class: 'meta' }, parts.flatMap((p, i) => (i ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), p] : [p]))) : null;
  const captions = (doc.captions || []).map((c) => h('figure', { class: 'caption' }, h('figcaption', null, c)));
  return [line, ...captions];
}

export default async function documentView(ctx) {
  const id = ctx.params[0];
  const eventId = ctx.query.get('event');
  const markM = /^(\d+)-(\d+)$/.exec(ctx.query.get('mark') || '');
  ctx.title('Document');
  const base = 'v1/documents/' + enc(id);
  const opt = { signal: ctx.signal };
  // The document is required; its annotations are optional (a failing part is reported, the text still shows).
  const soft = (p) => p.then((v) => ({ ok: true, v }), (e) => { if (e.name === 'AbortError') throw e; return { ok: false, e }; });
  const [doc, ents, timexes, events] = await Promise.all([
    api.get(base, null, opt),
    // These two answer the whole list at once (they take no limit or cursor).
    soft(api.list(base + '/entities', null, opt).then((p) => p.data)),
    soft(api.list(base + '/timexes', null, opt).then((p) => p.data)),
    eventId ? soft(api.all(base + '/timeline', null, opt)) : { ok: true, v: [] },
  ]);
  if (!ctx.alive) return;
  ctx.title(doc.title || doc.id);
  const text = doc.text || '';
  const entities = ents.ok ? ents.v : [];
  const tx = timexes.ok ? timexes.v : [];

  const anns = [];
  for (const e of entities) for (const m of e.mentions || []) anns.push({ kind: 'entity', start: m.start, end: m.end, id: e.id, name: e.name, type: e.type });
  for (const t of tx) anns.push({ kind: 'timex', start: t.start, end: t.end, type: t.type, value: t.value, text: t.text });
  const shown = nonOverlapping(anns);

  let focus = null;
  let banner = null;
  if (eventId) {
    const ev = events.ok ? events.v.find((e) => e.id === eventId) : null;
    if (ev) {
      const near = ev.timex ? ev.timex.start : 0;
      focus = findSentence(text, ev.sentence, near) || (ev.timex ? { start: ev.timex.start, end: ev.timex.end } : null);
      banner = h('div', { class: 'banner', role: 'note' },
        h('span', null, 'Event on ', h('strong', null, fmtDate(ev.date)), ev.timex ? ` (“${ev.timex.text}”)` : '', ' is outlined below.'),
        h('a', { class: 'btn', href: route('/timeline', { document: doc.id }) }, 'This document on the timeline'));
    } else {
      banner = h('div', { class: 'banner banner-warn', role: 'note' }, `The event ${eventId} is not in this document.`);
    }
  } else if (markM) {
    focus = { start: Number(markM[1]), end: Number(markM[2]) };
  }

  const { nodes, focusEl } = renderText(text, doc.paragraphs, shown, focus);
  const article = h('article', { class: 'reader', 'aria-labelledby': 'doc-title' },
    h('header', { class: 'reader-head' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/documents' }, 'Documents'), ' / ', h('span', null, doc.id)),
      h('h1', { id: 'doc-title' }, doc.title || doc.id),
      docMeta(doc),
      ...statedMeta(doc),
      doc.url ? h('p', { class: 'meta' }, h('a', { href: doc.url, rel: 'noopener noreferrer', target: '_blank' }, 'Original article ↗')) : null),
    banner,
    h('div', { class: 'reader-text', id: 'reader-text' }, nodes.length ? nodes : empty('This document has no text.')));

  // Side panel: toggles for each highlight kind, the document's entities and dates.
  const counts = {};
  for (const a of shown) counts[a.kind === 'entity' ? a.type : 'DATE'] = (counts[a.kind === 'entity' ? a.type : 'DATE'] || 0) + 1;
  const toggles = h('fieldset', { class: 'toggles' }, h('legend', null, 'Highlight'),
    [...TYPES, 'DATE'].map((t) => {
      const cb = h('input', { type: 'checkbox', id: `hl-${t}`, checked: true,
        onchange: (ev) => article.classList.toggle(`hide-t-${t}`, !ev.target.checked) });
      return h('label', { class: `toggle t-${t}`, for: `hl-${t}` }, cb, h('span', { class: 'swatch', 'aria-hidden': 'true' }),
        t === 'DATE' ? 'Dates' : typePlural(t), h('span', { class: 'count' }, fmtNum(counts[t] || 0)));
    }));

  // What cleaning set aside from the input: fetched when first asked for, shown greyed in place.
  let sourceView = null;
  const readerText = article.querySelector('#reader-text');
  const sourceToggle = h('label', { class: 'toggle', for: 'show-aside' },
    h('input', { type: 'checkbox', id: 'show-aside', onchange: async (ev) => {
      const on = ev.target.checked;
      if (on && !sourceView) {
        try {
          sourceView = renderSource(await api.get(base + '/source', null, opt));
        } catch (e) {
          if (e.name === 'AbortError') return;
          sourceView = errorState(e);
        }
        if (!ctx.alive) return;
        readerText.after(sourceView);
      }
      if (sourceView) sourceView.hidden = !on;
      readerText.hidden = on;
    } }), 'Show what cleaning set aside');
  toggles.append(sourceToggle);

  const entBox = h('section', { class: 'card side-card', 'aria-labelledby': 'doc-ents' }, h('h2', { id: 'doc-ents' }, 'Entities in this document'));
  if (!ents.ok) append(entBox, errorState(ents.e));
  else if (!entities.length) append(entBox, empty('No entities found.'));
  else {
    const sorted = [...entities].sort((a, b) => (b.mentions || []).length - (a.mentions || []).length || a.name.localeCompare(b.name));
    append(entBox, h('ul', { class: 'ent-list' }, sorted.slice(0, 40).map((e) => h('li', null,
      h('a', { href: route('/entities/' + enc(e.id)), class: `ent-link t-${e.type}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), e.name),
      h('span', { class: 'count', title: 'Mentions in this document' }, fmtNum((e.mentions || []).length))))),
    sorted.length > 40 ? h('p', { class: 'hint' }, `and ${sorted.length - 40} more`) : null);
  }

  const dateBox = h('section', { class: 'card side-card', 'aria-labelledby': 'doc-dates' }, h('h2', { id: 'doc-dates' }, 'Dates in this document'));
  if (!timexes.ok) append(dateBox, errorState(timexes.e));
  else if (!tx.length) append(dateBox, empty('No temporal expressions found.'));
  else {
    append(dateBox, h('ol', { class: 'date-list' }, tx.slice(0, 60).map((t) => h('li', null,
      h('button', { type: 'button', class: 'linklike', title: 'Show it in the text',
        onclick: () => { const el = document.getElementById(`timex-${t.start}`); if (el) { el.scrollIntoView({ block: 'center' }); el.classList.add('flash'); el.focus({ preventScroll: true }); setTimeout(() => el.classList.remove('flash'), 1600); } } },
      t.text), h('span', { class: 'value' }, t.value || '')))),
    h('p', null, h('a', { href: route('/timeline', { document: doc.id }) }, 'Events of this document on the timeline →')));
  }

  ctx.root.replaceChildren(h('div', { class: 'reader-layout' }, article,
    h('aside', { class: 'reader-side', 'aria-label': 'Annotations' }, h('div', { class: 'card side-card' }, toggles), entBox, dateBox)));
  if (focusEl) ctx.focus(focusEl);
}
