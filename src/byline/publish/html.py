"""The archive page as one self-contained HTML5 document (Jinja2, autoescaped).

Every block keeps its place and becomes the element its role suggests: the
headline an ``<h2>``, a caption a ``<figure>``, a footnote an ``<aside>``.
Nothing is inserted unescaped, and the page loads nothing from elsewhere.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import (
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from byline.errors import PublishError
from byline.model import Post
from byline.publish._page import ArchivePage

TEMPLATE = "archive.html"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("byline.publish", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt field fails loudly, not as an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["post_facts"] = post_facts
    return env


def post_facts(post: Post) -> list[str]:
    """The short facts under a post: its date, outlet, categories and tags."""
    facts: list[str] = []
    if post.published:
        facts.append(f"{post.published.day} {post.published:%B %Y}")
    if post.outlet:
        facts.append(f"First published in {post.outlet.name}")
    if post.categories:
        facts.append("Filed under " + ", ".join(post.categories))
    if post.tags:
        facts.append("Tagged " + ", ".join(post.tags))
    return facts


def render_html(page: ArchivePage, lang: str = "en") -> str:
    """The archive page as a complete HTML5 document."""
    try:
        template = _environment().get_template(TEMPLATE)
    except TemplateError as exc:  # the installed package is missing its template
        raise PublishError(f"cannot load the {TEMPLATE} template: {exc}") from exc
    return template.render(page=page, title=page.title, lang=lang)
