-- byline archive schema, version 4: what enrichment found in each post.
--
-- The entities a post names (linked through the knowledge file), where each
-- is mentioned, the names nobody has listed yet, the figures and dates the
-- text states, and an estimated publication date for posts whose page gives
-- none.  docs/knowledge.md describes the indexing; every row here can be made
-- again from the posts and the knowledge file (`byline index --full`).
--
-- Only tables are added, referring to posts alone, so this migration does not
-- depend on version 3 and may be applied before or after it.  Nothing here
-- fires the posts.revision triggers: indexing a post does not change its page.

-- The knowledge entries the archive was last indexed with: what a later
-- re-index compares the knowledge file against (digests) and which spellings
-- it probes the posts' text for.  Ignored phrases are kept too (type 'ignore').
CREATE TABLE knowledge_entries (
    seq        INTEGER PRIMARY KEY,            -- order first seen: the earlier entry keeps a shared slug
    id         TEXT    NOT NULL UNIQUE,        -- Entity.id: "country/kz", "person/xi-jinping"
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL,               -- country | place | person | organisation | initiative | ignore
    qid        TEXT,                           -- Wikidata, where the file gives one
    country_id TEXT,
    aliases    TEXT    NOT NULL DEFAULT '[]',  -- JSON list: other names, linked without conditions
    spellings  TEXT    NOT NULL DEFAULT '[]',  -- JSON list: every surface form (Knowledge.spellings_of)
    digest     TEXT    NOT NULL                -- Knowledge.digests[id]: changes with the entry
);

-- Settings of the last indexing run: knowledge_version, knowledge_path.
CREATE TABLE enrichment_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per indexed post: what it was indexed from.
CREATE TABLE post_enrichment (
    post_id           INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    revision          INTEGER NOT NULL,        -- posts.revision when indexed: a later write re-indexes it
    fingerprint       TEXT    NOT NULL,        -- text, rules and the touched entries' digests, hashed
    rules_version     TEXT    NOT NULL,
    knowledge_version TEXT    NOT NULL,
    touched           TEXT    NOT NULL,        -- JSON list: entries that matched or could have
    indexed_at        TEXT    NOT NULL         -- ISO 8601 UTC: when the rows below were written
);

-- PostEntity: an entity's total in one post.
CREATE TABLE post_entities (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    entity_id TEXT    NOT NULL,
    rank      INTEGER NOT NULL,                -- the post's own order: most mentioned first
    count     INTEGER NOT NULL,
    roles     TEXT    NOT NULL,                -- JSON list: the post parts it is named in
    surfaces  TEXT    NOT NULL,                -- JSON list: the spellings used
    PRIMARY KEY (post_id, entity_id)
) WITHOUT ROWID;                               -- the key is the table: no second copy of it
CREATE INDEX post_entities_entity ON post_entities(entity_id);

-- BlockMention: each place a post names an entity (line of its first page,
-- character offsets in that line's text).
CREATE TABLE mentions (
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    entity_id  TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    line       INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    surface    TEXT    NOT NULL,
    via        TEXT    NOT NULL                -- name | short | demonym | metonym | implied | pattern
);
CREATE INDEX mentions_post ON mentions(post_id);

-- Candidate: a capitalised name the knowledge file does not know, for review.
CREATE TABLE unlinked_names (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    surface TEXT    NOT NULL,
    count   INTEGER NOT NULL,
    roles   TEXT    NOT NULL,                  -- JSON list
    example TEXT    NOT NULL                   -- the sentence it was first seen in
);
CREATE INDEX unlinked_names_post ON unlinked_names(post_id);

-- Figure: money, a percentage or a count the text states.
CREATE TABLE figures (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('money', 'percent', 'count')),
    text       TEXT    NOT NULL,               -- as written: "US$280 million"
    value      REAL    NOT NULL,               -- normalised: 280000000
    number     REAL    NOT NULL,               -- as written, before the scale: 280
    scale      TEXT,
    currency   TEXT,                           -- ISO 4217, for money
    unit       TEXT,                           -- what a count counts; "%" for percentages
    sentence   TEXT    NOT NULL,
    role       TEXT,
    line       INTEGER,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL
);
CREATE INDEX figures_post ON figures(post_id);

-- The entities named in a figure's sentence: "figures about" an entity.
CREATE TABLE figure_entities (
    figure_id INTEGER NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
    entity_id TEXT    NOT NULL,
    PRIMARY KEY (figure_id, entity_id)
);
CREATE INDEX figure_entities_entity ON figure_entities(entity_id);

-- DateMention: a date the text mentions, as the span of days it can mean.
CREATE TABLE date_mentions (
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    text        TEXT    NOT NULL,
    earliest    TEXT    NOT NULL,              -- ISO dates
    latest      TEXT    NOT NULL,
    granularity TEXT    NOT NULL,              -- day | month | year
    tense       TEXT    NOT NULL,              -- past | future | unknown
    relative    INTEGER NOT NULL,              -- 1 when the year came from the post's date
    sentence    TEXT    NOT NULL,
    role        TEXT,
    line        INTEGER,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL
);
CREATE INDEX date_mentions_post ON date_mentions(post_id);

-- PublicationDate for a post whose page states no date: an interval with its evidence.
CREATE TABLE publication_estimates (
    post_id  INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    earliest TEXT,                             -- ISO date, or NULL when nothing bounds it
    latest   TEXT,
    conflict INTEGER NOT NULL,                 -- 1 when the evidence contradicts itself
    evidence TEXT    NOT NULL                  -- JSON list of {bound, value, source, detail}
);
