"""Pages as bytes: the Jinja environment, what each template is given, and metadata.

Templates come from the user's ``templates/`` folder (beside ``byline.toml``)
first, then byline's own, through one ``ChoiceLoader``: a user overrides a
template by putting a file of the same name there.  Every template is
compiled once per build; rendering a page is one ``render`` call.

What templates are given (the names an override can use):

- ``site``: :class:`SiteView`, the same on every page;
- ``page``: :class:`PageView`, this page's title, addresses and metadata;
- ``post`` (:class:`~byline.publish._model.PostInfo`) and ``piece``
  (:class:`~byline.publish._piece.PieceView`) on a post page;
- ``items`` (a list of ``PostInfo``) on the home page and archives;
- ``terms`` (a list of :class:`TermCount`) on the index pages;
- ``entity``, ``posts``, ``timeline``, ``undated``, ``co_mentions``,
  ``figures`` and ``more_figures`` on an entity page, and ``groups`` on the
  entity index (see ``_entity_pages``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from markupsafe import Markup

from byline.errors import PublishError
from byline.publish._entities import ENTITIES_PAGE
from byline.publish._model import Link, PostInfo, SiteModel
from byline.publish._piece import PieceView
from byline.publish._urls import (
    FEED_ATOM,
    FEED_JSON,
    FEED_RSS,
    INDEX_PAGES,
    SEARCH_PAGE,
    STATIC_DIR,
    STYLESHEET,
    YEARS_PAGE,
)
from byline.settings import Settings

TEMPLATE_PACKAGE = ("byline.publish", "templates")
SEARCH_TEMPLATE = "search.html"
SUMMARY_TEMPLATE = "_summary.html"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
JSON_FEED_TYPE = "application/feed+json"
MAX_HEADLINE = 110  # schema.org's advice for Article.headline, in characters


@dataclass(frozen=True)
class FeedLink:
    """A feed a page advertises (``<link rel="alternate">``)."""

    title: str
    type: str
    href: str
    label: str  # "Atom", "RSS", "JSON Feed"


@dataclass(frozen=True)
class Pager:
    """Where a page sits in a paginated listing."""

    number: int
    total: int
    newer: str | None  # href of the page before (newer posts)
    older: str | None


@dataclass(frozen=True)
class SiteView:
    """The site as every template sees it."""

    title: str
    description: str
    author: str
    language: str
    url: str  # the base URL, no trailing slash
    home: str  # href of the home page
    stylesheet: str
    nav: tuple[Link, ...]
    feeds: tuple[FeedLink, ...]
    search: str | None  # href of the search page, when the theme has one
    static: str  # href of the static folder, ending in "/"


@dataclass(frozen=True)
class PageView:
    """One page: what it is called, where it is, how it describes itself."""

    kind: str  # home | post | archive | index | entity | entities | search | 404
    title: str  # for <title> and previews
    heading: str  # the page's <h1>
    path: str
    href: str
    absolute: str
    canonical: str
    description: str
    feeds: tuple[FeedLink, ...] = ()
    pager: Pager | None = None
    og_type: str = "website"
    json_ld: Markup | None = None


@dataclass(frozen=True)
class TermCount:
    """A line of an index page: an archive and how many posts it holds."""

    link: Link
    count: int


def template_folders(settings: Settings) -> list[Path]:
    """Where templates are looked for, first match wins."""
    folders = []
    user = settings.templates_dir
    if user is not None and user.is_dir():
        folders.append(user)
    folders.append(Path(str(resources.files(TEMPLATE_PACKAGE[0]).joinpath(TEMPLATE_PACKAGE[1]))))
    return folders


class _BuildLoader(ChoiceLoader):
    """A ``ChoiceLoader`` that remembers which templates do not exist.

    Jinja caches templates it found, not ones it did not, so an
    ``{% include ... ignore missing %}`` of an absent template would search
    every folder again on every page.  Templates do not appear mid-build.
    """

    def __init__(self, loaders: list[BaseLoader]) -> None:
        super().__init__(loaders)
        self.missing: set[str] = set()

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        if name in self.missing:
            raise TemplateNotFound(name)
        try:
            return super().load(environment, name, globals)
        except TemplateNotFound:
            self.missing.add(name)
            raise


def make_environment(settings: Settings) -> Environment:
    """The Jinja environment for a site: user templates first, then byline's."""
    loaders: list[BaseLoader] = []
    user = settings.templates_dir
    if user is not None and user.is_dir():
        loaders.append(FileSystemLoader(str(user)))
    loaders.append(PackageLoader(*TEMPLATE_PACKAGE))
    return Environment(
        loader=_BuildLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt name in an override fails the build, loudly
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates do not change during a build; skip the stat per page
    )


