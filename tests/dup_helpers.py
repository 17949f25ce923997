"""An outlet's article page for a piece, written at test time (no seed text is kept in the repo)."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from byline.model import Post


def outlet_article_html(
    *,
    headline: str,
    standfirst: str | None,
    paragraphs: list[str],
    outlet: str,
    published: datetime,
    author: str,
    caption: str | None = None,
    credit: str | None = None,
    bio: str | None = None,
    url: str = "https://outlet.example/opinion/piece",
) -> str:
    """A saved news-site article: navigation, JSON-LD, og: tags, a figure, the body, a bio."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "datePublished": published.isoformat(),
        "author": [{"@type": "Person", "name": author}],
        "publisher": {"@type": "Organization", "name": outlet},
    }
    if standfirst:
        ld["alternativeHeadline"] = standfirst
    if caption:
        ld["image"] = {"@type": "ImageObject", "url": f"{url}/lead.jpg", "caption": caption}
    ld_text = json.dumps(ld, ensure_ascii=False).replace("<", "\\u003c")
    body = "\n".join(f"    <p>{escape(p)}</p>" for p in paragraphs)
    figure = ""
    if caption:
        credit_html = f' <span class="caption__credit">© {escape(credit)}</span>' if credit else ""
        figure = (
            '  <figure class="lead-image">\n'
            f'    <img src="{url}/lead.jpg" alt="{escape(caption)}">\n'
            f"    <figcaption>{escape(caption)}{credit_html}</figcaption>\n"
            "  </figure>\n"
        )
    dek = f'  <p class="article__dek">{escape(standfirst)}</p>\n' if standfirst else ""
    bio_html = f'  <div class="author-bio">{escape(bio)}</div>\n' if bio else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(headline)} | {escape(outlet)}</title>
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(headline)} | {escape(outlet)}">
<meta property="article:published_time" content="{published.isoformat()}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{ld_text}</script>
<script>window.analytics = {{"page": "article"}};</script>
</head>
<body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></nav></header>
<main>
<article class="article">
  <h1 class="article__headline">{escape(headline)}</h1>
{dek}  <div class="article__byline">By <a rel="author" href="/authors/a">{escape(author)}</a> · <time datetime="{published.isoformat()}">{published:%d %B %Y}</time></div>
{figure}  <div class="article__body">
{body}
  </div>
{bio_html}</article>
<aside class="related">
  <article><h3><a href="/a">Markets brace for a dry season</a></h3><p>Short teaser.</p></article>
  <article><h3><a href="/b">The new Arctic route</a></h3><p>Short teaser.</p></article>
</aside>
</main>
<footer>© {escape(outlet)} · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></footer>
</body>
</html>
"""


def article_for(post: Post, outlet: str, published: datetime, author: str) -> str:
    """The outlet's page for a recovered post: its headline, standfirst, caption, bio, body."""
    captions = post.texts("caption")
    caption, credit = (captions[0], None) if captions else (None, None)
    if caption and "©" in caption:
        caption, _, credit = (part.strip() for part in caption.rpartition("©"))
    return outlet_article_html(
        headline=post.headline or post.title,
        standfirst=post.standfirst,
        paragraphs=[b.text for b in post.blocks if b.role in ("body", "heading")],
        outlet=outlet,
        published=published,
        author=author,
        caption=caption,
        credit=credit,
        bio=" ".join(post.texts("bio")) or None,
    )
