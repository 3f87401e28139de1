// charts.js — hand-written SVG charts: horizontal bars, a monthly histogram, a time axis of events and a
// small ego network. Every mark that leads somewhere is an SVG <a>, so charts are usable with the keyboard.
import { s, h, truncate, typeColor, typeLabel, monthName, fmtNum, period, fmtDate } from './dom.js';

/** Horizontal bar chart. items: [{label, value, href, color, title}] */
export function barChart(items, { label = 'Bar chart', unit = '', width: w0 = 640, labelWidth: lw0 = 220 } = {}) {
  const width = fitWidth(w0);
  const labelWidth = Math.min(lw0, Math.round(width * 0.4));
  const row = 30;
  const height = items.length * row + 8;
  const max = Math.max(1, ...items.map((d) => d.value));
  const plot = width - labelWidth - 70;
  const svg = s('svg', { class: 'chart bar-chart', viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label });
  items.forEach((d, i) => {
    const y = 4 + i * row;
    const w = Math.max(2, (plot * d.value) / max);
    const name = `${d.label}: ${fmtNum(d.value)}${unit ? ' ' + unit : ''}`;
    const g = s(d.href ? 'a' : 'g', { class: 'bar-row', href: d.href, 'aria-label': name },
      s('title', null, d.title || name),
      s('rect', { class: 'bar-hit', x: 0, y, width, height: row - 4, rx: 4 }),
      s('text', { class: 'bar-label', x: labelWidth - 10, y: y + row / 2, 'text-anchor': 'end', 'dominant-baseline': 'central' }, truncate(d.label, Math.floor((labelWidth - 16) / 8.2))),
      s('rect', { class: 'bar-track', x: labelWidth, y: y + 5, width: plot, height: row - 14, rx: 3 }),
      s('rect', { class: 'bar', x: labelWidth, y: y + 5, width: w, height: row - 14, rx: 3, fill: d.color || 'var(--accent)' }),
      s('text', { class: 'bar-value', x: labelWidth + w + 8, y: y + row / 2, 'dominant-baseline': 'central' }, fmtNum(d.value)));
    svg.append(g);
  });
  return svg;
}

const DAY = 86400000;

