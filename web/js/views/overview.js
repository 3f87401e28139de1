// #/ — the corpus at a glance: counts, events per month, top entities, latest documents.
import { h, route, enc, fmtDate, fmtNum, typeColor, typePlural, TYPES, replace } from '../dom.js';
import * as api from '../api.js';
import { section, empty, pageHeader } from '../ui.js';
import { histogram, barChart } from '../charts.js';
import { monthWindow } from './timeline.js';

function stat(label, value, href) {
  const inner = [h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label)];
  return h('li', { class: 'stat' }, href ? h('a', { href }, inner) : inner);
}

export default async function overview(ctx) {
  ctx.title('Overview');
  const stats = await api.get('v1/stats', null, ctx);
  if (!ctx.alive) return;
  const range = (r) => (r && (r.from || r.to) ? `${fmtDate(r.from)} – ${fmtDate(r.to)}` : '—');
  const byType = stats.entities_by_type || {};
  replace(ctx.root,
    pageHeader('Corpus overview', `Published ${range(stats.published_range)} · events ${range(stats.event_range)}`),
    h('ul', { class: 'stats', 'aria-label': 'Corpus counts' },
      stat('documents', fmtNum(stats.documents), '#/documents'),
      stat('entities', fmtNum(stats.entities), '#/entities'),
      stat('mentions', fmtNum(stats.mentions)),
      stat('dated events', fmtNum(stats.events), '#/timeline'),
      stat('temporal expressions', fmtNum(stats.timexes))),
    h('div', { class: 'grid-2' },
      section('Events per month', async () => {
        const hist = await api.list('v1/timeline/histogram', { interval: 'month' }, ctx);
        if (!hist.data.length) return empty('No event is dated to a month or a day.');
        const counted = hist.data.reduce((n, d) => n + (d.count || 0), 0);
        const svg = histogram(hist.data, { hrefFor: (p) => route('/timeline', monthWindow(p)), label: 'Events per month', trim: 0.005 });
        const hidden = Number(svg.dataset.hiddenCount);
        return [svg,
          h('p', { class: 'hint' }, `${fmtNum(counted)} of ${fmtNum(stats.events)} events are dated to a month or a day; those dated only to a year are not counted. Select a bar to open that month on the timeline.`,
            hidden ? ` ${fmtNum(hidden)} stray ${hidden === 1 ? 'date' : 'dates'} before ${fmtDate(svg.dataset.shownFrom)} or after ${fmtDate(svg.dataset.shownTo)} ${hidden === 1 ? 'is' : 'are'} not drawn.` : '')];
      }, { id: 'ov-hist', cls: 'span-2' }),
      section('Top entities', async () => {
        const top = await api.list('v1/entities', { sort: '-mentions', limit: 10 }, ctx);
        if (!top.data.length) return empty('No entities.');
        return barChart(top.data.map((e) => ({ label: e.name, value: e.mention_count || 0, href: route('/entities/' + enc(e.id)), color: typeColor(e.type) })),
          { label: 'Top entities by mentions', unit: 'mentions' });
      }, { id: 'ov-top' }),
      h('div', { class: 'stack' }, section('Entities by type', async () => {
        const total = TYPES.reduce((n, t) => n + (byType[t] || 0), 0);
        if (!total) return empty('No entities.');
        return barChart(TYPES.map((t) => ({ label: typePlural(t), value: byType[t] || 0, href: route('/entities', { type: t }), color: typeColor(t) })),
          { label: 'Entities by type', unit: 'entities', width: 420, labelWidth: 130 });
      }, { id: 'ov-types' }),
      section('Latest documents', async () => {
        const docs = await api.list('v1/documents', { sort: '-published', limit: 5 }, ctx);
        if (!docs.data.length) return empty('No documents.');
        return h('ul', { class: 'plain-list' }, docs.data.map((d) => h('li', null,
          h('a', { href: route('/documents/' + enc(d.id)) }, d.title || d.id),
          h('span', { class: 'muted' }, ` — ${d.source ? d.source + ', ' : ''}${d.published ? fmtDate(d.published) : 'date unknown'}`))));
      }, { id: 'ov-docs' }))));
}
