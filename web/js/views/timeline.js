// #/timeline?from=…&to=…&entity=ID&document=ID — the timeline, driven by the server: every count comes from
// the API (`meta.total`, /v1/timeline/histogram), the years are the corpus's own, the window's events are
// fetched 50 at a time ("Show more"), and the entity and document filters are API filters picked by typeahead.
//
// A window is from/to at any precision: `from=1987-03&to=1987-03` is the month of March 1987 — every event
// dated to that month or to one of its days, exactly what the month's bar of the histogram counts.
import { h, route, enc, fmtDate, fmtNum, monthName, period, markIn, plural, replace } from '../dom.js';
import * as api from '../api.js';
import { empty, pageHeader, errorState } from '../ui.js';
import { timelineChart, histogram } from '../charts.js';
import { picker } from '../picker.js';
import { searchEntities, searchDocuments, entityName, documentTitle, unknownEntityBanner } from './common.js';

const PAGE = 50;
const pad = (n) => String(n).padStart(2, '0');
const iso = (t) => new Date(t).toISOString().slice(0, 10);

/** The window of one month or one year, at that precision (what the histogram's bar of that period counts). */
export function monthWindow(p) {
  return { from: p, to: p };
}
export function yearWindow(y) {
  return { from: String(y), to: String(y) };
}

export const eventHref = (ev) => route('/documents/' + enc(ev.document_id), { event: ev.id });

/** What a from/to pair names: a single year, month or day, or a range. */
function windowKind(from, to) {
  if (!from && !to) return { kind: 'all' };
  if (from && from === to) {
    if (/^\d{4}$/.test(from)) return { kind: 'year', year: Number(from) };
    if (/^\d{4}-\d{2}$/.test(from)) return { kind: 'month', year: Number(from.slice(0, 4)), month: Number(from.slice(5, 7)) };
    if (/^\d{4}-\d{2}-\d{2}$/.test(from)) return { kind: 'day', year: Number(from.slice(0, 4)), month: Number(from.slice(5, 7)) };
  }
  const f = period(from), t = period(to);
  const y0 = f && new Date(f[0]).getUTCFullYear(), y1 = t && new Date(t[1] - 1).getUTCFullYear();
  return { kind: 'range', year: f && t && y0 === y1 ? y0 : null };
}

function windowLabel(from, to, w) {
  if (w.kind === 'all') return 'All dates';
  if (w.kind === 'year') return String(w.year);
  if (w.kind === 'month') return `${monthName(w.month, true)} ${w.year}`;
  if (w.kind === 'day') return fmtDate(from);
  return `${from ? fmtDate(from) : 'the beginning'} – ${to ? fmtDate(to) : 'the end'}`;
}

/** The windows before and after a year, month or day (for ‹ › links). */
function neighbours(from, w) {
  if (w.kind === 'year') return [String(w.year - 1), String(w.year + 1)];
  if (w.kind === 'month') {
    const k = w.year * 12 + w.month - 1;
    const p = (x) => `${Math.floor(x / 12)}-${pad((x % 12) + 1)}`;
    return [p(k - 1), p(k + 1)];
  }
  if (w.kind === 'day') {
    const t = period(from)[0];
    return [iso(t - 86400000), iso(t + 86400000)];
  }
  return null;
}

/** The histogram interval that shows a window best: months for long spans, days for a month or less. */
function zoomInterval(from, to, w) {
  if (w.kind === 'day') return null;
  if (w.kind === 'month') return 'day';
  if (w.kind === 'all' || w.kind === 'year') return 'month';
  const f = period(from), t = period(to);
  if (f && t && t[1] - f[0] <= 62 * 86400000) return 'day';
  return 'month';
}

const soft = (p) => p.catch((e) => { if (e.name === 'AbortError') throw e; return null; });

