// #/documents?sort=-published&from=…&to=…&source=…&entity=ID&jump=DATE&cursor=…&at=N — the documents, filtered
// by date range, source and entity (API filters), a page at a time. The API pages by keyset cursor, so the
// view jumps by date instead of by page number: "jump to 1987-06" lists from that date on and tells which
// documents of the whole list these are ("41–60 of 16,768").
import { h, route, fmtNum, monthName, plural, replace } from '../dom.js';
import * as api from '../api.js';
import { empty, pageHeader } from '../ui.js';
import { docCard } from './common.js';
import { readFilters, filterBar, describeFilters } from './filters.js';
import { facetCard } from './facets.js';

const SORTS = [['-published', 'Newest first'], ['published', 'Oldest first'], ['title', 'Title A–Z']];
const PAGE = 20;
const DATE_RE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const pad = (n) => String(n).padStart(2, '0');
const DAY = 86400000;
const iso = (t) => new Date(t).toISOString().slice(0, 10);

/** The last day of a year or month named by a partial date ('1987-03' → '1987-03-31'); a day as it is. */
function endOf(d) {
  if (/^\d{4}$/.test(d)) return `${d}-12-31`;
  if (/^\d{4}-\d{2}$/.test(d)) return iso(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 0));
  return d;
}
function startOf(d) {
  if (/^\d{4}$/.test(d)) return `${d}-01-01`;
  if (/^\d{4}-\d{2}$/.test(d)) return `${d}-01`;
  return d;
}
const dayAfter = (d) => iso(Date.parse(endOf(d) + 'T00:00:00Z') + DAY);

/**
 * The API filters of a date jump. Newest first: documents dated on or before the jump (the API's `to`);
 * oldest first: on or after it. The jump never widens the user's own date range.
 */
function jumpFilters(f, sort, jump) {
  if (!jump) return f;
  if (sort === '-published') {
    const to = !f.to || endOf(jump) < endOf(f.to) ? endOf(jump) : f.to;
    return { ...f, to };
  }
  const from = !f.from || startOf(jump) > startOf(f.from) ? startOf(jump) : f.from;
  return { ...f, from };
}

/** How many documents of the full list come before a jump: for newest first, those dated after it. */
async function countBefore(f, sort, jump, fullTotal, jumpedTotal, ctx) {
  if (!jump) return 0;
  if (sort === 'published') return fullTotal - jumpedTotal; // undated and earlier documents come first
  const from = dayAfter(jump);
  if (f.to && endOf(f.to) < from) return 0;
  const after = await api.list('v1/documents', { ...f, from: !f.from || startOf(f.from) < from ? from : f.from, limit: 1 }, ctx);
  return after.meta.total;
}

/** Quick jumps: the months (or, over more than two years, the years) of the documents' publication range. */
function jumpTargets(range, sort) {
  const a = range && /^\d{4}/.test(range.from || '') ? range.from : null;
  const b = range && /^\d{4}/.test(range.to || '') ? range.to : null;
  if (!a || !b) return [];
  const y0 = Number(a.slice(0, 4)), y1 = Number(b.slice(0, 4));
  let out = [];
  if (y1 - y0 >= 2 || a.length < 7 || b.length < 7) {
    for (let y = y0; y <= y1; y++) out.push({ value: String(y), label: String(y) });
  } else {
    for (let k = y0 * 12 + Number(a.slice(5, 7)) - 1; k <= y1 * 12 + Number(b.slice(5, 7)) - 1; k++) {
      const y = Math.floor(k / 12), m = (k % 12) + 1;
      out.push({ value: `${y}-${pad(m)}`, y, m });
    }
  }
  if (out.length > 30) out = out.filter((_, i) => i % Math.ceil(out.length / 30) === 0);
  if (sort === '-published') out.reverse();
  // A month shows its year when it is the first chip or a January (in the order shown).
  return out.map((t, i) => (t.m ? { value: t.value, label: i === 0 || t.y !== out[i - 1].y ? `${monthName(t.m)} ${t.y}` : monthName(t.m) } : t));
}

