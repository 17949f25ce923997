"""Exports: the archive's posts out in formats other tools read (WXR, Markdown, JSON).

Each exporter takes posts (and, where the format has them, the site's terms
and authors) and writes files; nothing here reads the store.
"""

from byline.export.json import post_from_json, post_to_json, read_json, write_json
from byline.export.markdown import post_markdown, write_markdown
from byline.export.wxr import write_wxr

__all__ = [
    "post_from_json",
    "post_markdown",
    "post_to_json",
    "read_json",
    "write_json",
    "write_markdown",
    "write_wxr",
]
