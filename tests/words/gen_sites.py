#!/usr/bin/env python3
"""gen_sites.py — a generated set of templated news sites around real article text.

usage: gen_sites.py REUTERS.jsonl OUTDIR

Writes OUTDIR/pages/<site>-<n>.txt (24 sites, 8 pages each) and OUTDIR/manifest.json, which
says for every page which lines are the site's chrome (navigation, menus, share and subscribe
lines, cookie notices, link lists under a heading, a related link between paragraphs, taglines,
footers, copyright) and what the article is (headline + paragraphs, from a Reuters story).
Every site has its own vocabulary, so a line is only recognisable as chrome by its form, its
place on the page, or its repetition across the site's pages, never by a fixed list.
test_templated_sites.c loads the pages as a corpus and measures both sides. Deterministic.
"""
import json
import os
import random
import re
import sys

SITES = [
    "Harbour Ledger", "Evening Courier", "Valley Tribune", "Northern Dispatch", "Coastal Herald",
    "Capital Observer", "Prairie Gazette", "Metro Chronicle", "Island Times", "Highland Post",
    "River City Record", "Lakeside Sentinel", "Eastern Star", "Western Mail Online",
    "Summit Daily", "Bay Area Wire", "Delta Examiner", "Frontier Journal", "Granite Bulletin",
    "Orchard Review", "Pacific Monitor", "Atlantic Register", "Meridian News", "Union Leader",
]
SECTIONS = ["World", "Business", "Markets", "Politics", "Opinion", "Tech", "Science", "Sport",
            "Culture", "Energy", "Economy", "Local", "Money", "Property", "Travel", "Health"]
EXTRAS = ["Weather", "Crosswords", "Obituaries", "Podcasts", "Newsletters", "Events", "Jobs",
          "Classifieds", "Puzzles", "Video", "Photos", "Archive", "E-paper", "Horoscopes"]
TAGLINES = ["Independent journalism since {y}", "Trusted news for the {r}", "The {r}'s paper",
            "News you can use, every day", "Serving the {r} since {y}", "Your {r}, your news"]
REGIONS = ["valley", "coast", "north", "islands", "capital", "prairie", "harbour", "delta"]
HEADINGS = ["Related stories", "More from {site}", "Read more", "You may also like",
            "Most popular", "Recommended", "Related articles", "Trending"]
SHARE = ["Share this article", "Share on Facebook | Share on Twitter | Email",
         "Listen to this article", "Text size", "Print"]
PROMOS = ["Sign up for our newsletter to get the top stories every morning.",
          "Subscribe now for unlimited access to {site} journalism.",
          "We use cookies to improve your experience. See our cookie policy.",
          "Download the app and follow us on social media.",
          "Click here to subscribe to our weekly briefing."]
FOOTER_NAV = ["About us", "Contact", "Careers", "Advertise", "Help", "Sitemap",
              "Accessibility", "Corrections"]
LEGAL = ["Privacy policy", "Terms of use", "Cookie policy", "Terms of service"]


def title_case(t):
    t = re.sub(r"<[^>]*>", "", t).strip()
    return " ".join(w.capitalize() if w.isalpha() else w for w in t.split())


def sentence_case(t):
    t = re.sub(r"<[^>]*>", "", t).strip()
    words = t.split()
    if not words:
        return t
    out = [words[0].capitalize()] + [w.lower() if w.isalpha() else w for w in words[1:]]
    return " ".join(out)


def paragraphs(text):
    """Reuters hard-wrapped text as web paragraphs: a paragraph per line."""
    paras = re.split(r"\n(?=\s)", text)
    out = []
    for p in paras:
        p = " ".join(p.split())
        if p:
            out.append(p)
    return out


