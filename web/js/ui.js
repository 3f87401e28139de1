// ui.js — shared pieces of the views: loading and error states, sections that load on their own, pagers.
import { h, route, fmtNum } from './dom.js';

export function loading(label = 'Loading…') {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}

export function errorState(err, retry) {
  const status = err && err.status ? ` (${err.status})` : '';
  return h('div', { class: 'state state-error', role: 'alert' },
    h('strong', null, ((err && err.title) || 'Something went wrong') + status),
    h('p', null, (err && (err.detail || err.message)) || 'The request failed.'),
    retry ? h('button', { type: 'button', class: 'btn', onclick: retry }, 'Retry') : null);
}

export function empty(msg) {
  return h('div', { class: 'state state-empty' }, msg);
}

/**
 * A card section whose body loads on its own: shows a spinner, then what `load` returns, or an error with
 * Retry. A failing section never breaks the rest of the page.
 */
export function section(title, load, { cls = '', id, headingLevel = 2, actions } = {}) {
  const body = h('div', { class: 'card-body' }, loading());
  const headId = id ? `${id}-title` : undefined;
  const el = h('section', { class: `card ${cls}`, id, 'aria-labelledby': headId },
    h('div', { class: 'card-head' }, h(`h${headingLevel}`, { id: headId }, title), actions || null), body);
  const run = async () => {
    body.replaceChildren(loading());
    body.setAttribute('aria-busy', 'true');
    try {
      const content = await load();
      body.replaceChildren(...[].concat(content ?? []));
    } catch (e) {
      if (e.name === 'AbortError') return;
      body.replaceChildren(errorState(e, run));
    } finally {
      body.removeAttribute('aria-busy');
    }
  };
  el.ready = run();
  return el;
}

/** Forward-only keyset pagination: "First page" and "Next page" links that keep the other parameters. */
export function pager(path, query, meta, shown) {
  const params = Object.fromEntries(query.entries());
  const onFirst = !params.cursor;
  const total = meta.total ?? shown;
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', { class: 'pager-info' }, onFirst ? `Showing ${fmtNum(shown)} of ${fmtNum(total)}` : `Showing ${fmtNum(shown)} more of ${fmtNum(total)}`));
  if (!onFirst) nav.append(h('a', { class: 'btn', href: route(path, { ...params, cursor: '' }) }, '« First page'));
  if (meta.next_cursor) nav.append(h('a', { class: 'btn', href: route(path, { ...params, cursor: meta.next_cursor }), rel: 'next' }, 'Next page »'));
  return nav;
}

export function pageHeader(title, sub, ...extra) {
  return h('header', { class: 'page-head' }, h('div', null, h('h1', null, title), sub ? h('p', { class: 'lede' }, sub) : null), ...extra);
}
