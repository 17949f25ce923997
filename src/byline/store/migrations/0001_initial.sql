-- byline archive schema, version 1.
--
-- Every stored value can say where it came from: a post's blocks carry the
-- source file and line they were read from, post_sources carries the line
-- range and position of each page a post was found on, and the links that a
-- later page added (a tag, a filled-in outlet or date) name that page.
-- A post's headline, standfirst and body columns are those of the page it
-- was first found on (posts.source_id); they feed the search index.

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT    NOT NULL UNIQUE,  -- identity of a page: its bytes, not its name
    path         TEXT    NOT NULL,         -- where it was first imported from
    kind         TEXT    NOT NULL,         -- "archive-text"; later "wxr", "html", "feed"
    encoding     TEXT,
    title        TEXT,                     -- the page's own heading line, as written
    title_line   INTEGER,
    archive_kind TEXT,                     -- category | tag | author | date | archive
    archive_name TEXT,
    imported_at  TEXT    NOT NULL          -- ISO 8601, UTC
);

CREATE TABLE outlets (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key  TEXT NOT NULL UNIQUE              -- folded name: case, accents, a leading "the"
);

CREATE TABLE outlet_aliases (
    outlet_id INTEGER NOT NULL REFERENCES outlets(id) ON DELETE CASCADE,
    alias     TEXT    NOT NULL,
    key       TEXT    NOT NULL UNIQUE
);

CREATE TABLE posts (
    id                  INTEGER PRIMARY KEY,
    content_key         TEXT    NOT NULL UNIQUE,  -- Post.content_key: identity by content
    headline            TEXT,
    title               TEXT    NOT NULL,         -- headline, or the start of the text
    slug                TEXT    NOT NULL UNIQUE,
    outlet_id           INTEGER REFERENCES outlets(id),
    outlet_source_id    INTEGER REFERENCES sources(id),
    published           TEXT,                     -- ISO date
    published_source_id INTEGER REFERENCES sources(id),
    status              TEXT    NOT NULL
        CHECK (status IN ('publish', 'future', 'draft', 'pending', 'private')),
    standfirst          TEXT,
    body                TEXT    NOT NULL,         -- body and headings, for search
    source_id           INTEGER NOT NULL REFERENCES sources(id),  -- page it was first found on
    line_start          INTEGER NOT NULL,
    line_end            INTEGER NOT NULL,
    position            INTEGER NOT NULL,         -- index of the post on that page
    created_at          TEXT    NOT NULL
);
CREATE INDEX posts_published ON posts(published);
CREATE INDEX posts_outlet ON posts(outlet_id);

-- A post's paragraphs as each page showed them: a post found on a category
-- page and a tag page keeps both versions (one may carry a date line or a
-- different preface), so either archive can be shown as its page was.
CREATE TABLE blocks (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    seq       INTEGER NOT NULL,               -- order within the post on that page, from 0
    role      TEXT    NOT NULL,
    text      TEXT    NOT NULL,               -- the line as written, spacing kept
    line      INTEGER NOT NULL,               -- 1-based line in that source
    PRIMARY KEY (post_id, source_id, seq)
);

CREATE TABLE terms (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('category', 'tag')),
    name TEXT NOT NULL,                       -- the spelling first seen
    key  TEXT NOT NULL,                       -- folded, so variants are one term
    UNIQUE (kind, key)
);

CREATE TABLE post_terms (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    term_id   INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),  -- the page that filed it there
    PRIMARY KEY (post_id, term_id)
);
CREATE INDEX post_terms_term ON post_terms(term_id);

CREATE TABLE post_sources (
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    line_start INTEGER NOT NULL,
    line_end   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (post_id, source_id)
);
CREATE INDEX post_sources_source ON post_sources(source_id);

-- Full-text index over the posts table (external content: no second copy).
CREATE VIRTUAL TABLE posts_fts USING fts5(
    headline, standfirst, body,
    content = 'posts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts(rowid, headline, standfirst, body)
    VALUES (new.id, new.headline, new.standfirst, new.body);
END;

CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, headline, standfirst, body)
    VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
END;

CREATE TRIGGER posts_fts_update AFTER UPDATE OF headline, standfirst, body ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, headline, standfirst, body)
    VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
    INSERT INTO posts_fts(rowid, headline, standfirst, body)
    VALUES (new.id, new.headline, new.standfirst, new.body);
END;