def site_template(rng, i, site):
    y = rng.randint(1850, 1990)
    r = rng.choice(REGIONS)
    sections = rng.sample(SECTIONS, rng.randint(4, 7))
    nav_bar = rng.random() < 0.5
    top = []
    if rng.random() < 0.5:
        top.append(rng.choice(["Skip to main content", "Skip to content", "Menu"]))
    top.append(site)
    if nav_bar:
        top.append(" | ".join(["Home"] + sections))
    else:
        top += sections  # one section name per line, above the headline
    top += rng.sample(["Subscribe", "Sign in", "Search", "Log in", "My account"], 2)
    tagline = rng.choice(TAGLINES).format(y=y, r=r)
    extras = rng.sample(EXTRAS, rng.randint(2, 4))
    year = rng.choice([2023, 2024, 2025])
    copyright_line = rng.choice([
        f"\u00a9 {year} {site}. All rights reserved.",
        f"Copyright {year} {site}. All rights reserved.",
        f"\u00a9 {site} {year}",
    ])
    footer_nav = rng.sample(FOOTER_NAV, 4)
    return {
        "top": top,
        "tagline": tagline,
        "extras": extras,
        "share": rng.choice(SHARE),
        "promo": rng.choice(PROMOS).format(site=site),
        "heading": rng.choice(HEADINGS).format(site=site),
        "footer_nav": " | ".join(footer_nav) if rng.random() < 0.6 else footer_nav,
        "legal": rng.sample(LEGAL, 2),
        "copyright": copyright_line,
        "advert": rng.random() < 0.5,
        "inline_link": rng.random() < 0.6,
    }


def page(rng, t, story, others):
    template, article = [], []
    lines = []

    def chrome(line):
        template.append(line)
        lines.append(line)

    for line in t["top"]:
        chrome(line)
    lines.append("")
    headline = title_case(story["title"])
    lines.append(headline)
    article.append(headline)
    lines.append("")
    chrome(t["share"])
    lines.append("")
    paras = paragraphs(story["text"])
    link_at = len(paras) // 2 if t["inline_link"] and len(paras) >= 4 else -1
    advert_at = len(paras) // 3 if t["advert"] and len(paras) >= 3 else -1
    for k, p in enumerate(paras):
        if k == link_at:
            chrome(sentence_case(others[0]["title"]))
            lines.append("")
        if k == advert_at:
            chrome("Advertisement")
            lines.append("")
        lines.append(p)
        article.append(p)
        lines.append("")
    chrome(t["promo"])
    lines.append("")
    chrome(t["heading"])
    for o in others[1:5]:
        chrome(sentence_case(o["title"]))
    lines.append("")
    chrome(t["tagline"])
    for e in t["extras"]:
        chrome(e)
    lines.append("")
    fn = t["footer_nav"]
    for line in ([fn] if isinstance(fn, str) else fn):
        chrome(line)
    for line in t["legal"]:
        chrome(line)
    chrome(t["copyright"])
    return "\n".join(lines) + "\n", template, "\n".join(article)


def main():
    src, out = sys.argv[1], sys.argv[2]
    stories = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            words = len(r.get("text", "").split())
            if r.get("title") and 80 <= words <= 600:
                stories.append(r)
    rng = random.Random(12)
    rng.shuffle(stories)
    os.makedirs(os.path.join(out, "pages"), exist_ok=True)
    for old in os.listdir(os.path.join(out, "pages")):
        os.remove(os.path.join(out, "pages", old))
    manifest = {}
    k = 0
    for i, site in enumerate(SITES):
        t = site_template(rng, i, site)
        for n in range(8):
            story = stories[k]
            others = stories[k + 1:k + 6]
            k += 6
            text, template, article = page(rng, t, story, others)
            pid = f"site{i:02d}-{n}"
            with open(os.path.join(out, "pages", pid + ".txt"), "w", encoding="utf-8") as f:
                f.write(text)
            manifest[pid] = {"site": site, "template": template, "article": article}
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=0)
    print(f"gen_sites: {len(SITES)} sites, {len(manifest)} pages in {out}/pages")


if __name__ == "__main__":
    main()
