-- byline archive schema, version 2: what publishing a site incrementally needs.
--
-- posts.revision goes up on every write that changes what a post's page shows,
-- so a site build can tell which posts changed since it last ran without
-- reading them.  Triggers do the counting, so every write path (an import's
-- merge today, an editor or another importer later) keeps it right without
-- having to remember to.  Blocks are always inserted together with their
-- post_sources row, which bumps the revision once rather than once per line.
--
-- post_urls keeps the addresses a post had before it came here (a WordPress
-- export's old permalinks and _wp_old_slug values), fed by importers, so a
-- published site can redirect them.

ALTER TABLE posts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

CREATE TABLE post_urls (
    id        INTEGER PRIMARY KEY,
    post_id   INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    url       TEXT    NOT NULL UNIQUE,        -- an old path or full URL; the first post to claim it keeps it
    source_id INTEGER REFERENCES sources(id)  -- the import that said so
);
CREATE INDEX post_urls_post ON post_urls(post_id);

-- Any change to a post's own row (outlet or date filled in, an edit) except
-- the revision itself.
CREATE TRIGGER posts_revision_on_update AFTER UPDATE ON posts
WHEN new.revision = old.revision
BEGIN
    UPDATE posts SET revision = old.revision + 1 WHERE id = new.id;
END;

-- A new page showing the post (with its own version of the post's blocks).
CREATE TRIGGER posts_revision_on_source AFTER INSERT ON post_sources BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

CREATE TRIGGER posts_revision_on_block_edit AFTER UPDATE ON blocks BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id IN (old.post_id, new.post_id);
END;

CREATE TRIGGER posts_revision_on_block_delete AFTER DELETE ON blocks BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = old.post_id;
END;

CREATE TRIGGER posts_revision_on_term_added AFTER INSERT ON post_terms BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = new.post_id;
END;

CREATE TRIGGER posts_revision_on_term_removed AFTER DELETE ON post_terms BEGIN
    UPDATE posts SET revision = revision + 1 WHERE id = old.post_id;
END;

-- A renamed category, tag or outlet changes every page that names it.
CREATE TRIGGER posts_revision_on_term_rename AFTER UPDATE OF name ON terms BEGIN
    UPDATE posts SET revision = revision + 1
    WHERE id IN (SELECT post_id FROM post_terms WHERE term_id = new.id);
END;

CREATE TRIGGER posts_revision_on_outlet_rename AFTER UPDATE OF name ON outlets BEGIN
    UPDATE posts SET revision = revision + 1 WHERE outlet_id = new.id;
END;

-- What a site build reads for every post, in one covering index: the build
-- then never touches the wide rows (their bodies), which keeps a rebuild
-- after one change fast however many posts there are.
CREATE INDEX posts_site ON posts(
    status, published, source_id, position, revision, outlet_id, created_at, slug, title
);
