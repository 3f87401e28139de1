// picker.js — a typeahead picker (ARIA 1.2 combobox + listbox): the options come from the API as the user
// types, so any entity, document or source of a corpus of any size can be picked, not only a top-N list.
//
//   picker({ id, label, placeholder, value, valueLabel, search: async (text, signal) => [{value, label, detail}],
//            onPick: (value) => …, minChars })
//
// Keyboard: type to search, ArrowDown/ArrowUp move through the options, Enter picks, Escape closes (a second
// Escape clears the text), the × button clears the picked value. The input carries `data-value` (the picked
// id) so a page, and the browser tests, can read what is picked.
import { h } from './dom.js';

let pickers = 0;

export function picker({ id, label, placeholder = '', value = '', valueLabel = '', search, onPick, minChars = 1, debounceMs = 150 }) {
  const listId = `${id}-list`;
  const n = ++pickers;
  const input = h('input', {
    id, type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
    autocomplete: 'off', spellcheck: 'false', placeholder, value: value ? valueLabel || value : '', class: 'picker-input',
    dataset: { value: value || '' },
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'picker-list', 'aria-label': `${label}: suggestions`, hidden: true });
  const status = h('span', { class: 'sr-only', 'aria-live': 'polite' });
  const clear = value ? h('button', { type: 'button', class: 'picker-clear', 'aria-label': `Clear ${label.toLowerCase()}`, title: 'Clear',
    onclick: () => onPick('') }, '×') : null;
  const wrap = h('div', { class: 'picker' }, h('label', { for: id }, label), h('div', { class: 'picker-box' }, input, clear, list), status);

  let options = [];
  let active = -1;
  let timer = null;
  let ctrl = null;
  let lastText = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const setActive = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', k === i ? 'true' : 'false'));
    if (i >= 0 && list.children[i]) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    const o = options[i];
    if (!o) return;
    close();
    input.value = o.label;
    input.dataset.value = o.value;
    onPick(o.value, o);
  };
  const render = (text) => {
    list.replaceChildren(...options.map((o, i) => h('li', {
      id: `picker${n}-opt${i}`, role: 'option', 'aria-selected': 'false', class: 'picker-option', dataset: { value: o.value },
      onmousedown: (ev) => ev.preventDefault(), // keep the focus in the input
      onclick: () => pick(i),
    }, h('span', { class: 'picker-label' }, o.label), o.detail ? h('span', { class: 'picker-detail' }, o.detail) : null)));
    if (!options.length) list.append(h('li', { class: 'picker-none', role: 'presentation' }, `No match for “${text}”`));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = options.length ? `${options.length} suggestions` : 'No suggestions';
    setActive(options.length ? 0 : -1);
  };
  const run = async () => {
    const text = input.value.trim();
    if (text.length < minChars) { options = []; close(); return; }
    if (text === lastText && !list.hidden) return;
    lastText = text;
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    const mine = ctrl;
    wrap.classList.add('picker-busy');
    try {
      const found = await search(text, mine.signal);
      if (mine !== ctrl) return;
      options = found || [];
      render(text);
    } catch (e) {
      if (e.name === 'AbortError') return;
      options = [];
      list.replaceChildren(h('li', { class: 'picker-none', role: 'presentation' }, `Suggestions failed: ${e.detail || e.message}`));
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    } finally {
      if (mine === ctrl) wrap.classList.remove('picker-busy');
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (list.hidden) { lastText = null; run(); } else if (options.length) setActive((active + 1) % options.length);
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!list.hidden && options.length) setActive((active - 1 + options.length) % options.length);
    } else if (ev.key === 'Enter') {
      ev.preventDefault(); // never submit a surrounding form with half-typed text
      if (!list.hidden && active >= 0) pick(active);
      else { clearTimeout(timer); lastText = null; run(); }
    } else if (ev.key === 'Escape') {
      if (!list.hidden) { ev.preventDefault(); ev.stopPropagation(); close(); } else if (input.value) { input.value = ''; }
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 120));
  input.addEventListener('focus', () => { if (!input.dataset.value) input.select(); });
  return wrap;
}

/** Words of a typed text as a full-text query: each word literally, the last one as a prefix (`rate cut*`). */
export function prefixQuery(text) {
  const words = (text.match(/[\p{L}\p{N}]+/gu) || []).slice(0, 8);
  if (!words.length) return '';
  return words.map((w, i) => (i === words.length - 1 ? `${w}*` : w)).join(' ');
}