export default async function documents(ctx) {
  const q = ctx.query;
  const sort = SORTS.some(([v]) => v === q.get('sort')) ? q.get('sort') : '-published';
  const f = readFilters(q);
  const jumpRaw = (q.get('jump') || '').trim();
  const jump = sort !== 'title' && DATE_RE.test(jumpRaw) ? jumpRaw : '';
  const cursor = q.get('cursor') || '';
  ctx.title('Documents');
  const listFilters = jumpFilters(f, sort, jump);
  const [page, full, stats, bar] = await Promise.all([
    api.list('v1/documents', { ...listFilters, sort, cursor, limit: PAGE }, ctx),
    jump ? api.list('v1/documents', { ...f, limit: 1 }, ctx) : null,
    api.get('v1/stats', null, ctx).catch((e) => { if (e.name === 'AbortError') throw e; return null; }),
    filterBar('/documents', { sort }, f, { signal: ctx.signal, idPrefix: 'doc' }),
  ]);
  if (!ctx.alive) return;
  const total = (full || page).meta.total;
  // Where this page is in the whole list: the documents before the jump plus those paged past since.
  const before = await countBefore(f, sort, jump, total, page.meta.total, ctx);
  if (!ctx.alive) return;
  const at = (cursor ? Math.max(0, Number(q.get('at')) || 0) : 0) + before;
  const base = { sort, ...f, jump };

  const select = h('select', { id: 'doc-sort', onchange: (ev) => { location.hash = route('/documents', { sort: ev.target.value, ...f }); } },
    SORTS.map(([v, label]) => h('option', { value: v, selected: v === sort }, label)));
  const controls = h('div', { class: 'toolbar' }, h('label', { for: 'doc-sort' }, 'Sort'), select);
  const described = describeFilters(f, bar.entLabel);
  const sub = `${plural(total, 'document')}${described ? ' ' + described : ' in the corpus'}.`;

  const jumpIn = h('input', { id: 'doc-jump', type: 'text', inputmode: 'numeric', placeholder: 'YYYY-MM-DD', value: jump, size: 11, pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?' });
  const jumpNav = sort === 'title' ? null : h('nav', { class: 'jump', 'aria-label': 'Jump to a date' },
    h('form', { class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); const v = jumpIn.value.trim(); if (!v || DATE_RE.test(v)) location.hash = route('/documents', { ...base, jump: v }); } },
      h('label', { for: 'doc-jump' }, sort === '-published' ? 'Published on or before' : 'Published on or after'), jumpIn, h('button', { type: 'submit', class: 'btn' }, 'Jump')),
    h('div', { class: 'zoom-row' }, jumpTargets(stats && stats.published_range, sort).map((t) => h('a', {
      class: 'zbtn', href: route('/documents', { ...base, jump: t.value }), 'aria-current': jump === t.value ? 'true' : null,
      'aria-label': `Jump to ${t.value}` }, t.label))));

  const shown = page.data.length;
  const pageNo = Math.floor(at / PAGE) + 1;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const pagerNav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', { class: 'pager-info', id: 'doc-position' }, shown ? `Documents ${fmtNum(at + 1)}–${fmtNum(at + shown)} of ${fmtNum(total)} · page ${fmtNum(pageNo)} of ${fmtNum(pages)}` : `No documents here (of ${fmtNum(total)})`),
    at > 0 || cursor ? h('a', { class: 'btn', href: route('/documents', { sort, ...f }) }, '« First page') : null,
    page.meta.next_cursor ? h('a', { class: 'btn', rel: 'next', href: route('/documents', { ...base, cursor: page.meta.next_cursor, at: at - before + shown }) }, 'Next page »') : null);

  replace(ctx.root,
    pageHeader('Documents', sub, controls),
    bar.el,
    jumpNav,
    h('div', { class: 'with-aside' },
      h('div', null,
        shown ? h('ul', { class: 'doc-list', 'aria-label': 'Documents' }, page.data.map((d) => docCard(d))) : empty(jump ? 'No documents at or beyond this date.' : 'No documents match these filters.'),
        pagerNav),
      facetCard('/documents', { sort }, f, {}, ctx)));
}
