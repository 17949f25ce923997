"""Which outlet first published a piece, read from what the page says about it.

Prefaces name the outlet in the language of re-publishing ("a piece for X",
"first ran in X on ...", "cross-posted from X", "my column in this week's X");
newspaper bylines name it too ("Name, X, 8 February 2024").  The name found is
resolved through the outlets file (``data/outlets.toml``), so "Nikkei Asian
Review" and "Nikkei" are one outlet; a name the file does not know is kept as
the page wrote it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from byline.model import Outlet, Post, fold

CAP_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'&\-]*|\d+)"  # "U.S.", "Nikkei", "80"
JOINER = r"(?:of|for|on|and|the|in|&|de|du|la|le|der|die|am)"
CAP_RUN = rf"(?P<name>{CAP_WORD}(?:\s+(?:{JOINER}\s+)*{CAP_WORD}){{0,6}})"
LEAD = (
    r"(?:(?:the|an?|this|last|next)\s+)?(?:(?:week|month|year|day|issue|edition|today|yesterday|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)[’']s\s+)?"
    r"(?:(?:excellent|wonderful|great|fine|estimable|venerable|good|new|online|weekly|daily|"
    r"monthly|print|always|ever|brilliant|fantastic|terrific)\s+){0,2}"
)
WORK = (
    r"(?:piece|column|op-?ed|article|essay|interview|chapter|paper|report|commentary|"
    r"contribution|post|talk|review|story|feature|analysis|q&a|blog ?post|write-?up|"
    r"guest (?:blog )?post)"
)

CUE_PATTERNS = [
    re.compile(p)
    for p in (
        rf"(?i:\b(?:ran|appeared|published|printed|went up)\s+(?:first\s+)?(?:in|on|at|with|by)\s+)"
        rf"{LEAD}{CAP_RUN}",
        rf"(?i:\bcross-?posted\s+(?:from|at|on|with)\s+){LEAD}{CAP_RUN}",
        rf"(?i:\bre-?post(?:ed|ing)?\s+(?:from|with)\s+){LEAD}{CAP_RUN}",
        rf"(?i:\b{WORK},?\s+(?:(?:is|was|went|ran|written|done|also)\s+)?(?:for|in|with|at|from)\s+)"
        rf"{LEAD}"
        rf"{CAP_RUN}",
        rf"(?i:\b(?:wrote|written|writing|did)\s+(?:(?:this|it|one)\s+)?(?:for|to)\s+){LEAD}{CAP_RUN}",
        rf"(?i:\b(?:reprinted|reproduced|adapted)\s+(?:\w+\s+){{0,3}}from\s+){LEAD}{CAP_RUN}",
        rf"(?i:\beditors?\s+(?:of|at)\s+){LEAD}{CAP_RUN}",
        rf"(?i:\b(?:latest|new|something|thoughts|words|a note|read)\b[^.]{{0,30}}\bfor\s+"
        rf"(?:the\s+)?(?:folks|people|team|editors)\s+at\s+){CAP_RUN}",
        rf"(?i:\b(?:latest|new|something|thoughts|words|a note|read)\b[^.]{{0,30}}\bfor\s+){LEAD}"
        rf"{CAP_RUN}",
        rf"^(?i:in|for|at|on)\s+{LEAD}{CAP_RUN}\s+(?i:this|today|yesterday|last|on)\b",
        rf"(?:^|\.\s+)(?P<name>(?:The\s+)?{CAP_WORD}(?:\s+(?:{JOINER}\s+)*{CAP_WORD}){{0,5}})\s+"
        r"(?i:ran|published|carried|printed)\s+(?i:this|it|my|an?)\b",
        rf"(?i:\bmy\s+){CAP_RUN}\s+(?i:column|piece|op-?ed|essay)",
        rf"(?i:\bspecial\s+to\s+){LEAD}{CAP_RUN}",
        rf"(?i:\basked\s+by\s+){LEAD}{CAP_RUN}",
        rf"^(?i:for|in|from)\s+{LEAD}{CAP_RUN}\s*[,:]",
        rf"(?P<name>{CAP_WORD}(?:\s+{CAP_WORD}){{0,5}})[’']s\s+(?:\w+\s+)?(?i:pages?|section|desk)\b",
        rf"(?i:\b(?:an?|my|the|another)\s+(?:\w+\s+)?)(?P<name>{CAP_WORD}(?:\s+{CAP_WORD}){{0,3}})\s+"
        r"(?i:column|op-?ed|essay|commentary)\b",
        rf"(?i:\b(?:spoke|talked|speaking|talking)\s+(?:to|with)\s+){LEAD}{CAP_RUN}",
        rf"(?i:\bquestions\s+from\s+){LEAD}{CAP_RUN}",
        rf"(?i:\b(?:website|site|magazine|newspaper|journal|outlet|platform|blog)\s+called\s+)"
        rf"{CAP_RUN}",
        rf"(?i:\b(?:time|one)\s+(?:\w+\s+)?for\s+){LEAD}{CAP_RUN}",
        rf"(?i:\bpart\s+of\s+){LEAD}{CAP_RUN}(?i:\s+(?:publication|report|series|volume))",
        rf"^(?i:from|via)\s+{LEAD}{CAP_RUN}\.",
        rf"(?P<name>{CAP_WORD}(?:\s+{CAP_WORD}){{0,5}})[’']s\s+"
        r"(?i:opinion|comment|op-ed|website|site|pages|blog|arts|books|culture)",
        rf"(?i:\b(?:extract|excerpt|chapter|section)s?\s+from\s+(?:the\s+)?(?:same\s+)?){CAP_RUN}",
    )
]
PIPED_STAMP_PART = re.compile(r"\s*\|\s*")
META_OUTLET_PATTERNS = [
    re.compile(p)
    for p in (
        rf"^(?i:by)\s+[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){{1,3}},\s+{CAP_RUN}\s*$",
        rf"^[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){{1,3}},\s+(?i:special\s+to|for)\s+{CAP_RUN}\s*$",
        rf"^[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){{1,3}}\s*\|\s*{CAP_RUN}\s*(?:\|.*)?$",
    )
]
BYLINE_OUTLET = re.compile(
    rf"^[A-Z][\w’'.\-]+(?:\s+[A-Z][\w’'.\-]+){{1,3}},\s+{CAP_RUN},\s+.*\d{{4}}\s*$"
)
NOT_OUTLETS = {
    "i", "we", "me", "my", "he", "she", "they", "it", "this", "that", "here", "there",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "english", "twitter", "facebook",
}  # fmt: skip
TRAILING_GENERIC = re.compile(
    r"(?:\s+(?:site|website|blog|pages?|magazine|newspaper|section|desk|team))+$",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def known_outlets() -> dict[str, Outlet]:
    """Every alias (folded) and canonical name, mapped to its outlet."""
    text = resources.files("byline").joinpath("data/outlets.toml").read_text("utf-8")
    return index_outlets(tomllib.loads(text).get("outlets", {}))


def index_outlets(table: dict[str, dict[str, list[str]]]) -> dict[str, Outlet]:
    index: dict[str, Outlet] = {}
    for name, entry in table.items():
        outlet = Outlet(name, tuple(entry.get("aliases", ())))
        for spelling in (name, *outlet.aliases):
            index[_key(spelling)] = outlet
    return index


def _key(name: str) -> str:
    key = fold(name)
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"[’']s$", "", key)
    return re.sub(r"[^\w&/.]+", " ", key).strip()


def resolve_outlet(name: str) -> Outlet | None:
    """The known outlet a name (or its longest known opening) stands for."""
    words = name.split()
    index = known_outlets()
    for end in range(len(words), 0, -1):
        found = index.get(_key(" ".join(words[:end])))
        if found:
            return found
    return None


def outlet_from_name(name: str | None) -> Outlet | None:
    """A category named after an outlet ("Nikkei Asia Review") files that outlet's pieces."""
    return resolve_outlet(name) if name else None