def templates_fingerprint(settings: Settings) -> str:
    """A hash of every template file that could be used; any edit rebuilds every page."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in template_folders(settings):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
                digest.update(path.read_bytes() + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


def site_view(model: SiteModel, *, search: bool) -> SiteView:
    """The site as every template sees it: title, navigation, feeds."""
    settings = model.settings
    nav = [model.link("Home", "/")]
    for kind, label in (("outlet", "Outlets"), ("category", "Categories"), ("tag", "Tags")):
        if model.archives[kind]:
            nav.append(model.link(label, INDEX_PAGES[kind]))
    if model.years:
        nav.append(model.link("Years", YEARS_PAGE))
    if model.entities:
        nav.append(model.link("Entities", ENTITIES_PAGE))
    if search:
        nav.append(model.link("Search", SEARCH_PAGE))
    return SiteView(
        title=settings.title,
        description=settings.description,
        author=settings.author,
        language=settings.language,
        url=settings.site_url,
        home=model.href("/"),
        stylesheet=model.href(STYLESHEET),
        nav=tuple(nav),
        feeds=feed_links(settings, "/", settings.title, json_feed=True),
        search=model.href(SEARCH_PAGE) if search else None,
        static=model.href(STATIC_DIR),
    )


def feed_links(
    settings: Settings, base: str, title: str, *, json_feed: bool = False
) -> tuple[FeedLink, ...]:
    """The feeds of a listing whose first page is ``base``."""
    kinds = [("Atom", ATOM_TYPE, base + FEED_ATOM), ("RSS", RSS_TYPE, base + FEED_RSS)]
    if json_feed:
        kinds.append(("JSON Feed", JSON_FEED_TYPE, FEED_JSON))
    return tuple(
        FeedLink(f"{title} ({label})", kind, settings.root_path + path, label)
        for label, kind, path in kinds
    )


class Renderer:
    """Renders every kind of page for one build, with templates compiled once.

    Needs no store and no site model, only what it is given, so a worker
    process can make its own from the settings and the site view.
    """

    def __init__(self, env: Environment, settings: Settings, site: SiteView | None = None) -> None:
        self.env = env
        self.settings = settings
        # Templates compile on first use: a rebuild that renders three pages
        # should not compile all of them (the environment caches each one).
        self.has_search = _exists(env, SEARCH_TEMPLATE)
        self._summaries: dict[int, Markup] = {}
        self._site = site

    @property
    def site(self) -> SiteView:
        if self._site is None:
            raise PublishError("the renderer was not given the site's view")
        return self._site

    @site.setter
    def site(self, view: SiteView) -> None:
        self._site = view

    def summary(self, item: PostInfo) -> Markup:
        """A post as listings show it (``_summary.html``), rendered once per build.

        A post appears in five or so listings (home, year, outlet, its
        categories and tags); rendering it once keeps listings cheap.
        """
        found = self._summaries.get(item.id)
        if found is None:
            template = self._template(SUMMARY_TEMPLATE)
            html = self._text(template, SUMMARY_TEMPLATE, item=item)
            found = self._summaries[item.id] = Markup(html)
        return found

    def fragment(self, name: str, **context: Any) -> Markup:
        """A partial template (``_entity_post.html`` ...) rendered as markup to put in a page."""
        return Markup(self._text(self._template(name), name, **context))

    def _template(self, name: str) -> Template:
        try:
            return self.env.get_template(name)
        except TemplateError as exc:
            raise PublishError(f"template {name}: {_describe(exc)}") from exc

    def page(
        self,
        kind: str,
        path: str,
        title: str,
        *,
        heading: str | None = None,
        description: str = "",
        canonical: str | None = None,
        feeds: tuple[FeedLink, ...] | None = None,
        pager: Pager | None = None,
        og_type: str = "website",
        json_ld: Markup | None = None,
    ) -> PageView:
        """A :class:`PageView` for site address ``path``."""
        absolute = self.settings.site_url + path
        return PageView(
            kind=kind,
            title=title,
            heading=heading or title,
            path=path,
            href=self.settings.root_path + path,
            absolute=absolute,
            canonical=canonical or absolute,
            description=description or self.settings.description,
            feeds=self.site.feeds if feeds is None else feeds,
            pager=pager,
            og_type=og_type,
            json_ld=json_ld,
        )

    def render(self, name: str, page: PageView, **context: Any) -> bytes:
        template = self._template(name)
        return self._run(template, name, site=self.site, page=page, summary=self.summary, **context)

    def render_search(self, page: PageView) -> bytes:
        """The search page (``search.html``; see :attr:`has_search`)."""
        template = self._template(SEARCH_TEMPLATE)
        return self._run(template, SEARCH_TEMPLATE, site=self.site, page=page)

    def _run(self, template: Template, name: str, **context: Any) -> bytes:
        return self._text(template, name, **context).encode("utf-8")

    def _text(self, template: Template, name: str, **context: Any) -> str:
        try:
            return template.render(**context)
        except TemplateError as exc:
            raise PublishError(f"template {name}: {_describe(exc)}") from exc

    # -- post pages -------------------------------------------------------------

    def post_page(
        self,
        post: PostInfo,
        piece: PieceView,
        *,
        newer: PostInfo | None,
        older: PostInfo | None,
        original_url: str | None = None,
    ) -> bytes:
        """A post's own page: the blogger's note, then the piece, with its metadata."""
        settings = self.settings
        description = piece.standfirst or _first_paragraph(piece)
        canonical = original_url or post.absolute
        page = self.page(
            "post",
            post.path,
            post.title,
            description=_clip(description),
            canonical=canonical,
            og_type="article",
            json_ld=article_json_ld(post, settings, description, original_url),
        )
        return self.render(
            "post.html",
            page,
            post=post,
            piece=piece,
            newer=newer,
            older=older,
            original_url=original_url,
        )


def article_json_ld(
    post: PostInfo, settings: Settings, description: str, original_url: str | None
) -> Markup:
    """schema.org ``Article`` for a post page, safe inside ``<script>``."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": _clip(post.title, MAX_HEADLINE),
        "url": post.absolute,
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.absolute},
        "inLanguage": settings.language,
    }
    if description:
        data["description"] = _clip(description)
    if settings.author:
        data["author"] = {"@type": "Person", "name": settings.author}
    if post.published:
        data["datePublished"] = post.published.isoformat()
    if post.outlet:
        data["publisher"] = {"@type": "Organization", "name": post.outlet.name}
    if original_url:
        data["isBasedOn"] = original_url
    if post.topics:
        data["keywords"] = list(post.topics)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" inside a string would end the element early.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _exists(env: Environment, name: str) -> bool:
    """Whether a template exists, without compiling it."""
    if env.loader is None:
        return False
    try:
        env.loader.get_source(env, name)
    except TemplateNotFound:
        return False
    return True


def _first_paragraph(piece: PieceView) -> str:
    for part in piece.parts:
        if part.kind == "p":
            return part.html.striptags()
    return ""


def _clip(text: str, limit: int = 300) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _describe(exc: TemplateError) -> str:
    where = ""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if filename:
        where = f" ({filename}{f', line {lineno}' if lineno else ''})"
    return f"{exc.message or type(exc).__name__}{where}"
