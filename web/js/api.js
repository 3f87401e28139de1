// api.js — the public API, fetched with RELATIVE urls ("v1/…") so the page works under a proxy prefix.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}

/** GET one resource; resolves to its JSON, rejects with ApiError (problem JSON) or AbortError. */
export async function get(path, params, { signal } = {}) {
  const url = path.replace(/^\/+/, '') + query(params);
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'Network error', 'The server could not be reached. Check the connection and retry.');
  }
  let body = null;
  if ((res.headers.get('content-type') || '').includes('json')) {
    try { body = await res.json(); } catch { body = null; }
  }
  if (!res.ok) {
    throw new ApiError(res.status, (body && body.title) || res.statusText || 'Error',
      (body && body.detail) || `The server answered with status ${res.status}.`);
  }
  if (body === null) throw new ApiError(res.status, 'Unexpected answer', 'The server did not answer with JSON.');
  return body;
}

// The list filters whose value names something of the corpus: one that names nothing is a 404 from the API.
const NAMING_FILTERS = ['entity', 'source', 'document'];

/**
 * GET a list page: {data, meta}; missing parts are filled so views can rely on them. A 404 for a filter that
 * names nothing (an unknown entity, source or document) is an empty list here: the views say so themselves
 * (the unknown-entity banner), next to the empty results.
 */
export async function list(path, params, opts) {
  let body;
  try {
    body = await get(path, params, opts);
  } catch (e) {
    if (!(e.status === 404 && NAMING_FILTERS.some((k) => params && params[k]))) throw e;
    body = { data: [], meta: { total: 0, next_cursor: null } };
  }
  const data = Array.isArray(body.data) ? body.data : [];
  const meta = body.meta || {};
  return { data, meta: { total: meta.total ?? data.length, limit: meta.limit, next_cursor: meta.next_cursor || null } };
}

/** Every item of a list, following next_cursor (100 a page) up to `max` items. */
export async function all(path, params, { signal, max = 1000 } = {}) {
  const out = [];
  let cursor = null;
  let total = 0;
  do {
    const page = await list(path, { ...params, limit: 100, cursor }, { signal });
    out.push(...page.data);
    total = page.meta.total;
    cursor = page.meta.next_cursor;
  } while (cursor && out.length < max);
  out.total = total;
  return out;
}
