-- byline archive schema, version 3: every kind of source, WordPress's own
-- records, and one post for one piece however many sources it came from.
--
-- Sources now say what the readers found around their posts: a web-archive
-- capture's original address and time, the site's address and title.
--
-- A post keeps one version per source (its blocks, as before) plus, per
-- source, what that source said about it (post_sources: address, date,
-- status, outlet, and how the source was matched to the post: first found,
-- the same text, or a near-duplicate with its similarity).  The posts row
-- holds the values chosen from those versions; post_choices names the source
-- each group of fields was taken from when the post has several.
--
-- WordPress records are kept whole: comments (never published), attachments,
-- authors, post meta, the body HTML as the source wrote it (sanitised), and
-- categories with their slug, parent and description.
--
-- post_signatures keeps a MinHash signature of each version's running text,
-- so near-duplicate detection is incremental: a new import compares its posts
-- with the stored signatures instead of re-reading every post.
--
-- Only publish, not password-protected, of type "post" is public: the site's
-- covering index gains protected and post_type so the build still reads no
-- post rows.

ALTER TABLE sources ADD COLUMN original_url TEXT;   -- a web-archive capture: the address it captured
ALTER TABLE sources ADD COLUMN captured_at TEXT;    -- a web-archive capture: when (ISO 8601)
ALTER TABLE sources ADD COLUMN site_url TEXT;       -- the site the file came from, where it says
ALTER TABLE sources ADD COLUMN site_title TEXT;

ALTER TABLE posts ADD COLUMN post_type TEXT NOT NULL DEFAULT 'post';  -- post | page | a custom type
ALTER TABLE posts ADD COLUMN published_at TEXT;     -- ISO 8601, with its offset when the source gave one
ALTER TABLE posts ADD COLUMN excerpt TEXT;          -- a manual excerpt or summary
ALTER TABLE posts ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN protected INTEGER NOT NULL DEFAULT 0;  -- password-protected: never public
ALTER TABLE posts ADD COLUMN url TEXT;              -- the post's own address where it was published
ALTER TABLE posts ADD COLUMN guid TEXT;
ALTER TABLE posts ADD COLUMN original_id TEXT;      -- its id where it came from (a WordPress post ID)

-- What each source said about the post it shows.  status is NULL for kinds
-- that carry none (HTML pages, feeds, archive text: what is seen is published).
ALTER TABLE post_sources ADD COLUMN url TEXT;
ALTER TABLE post_sources ADD COLUMN published TEXT;         -- ISO date
ALTER TABLE post_sources ADD COLUMN published_at TEXT;
ALTER TABLE post_sources ADD COLUMN outlet_id INTEGER REFERENCES outlets(id);
ALTER TABLE post_sources ADD COLUMN status TEXT;
ALTER TABLE post_sources ADD COLUMN protected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post_sources ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post_sources ADD COLUMN post_type TEXT NOT NULL DEFAULT 'post';
ALTER TABLE post_sources ADD COLUMN excerpt TEXT;
ALTER TABLE post_sources ADD COLUMN guid TEXT;
ALTER TABLE post_sources ADD COLUMN original_id TEXT;
ALTER TABLE post_sources ADD COLUMN words INTEGER NOT NULL DEFAULT 0;       -- running text, in words
ALTER TABLE post_sources ADD COLUMN has_preface INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post_sources ADD COLUMN matched TEXT NOT NULL DEFAULT 'first'
    CHECK (matched IN ('first', 'same', 'near', 'split'));  -- how this source was found to show the post
ALTER TABLE post_sources ADD COLUMN similarity REAL;        -- near: rapidfuzz token_set_ratio of the texts
ALTER TABLE post_sources ADD COLUMN title_similarity REAL;

UPDATE post_sources SET matched = 'same'
WHERE source_id != (SELECT p.source_id FROM posts p WHERE p.id = post_sources.post_id);
UPDATE post_sources SET outlet_id = (SELECT p.outlet_id FROM posts p
    WHERE p.id = post_sources.post_id AND p.outlet_source_id = post_sources.source_id);
UPDATE post_sources SET
    published = (SELECT p.published FROM posts p WHERE p.id = post_sources.post_id),
    words = (SELECT length(p.body) - length(replace(p.body, ' ', '')) + 1
             FROM posts p WHERE p.id = post_sources.post_id),
    has_preface = EXISTS (SELECT 1 FROM blocks b WHERE b.post_id = post_sources.post_id
                          AND b.source_id = post_sources.source_id AND b.role = 'preface');

-- Every version's content key, so a source already stored is recognised by its text.
CREATE TABLE post_keys (
    key       TEXT    PRIMARY KEY,
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id)
);
CREATE INDEX post_keys_post ON post_keys(post_id);
INSERT OR IGNORE INTO post_keys (key, post_id, source_id) SELECT content_key, id, source_id FROM posts;

