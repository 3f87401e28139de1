-- corpusd store schema. Built once per corpus load inside one transaction, then only read.
-- Offsets (start, end) are Unicode code points in documents.text, end exclusive.

CREATE TABLE documents (
    rowid              INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL DEFAULT '',  -- '' when the page has none
    source             TEXT,
    url                TEXT,
    published          TEXT NOT NULL DEFAULT '',  -- ISO date at its precision, '' if unknown
    precision          TEXT,                      -- day | month | year | NULL
    published_inferred INTEGER NOT NULL DEFAULT 0,
    language           TEXT NOT NULL DEFAULT 'en',
    word_count         INTEGER NOT NULL DEFAULT 0,
    summary            TEXT,
    place              TEXT,                      -- dateline place ("Tokyo"), NULL when none
    dateline_start     INTEGER,                   -- the dateline in text, NULL when none
    dateline_end       INTEGER,
    dateline_date      TEXT,                      -- the dateline's date, NULL when none
    encoding           TEXT,                      -- 'windows-1252', …; NULL for clean UTF-8
    item               TEXT NOT NULL,  -- the list representation, JSON rendered at build time
    text               TEXT NOT NULL   -- last: long, read only when asked for
);
CREATE INDEX documents_by_published ON documents(published, id);
CREATE INDEX documents_by_title ON documents(title, id);
CREATE INDEX documents_by_source ON documents(source, published, id);

-- Why an undated page got its month from the corpus (ingest/resolve/dates.c): the event its
-- sentence `phrase` mentions is dated in document `document_id` (sentence `source_text`).
CREATE TABLE published_evidence (
    doc         INTEGER PRIMARY KEY REFERENCES documents(rowid),
    document_id TEXT NOT NULL,
    phrase      TEXT NOT NULL,
    source_text TEXT NOT NULL,
    date        TEXT NOT NULL
);

-- The full representation of each document (GET /v1/documents/{id}), rendered at build time.
CREATE TABLE document_bodies (
    doc  INTEGER PRIMARY KEY REFERENCES documents(rowid),
    body TEXT NOT NULL
);