export default async function timeline(ctx) {
  const q = ctx.query;
  const entity = q.get('entity') || '';
  const documentId = q.get('document') || '';
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  const w = windowKind(from, to);
  const filters = { entity, document: documentId };
  const windowed = { ...filters, from, to };
  const interval = zoomInterval(from, to, w);
  ctx.title('Timeline');

  const [first, all, years, zoomed, months, entLabel, docLabel] = await Promise.all([
    api.list('v1/timeline', { ...windowed, limit: PAGE }, ctx),
    from || to ? api.list('v1/timeline', { ...filters, limit: 1 }, ctx) : null,
    api.list('v1/timeline/histogram', { interval: 'year', ...filters }, ctx),
    interval ? api.list('v1/timeline/histogram', { interval, ...windowed }, ctx) : null,
    w.year && w.kind !== 'year' ? soft(api.list('v1/timeline/histogram', { interval: 'month', ...filters, from: String(w.year), to: String(w.year) }, ctx)) : null,
    entity ? entityName(entity, ctx.signal) : '',
    documentId ? documentTitle(documentId, ctx.signal) : '',
  ]);
  if (!ctx.alive) return;
  const total = (all || first).meta.total;
  const inWindow = first.meta.total;
  const keep = { entity, document: documentId };
  const go = (over) => { location.hash = route('/timeline', { ...keep, from, to, ...over }); };

  // Filters: typeahead pickers over the whole corpus (API q), applied as API filters.
  const filterBar = h('div', { class: 'filters' },
    picker({ id: 'tl-entity', label: 'Entity', placeholder: 'Any entity — type a name', value: entity, valueLabel: entLabel ?? entity, search: searchEntities, onPick: (v) => go({ entity: v }) }),
    picker({ id: 'tl-document', label: 'Document', placeholder: 'Any document — type title words', value: documentId, valueLabel: docLabel, search: searchDocuments, onPick: (v) => go({ document: v }) }),
    entity || documentId ? h('a', { class: 'btn', href: route('/timeline', { from, to }) }, 'Clear filters') : null);

  // Zoom: the corpus's own years (the main ones, the stray ones folded away), then the months of a year.
  const zoom = yearButtons(years.data, w, keep);
  const monthData = w.kind === 'year' ? zoomed && zoomed.data : months && months.data;
  if (w.year && monthData) zoom.append(monthButtons(w, monthData, keep));

  const label = windowLabel(from, to, w);
  const near = neighbours(from, w);
  const headActions = h('span', { class: 'card-actions' },
    near ? h('a', { class: 'btn btn-small', href: route('/timeline', { ...keep, from: near[0], to: near[0] }), 'aria-label': `Previous: ${near[0]}` }, '‹') : null,
    h('span', { class: 'muted', id: 'tl-window-count' }, plural(inWindow, 'event')),
    near ? h('a', { class: 'btn btn-small', href: route('/timeline', { ...keep, from: near[1], to: near[1] }), 'aria-label': `Next: ${near[1]}` }, '›') : null);

  const chartBody = h('div', { class: 'card-body' });
  if (!inWindow) chartBody.append(empty(total ? 'No event in this period.' : 'No dated events for these filters.'));
  if (zoomed && zoomed.data.length) {
    const svg = histogram(zoomed.data, {
      interval, trim: w.kind === 'all' ? 0.005 : 0, label: `Events per ${interval}, ${label}`,
      hrefFor: (p) => route('/timeline', { ...keep, from: p, to: p }),
    });
    chartBody.append(h('div', { id: 'tl-hist' }, svg));
    const hidden = Number(svg.dataset.hiddenCount);
    const counted = zoomed.data.reduce((n, d) => n + d.count, 0);
    chartBody.append(h('p', { class: 'hint' },
      `Events per ${interval}: ${fmtNum(counted)} of ${fmtNum(inWindow)} are dated to a ${interval} or finer. Select a bar to zoom in.`,
      hidden ? ` ${plural(hidden, 'event')} dated before ${fmtDate(svg.dataset.shownFrom)} or after ${fmtDate(svg.dataset.shownTo)} are not drawn; the year buttons reach them.` : ''));
  }
  // Each event on a real time axis once the window holds no more than a page of them.
  if (inWindow && inWindow <= PAGE) {
    const [a, b] = axisWindow(first.data, from, to);
    chartBody.append(timelineChart(first.data, { from: a, to: b, hrefFor: eventHref, label: `Events, ${label}` }),
      h('p', { class: 'hint legend-row' }, h('span', { class: 'key p-day' }), 'day', h('span', { class: 'key p-month' }, ''), 'month', h('span', { class: 'key p-year' }), 'year — a mark spans the period its date names. Select one to read its sentence.'));
  } else if (inWindow) {
    chartBody.append(h('p', { class: 'hint' }, `Each event is drawn on a time axis when a window holds ${PAGE} or fewer; zoom in, or read them in the list below.`));
  }
  const chartCard = h('section', { class: 'card', 'aria-labelledby': 'tl-chart-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'tl-chart-title' }, label), headActions), chartBody);

  const listCard = h('section', { class: 'card', 'aria-labelledby': 'tl-list-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'tl-list-title' }, 'Events')),
    h('div', { class: 'card-body' }, inWindow ? eventList(ctx, first, windowed, keep) : empty('Nothing to list.')));

  const sub = `${plural(total, 'dated event')}${entity || documentId ? ' for these filters' : ' in the corpus'}. Zoom by year, month and day; filter by entity and document.`;
  replace(ctx.root, pageHeader('Timeline', sub), h('div', { class: 'toolbar toolbar-wrap' }, filterBar),
    entLabel === null ? unknownEntityBanner(entity) : null, zoom, chartCard, listCard);
}

/** The time axis of a small window: the window itself, or (no window) the loaded events' whole years or months. */
function axisWindow(events, from, to) {
  const periods = events.map((ev) => period(ev.date)).filter(Boolean);
  let a = from ? period(from)[0] : Math.min(...periods.map((p) => p[0]));
  let b = to ? period(to)[1] : Math.max(...periods.map((p) => p[1]));
  if (!from && !to && periods.length) {
    const d0 = new Date(a), d1 = new Date(b - 1);
    if ((b - a) / 86400000 > 2 * 366) { a = Date.UTC(d0.getUTCFullYear(), 0, 1); b = Date.UTC(d1.getUTCFullYear() + 1, 0, 1); }
    else { a = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), 1); b = Date.UTC(d1.getUTCFullYear(), d1.getUTCMonth() + 1, 1); }
  }
  if (!(b > a)) { a = Date.UTC(2000, 0, 1); b = Date.UTC(2001, 0, 1); }
  return [a, b];
}

function yearButtons(years, w, keep) {
  const sum = years.reduce((n, d) => n + d.count, 0);
  // The main years hold the corpus; a year with under 0.2 % of the events goes under "Other years".
  const main = years.filter((d) => years.length <= 24 || d.count >= sum * 0.002);
  const rest = years.filter((d) => !main.includes(d));
  const btn = (d) => h('a', { class: 'zbtn', href: route('/timeline', { ...keep, ...yearWindow(d.period) }),
    'aria-current': w.year === Number(d.period) && w.kind === 'year' ? 'true' : null, 'aria-label': `${d.period}: ${plural(d.count, 'event')}`, title: plural(d.count, 'event') }, d.period);
  const row = h('div', { class: 'zoom-row', id: 'tl-years' }, h('span', { class: 'zoom-label' }, 'Years'),
    h('a', { class: 'zbtn', href: route('/timeline', keep), 'aria-current': w.kind === 'all' ? 'true' : null }, 'All'),
    main.map(btn),
    rest.length ? h('details', { class: 'zoom-more' }, h('summary', null, `${rest.length} other years (${plural(rest.reduce((n, d) => n + d.count, 0), 'event')})`),
      h('div', { class: 'zoom-row' }, rest.map(btn))) : null);
  return h('nav', { class: 'zoom', 'aria-label': 'Zoom' }, row);
}

function monthButtons(w, data, keep) {
  const counts = new Map(data.map((d) => [d.period, d.count]));
  return h('div', { class: 'zoom-row', id: 'tl-months' }, h('span', { class: 'zoom-label' }, String(w.year)),
    [...Array(12).keys()].map((m) => {
      const p = `${w.year}-${pad(m + 1)}`;
      const n = counts.get(p) || 0;
      return h('a', { class: `zbtn${n ? '' : ' zbtn-empty'}`, href: route('/timeline', { ...keep, ...monthWindow(p) }),
        'aria-current': w.kind === 'month' && w.month === m + 1 ? 'true' : null, 'aria-label': `${monthName(m + 1, true)} ${w.year}: ${plural(n, 'event')}`, title: plural(n, 'event') }, monthName(m + 1));
    }));
}

function eventItem(ev, keep, from, to) {
  return h('li', null,
    h('div', { class: 'event-when' }, h('a', { class: 'event-date', href: eventHref(ev) }, fmtDate(ev.date)), h('span', { class: 'muted' }, ev.precision || '')),
    h('div', { class: 'event-body' },
      h('p', null, ev.timex ? markIn(ev.sentence || '', ev.timex.text, 'timex-hit') : ev.sentence),
      (ev.entities || []).length ? h('ul', { class: 'chips' }, ev.entities.map((en) => h('li', null,
        h('a', { class: `chip t-${en.type}`, href: route('/timeline', { ...keep, entity: en.id, from, to }), title: `Only events with ${en.name}` }, en.name)))) : null));
}

/** The window's events, a page at a time: "Show more" fetches the next page with the API's cursor. */
function eventList(ctx, first, windowed, keep) {
  const list = h('ol', { class: 'event-list', id: 'tl-events' }, first.data.map((ev) => eventItem(ev, keep, windowed.from, windowed.to)));
  const total = first.meta.total;
  let cursor = first.meta.next_cursor;
  const status = h('p', { class: 'hint', role: 'status', id: 'tl-shown' });
  const more = h('button', { type: 'button', class: 'btn', id: 'tl-more' });
  const errBox = h('div');
  const update = () => {
    const shown = list.children.length;
    status.textContent = `Showing ${fmtNum(shown)} of ${plural(total, 'event')}, in date order.`;
    more.textContent = `Show ${fmtNum(Math.min(PAGE, total - shown))} more`;
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    errBox.replaceChildren();
    try {
      const page = await api.list('v1/timeline', { ...windowed, limit: PAGE, cursor }, ctx);
      const items = page.data.map((ev) => eventItem(ev, keep, windowed.from, windowed.to));
      list.append(...items);
      cursor = page.meta.next_cursor;
      update();
      const link = items[0] && items[0].querySelector('a');
      if (link) link.focus(); // keyboard users continue where the new events start
    } catch (e) {
      if (e.name !== 'AbortError') errBox.replaceChildren(errorState(e));
    } finally {
      more.disabled = false;
    }
  });
  update();
  return [list, h('div', { class: 'pager' }, status, more), errBox];
}
