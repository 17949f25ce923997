"""Enrichment in the SQLite store: the tables of migration 0004, written and read.

A mixin of :class:`~byline.store.SQLiteStore`: it uses the store's connection
(``_read`` for reading, ``_connect(create=True)`` for writing) and keeps every
SQL statement about entities, figures and dates here.  Each ``save_*`` call is
one transaction.  Lists (roles, spellings, touched ids, evidence) are JSON.
"""

from __future__ import annotations

import json
import sqlite3
from abc import abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from byline.errors import StoreError
from byline.model import fold
from byline.store._base import PUBLIC_STATUSES
from byline.store._entity_base import (
    IGNORE_TYPE,
    CoMention,
    DateEstimate,
    EnrichmentState,
    EntityInfo,
    EntityMention,
    EntitySiteIndex,
    EntityStore,
    EntitySummary,
    EstimateEvidence,
    KnowledgeEntry,
    MentioningPost,
    PostEnrichment,
    PostMention,
    PostState,
    StoredFigure,
    UnlinkedName,
)
from byline.store._errors import translated

if TYPE_CHECKING:
    from byline.enrich import PostIndex

ID_CHUNK = 500  # ids per "IN (...)" list; well under SQLite's bound-variable limit
POST_TABLES = ("post_entities", "mentions", "unlinked_names", "figures", "date_mentions")


def _json(items: Sequence[Any]) -> str:
    return json.dumps(list(items), ensure_ascii=False, separators=(",", ":"))


def _strings(value: str | None) -> tuple[str, ...]:
    return tuple(str(v) for v in json.loads(value)) if value else ()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _chunks(ids: Sequence[Any]) -> Iterator[list[Any]]:
    items = list(ids)
    for start in range(0, len(items), ID_CHUNK):
        yield items[start : start + ID_CHUNK]


def _public_filter(conn: sqlite3.Connection, include_all: bool) -> tuple[str, list[Any]]:
    """SQL (over ``posts p``) for the posts a reader of the blog would see.

    Published, and, where the schema records them (migration 3), neither
    password-protected nor anything but a post: the same posts the site shows.
    """
    if include_all:
        return "1", []
    marks = ",".join("?" * len(PUBLIC_STATUSES))
    where = f"p.status IN ({marks})"
    columns = {row[1] for row in conn.execute("PRAGMA table_info(posts)")}
    if "protected" in columns:
        where += " AND p.protected = 0"
    if "post_type" in columns:
        where += " AND p.post_type = 'post'"
    return where, list(PUBLIC_STATUSES)