/** How a bucket of each interval maps to a slot number on the x axis, and back to its period string. */
const BUCKETS = {
  year: { parse: (p) => (/^(\d{4})$/.test(p) ? Number(p) : null), period: (k) => String(k).padStart(4, '0'), per: 1 },
  month: {
    parse: (p) => { const m = /^(\d{4})-(\d{2})$/.exec(p); return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null; },
    period: (k) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`,
    per: 12,
  },
  day: {
    parse: (p) => { const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p); return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY : null; },
    period: (k) => new Date(k * DAY).toISOString().slice(0, 10),
    per: 365,
  },
};

function bucketName(interval, k) {
  if (interval === 'year') return String(k);
  if (interval === 'month') return `${monthName((k % 12) + 1, true)} ${Math.floor(k / 12)}`;
  const d = new Date(k * DAY);
  return `${d.getUTCDate()} ${monthName(d.getUTCMonth() + 1, true)} ${d.getUTCFullYear()}`;
}

function bucketLabel(interval, k, lo, slot, slots) {
  if (interval === 'year') {
    const step = pick([1, 2, 5, 10, 20, 50, 100], (st) => st * slot >= 40);
    return k % step === 0 || (k === lo && step === 1) ? String(k) : null;
  }
  if (interval === 'month') {
    const yy = Math.floor(k / 12), mm = (k % 12) + 1;
    if (slots <= 18 && slot >= 30) return mm === 1 || k === lo ? `${monthName(mm)} ${yy}` : monthName(mm);
    const yearStep = pick([1, 2, 5, 10, 20, 50, 100], (st) => st * slot * 12 >= 40);
    if (slot * 3 >= 40 && slots <= 40) return (mm - 1) % 3 === 0 ? (mm === 1 || k === lo ? `${monthName(mm)} ${yy}` : monthName(mm)) : null;
    return mm === 1 && yy % yearStep === 0 ? String(yy) : null;
  }
  const d = new Date(k * DAY);
  const step = pick([1, 2, 7, 14], (st) => st * slot >= 34);
  if (step === 1 || (d.getUTCDate() - 1) % step === 0) return d.getUTCDate() === 1 || k === lo ? `${d.getUTCDate()} ${monthName(d.getUTCMonth() + 1)}` : String(d.getUTCDate());
  return null;
}

/**
 * Histogram of counts per period. data: [{period, count}] as /v1/timeline/histogram answers (interval year,
 * month or day); empty periods are filled in so the x axis is a real time axis. hrefFor(period) makes a bar a
 * link. `trim` (0–0.5) leaves out the leading and trailing periods that together hold at most that share of
 * the counts on each side when the span is longer than ten years (a few stray dates of 1600 or 2188 would
 * squeeze the corpus's own years into a few pixels); the svg's data-hidden-count tells how many were left out.
 */
export function histogram(data, { hrefFor, interval = 'month', label = 'Events per month', width = fitWidth(960), height = 220, trim = 0, unit = ['event', 'events'] } = {}) {
  const B = BUCKETS[interval];
  const counts = new Map();
  for (const d of data) {
    const k = B.parse(d.period || '');
    if (k !== null) counts.set(k, (counts.get(k) || 0) + (d.count || 0));
  }
  let keys = [...counts.keys()].sort((a, b) => a - b);
  const svg = s('svg', { class: 'chart histogram', viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label });
  svg.dataset.hiddenCount = '0';
  svg.dataset.hiddenBuckets = '0';
  if (!keys.length) return svg;
  if (trim > 0 && keys[keys.length - 1] - keys[0] > 10 * B.per) {
    const total = keys.reduce((n, k) => n + counts.get(k), 0);
    const cut = total * trim;
    let i = 0, j = keys.length - 1, left = 0, right = 0;
    while (i < j && left + counts.get(keys[i]) <= cut) left += counts.get(keys[i++]);
    while (j > i && right + counts.get(keys[j]) <= cut) right += counts.get(keys[j--]);
    svg.dataset.hiddenCount = String(left + right);
    svg.dataset.hiddenBuckets = String(i + keys.length - 1 - j);
    svg.dataset.shownFrom = B.period(keys[i]);
    svg.dataset.shownTo = B.period(keys[j]);
    keys = keys.slice(i, j + 1);
  }
  // One slot per period from the first to the last (whole years of months when the span is long).
  let lo = keys[0];
  let hi = keys[keys.length - 1];
  if (interval === 'month' && hi - lo > 36) { lo -= lo % 12; hi += 11 - (hi % 12); }
  const slots = hi - lo + 1;
  const ml = 44, mr = 10, mt = 12, mb = 30;
  const pw = width - ml - mr;
  const ph = height - mt - mb;
  const max = Math.max(1, ...keys.map((k) => counts.get(k)));
  const slot = pw / slots;
  const bw = Math.max(1, slot * 0.8);
  const y = (v) => mt + ph - (ph * v) / max;
  const ticks = max <= 4 ? [...Array(max + 1).keys()] : [0, Math.round(max / 2), max];
  for (const t of ticks) {
    svg.append(s('line', { class: 'grid', x1: ml, x2: width - mr, y1: y(t), y2: y(t) }),
      s('text', { class: 'axis-label', x: ml - 6, y: y(t), 'text-anchor': 'end', 'dominant-baseline': 'central' }, fmtNum(t)));
  }
  let lastLabelX = -Infinity;
  for (let k = lo; k <= hi; k++) {
    const x = ml + (k - lo) * slot + slot / 2;
    const text = bucketLabel(interval, k, lo, slot, slots);
    if (text && x - lastLabelX >= 7 * text.length + 6 && x + 3.5 * text.length <= width) {
      lastLabelX = x;
      svg.append(s('line', { class: 'tick', x1: x, x2: x, y1: mt + ph, y2: mt + ph + 4 }),
        s('text', { class: 'axis-label', x, y: mt + ph + 16, 'text-anchor': 'middle' }, text));
    }
  }
  svg.append(s('line', { class: 'axis', x1: ml, x2: width - mr, y1: mt + ph, y2: mt + ph }));
  for (const k of keys) {
    const v = counts.get(k);
    if (!v) continue;
    const p = B.period(k);
    const x = ml + (k - lo) * slot + (slot - bw) / 2;
    const name = `${bucketName(interval, k)}: ${fmtNum(v)} ${v === 1 ? unit[0] : unit[1]}`;
    svg.append(s(hrefFor ? 'a' : 'g', { class: 'hist-bar', href: hrefFor ? hrefFor(p) : null, 'aria-label': name, dataset: { period: p, count: v } },
      s('title', null, name),
      s('rect', { x: x - Math.max(0, (6 - bw) / 2), y: mt, width: Math.max(bw, 6), height: ph, class: 'bar-hit' }),
      s('rect', { class: 'bar', x, y: y(v), width: bw, height: mt + ph - y(v), rx: Math.min(2, bw / 3) })));
  }
  return svg;
}


/** A chart's drawing width: its default on wide screens, the room there is on narrow ones. */
export function fitWidth(def) {
  const main = document.getElementById('main');
  const room = main ? main.clientWidth - 72 : def;
  return Math.round(Math.max(300, Math.min(def, room)));
}

const pick = (steps, ok) => steps.find(ok) || steps[steps.length - 1];

function ticksFor(from, to, pw) {
  const span = (to - from) / DAY;
  const pxDay = pw / span;
  const out = [];
  const d0 = new Date(from);
  if (span > 3 * 366 || pxDay * 30.4 < 26) {
    const step = pick([1, 2, 5, 10, 20, 50, 100], (st) => st * 365 * pxDay >= 48);
    for (let y = Math.ceil(d0.getUTCFullYear() / step) * step; ; y += step) {
      const t = Date.UTC(y, 0, 1);
      if (t > to) break;
      if (t >= from) out.push([t, String(y)]);
    }
  } else if (span > 62 || pxDay < 4) {
    const step = pick([1, 2, 3, 6], (st) => st * 30.4 * pxDay >= 56);
    for (let y = d0.getUTCFullYear(), m = d0.getUTCMonth(); ; m += 1) {
      const t = Date.UTC(y, m, 1);
      if (t > to) break;
      const dm = new Date(t).getUTCMonth();
      if (t >= from && dm % step === 0) out.push([t, dm === 0 || !out.length ? `${monthName(dm + 1)} ${new Date(t).getUTCFullYear()}` : monthName(dm + 1)]);
    }
  } else {
    const step = pick([1, 2, 7, 14], (st) => st * pxDay >= 44);
    for (let t = Date.UTC(d0.getUTCFullYear(), d0.getUTCMonth(), d0.getUTCDate()), i = 0; t <= to; t += DAY, i++) {
      if (t >= from && i % step === 0) {
        const d = new Date(t);
        out.push([t, `${d.getUTCDate()} ${monthName(d.getUTCMonth() + 1)}`]);
      }
    }
  }
  return out;
}

/**
 * Events on a real time axis between `from` and `to` (ms). Each event covers the period of its date
 * (a day, a month or a year) and is stacked in lanes so none hides another. Marks are links (hrefFor).
 */
export function timelineChart(events, { from, to, hrefFor, width = fitWidth(960), label = 'Timeline of events' } = {}) {
  const ml = 16, mr = 16, mt = 34, lane = 24;
  const pw = width - ml - mr;
  const x = (t) => ml + ((t - from) / (to - from)) * pw;
  const placed = [];
  const laneEnds = [];
  const sorted = events
    .map((ev) => ({ ev, p: period(ev.date) }))
    .filter((d) => d.p && d.p[1] > from && d.p[0] < to)
    .sort((a, b) => a.p[0] - b.p[0] || a.p[1] - b.p[1]);
  for (const d of sorted) {
    const x1 = Math.max(ml, x(d.p[0]));
    const x2 = Math.min(width - mr, x(d.p[1]));
    const w = Math.max(12, x2 - x1);
    const left = Math.min(x1, width - mr - w);
    let li = laneEnds.findIndex((end) => end + 3 <= left);
    if (li < 0) { li = laneEnds.length; laneEnds.push(0); }
    laneEnds[li] = left + w;
    placed.push({ ...d, left, w, lane: li });
  }
  const lanes = Math.max(1, laneEnds.length);
  const height = mt + lanes * lane + 16;
  const svg = s('svg', { class: 'chart timeline-chart', viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label });
  for (const [t, text] of ticksFor(from, to, pw)) {
    const xx = x(t);
    if (xx > width - mr - 7 * text.length) continue; // no label hanging over the right edge
    svg.append(s('line', { class: 'grid', x1: xx, x2: xx, y1: mt - 8, y2: height - 8 }),
      s('text', { class: 'axis-label', x: xx + 4, y: mt - 16 }, text));
  }
  svg.append(s('line', { class: 'axis', x1: ml, x2: width - mr, y1: mt - 8, y2: mt - 8 }));
  for (const d of placed) {
    const ev = d.ev;
    const name = `${fmtDate(ev.date)} — ${(ev.timex && ev.timex.text) || ''}: ${truncate(ev.sentence || '', 160)}`;
    const y = mt + d.lane * lane;
    svg.append(s('a', { class: `event-mark p-${ev.precision || 'day'}`, href: hrefFor(ev), 'aria-label': name, dataset: { event: ev.id } },
      s('title', null, name),
      s('rect', { x: d.left, y, width: d.w, height: lane - 8, rx: Math.min(8, d.w / 2) })));
  }
  svg.dataset.count = String(placed.length);
  return svg;
}

/** An ego network: the entity in the middle, the related entities around it; edges weigh shared sentences. */
export function egoGraph(center, related, { hrefFor, width: w0 = 640, height = 420 } = {}) {
  const width = Math.max(560, fitWidth(w0));
  const cx = width / 2, cy = height / 2;
  const n = related.length;
  const R = Math.min(height / 2 - 50, width / 2 - 160);
  const maxS = Math.max(1, ...related.map((r) => r.sentences || 0));
  const maxD = Math.max(1, ...related.map((r) => r.documents || 0));
  const svg = s('svg', { class: 'chart ego-graph', viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `${center.name} and ${n} related ${n === 1 ? 'entity' : 'entities'}` });
  const edges = s('g', { class: 'edges' });
  const nodes = s('g', { class: 'nodes' });
  related.forEach((r, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    const x = cx + R * Math.cos(a), y = cy + R * Math.sin(a);
    const sw = 1 + (5 * (r.sentences || 0)) / maxS;
    edges.append(s('line', { class: 'edge', x1: cx, y1: cy, x2: x, y2: y, 'stroke-width': sw.toFixed(1) }));
    const rad = 7 + (9 * (r.documents || 0)) / maxD;
    const c = Math.cos(a);
    const anchor = c > 0.35 ? 'start' : c < -0.35 ? 'end' : 'middle';
    const lx = x + (anchor === 'start' ? rad + 5 : anchor === 'end' ? -rad - 5 : 0);
    const ly = anchor === 'middle' ? (Math.sin(a) < 0 ? y - rad - 7 : y + rad + 14) : y + 4;
    const e = r.entity || {};
    const name = `${e.name} (${typeLabel(e.type)}): ${plural(r.sentences, 'shared sentence')}, ${plural(r.documents, 'shared document')}`;
    nodes.append(s('a', { class: 'node', href: hrefFor(e), 'aria-label': name },
      s('title', null, name),
      s('circle', { cx: x, cy: y, r: rad, fill: typeColor(e.type) }),
      s('text', { x: lx, y: ly, 'text-anchor': anchor }, truncate(e.name, 20))));
  });
  nodes.append(s('g', { class: 'node center', 'aria-hidden': 'true' },
    s('circle', { cx, cy, r: 24, fill: typeColor(center.type) }),
    s('text', { x: cx, y: cy + 42, 'text-anchor': 'middle' }, truncate(center.name, 28))));
  svg.append(edges, nodes);
  return svg;
}

function plural(n, one) {
  return `${fmtNum(n || 0)} ${n === 1 ? one : one + 's'}`;
}

/** A legend row of coloured dots. */
export function legend(items) {
  return h('ul', { class: 'legend' }, items.map(([color, text]) => h('li', null, h('span', { class: 'dot', style: `background:${color}` }), text)));
}
