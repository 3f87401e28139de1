// dom.js — tiny helpers to build DOM and SVG trees without innerHTML, and formatting shared by the views.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style') el.style.cssText = v; // CSSOM, allowed under a strict Content-Security-Policy
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces el's children; unlike Element.replaceChildren, null/false children are left out (not "null"). */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

/** h('a', {href: '#/x', class: 'y'}, 'text', child…) */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
/** s('rect', {x: 0, …}) — the same for SVG elements. */
export const s = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** A hash link: route('/documents', {sort: 'title'}) → '#/documents?sort=title'. Empty values are left out. */
export function route(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const qs = q.toString();
  return '#' + path + (qs ? '?' + qs : '');
}

export const enc = encodeURIComponent;

export const TYPES = ['PERSON', 'ORG', 'LOC', 'MISC'];
const TYPE_LABELS = { PERSON: 'Person', ORG: 'Organisation', LOC: 'Location', MISC: 'Other' };
const TYPE_PLURALS = { PERSON: 'People', ORG: 'Organisations', LOC: 'Locations', MISC: 'Other' };
export const typeLabel = (t) => TYPE_LABELS[t] || t || 'Unknown';
export const typePlural = (t) => TYPE_PLURALS[t] || t || 'Unknown';
export const TYPE_COLORS = { PERSON: '#2563eb', ORG: '#7c3aed', LOC: '#047857', MISC: '#b45309' };
export const typeColor = (t) => TYPE_COLORS[t] || '#475569';

export function typeBadge(t) {
  return h('span', { class: `badge t-${t}` }, typeLabel(t));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
export const monthName = (m, long = false) => (long ? MONTHS_LONG : MONTHS)[m - 1] || String(m);

/** '2024-11-28' → '28 Nov 2024', '2024-11' → 'Nov 2024', '2024' → '2024'; anything else as given. */
export function fmtDate(value) {
  if (!value) return 'Date unknown';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return value;
  if (m[3]) return `${Number(m[3])} ${monthName(Number(m[2]))} ${m[1]}`;
  if (m[2]) return `${monthName(Number(m[2]))} ${m[1]}`;
  return m[1];
}

export const fmtNum = (n) => (typeof n === 'number' ? n.toLocaleString('en-GB') : '—');
export const plural = (n, one, many = one + 's') => `${fmtNum(n)} ${n === 1 ? one : many}`;

/** The UTC period [start, end) in ms that an ISO date at its precision covers, or null. */
export function period(value) {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value || '');
  if (!m) return null;
  const y = Number(m[1]);
  if (m[3]) { const s = Date.UTC(y, Number(m[2]) - 1, Number(m[3])); return [s, s + 86400000]; }
  if (m[2]) return [Date.UTC(y, Number(m[2]) - 1, 1), Date.UTC(y, Number(m[2]), 1)];
  return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
}

export function truncate(str, n) {
  const cps = Array.from(str || '');
  return cps.length > n ? cps.slice(0, n - 1).join('') + '…' : str || '';
}

/** Highlights the first occurrence of `needle` in `text` with <mark>; returns nodes. */
export function markIn(text, needle, cls = 'hit') {
  const i = needle ? text.indexOf(needle) : -1;
  if (i < 0) return [text];
  return [text.slice(0, i), h('mark', { class: cls }, needle), text.slice(i + needle.length)];
}

export function announce(msg) {
  const el = document.getElementById('announcer');
  if (el) { el.textContent = ''; setTimeout(() => { el.textContent = msg; }, 30); }
}