class SQLiteEntities(EntityStore):
    """Enrichment tables for :class:`~byline.store.SQLiteStore` (mixed in)."""

    path: Path
    _conn: sqlite3.Connection | None

    @abstractmethod
    def _connect(self, create: bool) -> sqlite3.Connection: ...

    @abstractmethod
    def _read(self) -> sqlite3.Connection: ...

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        conn = self._connect(create=True)
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work(conn)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: enrichment could not be stored ({exc})") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return result

    # -- indexing ---------------------------------------------------------------

    @translated
    def enrichment_state(self) -> EnrichmentState:
        conn = self._read()
        posts = tuple(
            PostState(
                row[0],
                row[1],
                row[2],
                bool(row[3]),
                row[4],
                row[5],
                row[6],
                _strings(row[7]),
            )
            for row in conn.execute(
                "SELECT p.id, p.revision, p.source_id, p.published IS NOT NULL, e.revision,"
                " e.fingerprint, e.rules_version, e.touched"
                " FROM posts p LEFT JOIN post_enrichment e ON e.post_id = p.id ORDER BY p.id"
            )
        )
        digests: dict[str, str] = {}
        spellings: dict[str, tuple[str, ...]] = {}
        for entry_id, digest, spelt in conn.execute(
            "SELECT id, digest, spellings FROM knowledge_entries"
        ):
            if digest:  # "" marks an entry stored ahead of an unfinished run
                digests[entry_id] = digest
                spellings[entry_id] = _strings(spelt)
        meta = dict(conn.execute("SELECT key, value FROM enrichment_meta").fetchall())
        return EnrichmentState(posts, digests, spellings, meta)

    def save_enrichment(self, items: Sequence[PostEnrichment], indexed_at: str) -> int:
        def work(conn: sqlite3.Connection) -> int:
            replaced = 0
            for item in items:
                if not conn.execute("SELECT 1 FROM posts WHERE id = ?", (item.post_id,)).fetchone():
                    continue  # removed since it was read: nothing to index
                if item.index is None:
                    conn.execute(
                        "UPDATE post_enrichment SET revision = ?, knowledge_version = ?,"
                        " touched = ? WHERE post_id = ?",
                        (item.revision, item.knowledge_version, _json(item.touched), item.post_id),
                    )
                    continue
                _replace_rows(conn, item.post_id, item.index)
                conn.execute(
                    "INSERT OR REPLACE INTO post_enrichment (post_id, revision, fingerprint,"
                    " rules_version, knowledge_version, touched, indexed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        item.post_id,
                        item.revision,
                        item.fingerprint,
                        item.rules_version,
                        item.knowledge_version,
                        _json(item.touched),
                        indexed_at,
                    ),
                )
                replaced += 1
            return replaced

        return cast(int, self._transaction(work))

    def save_knowledge(
        self, entries: Sequence[KnowledgeEntry], meta: Mapping[str, str], *, final: bool = True
    ) -> int:
        """Store the knowledge entries; ``final=False`` stores names only (see below).

        Before a run writes any post, the entries are stored with their names
        (new ones with an empty digest), so every entity a post names can be
        shown at once; the digests and spellings, which the next run plans
        with, are stored only when every post has been indexed (``final``), so
        a run that stops half-way is planned again in full.
        """

        def work(conn: sqlite3.Connection) -> int:
            stored = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT id, name, type, qid, country_id, aliases, digest, spellings"
                    " FROM knowledge_entries"
                )
            }
            changed = 0
            for entry in entries:
                display = (
                    entry.name,
                    entry.type,
                    entry.qid,
                    entry.country_id,
                    _json(entry.aliases),
                )
                old = stored.get(entry.id)
                # What the next run plans with changes only at the end of a run.
                if final:
                    planning = (entry.digest, _json(entry.spellings))
                else:
                    planning = old[5:] if old else ("", "[]")
                row = (*display, *planning)
                if old == row:
                    continue
                conn.execute(
                    "INSERT INTO knowledge_entries (id, name, type, qid, country_id, aliases,"
                    " digest, spellings) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
                    " SET name = excluded.name, type = excluded.type, qid = excluded.qid,"
                    " country_id = excluded.country_id, aliases = excluded.aliases,"
                    " digest = excluded.digest, spellings = excluded.spellings",
                    (entry.id, *row),
                )
                changed += 1
            if final:
                gone = set(stored) - {entry.id for entry in entries}
                for chunk in _chunks(sorted(gone)):
                    marks = ",".join("?" * len(chunk))
                    conn.execute(f"DELETE FROM knowledge_entries WHERE id IN ({marks})", chunk)
                changed += len(gone)
                conn.executemany(
                    "INSERT OR REPLACE INTO enrichment_meta (key, value) VALUES (?, ?)",
                    sorted(meta.items()),
                )
            return changed

        return cast(int, self._transaction(work))

    def save_estimates(self, estimates: Mapping[int, DateEstimate | None]) -> None:
        def work(conn: sqlite3.Connection) -> None:
            for post_id, estimate in sorted(estimates.items()):
                if estimate is None:
                    conn.execute("DELETE FROM publication_estimates WHERE post_id = ?", (post_id,))
                    continue
                evidence = [
                    {
                        "bound": e.bound,
                        "value": str(e.value),
                        "source": e.source,
                        "detail": e.detail,
                    }
                    for e in estimate.evidence
                ]
                conn.execute(
                    "INSERT OR REPLACE INTO publication_estimates"
                    " (post_id, earliest, latest, conflict, evidence)"
                    " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM posts WHERE id = ?)",
                    (
                        post_id,
                        estimate.earliest.isoformat() if estimate.earliest else None,
                        estimate.latest.isoformat() if estimate.latest else None,
                        int(estimate.conflict),
                        _json(evidence),
                        post_id,
                    ),
                )

        self._transaction(work)

    @translated
    def page_posts(self, source_ids: Sequence[int]) -> dict[int, list[int]]:
        conn = self._read()
        found: dict[int, list[int]] = {}
        for chunk in _chunks(sorted(set(source_ids))):
            marks = ",".join("?" * len(chunk))
            for source_id, post_id in conn.execute(
                "SELECT source_id, post_id FROM post_sources"
                f" WHERE source_id IN ({marks}) ORDER BY source_id, position, post_id",
                chunk,
            ):
                found.setdefault(source_id, []).append(post_id)
        return found

    # -- reading ------------------------------------------------------------------

    @translated
    def entity_entries(self) -> list[EntityInfo]:
        conn = self._read()
        return [
            EntityInfo(row[0], row[1], row[2], row[3], row[4], _strings(row[5]), _strings(row[6]))
            for row in conn.execute(
                "SELECT id, name, type, qid, country_id, aliases, spellings FROM knowledge_entries"
                " WHERE type != ? ORDER BY seq",
                (IGNORE_TYPE,),
            )
        ]

    @translated
    def entity_summaries(
        self, entity_type: str | None = None, include_all: bool = False
    ) -> list[EntitySummary]:
        conn = self._read()
        where, params = _public_filter(conn, include_all)
        if entity_type:
            where += " AND k.type = ?"
            params.append(entity_type)
        return [
            EntitySummary(*row)
            for row in conn.execute(
                "SELECT pe.entity_id, k.name, k.type, count(*), sum(pe.count)"
                " FROM post_entities pe JOIN posts p ON p.id = pe.post_id"
                " JOIN knowledge_entries k ON k.id = pe.entity_id"
                f" WHERE {where} GROUP BY pe.entity_id"
                " ORDER BY count(*) DESC, sum(pe.count) DESC, k.name, pe.entity_id",
                params,
            )
        ]

    @translated
    def entity_posts(self, entity_id: str, include_all: bool = False) -> list[MentioningPost]:
        conn = self._read()
        where, params = _public_filter(conn, include_all)
        rows = conn.execute(
            "SELECT p.id, p.title, p.headline, p.slug, p.published, p.status, pe.count, pe.roles"
            " FROM post_entities pe JOIN posts p ON p.id = pe.post_id"
            f" WHERE pe.entity_id = ? AND {where} ORDER BY p.source_id, p.position, p.id",
            [entity_id, *params],
        ).fetchall()
        estimates = self.publication_estimates([row[0] for row in rows if not row[4]])
        found = [
            MentioningPost(
                post_id=row[0],
                title=row[1],
                headline=row[2],
                slug=row[3],
                published=_date(row[4]),
                status=row[5],
                count=row[6],
                roles=_strings(row[7]),
                estimate=estimates.get(row[0]),
            )
            for row in rows
        ]
        return newest_first(found)

    @translated
    def co_mentions(
        self, entity_id: str, include_all: bool = False, limit: int = 10
    ) -> list[CoMention]:
        conn = self._read()
        where, params = _public_filter(conn, include_all)
        return [
            CoMention(*row)
            for row in conn.execute(
                "SELECT o.entity_id, k.name, k.type, count(*) AS together"
                " FROM post_entities me"
                " JOIN post_entities o ON o.post_id = me.post_id AND o.entity_id != me.entity_id"
                " JOIN posts p ON p.id = me.post_id"
                " JOIN knowledge_entries k ON k.id = o.entity_id"
                f" WHERE me.entity_id = ? AND {where}"
                " GROUP BY o.entity_id ORDER BY together DESC, k.name, o.entity_id LIMIT ?",
                [entity_id, *params, limit],
            )
        ]

    @translated
    def post_mentions(self, post_id: int) -> list[PostMention]:
        conn = self._read()
        return [
            PostMention(
                entity_id=row[0],
                name=row[1],
                type=row[2],
                count=row[3],
                roles=_strings(row[4]),
                surfaces=_strings(row[5]),
                qid=row[6],
                aliases=_strings(row[7]),
            )
            for row in conn.execute(
                "SELECT pe.entity_id, k.name, k.type, pe.count, pe.roles, pe.surfaces, k.qid,"
                " k.aliases FROM post_entities pe JOIN knowledge_entries k ON k.id = pe.entity_id"
                " WHERE pe.post_id = ? ORDER BY pe.rank",
                (post_id,),
            )
        ]

    @translated
    def mention_roles(self, post_id: int) -> dict[str, dict[str, int]]:
        conn = self._read()
        found: dict[str, dict[str, int]] = {}
        for entity_id, role, count in conn.execute(
            "SELECT entity_id, role, count(*) FROM mentions WHERE post_id = ?"
            " GROUP BY entity_id, role",
            (post_id,),
        ):
            found.setdefault(entity_id, {})[role] = count
        return found

    @translated
    def post_indexed(self, post_id: int) -> bool:
        conn = self._read()
        row = conn.execute("SELECT 1 FROM post_enrichment WHERE post_id = ?", (post_id,))
        return row.fetchone() is not None

    @translated
    def figures(
        self,
        entity_ids: Sequence[str] | None = None,
        kind: str | None = None,
        include_all: bool = False,
    ) -> list[StoredFigure]:
        conn = self._read()
        where, params = _public_filter(conn, include_all)
        if kind:
            where += " AND f.kind = ?"
            params.append(kind)
        # The last three columns only order the figures: page order, then the text's.
        select = (
            "SELECT f.id, f.post_id, p.headline, p.title, f.kind, f.text, f.value, f.number,"
            " f.scale, f.currency, f.unit, f.sentence, f.role, f.line,"
            # CROSS JOIN: figures first, so a list of figure ids is looked up by id
            # rather than tried against every post.
            " p.source_id, p.position, f.id FROM figures f CROSS JOIN posts p ON p.id = f.post_id"
        )
        rows: dict[int, tuple[Any, ...]] = {}
        if entity_ids is None:
            for row in conn.execute(f"{select} WHERE {where}", params):
                rows[row[0]] = row
        else:
            for chunk in _chunks(sorted(set(entity_ids))):
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(
                    f"{select} WHERE {where} AND f.id IN (SELECT figure_id FROM figure_entities"
                    f" WHERE entity_id IN ({marks}))",
                    [*params, *chunk],
                ):
                    rows[row[0]] = row
        named: dict[int, list[tuple[str, str]]] = {}
        for chunk in _chunks(list(rows)):
            marks = ",".join("?" * len(chunk))
            for figure_id, entity_id, name in conn.execute(
                "SELECT fe.figure_id, fe.entity_id, k.name FROM figure_entities fe"
                " JOIN knowledge_entries k ON k.id = fe.entity_id"
                f" WHERE fe.figure_id IN ({marks}) ORDER BY fe.rowid",
                chunk,
            ):
                named.setdefault(figure_id, []).append((entity_id, name))
        ordered = sorted(rows.values(), key=lambda r: (r[-3], r[-2], r[1], r[-1]))
        return [
            StoredFigure(
                id=row[0],
                post_id=row[1],
                headline=row[2],
                title=row[3],
                kind=row[4],
                text=row[5],
                value=row[6],
                number=row[7],
                scale=row[8],
                currency=row[9],
                unit=row[10],
                sentence=row[11],
                role=row[12],
                line=row[13],
                entity_ids=tuple(e for e, _ in named.get(row[0], [])),
                entity_names=tuple(n for _, n in named.get(row[0], [])),
            )
            for row in ordered
        ]

    @translated
    def unlinked_names(self, include_all: bool = False) -> list[UnlinkedName]:
        conn = self._read()
        where, params = _public_filter(conn, include_all)
        merged: dict[str, dict[str, Any]] = {}
        for surface, post_id, count, roles, example in conn.execute(
            "SELECT u.surface, u.post_id, u.count, u.roles, u.example FROM unlinked_names u"
            f" JOIN posts p ON p.id = u.post_id WHERE {where}"
            " ORDER BY p.source_id, p.position, p.id, u.rowid",
            params,
        ):
            found = merged.setdefault(
                fold(surface),
                {"surface": surface, "posts": [], "count": 0, "roles": {}, "example": example},
            )
            if post_id not in found["posts"]:
                found["posts"].append(post_id)
            found["count"] += count
            found["roles"].update(dict.fromkeys(_strings(roles)))
        names = [
            UnlinkedName(
                surface=found["surface"],
                posts=len(found["posts"]),
                count=found["count"],
                roles=tuple(found["roles"]),
                example=found["example"],
                post_ids=tuple(found["posts"]),
            )
            for found in merged.values()
        ]
        names.sort(key=lambda n: (-n.posts, -n.count, fold(n.surface)))
        return names

    @translated
    def tag_examples(self) -> list[tuple[int, tuple[str, ...], tuple[PostMention, ...]]]:
        conn = self._read()
        tags: dict[int, list[str]] = {}
        for post_id, name in conn.execute(
            "SELECT pt.post_id, t.name FROM post_terms pt JOIN terms t ON t.id = pt.term_id"
            " WHERE t.kind = 'tag' ORDER BY pt.post_id, pt.rowid"
        ):
            tags.setdefault(post_id, []).append(name)
        mentions: dict[int, list[PostMention]] = {
            row[0]: [] for row in conn.execute("SELECT post_id FROM post_enrichment")
        }
        for row in conn.execute(
            "SELECT pe.post_id, pe.entity_id, k.name, k.type, pe.count, pe.roles, pe.surfaces"
            " FROM post_entities pe JOIN knowledge_entries k ON k.id = pe.entity_id"
            " ORDER BY pe.post_id, pe.rank"
        ):
            mentions.setdefault(row[0], []).append(
                PostMention(row[1], row[2], row[3], row[4], _strings(row[5]), _strings(row[6]))
            )
        return [
            (post_id, tuple(tags.get(post_id, ())), tuple(found))
            for post_id, found in sorted(mentions.items())
        ]

    @translated
    def publication_estimates(self, post_ids: Sequence[int]) -> dict[int, DateEstimate]:
        conn = self._read()
        found: dict[int, DateEstimate] = {}
        for chunk in _chunks(sorted(set(post_ids))):
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                "SELECT post_id, earliest, latest, conflict, evidence FROM publication_estimates"
                f" WHERE post_id IN ({marks})",
                chunk,
            ):
                found[row[0]] = _estimate(row[1:])
        return found

    @translated
    def entity_mentions(self) -> list[EntityMention]:
        conn = self._read()
        rows: list[EntityMention] = conn.execute(
            "SELECT post_id, entity_id, count FROM post_entities ORDER BY post_id, rank"
        ).fetchall()
        return rows

    @translated
    def entity_site_index(self) -> EntitySiteIndex:
        conn = self._read()
        fingerprints = dict(conn.execute("SELECT post_id, fingerprint FROM post_enrichment"))
        estimates = {
            row[0]: _estimate(row[1:])
            for row in conn.execute(
                "SELECT post_id, earliest, latest, conflict, evidence FROM publication_estimates"
            )
        }
        return EntitySiteIndex(tuple(self.entity_entries()), fingerprints, estimates)