-- Which source each group of a merged post's fields was taken from (absent:
-- the page the post was first found on, for all of them).
CREATE TABLE post_choices (
    post_id           INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    piece_source_id   INTEGER NOT NULL REFERENCES sources(id),  -- headline, standfirst, body, captions, notes, bio
    preface_source_id INTEGER REFERENCES sources(id),           -- the writer's note
    record_source_id  INTEGER NOT NULL REFERENCES sources(id)   -- status, type, excerpt, stickiness, address
);

CREATE TABLE post_signatures (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    minhash   BLOB    NOT NULL,  -- 128 little-endian uint32: datasketch MinHash, scheme affine32
    PRIMARY KEY (post_id, source_id)
);

CREATE TABLE post_bodies (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    html      TEXT    NOT NULL,  -- sanitised with nh3 before it was stored
    PRIMARY KEY (post_id, source_id)
);

ALTER TABLE terms ADD COLUMN slug TEXT;
ALTER TABLE terms ADD COLUMN parent_id INTEGER REFERENCES terms(id) ON DELETE SET NULL;
ALTER TABLE terms ADD COLUMN description TEXT NOT NULL DEFAULT '';

CREATE TABLE authors (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,         -- display name, as first seen
    key   TEXT NOT NULL UNIQUE,  -- folded name
    login TEXT,
    email TEXT
);

CREATE TABLE post_authors (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    seq       INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (post_id, source_id, seq)
);
CREATE INDEX post_authors_author ON post_authors(author_id);

-- Readers' comments from an export: kept, never published.
CREATE TABLE comments (
    post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id    INTEGER NOT NULL REFERENCES sources(id),
    seq          INTEGER NOT NULL,
    original_id  TEXT    NOT NULL,
    parent       TEXT,                -- the original id of the comment it answers
    author       TEXT    NOT NULL,
    author_email TEXT    NOT NULL DEFAULT '',
    author_url   TEXT    NOT NULL DEFAULT '',
    html         TEXT    NOT NULL,    -- sanitised
    published_at TEXT,
    status       TEXT    NOT NULL,    -- WordPress comment_approved: 1, 0, spam, trash
    kind         TEXT    NOT NULL,    -- comment | pingback | trackback
    PRIMARY KEY (post_id, source_id, seq)
);

-- Media: filed under a post, or (post_id NULL) under none.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER REFERENCES posts(id) ON DELETE CASCADE,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    seq         INTEGER NOT NULL,
    url         TEXT    NOT NULL,
    caption     TEXT,
    title       TEXT,
    alt         TEXT,
    description TEXT,
    original_id TEXT,
    status      TEXT    NOT NULL DEFAULT 'inherit'
);
CREATE INDEX attachments_post ON attachments(post_id);
CREATE INDEX attachments_source ON attachments(source_id);

CREATE TABLE post_meta (
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    seq       INTEGER NOT NULL,
    key       TEXT    NOT NULL,       -- _wp_old_slug values are kept here too
    value     TEXT    NOT NULL,
    PRIMARY KEY (post_id, source_id, seq)
);

-- A post's first page and its terms are written with the post itself, so they
-- need not raise the revision of a row that was just made (each raise rewrites
-- the row, body and all); a later page showing the post, or filing it under a
-- term, still does.
DROP TRIGGER posts_revision_on_source;
CREATE TRIGGER posts_revision_on_source AFTER INSERT ON post_sources
WHEN new.source_id != (SELECT source_id FROM posts WHERE id = new.post_id)
BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

DROP TRIGGER posts_revision_on_term_added;
CREATE TRIGGER posts_revision_on_term_added AFTER INSERT ON post_terms
WHEN new.source_id != (SELECT source_id FROM posts WHERE id = new.post_id)
BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

-- Choosing another source for a merged post's fields changes its page.
CREATE TRIGGER posts_revision_on_choice_insert AFTER INSERT ON post_choices BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

CREATE TRIGGER posts_revision_on_choice_update AFTER UPDATE ON post_choices BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

CREATE TRIGGER posts_revision_on_choice_delete AFTER DELETE ON post_choices BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = old.post_id;
END;

CREATE TRIGGER posts_revision_on_author_added AFTER INSERT ON post_authors
WHEN new.source_id != (SELECT source_id FROM posts WHERE id = new.post_id)
BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

CREATE TRIGGER posts_revision_on_term_moved AFTER UPDATE OF post_id ON post_terms BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id IN (old.post_id, new.post_id);
END;

DROP INDEX posts_site;
CREATE INDEX posts_site ON posts(
    status, protected, post_type, published, source_id, position, revision, outlet_id,
    created_at, slug, title
);
