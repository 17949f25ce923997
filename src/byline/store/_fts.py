"""Turn whatever a person types into a safe FTS5 query.

FTS5 has its own syntax (``AND``, ``NEAR(...)``, ``col:``, ``"``, ``*``, ``^``);
typed as-is, "U.S.-China" or ``don't`` or a lone ``"`` is a syntax error.  So
every whitespace-separated word becomes a quoted phrase (inside which FTS5
syntax means nothing) and the phrases are ANDed: a word such as "China-Russia"
still matches those two tokens side by side.  A trailing ``*`` is kept as a
prefix search, because that is what people mean by it.
"""

from __future__ import annotations

import re

MAX_QUERY_TERMS = 32  # a search box, not a document; longer queries are cut here
WORD_CHAR = re.compile(r"\w")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or None when it holds no searchable word."""
    phrases: list[str] = []
    for raw in CONTROL.sub(" ", text).split():
        prefix = raw.endswith("*")
        word = raw.rstrip("*")
        if not WORD_CHAR.search(word):
            continue  # punctuation alone tokenizes to nothing and would match everything
        phrase = '"' + word.replace('"', '""') + '"'
        phrases.append(phrase + "*" if prefix else phrase)
        if len(phrases) == MAX_QUERY_TERMS:
            break
    return " ".join(phrases) if phrases else None
