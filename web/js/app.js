// app.js — the dashboard's hash router. Every view is a URL: #/documents, #/documents/ID, #/search?q=…,
// #/entities?type=PERSON, #/entities/ID, #/timeline?from=…&entity=…; reloading a URL shows the same view.
import { h, announce } from './dom.js';
import { errorState, loading } from './ui.js';
import overview from './views/overview.js';
import documents from './views/documents.js';
import documentView from './views/document.js';
import search from './views/search.js';
import entities from './views/entities.js';
import entityView from './views/entity.js';
import timeline from './views/timeline.js';

const routes = [
  { re: /^\/$/, view: overview, section: 'overview' },
  { re: /^\/documents$/, view: documents, section: 'documents' },
  { re: /^\/documents\/([^/]+)$/, view: documentView, section: 'documents' },
  { re: /^\/search$/, view: search, section: 'documents' },
  { re: /^\/entities$/, view: entities, section: 'entities' },
  { re: /^\/entities\/([^/]+)$/, view: entityView, section: 'entities' },
  { re: /^\/timeline$/, view: timeline, section: 'timeline' },
];

function parseHash() {
  let raw = location.hash.replace(/^#/, '');
  if (!raw.startsWith('/')) raw = '/' + raw;
  const qi = raw.indexOf('?');
  const path = (qi < 0 ? raw : raw.slice(0, qi)).replace(/\/+$/, '') || '/';
  return { path, query: new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1)) };
}

function setActiveNav(section) {
  for (const a of document.querySelectorAll('.mainnav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

let current = null;
let firstRender = true;

async function render() {
  if (current) current.abort();
  const ctrl = new AbortController();
  current = ctrl;
  const { path, query } = parseHash();
  delete document.body.dataset.ready;
  let match = null;
  const r = routes.find((x) => (match = path.match(x.re)));
  setActiveNav(r && r.section);
  const main = document.getElementById('main');
  const root = h('div', { class: 'view' }, loading());
  main.replaceChildren(root);
  const topq = document.getElementById('topsearch-q');
  if (topq && document.activeElement !== topq) topq.value = path === '/search' ? query.get('q') || '' : '';
  let focusTarget = null;
  const ctx = {
    root, query, signal: ctrl.signal,
    params: r ? match.slice(1).map((p) => { try { return decodeURIComponent(p); } catch { return p; } }) : [],
    get alive() { return current === ctrl; },
    title(t) { document.title = t ? `${t} · corpusd` : 'corpusd'; },
    focus(el) { focusTarget = el; },
  };
  main.setAttribute('aria-busy', 'true');
  try {
    if (!r) {
      ctx.title('Not found');
      root.replaceChildren(h('h1', null, 'Page not found'),
        errorState({ title: 'Not found', detail: `There is no view at ${path}.` }),
        h('p', null, h('a', { href: '#/' }, 'Go to the overview')));
    } else {
      await r.view(ctx);
    }
  } catch (e) {
    if (e.name === 'AbortError' || current !== ctrl) return;
    root.replaceChildren(errorState(e, render));
  } finally {
    if (current === ctrl) main.removeAttribute('aria-busy');
  }
  if (current !== ctrl) return;
  // Move focus to the new content (the view's heading, or what the view asked for) for keyboard users.
  const target = focusTarget || root.querySelector('h1');
  if (target && (!firstRender || focusTarget)) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }
  if (focusTarget) focusTarget.scrollIntoView({ block: 'center' });
  else if (!firstRender) window.scrollTo(0, 0);
  firstRender = false;
  announce(document.title.replace(/ · corpusd$/, '') + ' loaded');
  document.body.dataset.ready = location.hash || '#/'; // a hook for the browser tests
}

function goSearch(q) {
  location.hash = '#/search?' + new URLSearchParams({ q }).toString();
}

document.getElementById('topsearch').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = document.getElementById('topsearch-q').value.trim();
  if (q) goSearch(q);
});

// "/" focuses the search box, like many sites; Escape leaves it.
document.addEventListener('keydown', (ev) => {
  const t = ev.target;
  const typing = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
    ev.preventDefault();
    document.getElementById('topsearch-q').focus();
  } else if (ev.key === 'Escape' && t && t.id === 'topsearch-q') {
    t.blur();
  }
});

// The skip link must not change the route: focus <main> instead of following "#main".
document.getElementById('skip-link').addEventListener('click', (ev) => {
  ev.preventDefault();
  document.getElementById('main').focus();
});

window.addEventListener('hashchange', render);
render();