def infer_outlet(post: Post) -> Outlet | None:
    """The outlet a post's preface or byline says the piece ran in, if any."""
    for text in post.texts("preface"):
        found = outlet_in_text(text)
        if found:
            return found
    for text in post.texts("meta"):
        clean = " ".join(text.split())
        match = BYLINE_OUTLET.match(clean)
        if match:
            return _as_outlet(match.group("name"))
        for pattern in META_OUTLET_PATTERNS:
            hit = pattern.match(clean)
            if hit:
                return _as_outlet(hit.group("name"))
        if clean.lower().startswith("by ") and "|" in clean:
            # "By NAME | Paper | Published: 12 May 2022": the paper is the second field
            fields = PIPED_STAMP_PART.split(clean)
            if len(fields) > 2 and re.match(CAP_RUN + "$", fields[1]):
                return _as_outlet(fields[1])
    return None


def outlet_in_text(text: str) -> Outlet | None:
    """The first outlet a sentence of re-publishing talk names."""
    clean = " ".join(text.split())
    candidates: list[tuple[int, str]] = []
    for pattern in CUE_PATTERNS:
        candidates.extend((m.start("name"), m.group("name")) for m in pattern.finditer(clean))
    found = [outlet for _, name in sorted(candidates) if (outlet := _as_outlet(name))]
    known = [outlet for outlet in found if outlet.aliases or resolve_outlet(outlet.name)]
    if known:
        return known[0]
    return found[0] if found else _first_known(_capital_runs(clean))


MONTH_START = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
DATE_TAIL = re.compile(
    r"\s+(?:on|in|of)\s+(?:\d|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday).*$"
)


def _as_outlet(raw: str) -> Outlet | None:
    name = DATE_TAIL.sub("", raw)
    if not name[:1].isalpha() or MONTH_START.match(name):
        return None  # "12 September 2019" and "April 11" are dates, not publications
    name = TRAILING_GENERIC.sub("", name.strip(" .,;:’'")).strip()
    name = re.sub(r"[’']s$", "", name)
    if not name or fold(name) in NOT_OUTLETS or len(name) < 2:
        return None
    known = resolve_outlet(name)
    if known:
        return known
    if name.lower().startswith("the ") and not raw.startswith("The "):
        name = name[4:]
    return Outlet(name)


def _capital_runs(text: str) -> Iterable[str]:
    return (m.group("name") for m in re.finditer(CAP_RUN, text))


def _first_known(names: Iterable[str]) -> Outlet | None:
    for name in names:
        found = resolve_outlet(name)
        if found:
            return found
    return None
