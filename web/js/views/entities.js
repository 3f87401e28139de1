// #/entities?type=PERSON&q=…&sort=-mentions|name&cursor=… — the entity table and a chart of the top ones.
import { h, route, enc, fmtNum, typeColor, typeLabel, typePlural, TYPES, typeBadge, truncate, replace } from '../dom.js';
import * as api from '../api.js';
import { section, empty, pager, pageHeader } from '../ui.js';
import { barChart } from '../charts.js';

export default async function entities(ctx) {
  const q = ctx.query;
  const type = TYPES.includes(q.get('type')) ? q.get('type') : '';
  const sort = q.get('sort') === 'name' ? 'name' : '-mentions';
  const name = (q.get('q') || '').trim();
  ctx.title(type ? `${typePlural(type)} · Entities` : 'Entities');
  const page = await api.list('v1/entities', { type, sort, q: name, cursor: q.get('cursor'), limit: 25 }, ctx);
  if (!ctx.alive) return;
  const here = (over) => route('/entities', { type, sort, q: name, ...over });

  const typeNav = h('nav', { class: 'segmented', 'aria-label': 'Entity type' },
    ['', ...TYPES].map((t) => h('a', { href: route('/entities', { type: t, sort, q: name }), 'aria-current': t === type ? 'true' : null, class: t ? `t-${t}` : '' },
      t ? h('span', { class: 'swatch', 'aria-hidden': 'true' }) : null, t ? typePlural(t) : 'All types')));
  const input = h('input', { id: 'ent-q', type: 'search', value: name, placeholder: 'Name or alias', autocomplete: 'off' });
  const filter = h('form', { class: 'inline-form', role: 'search', 'aria-label': 'Filter entities',
    onsubmit: (ev) => { ev.preventDefault(); location.hash = here({ q: input.value.trim(), cursor: '' }); } },
  h('label', { for: 'ent-q', class: 'sr-only' }, 'Filter by name or alias'), input, h('button', { class: 'btn', type: 'submit' }, 'Filter'));

  const sortHead = (key, label, numeric) => {
    const active = sort === key;
    return h('th', { scope: 'col', class: numeric ? 'num' : null, 'aria-sort': active ? (key === 'name' ? 'ascending' : 'descending') : 'none' },
      h('a', { class: 'sort', href: here({ sort: key, cursor: '' }), title: `Sort by ${label.toLowerCase()}` }, label,
        h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (key === 'name' ? ' ▲' : ' ▼') : ' ↕')));
  };
  const table = page.data.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data-table', id: 'entity-table' },
    h('caption', { class: 'sr-only' }, `Entities${type ? ' of type ' + typeLabel(type) : ''}, sorted by ${sort === 'name' ? 'name' : 'mentions'}`),
    h('thead', null, h('tr', null, sortHead('name', 'Name'), h('th', { scope: 'col' }, 'Type'), sortHead('-mentions', 'Mentions', true),
      h('th', { scope: 'col', class: 'num col-docs' }, 'Documents'), h('th', { scope: 'col', class: 'col-aliases' }, 'Also called'))),
    h('tbody', null, page.data.map((e) => h('tr', null,
      h('th', { scope: 'row' }, h('a', { href: route('/entities/' + enc(e.id)) }, e.name)),
      h('td', null, typeBadge(e.type)),
      h('td', { class: 'num' }, fmtNum(e.mention_count)),
      h('td', { class: 'num col-docs' }, fmtNum(e.document_count)),
      h('td', { class: 'muted col-aliases' }, truncate((e.aliases || []).join(', '), 80))))))) : empty(name ? `No entity matches “${name}”.` : 'No entities.');

  replace(ctx.root,
    pageHeader('Entities', `${fmtNum(page.meta.total)} ${type ? typePlural(type).toLowerCase() : 'entities'}${name ? ` matching “${name}”` : ''}: people, organisations, places and other names found in the documents.`),
    h('div', { class: 'toolbar' }, typeNav, filter),
    h('div', { class: 'grid-2 entities-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'ent-table-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'ent-table-title' }, 'All entities')),
        h('div', { class: 'card-body' }, table, page.data.length ? pager('/entities', q, page.meta, page.data.length) : null)),
      section(`Top ${type ? typePlural(type).toLowerCase() : 'entities'}${name ? ` matching “${name}”` : ''} by mentions`, async () => {
        // The chart follows the table's filters (type and name): the first page already holds the top ten.
        const top = q.get('cursor') || sort !== '-mentions' ? await api.list('v1/entities', { type, q: name, sort: '-mentions', limit: 10 }, ctx) : { data: page.data.slice(0, 10) };
        if (!top.data.length) return empty('No entities.');
        return barChart(top.data.map((e) => ({ label: e.name, value: e.mention_count || 0, href: route('/entities/' + enc(e.id)), color: typeColor(e.type) })),
          { label: 'Top entities by mentions', unit: 'mentions', width: 520, labelWidth: 200 });
      }, { id: 'ent-chart' })));
}