CREATE TABLE paragraphs (
    doc   INTEGER NOT NULL REFERENCES documents(rowid),
    seq   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end   INTEGER NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

-- Authors from a byline, and photo captions, in order.
CREATE TABLE document_authors (
    doc  INTEGER NOT NULL REFERENCES documents(rowid),
    seq  INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

CREATE TABLE document_captions (
    doc  INTEGER NOT NULL REFERENCES documents(rowid),
    seq  INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

-- Provenance: the input as decoded to UTF-8, and the spans of it cleaning set aside (offsets in
-- code points of original), each with its reason (navigation, template, promotion, …).
CREATE TABLE document_sources (
    doc      INTEGER PRIMARY KEY REFERENCES documents(rowid),
    original TEXT NOT NULL
);

CREATE TABLE set_aside (
    doc     INTEGER NOT NULL REFERENCES documents(rowid),
    seq     INTEGER NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    reason  TEXT NOT NULL,
    repeats INTEGER,  -- template: pages of the source holding the line
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

-- A sentence's text is substr(documents.text, start + 1, end - start): kept once, in the document
-- (a copy here was 16 MB of the 234 MB Reuters store, resident all the time it is served).
CREATE TABLE sentences (
    doc   INTEGER NOT NULL REFERENCES documents(rowid),
    seq   INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end   INTEGER NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

-- Full-text index over title and text; an external-content table, filled after documents.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content = 'documents', content_rowid = 'rowid',
    -- No porter stemmer: it would stem prefix queries too ("soy*" -> "soi*" finds nothing).
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE entities (
    rowid          INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,  -- person:xi-jinping
    name           TEXT NOT NULL,
    type           TEXT NOT NULL,         -- PERSON | ORG | LOC | MISC
    mention_count  INTEGER NOT NULL,
    document_count INTEGER NOT NULL,
    rank           INTEGER,          -- position by (mention_count DESC, id), from 1
    related_count  INTEGER,          -- rows in related
    item           TEXT,             -- the list representation, JSON rendered at build time
    detail         TEXT              -- GET /v1/entities/{id} (aliases with counts and reasons), likewise
);
-- Covering for the default entity list (most mentioned first): no table lookup per row.
CREATE INDEX entities_by_mentions ON entities(mention_count DESC, id, name, type, document_count, item);
CREATE INDEX entities_by_type ON entities(type, mention_count DESC, id);
CREATE INDEX entities_by_name ON entities(name, id);
CREATE INDEX entities_by_type_name ON entities(type, name, id); -- ?type=…&sort=name, keyset

-- Each surface form an entity's mentions use, how often, and why it belongs to the entity
-- ("acronym defined in doc-7", "suffix variant", "case variant"; NULL for the canonical name).
CREATE TABLE entity_aliases (
    entity INTEGER NOT NULL REFERENCES entities(rowid),
    alias  TEXT NOT NULL,
    count  INTEGER NOT NULL,
    why    TEXT,
    PRIMARY KEY (entity, alias)
) WITHOUT ROWID;
CREATE INDEX entity_aliases_by_alias ON entity_aliases(alias COLLATE NOCASE);

-- Ids an entity could be looked up by that are not its id: made from one of its aliases or from
-- a name a document alone gave it (an earlier canonical name). GET answers them with a 301.
CREATE TABLE entity_redirects (
    id     TEXT PRIMARY KEY,
    entity INTEGER NOT NULL REFERENCES entities(rowid)
) WITHOUT ROWID;

CREATE TABLE entity_roles (
    entity INTEGER NOT NULL REFERENCES entities(rowid),
    role   TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (entity, role)
) WITHOUT ROWID;

CREATE TABLE mentions (
    entity   INTEGER NOT NULL REFERENCES entities(rowid),
    doc      INTEGER NOT NULL REFERENCES documents(rowid),
    start    INTEGER NOT NULL,
    end      INTEGER NOT NULL,
    text     TEXT NOT NULL,
    sentence INTEGER NOT NULL,  -- sentences.seq
    PRIMARY KEY (entity, doc, start)
) WITHOUT ROWID;
CREATE INDEX mentions_by_doc ON mentions(doc, start);

-- For each entity, the entities seen in the same sentences / documents, in the order
-- /v1/entities/{id}/related lists them (most sentences, then documents, then id): a page is one
-- index range. Derived from the entity pairs of the build (store/summaries.c).
CREATE TABLE related (
    entity    INTEGER NOT NULL REFERENCES entities(rowid),
    sentences INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    other     INTEGER NOT NULL REFERENCES entities(rowid), -- rowid order is id order (build.c)
    PRIMARY KEY (entity, sentences DESC, documents DESC, other)
) WITHOUT ROWID;

CREATE TABLE timexes (
    doc   INTEGER NOT NULL REFERENCES documents(rowid),
    start INTEGER NOT NULL,
    end   INTEGER NOT NULL,
    text  TEXT NOT NULL,
    type  TEXT NOT NULL,  -- DATE | TIME | DURATION | SET
    value TEXT NOT NULL,
    mod   TEXT NOT NULL DEFAULT '',        -- TIMEX3 mod (START, MID, END, APPROX …) or ''
    range_end TEXT NOT NULL DEFAULT '',    -- a range's last point ("June/July": 1987-07) or ''
    first_day TEXT NOT NULL DEFAULT '',    -- the calendar days it covers ("197": 1970-01-01 …
    last_day  TEXT NOT NULL DEFAULT '',    -- 1979-12-31), '' when none (P3Y, PAST_REF)
    PRIMARY KEY (doc, start)
) WITHOUT ROWID;

-- Stored in date order (the primary key): a timeline page reads its window's rows, item and
-- filter columns included, as one range of the table, with no lookup per row and no second copy
-- of the rendered items in a covering index (Reuters: 23 MB, and a third of a page's time was
-- the lookups). rowid is the event's number, given by the build in the order it writes them.
CREATE TABLE events (
    rowid       INTEGER NOT NULL,
    id          TEXT NOT NULL UNIQUE,   -- <document id>:<timex start>
    date        TEXT NOT NULL,          -- ISO date at its precision
    precision   TEXT NOT NULL,
    doc         INTEGER NOT NULL REFERENCES documents(rowid),
    sentence    INTEGER NOT NULL,
    timex_start INTEGER NOT NULL,
    timex_end   INTEGER NOT NULL,
    timex_text  TEXT NOT NULL,
    timex_value TEXT NOT NULL,
    -- the calendar days of the date (a month event all of its month) and the last day of the
    -- range it opens ("June/July": the end of July; = last_day for no range): from/to windows
    -- keep the events within them, or with match=overlap those that meet them
    first_day      TEXT NOT NULL,
    last_day       TEXT NOT NULL,
    range_last_day TEXT NOT NULL,
    item           TEXT,          -- the representation, JSON rendered at build time
    PRIMARY KEY (date, rowid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_by_rowid ON events(rowid);
CREATE INDEX events_by_first_day ON events(first_day);
CREATE INDEX events_by_range_last_day ON events(range_last_day);
CREATE INDEX events_by_doc ON events(doc, date, rowid);

CREATE TABLE event_entities (
    event  INTEGER NOT NULL REFERENCES events(rowid),
    entity INTEGER NOT NULL REFERENCES entities(rowid),
    PRIMARY KEY (event, entity)
) WITHOUT ROWID;
CREATE INDEX event_entities_by_entity ON event_entities(entity, event);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
) WITHOUT ROWID;

-- ---- Build-time summaries (store/summaries.c): what a request would otherwise count or scan ----

-- Case-folded word starts of every entity name and alias ("xi jinping", "jinping"), so
-- /v1/entities?q= is one range scan of this key, never a LIKE over every name.
CREATE TABLE entity_keys (
    key    TEXT NOT NULL,
    entity INTEGER NOT NULL REFERENCES entities(rowid),
    PRIMARY KEY (key, entity)
) WITHOUT ROWID;

-- Every prefix of 1 to 6 (ENTITY_PREFIX_CHARS, conn.h) characters of those keys, with the entities it finds
-- in list order (rank), so ?q= of up to that many characters reads one page in index order and
-- never sorts every candidate.
CREATE TABLE entity_prefixes (
    prefix TEXT NOT NULL,
    rank   INTEGER NOT NULL,  -- entities.rank
    entity INTEGER NOT NULL REFERENCES entities(rowid),
    type   TEXT NOT NULL,
    PRIMARY KEY (prefix, rank)
) WITHOUT ROWID;

-- The documents that mention each entity, in list order (publication date, id): a page of
-- /v1/documents?entity= (with from/to) is one index range, whatever the entity's fame.
CREATE TABLE entity_documents (
    entity    INTEGER NOT NULL REFERENCES entities(rowid),
    published TEXT NOT NULL,
    id        TEXT NOT NULL,
    doc       INTEGER NOT NULL REFERENCES documents(rowid),
    PRIMARY KEY (entity, published, id)
) WITHOUT ROWID;

-- Documents per publication date (and per publisher and date): list totals are sums of a few rows.
CREATE TABLE published_counts (
    published TEXT PRIMARY KEY,
    n         INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE source_published_counts (
    source    TEXT NOT NULL,
    published TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (source, published)
) WITHOUT ROWID;

-- Events per date and precision: timeline totals likewise.
CREATE TABLE event_date_counts (
    date           TEXT NOT NULL,
    precision      TEXT NOT NULL,
    first_day      TEXT NOT NULL, -- the window columns of events: the same filters apply here
    last_day       TEXT NOT NULL,
    range_last_day TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (date, precision, first_day, last_day, range_last_day)
) WITHOUT ROWID;
CREATE INDEX event_date_counts_by_range_last_day ON event_date_counts(range_last_day);

-- Exact ranked search for the most frequent terms (FTS5 would score every match per request):
-- the number of documents holding the term and its first ranked hits, as /v1/search shows them.
CREATE TABLE search_terms (
    term      TEXT PRIMARY KEY,  -- as the FTS5 tokenizer folds it
    documents INTEGER NOT NULL,
    ranked    INTEGER NOT NULL   -- rows kept in search_top
) WITHOUT ROWID;
CREATE TABLE search_top (
    term    TEXT NOT NULL,
    rank    INTEGER NOT NULL,    -- 0 = best
    doc     INTEGER NOT NULL REFERENCES documents(rowid),
    score   REAL NOT NULL,       -- bm25, lower is better
    snippet TEXT NOT NULL,
    PRIMARY KEY (term, rank)
) WITHOUT ROWID;

-- The documents and the events that mention an entity of each type (PERSON, ORG, LOC, MISC), so
-- that a ?type= filter is one index range, never a walk over the entities of the type.
CREATE TABLE type_documents (
    type TEXT NOT NULL,
    doc  INTEGER NOT NULL REFERENCES documents(rowid),
    PRIMARY KEY (type, doc)
) WITHOUT ROWID;
CREATE TABLE type_events (
    type  TEXT NOT NULL,
    event INTEGER NOT NULL REFERENCES events(rowid),
    PRIMARY KEY (type, event)
) WITHOUT ROWID;
-- ---- Near-duplicates and facets (store/duplicates.c, store/facets.c) ----

-- Near-duplicate groups (ingest/resolve/duplicates.c): every document of a group of two or more
-- with its group's representative (the earliest published, then the least id). A document
-- without near-duplicates has no row.
CREATE TABLE duplicates (
    doc            INTEGER PRIMARY KEY REFERENCES documents(rowid),
    representative INTEGER NOT NULL REFERENCES documents(rowid)
);
CREATE INDEX duplicates_by_representative ON duplicates(representative, doc);

-- The entity types each document mentions, as bits (1 PERSON, 2 ORG, 4 LOC, 8 MISC): the `type`
-- facet sums them over the listed documents instead of joining through their entities.
CREATE TABLE document_types (
    doc   INTEGER PRIMARY KEY REFERENCES documents(rowid),
    types INTEGER NOT NULL
);
-- Documents per publication date, publisher and type bits: the source, year, month and type
-- facets of a list filtered by nothing but source and dates are sums over these few rows.
CREATE TABLE facet_counts (
    published TEXT NOT NULL,
    source    TEXT,
    types     INTEGER NOT NULL,
    n         INTEGER NOT NULL
);
-- The `entity` facet: a filtered list's entities come from its documents' rows here, an
-- unfiltered list's are the entities in document_count order.
CREATE INDEX entity_documents_by_doc ON entity_documents(doc, entity);
CREATE INDEX entities_by_documents ON entities(document_count DESC, id);
