// #/timeline?from=YYYY-MM-DD&to=YYYY-MM-DD&entity=ID&document=ID — dated events on a real time axis,
// zoomed by year and month, filtered by entity and document; an event opens its sentence in the document.
import { h, route, enc, fmtDate, fmtNum, monthName, period, markIn, plural, truncate } from '../dom.js';
import * as api from '../api.js';
import { section, empty, pageHeader } from '../ui.js';
import { timelineChart, histogram } from '../charts.js';

const pad = (n) => String(n).padStart(2, '0');
const iso = (t) => new Date(t).toISOString().slice(0, 10);

export function monthWindow(p) {
  const [y, m] = p.split('-').map(Number);
  return { from: `${y}-${pad(m)}-01`, to: iso(Date.UTC(y, m, 0)) };
}
export function yearWindow(y) {
  return { from: `${y}-01-01`, to: `${y}-12-31` };
}

export const eventHref = (ev) => route('/documents/' + enc(ev.document_id), { event: ev.id });

export default async function timeline(ctx) {
  const q = ctx.query;
  const entity = q.get('entity') || '';
  const documentId = q.get('document') || '';
  const fromP = period(q.get('from'));
  const toP = period(q.get('to'));
  ctx.title('Timeline');

  const [events, ents, docs] = await Promise.all([
    api.all('v1/timeline', { entity, document: documentId }, { signal: ctx.signal, max: 2000 }),
    api.list('v1/entities', { sort: '-mentions', limit: 100 }, ctx).catch((e) => { if (e.name === 'AbortError') throw e; return { data: [] }; }),
    api.list('v1/documents', { sort: '-published', limit: 100 }, ctx).catch((e) => { if (e.name === 'AbortError') throw e; return { data: [] }; }),
  ]);
  if (!ctx.alive) return;

  // The window: the URL's from/to, or every event.
  const periods = events.map((ev) => period(ev.date)).filter(Boolean);
  let from, to;
  if (fromP || toP) {
    from = fromP ? fromP[0] : Math.min(...periods.map((p) => p[0]));
    to = toP ? toP[1] : Math.max(...periods.map((p) => p[1]));
  } else if (periods.length) {
    from = Math.min(...periods.map((p) => p[0]));
    to = Math.max(...periods.map((p) => p[1]));
    const span = (to - from) / 86400000;
    const d0 = new Date(from), d1 = new Date(to - 1);
    if (span > 2 * 366) { from = Date.UTC(d0.getUTCFullYear(), 0, 1); to = Date.UTC(d1.getUTCFullYear() + 1, 0, 1); }
    else { from = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), 1); to = Date.UTC(d1.getUTCFullYear(), d1.getUTCMonth() + 1, 1); }
  }
  if (!(to > from)) { from = Date.UTC(2000, 0, 1); to = Date.UTC(2001, 0, 1); }
  const inWindow = events.filter((ev) => { const p = period(ev.date); return p && p[1] > from && p[0] < to; })
    .sort((a, b) => period(a.date)[0] - period(b.date)[0] || String(a.date).localeCompare(String(b.date)));

  const keep = { entity, document: documentId };
  const here = (over) => route('/timeline', { ...keep, from: q.get('from'), to: q.get('to'), ...over });

  // Zoom: all → a year → a month.
  const years = [...new Set(periods.map((p) => new Date(p[0]).getUTCFullYear()))].sort((a, b) => a - b);
  const d0 = new Date(from), d1 = new Date(to - 1);
  const oneYear = d0.getUTCFullYear() === d1.getUTCFullYear() && (fromP || toP);
  const oneMonth = oneYear && d0.getUTCMonth() === d1.getUTCMonth();
  const zoomYear = oneYear ? d0.getUTCFullYear() : null;
  const countIn = (a, b) => events.filter((ev) => { const p = period(ev.date); return p && p[1] > a && p[0] < b; }).length;
  const zoom = h('nav', { class: 'zoom', 'aria-label': 'Zoom' },
    h('div', { class: 'zoom-row' }, h('span', { class: 'zoom-label' }, 'Years'),
      h('a', { class: 'zbtn', href: route('/timeline', keep), 'aria-current': !fromP && !toP ? 'true' : null }, 'All'),
      years.map((y) => h('a', { class: 'zbtn', href: route('/timeline', { ...keep, ...yearWindow(y) }), 'aria-current': zoomYear === y && !oneMonth ? 'true' : null,
        title: plural(countIn(Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)), 'event') }, String(y)))),
    zoomYear ? h('div', { class: 'zoom-row' }, h('span', { class: 'zoom-label' }, `${zoomYear}`),
      [...Array(12).keys()].map((m) => {
        const n = countIn(Date.UTC(zoomYear, m, 1), Date.UTC(zoomYear, m + 1, 1));
        return h('a', { class: `zbtn${n ? '' : ' zbtn-empty'}`, href: route('/timeline', { ...keep, ...monthWindow(`${zoomYear}-${pad(m + 1)}`) }),
          'aria-current': oneMonth && d0.getUTCMonth() === m ? 'true' : null, 'aria-label': `${monthName(m + 1, true)} ${zoomYear}: ${plural(n, 'event')}` }, monthName(m + 1));
      })) : null);

  // Filters.
  const entOpts = ents.data.slice();
  if (entity && !entOpts.some((e) => e.id === entity)) entOpts.unshift({ id: entity, name: entity });
  const docOpts = docs.data.slice();
  if (documentId && !docOpts.some((d) => d.id === documentId)) docOpts.unshift({ id: documentId, title: documentId });
  const go = (over) => { location.hash = here(over); };
  const filters = h('div', { class: 'filters' },
    h('label', { for: 'tl-entity' }, 'Entity'),
    h('select', { id: 'tl-entity', onchange: (ev) => go({ entity: ev.target.value }) },
      h('option', { value: '' }, 'All entities'), entOpts.map((e) => h('option', { value: e.id, selected: e.id === entity }, e.name))),
    h('label', { for: 'tl-document' }, 'Document'),
    h('select', { id: 'tl-document', onchange: (ev) => go({ document: ev.target.value }) },
      h('option', { value: '' }, 'All documents'), docOpts.map((d) => h('option', { value: d.id, selected: d.id === documentId }, truncate(d.title || d.id, 70)))),
    entity || documentId ? h('a', { class: 'btn', href: route('/timeline', { from: q.get('from'), to: q.get('to') }) }, 'Clear filters') : null);

  const windowLabel = oneMonth ? `${monthName(d0.getUTCMonth() + 1, true)} ${zoomYear}` : oneYear ? String(zoomYear) : `${fmtDate(iso(from))} – ${fmtDate(iso(to - 1))}`;
  const chartCard = h('section', { class: 'card', 'aria-labelledby': 'tl-chart-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'tl-chart-title' }, windowLabel), h('span', { class: 'muted' }, plural(inWindow.length, 'event'))),
    h('div', { class: 'card-body' },
      inWindow.length ? [timelineChart(inWindow, { from, to, hrefFor: eventHref, label: `Events, ${windowLabel}` }),
        h('p', { class: 'hint legend-row' }, h('span', { class: 'key p-day' }), 'day', h('span', { class: 'key p-month' }, ''), 'month', h('span', { class: 'key p-year' }), 'year — a mark spans the period its date names. Select one to read its sentence.')]
        : empty(events.length ? 'No event in this period.' : 'No dated events for these filters.')));

  const listCard = h('section', { class: 'card', 'aria-labelledby': 'tl-list-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'tl-list-title' }, 'Events')),
    h('div', { class: 'card-body' }, inWindow.length ? h('ol', { class: 'event-list' }, inWindow.slice(0, 300).map((ev) => h('li', null,
      h('div', { class: 'event-when' }, h('a', { class: 'event-date', href: eventHref(ev) }, fmtDate(ev.date)), h('span', { class: 'muted' }, ev.precision || '')),
      h('div', { class: 'event-body' },
        h('p', null, ev.timex ? markIn(ev.sentence || '', ev.timex.text, 'timex-hit') : ev.sentence),
        (ev.entities || []).length ? h('ul', { class: 'chips' }, ev.entities.map((en) => h('li', null,
          h('a', { class: `chip t-${en.type}`, href: route('/timeline', { ...keep, entity: en.id, from: q.get('from'), to: q.get('to') }), title: `Only events with ${en.name}` }, en.name)))) : null)))) : empty('Nothing to list.'),
    inWindow.length > 300 ? h('p', { class: 'hint' }, `Showing the first 300 of ${fmtNum(inWindow.length)}.`) : null));

  const hist = section('Events per month', async () => {
    const { data } = await api.list('v1/timeline/histogram', { interval: 'month', entity, document: documentId }, ctx);
    if (!data.length) return empty('No event dated to a month or a day.');
    return histogram(data, { hrefFor: (p) => route('/timeline', { ...keep, ...monthWindow(p) }), label: 'Events per month' });
  }, { id: 'tl-hist' });

  ctx.root.replaceChildren(
    pageHeader('Timeline', `${plural(events.length, 'dated event')}${entity || documentId ? ' for these filters' : ''}. Zoom by year and month; filter by entity and document.`),
    h('div', { class: 'toolbar toolbar-wrap' }, filters),
    zoom, chartCard, hist, listCard);
}
