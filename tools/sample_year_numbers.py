#!/usr/bin/env python3
"""Draws four-digit numbers at random (fixed seed) from a JSONL news corpus, each with its
context, for hand-labelling as year / not a year (tests/fixtures/year_numbers.tsv).

    tools/sample_year_numbers.py ../shared/data/news/reuters21578.jsonl 200 16 > sample.tsv

A four-digit number is a run of exactly four ASCII digits that is not part of a longer number
("1,060.50", "12345", "1987.5"). Output: doc id, published, offset of the number in the
snippet, snippet (white space collapsed, about 90 characters either side), one a line; the
label column (Y / N) is added by hand in front.
"""
import json
import random
import re
import sys

NUM = re.compile(r'(?<![0-9])(?<![0-9][.,])[0-9]{4}(?![0-9])(?![.,][0-9])')


def main():
    path, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    found = []
    docs = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            rec = json.loads(line)
            text = re.sub(r'\s+', ' ', rec.get('text') or '')
            docs.append((rec['id'], rec.get('published') or '', text))
            for m in NUM.finditer(text):
                found.append((len(docs) - 1, m.start()))
    rng = random.Random(seed)
    for di, pos in sorted(rng.sample(found, n)):
        doc_id, pub, text = docs[di]
        a = max(0, pos - 90)
        b = min(len(text), pos + 4 + 90)
        while a > 0 and text[a - 1] != ' ':
            a += 1
        while b < len(text) and text[b] != ' ':
            b -= 1
        snippet = text[a:b].replace('\t', ' ')
        print('%s\t%s\t%d\t%s' % (doc_id, pub, pos - a, snippet))


if __name__ == '__main__':
    main()
