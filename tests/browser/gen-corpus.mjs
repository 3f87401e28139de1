// gen-corpus.mjs — writes a synthetic news corpus (JSONL: id/title/published/source/text, one record a line) of
// N documents for the browser tests at scale, when the Reuters JSONL (../shared/data/news/) is not on the
// machine. Deterministic (a seeded PRNG), invented names and publishers, sentences written for this script:
// several hundred entities with a long tail (so pickers must find names outside the top 100), dated events
// spread over five years with one busy month (the overview's tallest bar), six publishers.
//
//   node tests/browser/gen-corpus.mjs OUT.jsonl [N=12000]
import fs from 'node:fs';

const [out, nArg] = process.argv.slice(2);
if (!out) {
  console.error('usage: node gen-corpus.mjs OUT.jsonl [N]');
  process.exit(2);
}
const N = Number(nArg || 12000);

let seed = 0x2545f491;
const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return ((seed >>> 0) % 1000000) / 1000000; };
const int = (n) => Math.floor(rand() * n);
const one = (xs) => xs[int(xs.length)];
/** A long-tailed pick: low indexes far more often (Zipf-like), so entity counts fall off like real news. */
const zipf = (xs) => xs[Math.min(xs.length - 1, Math.floor(xs.length * rand() ** 2.6))];

const FIRST = ['Amara', 'Bruno', 'Celia', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hector', 'Ingrid', 'Jonas', 'Keiko', 'Lars',
  'Marisol', 'Nikolai', 'Oona', 'Pavel', 'Quentin', 'Rosalind', 'Soren', 'Tamsin', 'Ulrich', 'Valeria', 'Wendell', 'Ximena',
  'Yusuf', 'Zofia', 'Anselm', 'Beatrix', 'Caspian', 'Delphine'];
const LAST = ['Abernathy', 'Brandvold', 'Castellanos', 'Dunmore', 'Eskildsen', 'Fairweather', 'Gundersen', 'Halloran',
  'Ivanescu', 'Jablonski', 'Kettering', 'Lindqvist', 'Marchetti', 'Nakashima', 'Oyelaran', 'Pemberton', 'Quarshie',
  'Rosenquist', 'Szabados', 'Thorvaldsen', 'Umberto', 'Vasquez', 'Whitcombe', 'Yamamura', 'Zelenko'];
const ORG_HEAD = ['Northwind', 'Bluewater', 'Caldera', 'Ironbridge', 'Silverline', 'Meridian', 'Harbourview', 'Redcliff',
  'Stonegate', 'Brightfield', 'Oakhaven', 'Westmarch', 'Greyfold', 'Lumen', 'Kestrel', 'Tidewell', 'Ashgrove', 'Copperleaf'];
const ORG_TAIL = ['Holdings', 'Energy', 'Motors', 'Bank', 'Shipping', 'Mining', 'Pharmaceuticals', 'Airlines', 'Foods', 'Telecom'];
const PLACES = ['Valdmoor', 'Port Elsin', 'Karsk', 'Miravel', 'Tolbridge', 'Ostrava Bay', 'Quelling', 'Saint Arven', 'Drummore',
  'Havnfjord', 'Lyssa', 'New Corvin', 'Brackwater', 'Estemont', 'Fallowmere', 'Ganton', 'Ruskell', 'Vintermark'];
const SOURCES = ['The Daily Ledger', 'Harbour Wire', 'Metro Courier', 'Evening Standard Post', 'Continental Press', 'Market Bulletin'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const TOPICS = ['copper', 'grain', 'shipping rates', 'interest rates', 'jet fuel', 'steel output', 'coffee exports', 'bond yields',
  'rail freight', 'wind power', 'fertiliser', 'textile orders'];

const people = [];
for (const f of FIRST) for (const l of LAST) people.push(`${f} ${l}`);
people.sort(() => rand() - 0.5);
const orgs = [];
for (const a of ORG_HEAD) for (const b of ORG_TAIL) orgs.push(`${a} ${b}`);
orgs.sort(() => rand() - 0.5);

const pad = (n) => String(n).padStart(2, '0');
const dayMs = 86400000;
const start = Date.UTC(2019, 0, 1);
const span = 5 * 365;
const busy = Date.UTC(2021, 2, 1); // March 2021 is the busy month: the overview's tallest bar

function pubDate() {
  const t = rand() < 0.18 ? busy + int(31) * dayMs : start + int(span) * dayMs;
  return new Date(t);
}
const isoDay = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const spoken = (d) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;

function sentence(pub) {
  const p = zipf(people), o = zipf(orgs), place = one(PLACES), topic = one(TOPICS);
  const later = new Date(pub.getTime() + (3 + int(40)) * dayMs);
  const earlier = new Date(pub.getTime() - (5 + int(300)) * dayMs);
  switch (int(8)) {
    case 0: return `${p}, who leads ${o}, said on ${spoken(pub)} that demand for ${topic} in ${place} would stay firm.`;
    case 1: return `${o} will report its quarterly results on ${spoken(later)}, according to ${p}.`;
    case 2: return `Talks between ${o} and officials in ${place} began in ${MONTHS[earlier.getUTCMonth()]} ${earlier.getUTCFullYear()} and are expected to end by ${spoken(later)}.`;
    case 3: return `${p} told reporters in ${place} that ${topic} prices had risen for three weeks.`;
    case 4: return `The board of ${o} meets again on ${spoken(later)} to vote on the plan.`;
    case 5: return `Shares of ${o} fell after ${p} warned about ${topic} costs in ${place}.`;
    case 6: return `A spokesman for ${o} said the new terminal near ${place} opened on ${spoken(earlier)}.`;
    default: return `Analysts in ${place} expect ${topic} volumes to recover in ${later.getUTCFullYear()}, ${p} said.`;
  }
}

const fd = fs.openSync(out, 'w');
for (let i = 1; i <= N; i++) {
  const pub = pubDate();
  const sents = Array.from({ length: 4 + int(5) }, () => sentence(pub));
  const paras = [];
  while (sents.length) paras.push(sents.splice(0, 2 + int(2)).join(' '));
  const o = zipf(orgs);
  const rec = {
    id: `gen-${i}`,
    title: `${o} ${one(['expands in', 'cuts jobs in', 'wins contract in', 'reviews plans for', 'reports growth in'])} ${one(PLACES)}`,
    published: isoDay(pub),
    source: SOURCES[Math.min(SOURCES.length - 1, Math.floor(SOURCES.length * rand() ** 1.5))],
    text: paras.join('\n\n'),
  };
  fs.writeSync(fd, JSON.stringify(rec) + '\n');
}
fs.closeSync(fd);
console.log(`wrote ${N} documents to ${out}`);
