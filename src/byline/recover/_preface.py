"""How much a paragraph sounds like a blogger introducing a re-published piece.

A preface talks *about* the piece: where it ran, when, why it is posted late,
what was cut.  The cues are the vocabulary of re-publishing, not any writer's
phrases: "first ran in", "cross-posted from", "a piece I wrote for", "catch-up
posting", "reposted here".  Strong cues alone make a preface; weak cues only
extend a preface that a strong cue has already begun.
"""

from __future__ import annotations

import re

STRONG = 2.0  # a paragraph with a strong cue is a preface when a headline follows
WEAK = 1.0  # enough to extend a preface run backwards from a strong paragraph

WORK = (
    r"(?:piece|column|op-?ed|article|essay|interview|chapter|paper|report|commentary|"
    r"contribution|post|talk|lecture|review|story|feature|analysis|q&a|blog ?post|write-?up|"
    r"extract|excerpt|letter)"
)

CAP = r"(?:[A-Z][A-Za-z’'&.-]+|[A-Z]{2,})"  # a capitalised word, not the pronoun "I"

# Patterns are case-sensitive where a capital marks a publication's name;
# (?i:...) makes the surrounding words case-blind.
STRONG_CUES = [
    re.compile(p)
    for p in (
        r"(?i:\b(?:first|originally|also)\s+(?:ran|appeared|published|posted|printed|aired)\b)",
        r"(?i:\bcross-?posted\b)",
        r"(?i:\bre-?post(?:ed|ing)?\b)",
        r"(?i:\bre-?publish(?:ed|ing)?\b)",
        r"(?i:\bcatch(?:ing)?[ -]up\b)(?!\s+with)",
        r"(?i:\b(?:delayed|belated|late|delinquent)\b.{0,40}\bpost(?:ing|ed)?\b)",
        rf"(?i:\b{WORK},?\s+(?:(?:is|was|went|ran|also)\s+)?(?:for|in|with|from|at)\s+(?:the\s+|an?\s+)?)(?:[a-z]+\s+){{0,2}}{CAP}",
        rf"(?i:\b{WORK}\s+(?:I|we)\s+(?:wrote|did|gave|recorded|published|filed)\b)",
        rf"(?i:\b(?:my|our)\s+(?:\w+\s+){{0,2}}{WORK}\s+(?:for|in|with|at|on)\b)",
        rf"(?i:\b(?:a|an|another|this|the)\s+(?:new|short|long|longer|recent|latest|final|"
        rf"quick|brief|fresh)\s+{WORK}\s+(?:for|in|with|at|on|from|than)\b)",
        r"(?i:\b(?:I|we)\s+(?:wrote|have written|spoke|talked|answered|contributed|gave)\b)"
        rf"(?:\s+\S+){{0,8}}?\s+(?i:for|to|with|at|from)\s+(?:the\s+)?{CAP}",
        rf"(?i:\b(?:wrote|written)\s+(?:this\s+|it\s+)?for\s+(?:the\s+)?){CAP}",
        rf"^(?:From|Via|Courtesy of)\s+(?:the\s+|this\s+|last\s+)?(?:(?i:week|month|day|weekend)"
        rf"(?:’s|'s)\s+)?{CAP}(?:\s+{CAP}){{0,5}}\.",
        rf"(?i:\b(?:ran|published)\s+(?:in|at)\s+(?:the\s+)?){CAP}",
        r"(?i:\bwith\s+(?:kind\s+)?(?:thanks|permission)\b)",
        rf"(?i:\bthis\s+(?:time|one)\s+)(?:(?i:for|in|with|at)\s+(?:the\s+)?{CAP}|"
        rf"(?i:an?\s+(?:\w+\s+)?{WORK}|looking|again))",
        rf"(?i:\b(?:thoughts|something|a few words|a note|notes|words|a longer read|a short read|"
        rf"a read)\s+(?:\w+\s+){{0,2}}for\s+(?:the\s+)?(?:folks|people|team|editors)?\s*"
        rf"(?:at\s+)?){CAP}",
        rf"(?i:\bwrote\s+(?:\w+\s+){{0,3}}for\s+(?:the\s+)?){CAP}",
        r"^(?i:latest|new|out (?:now|today)|up (?:now|today)|today|this week|just out)\b"
        r"[^.]{0,30}"
        rf"(?i:\b(?:for|in|at|on)\s+(?:the\s+)?){CAP}",
        rf"^(?i:in|for|at|on)\s+(?:the\s+)?{CAP}(?:\s+{CAP}){{0,4}}\s+(?i:this\s+\w+|today|"
        r"yesterday|last\s+\w+|on\s+\w+day)\b",
        rf"(?:^|\.\s+)(?:The\s+)?{CAP}(?:\s+{CAP}){{0,4}}\s+(?i:ran|published|carried|printed|"
        r"ran a (?:\w+\s+){0,2}version of)\s+(?i:this|it|my|a)\b",
        rf"^(?:{CAP}(?:\s+{CAP}){{1,4}}|[A-Z]{{2,}})\s+(?i:commentary|column|op-?ed|piece|essay|interview|"
        r"article|feature|review)\b",
        r"(?i:\b(?:ran|appeared|went up|was published)\s+(?:on|in)\s+(?:\d|(?:January|February|"
        r"March|April|May|June|July|August|September|October|November|December)\s+\d))",
        r"(?i:\bmy\s+(?:\w+\s+){0,2}(?:column|op-?ed)\b)",
        rf"^(?i:for|from|in|at|via|written for|published in)\s+(?:the\s+)?{CAP}[^.]{{0,70}}:$",
        rf"^(?i:in|for)\s+(?:today|yesterday|this\s+\w+|last\s+\w+)(?:’s|'s)\s+{CAP}",
        r"(?i:\b(?:an?\s+)?older\s+(?:\w+\s+)?(?:piece|column|post|article|essay)\b)",
        rf"(?i:\banother\s+(?:one|piece|column|op-?ed)\s+(?:for|from|in|at)\s+(?:the\s+)?){CAP}",
        r"(?i:\bstarted\s+(?:life|out)\b)",
        rf"(?i:(?:^|\bmy\s+)latest\s+(?:\w+\s+)?(?:for|in|at)\s+(?:the\s+)?){CAP}",
        r"(?i:\b(?:text|transcript|slides|recording)\s+of\s+(?:\S+\s+){0,3}"
        r"(?:talk|lecture|speech|presentation|keynote|address)\b)",
        r"(?i:\b(?:asked|invited|commissioned)\s+(?:me|us)\s+(?:for|to)\b)",
        r"(?i:\b(?:I|we)\s+interviewed\b)",
        r"(?i:\b(?:this|last|next|today)(?:’s|'s)?\s+(?:week(?:’s|'s)\s+)?(?:column|piece|op-?ed)\b)",
        r"(?i:\b(?:an?|the|another|second|third)\s+(?:\w+\s+)?(?:extract|excerpt)\s+from\b)",
        r"(?i:\breprinted\b|\breproduced\b|\beditor(?:’s|'s)\s+note\b)",
    )
]

