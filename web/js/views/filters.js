// filters.js — the document filters shared by the documents and search views: a date range (from/to at any
// precision: 1987, 1987-03, 1987-03-09), a source and an entity picked by typeahead; each is an API filter.
import { h, route, fmtDate } from '../dom.js';
import { picker } from '../picker.js';
import { searchEntities, searchSources, entityName, unknownEntityBanner } from './common.js';

export const FILTER_KEYS = ['from', 'to', 'source', 'entity'];

export function readFilters(query) {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, (query.get(k) || '').trim()]));
}

export const hasFilters = (f) => FILTER_KEYS.some((k) => f[k]);

const DATE_RE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/**
 * The filter bar. `base` holds the other parameters of the view (sort, q); changing a filter goes back to the
 * first page. Returns {el, ready}: `ready` resolves once the picked entity's name is known.
 */
export async function filterBar(path, base, f, { signal, idPrefix }) {
  const go = (over) => { location.hash = route(path, { ...base, ...f, ...over }); };
  const found = f.entity ? await entityName(f.entity, signal) : '';
  const entLabel = found === null ? f.entity : found;
  const fromIn = h('input', { id: `${idPrefix}-from`, type: 'text', inputmode: 'numeric', value: f.from, placeholder: 'YYYY-MM-DD', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', size: 11, title: 'A year, a month or a day: 1987, 1987-03 or 1987-03-09' });
  const toIn = h('input', { id: `${idPrefix}-to`, type: 'text', inputmode: 'numeric', value: f.to, placeholder: 'YYYY-MM-DD', pattern: '\\d{4}(-\\d{2}(-\\d{2})?)?', size: 11, title: 'A year, a month or a day: 1987, 1987-03 or 1987-03-09' });
  const problem = h('p', { class: 'field-error', hidden: true }); // role=alert once it has something to say
  const dates = h('form', { class: 'date-range', 'aria-label': 'Date range',
    onsubmit: (ev) => {
      ev.preventDefault();
      const a = fromIn.value.trim(), b = toIn.value.trim();
      const bad = [a, b].find((v) => v && !DATE_RE.test(v));
      if (bad) { problem.textContent = `“${bad}” is not a date: write 1987, 1987-03 or 1987-03-09.`; problem.hidden = false; problem.setAttribute('role', 'alert'); return; }
      go({ from: a, to: b });
    } },
  h('label', { for: fromIn.id }, 'From'), fromIn, h('label', { for: toIn.id }, 'to'), toIn, h('button', { type: 'submit', class: 'btn' }, 'Apply'));
  const chips = FILTER_KEYS.filter((k) => f[k]).map((k) => h('span', { class: 'chip chip-filter' },
    `${{ from: 'From', to: 'To', source: 'Source', entity: 'Entity' }[k]}: `,
    h('strong', null, k === 'entity' ? entLabel : k === 'source' ? f[k] : fmtDate(f[k])),
    h('a', { class: 'chip-x', href: route(path, { ...base, ...f, [k]: '' }), 'aria-label': `Remove the ${k} filter` }, '×')));
  const el = h('div', { class: 'filter-panel' },
    h('div', { class: 'filters' },
      dates,
      picker({ id: `${idPrefix}-source`, label: 'Source', placeholder: 'Any source', value: f.source, valueLabel: f.source, search: searchSources, onPick: (v) => go({ source: v }) }),
      picker({ id: `${idPrefix}-entity`, label: 'Entity', placeholder: 'Any entity — type a name', value: f.entity, valueLabel: entLabel, search: searchEntities, onPick: (v) => go({ entity: v }) })),
    problem,
    found === null ? unknownEntityBanner(f.entity) : null,
    chips.length ? h('div', { class: 'chips active-filters' }, chips, h('a', { class: 'btn btn-small', href: route(path, base) }, 'Clear all')) : null);
  return { el, entLabel };
}

/** "from 1 Mar 1987 to 31 Mar 1987, from Reuters, mentioning Bundesbank" — for headings. */
export function describeFilters(f, entLabel) {
  const parts = [];
  if (f.from && f.from === f.to) parts.push(`dated ${fmtDate(f.from)}`);
  else if (f.from && f.to) parts.push(`dated ${fmtDate(f.from)} – ${fmtDate(f.to)}`);
  else if (f.from) parts.push(`dated from ${fmtDate(f.from)}`);
  else if (f.to) parts.push(`dated up to ${fmtDate(f.to)}`);
  if (f.source) parts.push(`from ${f.source}`);
  if (f.entity) parts.push(`mentioning ${entLabel || f.entity}`);
  return parts.join(', ');
}