def newest_first(posts: Sequence[MentioningPost]) -> list[MentioningPost]:
    """Newest first by stated date, else by the estimate's lower bound (which the
    post is no older than, so it goes first on the same day); posts with
    neither last; otherwise in the order given (page order)."""

    def key(item: tuple[int, MentioningPost]) -> tuple[int, int, int, int]:
        position, post = item
        when = post.published
        if when is None and post.estimate:
            when = post.estimate.earliest or post.estimate.latest
        if when is None:
            return (1, 0, 0, position)
        return (0, -when.toordinal(), int(post.published is not None), position)

    return [post for _, post in sorted(enumerate(posts), key=key)]


def _estimate(row: Sequence[Any]) -> DateEstimate:
    earliest, latest, conflict, evidence = row
    return DateEstimate(
        earliest=_date(earliest),
        latest=_date(latest),
        conflict=bool(conflict),
        evidence=tuple(
            EstimateEvidence(e["bound"], date.fromisoformat(e["value"]), e["source"], e["detail"])
            for e in json.loads(evidence or "[]")
        ),
    )


def _replace_rows(conn: sqlite3.Connection, post_id: int, index: PostIndex) -> None:
    """A post's enrichment rows, replaced by those of ``index``."""
    for table in POST_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE post_id = ?", (post_id,))
    found = index.entities
    conn.executemany(
        "INSERT INTO post_entities (post_id, entity_id, rank, count, roles, surfaces)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (post_id, e.entity_id, rank, e.count, _json(e.roles), _json(e.surfaces))
            for rank, e in enumerate(found.entities)
        ],
    )
    conn.executemany(
        "INSERT INTO mentions (post_id, entity_id, role, line, span_start, span_end, surface,"
        " via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                post_id,
                m.mention.entity_id,
                m.role,
                m.line,
                m.mention.start,
                m.mention.end,
                m.mention.surface,
                m.mention.via,
            )
            for m in found.mentions
        ],
    )
    conn.executemany(
        "INSERT INTO unlinked_names (post_id, surface, count, roles, example)"
        " VALUES (?, ?, ?, ?, ?)",
        [(post_id, c.surface, c.count, _json(c.roles), c.example) for c in found.unlinked],
    )
    for figure in index.figures:
        cursor = conn.execute(
            "INSERT INTO figures (post_id, kind, text, value, number, scale, currency, unit,"
            " sentence, role, line, span_start, span_end)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                post_id,
                figure.kind,
                figure.text,
                figure.value,
                figure.number,
                figure.scale,
                figure.currency,
                figure.unit,
                figure.sentence,
                figure.role,
                figure.line,
                figure.start,
                figure.end,
            ),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO figure_entities (figure_id, entity_id) VALUES (?, ?)",
            [(cursor.lastrowid, entity_id) for entity_id in figure.entity_ids],
        )
    conn.executemany(
        "INSERT INTO date_mentions (post_id, text, earliest, latest, granularity, tense,"
        " relative, sentence, role, line, span_start, span_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                post_id,
                d.text,
                d.earliest.isoformat(),
                d.latest.isoformat(),
                d.granularity,
                d.tense,
                int(d.relative),
                d.sentence,
                d.role,
                d.line,
                d.start,
                d.end,
            )
            for d in index.dates
        ],
    )
