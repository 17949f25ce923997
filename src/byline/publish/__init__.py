"""Rendering the stored archive: archive pages as text, JSON and HTML."""

from byline.publish._page import ArchivePage, archive_order, archive_title
from byline.publish.html import render_html
from byline.publish.text import archive_json, hit_json, post_json, render_text, summary_json

__all__ = [
    "ArchivePage",
    "archive_json",
    "archive_order",
    "archive_title",
    "hit_json",
    "post_json",
    "render_html",
    "render_text",
    "summary_json",
]