# Talk of revising a text continues a preface but does not start one: a
# correction note says "I've corrected the post" in its own body.
REVISION_CUES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:has|have|was|were)\s+been\s+(?:lightly\s+|slightly\s+|since\s+)?"
        r"(?:updated|edited|revised|corrected|shortened|expanded|abridged)\b",
        r"\b(?:I|we)(?:\s+have|’ve|'ve)?\s+(?:updated|revised|corrected|added|cut|trimmed|"
        r"shortened|expanded|restored)\b",
    )
]

WEAK_WORDS = re.compile(
    r"\b(?:blog|here|readers?|editors?|headline|version|site|website|platform|publication|"
    r"paper|piece|column|posting|posted|webinar|podcast|media|below|above|follows|housekeeping|"
    r"aside|meantime|apologies|sorry|asked|I|I’ve|I've|I’d|I'd|I’m|I'm|me|my)\b",
    re.IGNORECASE,
)


def preface_score(clean: str) -> float:
    """STRONG or more for a paragraph with re-publishing talk, WEAK for blog-ish talk."""
    strong = sum(1 for cue in STRONG_CUES if cue.search(clean))
    if strong:
        return STRONG + 0.1 * (strong - 1)
    if any(cue.search(clean) for cue in REVISION_CUES):
        return WEAK
    weak = {m.group(0).lower() for m in WEAK_WORDS.finditer(clean)}
    return WEAK if len(weak) >= 2 else 0.5 * len(weak)
