// #/entities/ID — one entity: roles, aliases, mentions in context, documents, events, related entities.
import { h, route, enc, fmtDate, fmtNum, typeLabel, typeBadge, markIn, plural, TYPE_COLORS } from '../dom.js';
import * as api from '../api.js';
import { section, empty, errorState, loading } from '../ui.js';
import { egoGraph, legend } from '../charts.js';

const roleText = (r) => (typeof r === 'string' ? r : (r && (r.role || r.name || r.text)) || JSON.stringify(r));

export default async function entityView(ctx) {
  const id = ctx.params[0];
  const base = 'v1/entities/' + enc(id);
  ctx.title('Entity');
  const e = await api.get(base, null, ctx);
  if (!ctx.alive) return;
  ctx.title(`${e.name} · ${typeLabel(e.type)}`);
  const docsP = api.all(base + '/documents', null, { signal: ctx.signal, max: 200 });
  docsP.catch(() => {});

  const head = h('header', { class: 'page-head entity-head' },
    h('div', null,
      h('p', { class: 'crumbs' }, h('a', { href: '#/entities' }, 'Entities'), ' / ', h('a', { href: route('/entities', { type: e.type }) }, typeLabel(e.type))),
      h('h1', null, h('span', { class: `swatch big t-${e.type}`, 'aria-hidden': 'true' }), e.name, ' ', typeBadge(e.type)),
      h('p', { class: 'lede' }, `${plural(e.mention_count || 0, 'mention')} in ${plural(e.document_count || 0, 'document')}.`),
      h('dl', { class: 'facts' },
        h('dt', null, 'Also called'), h('dd', null, (e.aliases || []).length ? h('ul', { class: 'chips' }, e.aliases.map((a) => (typeof a === 'string' ? h('li', { class: 'chip' }, a) : h('li', { class: 'chip', title: a.why || 'the canonical name' }, `${a.name} ×${a.count}`)))) : h('span', { class: 'muted' }, 'No other names')),
        h('dt', null, 'Roles'), h('dd', null, (e.roles || []).length ? h('ul', { class: 'chips' }, e.roles.map((r) => h('li', { class: 'chip chip-role' }, roleText(r)))) : h('span', { class: 'muted' }, 'No role found')))),
    h('div', { class: 'head-actions' },
      h('a', { class: 'btn', href: route('/timeline', { entity: e.id }) }, 'On the timeline'),
      h('a', { class: 'btn', href: route('/documents', { entity: e.id }) }, 'Its documents')));

  // Mentions in context, 20 at a time.
  const mentions = section('Mentions in context', async () => {
    const docs = await docsP.catch(() => []);
    const titles = new Map(docs.map((d) => [d.id, d.title || d.id]));
    const listEl = h('ol', { class: 'mentions' });
    const more = h('div', { class: 'more' });
    const load = async (cursor) => {
      const page = await api.list(base + '/mentions', { limit: 20, cursor }, ctx);
      for (const m of page.data) {
        listEl.append(h('li', null,
          h('blockquote', null, markIn(m.sentence || m.text || '', m.text)),
          h('p', { class: 'meta' }, h('a', { href: route('/documents/' + enc(m.document_id), { mark: `${m.start}-${m.end}` }) },
            titles.get(m.document_id) || m.document_id), h('span', { class: 'muted' }, ` · characters ${m.start}–${m.end}`))));
      }
      more.replaceChildren();
      if (page.meta.next_cursor) {
        more.append(h('button', { type: 'button', class: 'btn', onclick: async (ev) => {
          ev.target.disabled = true;
          more.replaceChildren(loading());
          try { await load(page.meta.next_cursor); } catch (err) { more.replaceChildren(errorState(err)); }
        } }, `Show more (${fmtNum(page.meta.total - listEl.children.length)} left)`));
      }
      return page;
    };
    const first = await load(null);
    if (!first.data.length) return empty('No mentions.');
    return [listEl, more];
  }, { id: 'ent-mentions' });

  const related = section('Related entities', async () => {
    const page = await api.list(base + '/related', { limit: 12 }, ctx);
    const rel = page.data.filter((r) => r && r.entity);
    if (!rel.length) return empty('No entity shares a sentence or a document with this one.');
    return [
      egoGraph(e, rel, { hrefFor: (x) => route('/entities/' + enc(x.id)) }),
      legend(Object.entries(TYPE_COLORS).map(([t, c]) => [c, typeLabel(t)])),
      h('p', { class: 'hint' }, 'Lines are thicker for more shared sentences; circles larger for more shared documents.'),
      h('table', { class: 'data-table compact' },
        h('caption', { class: 'sr-only' }, 'Related entities'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Entity'), h('th', { scope: 'col', class: 'num' }, 'Same sentence'), h('th', { scope: 'col', class: 'num' }, 'Same document'))),
        h('tbody', null, rel.map((r) => h('tr', null,
          h('th', { scope: 'row' }, h('a', { href: route('/entities/' + enc(r.entity.id)) }, h('span', { class: `swatch t-${r.entity.type}`, 'aria-hidden': 'true' }), r.entity.name)),
          h('td', { class: 'num' }, fmtNum(r.sentences)), h('td', { class: 'num' }, fmtNum(r.documents)))))),
    ];
  }, { id: 'ent-related' });

  const documents = section('Documents', async () => {
    const docs = await docsP;
    if (!docs.length) return empty('No documents.');
    return h('ul', { class: 'plain-list' }, docs.slice(0, 50).map((d) => h('li', null,
      h('a', { href: route('/documents/' + enc(d.id)) }, d.title || d.id),
      h('span', { class: 'muted' }, ` — ${d.published ? fmtDate(d.published) : 'date unknown'}`))));
  }, { id: 'ent-docs' });

  const events = section('Events', async () => {
    const page = await api.list(base + '/timeline', { limit: 8 }, ctx);
    if (!page.data.length) return empty('No dated event mentions this entity.');
    return [h('ol', { class: 'event-list compact' }, page.data.map((ev) => h('li', null,
      h('a', { class: 'event-date', href: route('/documents/' + enc(ev.document_id), { event: ev.id }) }, fmtDate(ev.date)),
      h('span', null, ev.timex ? markIn(ev.sentence || '', ev.timex.text, 'timex-hit') : ev.sentence)))),
    h('p', null, h('a', { href: route('/timeline', { entity: e.id }) }, `All ${plural(page.meta.total, 'event')} on the timeline →`))];
  }, { id: 'ent-events' });

  ctx.root.replaceChildren(head, h('div', { class: 'grid-2 entity-grid' }, mentions, h('div', { class: 'stack' }, related, events, documents)));
  await Promise.allSettled([mentions.ready, related.ready]);
}
