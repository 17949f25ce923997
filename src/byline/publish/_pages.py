"""Every file of the site, each with the signature of what it shows.

A page's signature hashes everything it is rendered from: the digests of the
posts it lists (id, revision, address, links), its place in its listing and
the site-wide navigation.  When the last build made the page from the same
signature it is kept without rendering; otherwise it is rendered, and written
only if its bytes differ.  So after one post changes, only its own page, the
listing pages and feeds that show it, and the files that list every page
(sitemap, index counts) are rendered at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from urllib.parse import quote

from byline.errors import PublishError
from byline.publish._entity_pages import entity_pages
from byline.publish._model import Archive, SiteModel, digest, pages_of
from byline.publish._piece import piece_view
from byline.publish._posts import PostJob, PostPages, Results, Workers
from byline.publish._render import Pager, Renderer, TermCount, feed_links
from byline.publish._urls import (
    FEED_ATOM,
    FEED_JSON,
    FEED_RSS,
    INDEX_PAGES,
    NETLIFY_REDIRECTS,
    NGINX_REDIRECTS,
    NOT_FOUND,
    ROBOTS,
    SEARCH_PAGE,
    SITEMAP,
    STATIC_DIR,
    YEARS_PAGE,
    old_url_path,
    paged,
    relative_file,
)
from byline.publish._writer import SiteWriter
from byline.publish.feeds import (
    SITEMAP_MAX_URLS,
    FeedEntry,
    FeedInfo,
    atom_document,
    atom_entry,
    json_feed,
    robots_txt,
    rss_document,
    rss_item,
    sitemap_name,
    sitemaps,
)
from byline.store import Store

STATIC_PACKAGE = ("byline.publish", "static")
INDEX_TITLES = {"category": "Categories", "tag": "Tags", "outlet": "Outlets"}
YEARS_TITLE = "Years"
HOME_HEADING = "Latest posts"
NOT_FOUND_TITLE = "Page not found"
SEARCH_TITLE = "Search"
PIECE_FRAGMENT = "_piece_body.html"
POSTS_ORDER = "#posts"  # the manifest's key for the order of every post (their neighbours)


@dataclass(frozen=True)
class RedirectTarget:
    """Where an old address now lives (given to ``redirect.html`` as ``target``)."""

    name: str
    href: str
    absolute: str


class PageBuilder:
    """Plans, renders and hands to the writer every file of one build."""

    def __init__(
        self,
        model: SiteModel,
        renderer: Renderer,
        writer: SiteWriter,
        store: Store,
        *,
        reuse: bool,
        workers: Workers,
    ) -> None:
        self.model = model
        self.renderer = renderer
        self.writer = writer
        self.store = store
        self.reuse = reuse  # whether the last build's signatures can be trusted
        self.posts = PostPages(renderer, store, writer.sink, workers)
        self.results = Results()
        self.previous_listings = writer.previous.listings
        self.listings: dict[str, str] = {}  # listing -> signature of its order, for the next build
        # Posts that other pages may show differently since the last build.
        self.changed = model.changed_since(writer.previous.posts) if reuse else set(model.order)
        self._serialised: dict[tuple[str, str, bool], str] = {}
        self.site_sig = digest(repr(renderer.site))
        self.sitemap: list[tuple[str, date | None]] = []  # every page, and a post's date
        self.html_pages = 0
        self.warnings: list[str] = []

    def emit(self, path: str, signature: str, render: Callable[[], bytes]) -> None:
        """Keep the last build's file when its signature matches, else render and stage it."""
        if self.reuse and self.writer.keep(path, signature):
            return
        self.writer.put(path, render(), signature)

    def build_all(self) -> None:
        """Every file, in an order where each step knows what it needs."""
        self.static_files()
        self.post_pages()  # in worker processes, when there are many, while the rest renders
        self.home_pages()
        for kind in ("category", "tag", "outlet"):
            for archive in self.model.archives[kind]:
                self.archive_pages(archive)
            self.index_page(kind)
        for year in self.model.years:
            self.archive_pages(year)
        self.years_page()
        entity_pages(self)  # the entity pages and their index (see _entity_pages)
        self.site_feeds()
        self.misc_pages()
        self.finish_post_pages()
        self.redirects()  # after every page is known: an old address must not hide one
        self.sitemap_files()

    # -- pages listing posts ------------------------------------------------------

    def _listing(
        self, kind: str, base: str, title: str, heading: str, ids: Sequence[int], feeds: bool
    ) -> None:
        """A paginated listing: signatures first, then the pages that changed, in one read."""
        digests = self.model.digests
        pages = pages_of(ids, self.model.settings.posts_per_page)
        total = len(pages)
        feeds_of = feed_links(self.model.settings, base, title) if feeds else None
        # What every page of this listing shares; a page adds its number and posts.
        shared = f"{self.site_sig}|{kind}|{base}|{title}|{heading}|{total}|{feeds_of!r}"
        paths = [paged(base, number) for number in range(1, total + 1)]
        self.sitemap += ((path, None) for path in paths)
        self.html_pages += total
        # With the same posts in the same order as last time, a page whose posts
        # did not change is kept as it is, with no signature to work out.
        order = digest(shared, ",".join(map(str, ids)))
        self.listings[base] = order
        same_order = self.reuse and self.previous_listings.get(base) == order
        if same_order and self.changed.isdisjoint(ids) and self.writer.carry(paths):
            return
        todo: list[tuple[int, str, tuple[int, ...], str]] = []
        for number, chunk in enumerate(pages, start=1):
            path = paths[number - 1]
            if same_order and self.changed.isdisjoint(chunk) and self.writer.carry([path]):
                continue
            signature = digest(shared, str(number), *(digests[i] for i in chunk))
            if not (self.reuse and self.writer.keep(path, signature)):
                todo.append((number, path, chunk, signature))
        self.model.load_summaries(self.store, (i for *_, chunk, _ in todo for i in chunk))
        info = self.model.info
        for number, path, chunk, signature in todo:
            newer = self.model.href(paged(base, number - 1)) if number > 1 else None
            older = self.model.href(paged(base, number + 1)) if number < total else None
            pager = Pager(number, total, newer, older)
            page_title = title if number == 1 else f"{title}, page {number}"
            page = self.renderer.page(
                kind, path, page_title, heading=heading, feeds=feeds_of, pager=pager
            )
            items = [info[i] for i in chunk]
            self.writer.put(path, self.renderer.render("list.html", page, items=items), signature)

    def home_pages(self) -> None:
        settings = self.model.settings
        self._listing("home", "/", settings.title, HOME_HEADING, self.model.order, feeds=False)

    def archive_pages(self, archive: Archive) -> None:
        """An archive's pages and its Atom and RSS feeds (summaries of its newest posts)."""
        self._listing(
            "archive", archive.path, archive.title, archive.title, archive.post_ids, feeds=True
        )
        self._feeds(archive.path, archive.title, archive.post_ids, full_content=False)

    def index_page(self, kind: str) -> None:
        archives = self.model.archives[kind]
        if not archives:
            return
        terms = [TermCount(self.model.archive_link(a), len(a.post_ids)) for a in archives]
        self._index(INDEX_PAGES[kind], INDEX_TITLES[kind], terms)

    def years_page(self) -> None:
        if not self.model.years:
            return
        terms = [TermCount(self.model.archive_link(y), len(y.post_ids)) for y in self.model.years]
        self._index(YEARS_PAGE, YEARS_TITLE, terms)

    def _index(self, path: str, title: str, terms: list[TermCount]) -> None:
        signature = digest(self.site_sig, "index", path, title, repr(terms))

        def render() -> bytes:
            return self.renderer.render(
                "index.html", self.renderer.page("index", path, title), terms=terms
            )

        self.emit(path, signature, render)
        self._page(path)

    # -- post pages -------------------------------------------------------------------

    def post_pages(self) -> None:
        """Start rendering each post page whose signature changed (see ``_posts``)."""
        model = self.model
        order, digests, listed, paths = model.order, model.digests, model.listed, model.post_paths
        info = model.info
        jobs: list[PostJob] = []
        last = len(order) - 1
        sequence = digest(self.site_sig, ",".join(map(str, order)))
        self.listings[POSTS_ORDER] = sequence
        same_order = self.reuse and self.previous_listings.get(POSTS_ORDER) == sequence
        changed = self.changed
        for position, post_id in enumerate(order):
            newer = order[position - 1] if position > 0 else None
            older = order[position + 1] if position < last else None
            path = paths[post_id]
            self.sitemap.append((path, listed[post_id].published))
            # Same neighbours as last time, none of the three changed: nothing to do.
            unchanged = same_order and {post_id, newer, older}.isdisjoint(changed)
            if unchanged and self.writer.carry([path]):
                continue
            # A post page shows its neighbours' titles and links as well as itself.
            signature = digest(
                self.site_sig,
                digests[post_id],
                f"{digests[newer]}|{listed[newer].title}" if newer else "",
                f"{digests[older]}|{listed[older].title}" if older else "",
            )
            if not (self.reuse and self.writer.keep(path, signature)):
                relative, previous = self.writer.previous_entry(path)
                jobs.append(
                    PostJob(
                        model.page_info(post_id),
                        info[newer] if newer else None,
                        info[older] if older else None,
                        relative,
                        signature,
                        previous,
                    )
                )
        self.html_pages += len(order)
        self.posts.start(jobs)

    def finish_post_pages(self) -> None:
        """Wait for the post pages started by :meth:`post_pages` (and the workers' calls)."""
        self.results = self.posts.finish()
        self.writer.adopt(self.results.staged)

    # -- feeds ------------------------------------------------------------------------

    def site_feeds(self) -> None:
        """The whole site's Atom, RSS and JSON feeds, with each piece in full."""
        self._feeds("/", self.model.settings.title, self.model.order, full_content=True)

    def _feeds(self, base: str, title: str, ids: Sequence[int], *, full_content: bool) -> None:
        settings = self.model.settings
        newest = list(ids[: settings.feed_items])
        digests = self.model.digests
        signature = digest(self.site_sig, "feed", base, title, *(digests[i] for i in newest))
        paths = [base + FEED_ATOM, base + FEED_RSS] + ([FEED_JSON] if base == "/" else [])
        if self.reuse and all(self.writer.keep(path, signature) for path in paths):
            return
        entries = self._entries(newest, full_content)
        info = FeedInfo(
            title=title if base == "/" else f"{title} · {settings.title}",
            feed_url="",
            page_url=self.model.absolute(base),
            description=settings.description,
            language=settings.language,
            author=settings.author,
        )
        atom = [self._entry_xml("atom", e, full_content) for e in entries]
        rss = [self._entry_xml("rss", e, full_content) for e in entries]
        documents = [
            atom_document(replace(info, feed_url=self.model.absolute(paths[0])), entries, atom),
            rss_document(replace(info, feed_url=self.model.absolute(paths[1])), entries, rss),
        ]
        if base == "/":
            documents.append(
                json_feed(replace(info, feed_url=self.model.absolute(FEED_JSON)), entries)
            )
        for path, document in zip(paths, documents, strict=True):
            self.writer.put(path, document, signature)

    def _entries(self, post_ids: list[int], full_content: bool) -> list[FeedEntry]:
        """Feed entries for these posts; the pieces' HTML too for the site's own feeds."""
        self.model.load_summaries(self.store, post_ids)
        contents: dict[int, str] = {}
        if full_content:
            fragment = self.renderer.env.get_template(PIECE_FRAGMENT)
            for post_id, blocks in self.store.shown_blocks(post_ids).items():
                contents[post_id] = fragment.render(piece=piece_view(blocks))
        entries = []
        for post_id in post_ids:
            post = self.model.info[post_id]
            entries.append(
                FeedEntry(
                    title=post.title,
                    url=post.absolute,
                    published=post.published,
                    created=post.created,
                    summary=post.summary,
                    content_html=contents.get(post_id),
                    categories=post.topics,
                    outlet=post.outlet.name if post.outlet else None,
                )
            )
        return entries

    def _entry_xml(self, kind: str, entry: FeedEntry, full_content: bool) -> str:
        """An entry serialised once per build, however many feeds it is in."""
        key = (kind, entry.url, full_content)
        found = self._serialised.get(key)
        if found is None:
            found = atom_entry(entry) if kind == "atom" else rss_item(entry)
            self._serialised[key] = found
        return found

    # -- everything else ----------------------------------------------------------------

    def static_files(self) -> None:
        """byline's stylesheet (and whatever else ships in ``publish/static``)."""
        folder = resources.files(STATIC_PACKAGE[0]).joinpath(STATIC_PACKAGE[1])
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and not entry.name.startswith("."):
                self.writer.put(STATIC_DIR + entry.name, entry.read_bytes())

    def misc_pages(self) -> None:
        """The 404 page, the search page (when the theme has one) and robots.txt."""
        renderer = self.renderer
        page = renderer.page("404", NOT_FOUND, NOT_FOUND_TITLE)
        self.emit(NOT_FOUND, self.site_sig, lambda: renderer.render("404.html", page))
        if renderer.has_search:
            search = renderer.page("search", SEARCH_PAGE, SEARCH_TITLE)
            self.emit(SEARCH_PAGE, self.site_sig, lambda: renderer.render_search(search))
        self.writer.put(ROBOTS, robots_txt(self.model.absolute(SITEMAP)))

    def redirects(self) -> None:
        """A refresh page at every old address, and ``_redirects`` and nginx map files."""
        pairs: list[tuple[str, str]] = []
        for old in self.model.old_urls:
            post = self.model.info.get(old.post_id)
            if post is None:
                continue  # the post is not published: nothing to send readers to
            try:
                path = old_url_path(old.url)
            except PublishError as err:
                self.warnings.append(f"redirect skipped: {err}")
                continue
            if relative_file(path) in self.writer.files or path == post.path:
                self.warnings.append(f"redirect skipped: {old.url!r} is a page of this site")
                continue
            target = RedirectTarget(post.title, post.href, post.absolute)
            signature = digest(self.site_sig, "redirect", path, repr(target))

            def render(path: str = path, target: RedirectTarget = target) -> bytes:
                page = self.renderer.page("redirect", path, target.name)
                return self.renderer.render("redirect.html", page, target=target)

            self.emit(path, signature, render)
            pairs.append((self.model.href(path), post.href))
        # Netlify matches the address as sent (percent-escaped); nginx's $uri is decoded.
        netlify = "".join(f"{quote(old)} {quote(new)} 301\n" for old, new in pairs)
        nginx = "".join(
            f'"{old}" "{new}";\n' + (f'"{old.rstrip("/")}" "{new}";\n' if old.endswith("/") else "")
            for old, new in pairs
        )
        self.writer.put(NETLIFY_REDIRECTS, netlify.encode("utf-8"))
        self.writer.put(NGINX_REDIRECTS, nginx.encode("utf-8"))

    def sitemap_files(self) -> None:
        """``sitemap.xml`` listing every page (split past 50,000 addresses)."""
        signature = digest(self.model.site_url, *(f"{path}|{day}" for path, day in self.sitemap))
        parts = -(-len(self.sitemap) // SITEMAP_MAX_URLS)  # ceiling division
        paths = [SITEMAP] + (
            ["/" + sitemap_name(n) for n in range(1, parts + 1)] if parts > 1 else []
        )
        if self.reuse and all(self.writer.keep(path, signature) for path in paths):
            return
        urls = [(self.model.absolute(path), day) for path, day in self.sitemap]
        documents = sitemaps(urls, self.model.absolute(SITEMAP))
        for path, document in zip(paths, documents, strict=True):
            self.writer.put(path, document, signature)

    def _page(self, path: str) -> None:
        self.sitemap.append((path, None))
        self.html_pages += 1
