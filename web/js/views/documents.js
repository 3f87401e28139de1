// #/documents?sort=-published&entity=ID&cursor=… — the list of documents.
import { h, route, enc } from '../dom.js';
import * as api from '../api.js';
import { empty, pager, pageHeader } from '../ui.js';
import { docCard } from './common.js';

const SORTS = [['-published', 'Newest first'], ['published', 'Oldest first'], ['title', 'Title A–Z']];

export default async function documents(ctx) {
  const q = ctx.query;
  const sort = SORTS.some(([v]) => v === q.get('sort')) ? q.get('sort') : '-published';
  const entity = q.get('entity') || '';
  ctx.title('Documents');
  const [page, ent] = await Promise.all([
    api.list('v1/documents', { sort, entity, cursor: q.get('cursor'), limit: 20 }, ctx),
    entity ? api.get('v1/entities/' + enc(entity), null, ctx).catch(() => null) : null,
  ]);
  if (!ctx.alive) return;
  const select = h('select', { id: 'doc-sort', onchange: (ev) => { location.hash = route('/documents', { sort: ev.target.value, entity }); } },
    SORTS.map(([v, label]) => h('option', { value: v, selected: v === sort }, label)));
  const controls = h('div', { class: 'toolbar' },
    h('label', { for: 'doc-sort' }, 'Sort'), select,
    entity ? h('span', { class: 'chip' }, 'Mentioning ', h('a', { href: route('/entities/' + enc(entity)) }, ent ? ent.name : entity),
      h('a', { class: 'chip-x', href: route('/documents', { sort }), 'aria-label': 'Remove the entity filter' }, '×')) : null);
  const sub = `${page.meta.total} ${page.meta.total === 1 ? 'document' : 'documents'} in the corpus${entity ? ' mentioning this entity' : ''}.`;
  ctx.root.replaceChildren(
    pageHeader('Documents', sub, controls),
    page.data.length ? h('ul', { class: 'doc-list', 'aria-label': 'Documents' }, page.data.map((d) => docCard(d))) : empty('No documents.'),
    pager('/documents', q, page.meta, page.data.length));
}
