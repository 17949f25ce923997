"""Figures the text states: money, percentages and counts, each with its sentence.

A small pattern of byline's own rather than a library: price-parser and
quantulum3 both misread "$9.4 billion" and "2.5bn".  The steps, in order:

1. Money with a currency before the number: "$280 million", "US$280 million",
   "€3m", "£4.2 million", "RMB 10 billion".
2. Money with a currency word after it: "2.5bn yuan", "10 billion rubles",
   "500 million tenge", "300 Pakistani rupees".
3. Percentages: "29.3%", "20 per cent", "4.9 percent", "2 percentage points".
4. Counts: a number (with its scale) and the words it counts, "12,000
   railcars", "3.5 million ethnic Russians", "1 million tonnes" (tonnes are not
   money).  Years, dates, times, footnote marks, model numbers ("787-8") and
   numbers glued to words ("G20", "COVID-19") are not counts.

Vague amounts ("billions of dollars") have no value and are not figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from byline.enrich._model import Figure, FigureKind
from byline.enrich._text import normalise, sentence_at, words
from byline.enrich.entities import find_entities
from byline.enrich.knowledge import Knowledge
from byline.model import Post, Role

SCALES = {
    "thousand": 1e3, "k": 1e3, "lakh": 1e5, "million": 1e6, "mn": 1e6, "m": 1e6,
    "crore": 1e7, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
    "trn": 1e12,
}  # fmt: skip
SCALE_NAMES = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion",
               "tn": "trillion", "trn": "trillion"}  # fmt: skip
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a": 1, "several": 3, "a few": 3,
}  # fmt: skip
SYMBOLS = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "USD": "USD", "A$": "AUD", "AU$": "AUD",
    "C$": "CAD", "CA$": "CAD", "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "€": "EUR",
    "EUR": "EUR", "£": "GBP", "GBP": "GBP", "₹": "INR", "Rs": "INR", "Rs.": "INR",
    "₽": "RUB", "₸": "KZT", "RMB": "CNY", "CNY": "CNY", "¥": "CNY",
}  # fmt: skip
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD",
    "hong kong dollars": "HKD", "singapore dollars": "SGD", "australian dollars": "AUD",
    "canadian dollars": "CAD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
    "pounds sterling": "GBP", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "yen": "JPY",
    "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "tenge": "KZT",
    "som": "KGS", "soms": "KGS", "kyrgyz som": "KGS", "uzbek som": "UZS", "uzbek sum": "UZS",
    "sum": "UZS", "so'm": "UZS", "somoni": "TJS", "manat": "TMT", "azerbaijani manat": "AZN",
    "rupee": "INR", "rupees": "INR", "indian rupees": "INR", "pakistani rupees": "PKR",
    "lira": "TRY", "rial": "IRR", "rials": "IRR", "afghani": "AFN", "afghanis": "AFN",
    "dirham": "AED", "dirhams": "AED", "riyal": "SAR", "riyals": "SAR", "usd": "USD",
    "eur": "EUR", "gbp": "GBP", "cny": "CNY", "rub": "RUB", "kzt": "KZT", "kgs": "KGS",
    "uzs": "UZS", "tjs": "TJS", "inr": "INR", "pkr": "PKR", "jpy": "JPY",
}  # fmt: skip
# "¥" is the yuan in writing about China, otherwise the yen.
YEN_CONTEXT = re.compile(r"\b(?:Japan|Japanese|Tokyo|yen)\b")

NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
SCALE = (
    r"(?:\s?(?P<scale>(?i:thousand|million|billion|trillion|lakh|crore))\b"
    r"|\s?(?P<abbr>bn|mn|tn|trn)\b|(?P<tight>[mbk])\b)?"
)
PREFIX = (
    r"(?P<cur>U\.S\.\s?\$|US\s?\$|A\$|AU\$|C\$|CA\$|HK\$|S\$|NZ\$|USD\s?|EUR\s?|GBP\s?|"
    r"RMB\s?|CNY\s?|Rs\.?\s?|[$€£¥₹₽₸])"
)
WORDS_AFTER = "|".join(sorted((re.escape(w) for w in CURRENCY_WORDS), key=len, reverse=True))
QUALIFIED_WORDS = (
    r"(?:(?:Pakistani|Indian|Kyrgyz|Uzbek|Azerbaijani|US|U\.S\.|Hong Kong|Singapore|"
    r"Australian|Canadian)\s+)?"
)
START = r"(?<![\w$€£¥.,-])"  # not glued to a word, a currency or another number

MONEY_BEFORE = re.compile(START + PREFIX + NUMBER + SCALE + r"(?:\s+(?i:dollars|USD))?")
MONEY_AFTER = re.compile(
    START + NUMBER + SCALE + r"\s+(?P<word>" + QUALIFIED_WORDS + r"(?i:" + WORDS_AFTER + r"))\b"
)
PERCENT = re.compile(
    START + NUMBER + r"(?:\s?(?P<unit>%|(?i:per\s?cent|percent)\b|(?i:percentage points?)\b))"
)
WORD_NUMBER = r"(?P<word_num>(?i:one|two|three|four|five|six|seven|eight|nine|ten|a few|several))"
COUNT = re.compile(
    START
    + r"(?:"
    + NUMBER
    + r"|"
    + WORD_NUMBER
    + r"(?=\s+(?i:thousand|million|billion)))"
    + SCALE
    + r"(?![\w%$.,:/-]|\s(?:per\s?cent|percent))"
)
UNIT_WORD = re.compile(r"\s+([A-Za-z][\w'-]*)")
UNIT_STOP = words(
    """of in to and or who that which from with at on for was were had have has is are be by as
    than per each a an the this these those its their his her it they we years year months
    month days day weeks week hours am pm"""
)
MAX_UNIT_WORDS = 3
MAY_HOLD_FIGURE = re.compile(r"\d|(?i:thousand|million|billion)")  # a cheap first look
MONTH_NAMES = re.compile(
    r"^\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b", re.IGNORECASE
)
MONTH_BEFORE = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$", re.IGNORECASE
)
NUMBER_MARK_BEFORE = re.compile(r"(?:\bno\.?|#|\bNo\.?|\bpage|\bp\.|\bpp\.|\bvol\.?)\s*$")
YEAR = re.compile(r"^(?:1[89]|20)\d{2}$")
# Text roles whose figures are collected: every part of a post, footnotes too
# (a cited headline may be the only place an amount is written out in full).
FIGURE_ROLES: tuple[Role, ...] = (
    "preface", "headline", "standfirst", "heading", "body", "caption", "footnote", "bio", "meta",
)  # fmt: skip


def find_figures(text: str, *, role: Role | None = None, line: int | None = None) -> list[Figure]:
    """Money, percentages and counts in one text, in order; offsets index ``text``."""
    norm = normalise(text)
    found: list[Figure] = []
    if not MAY_HOLD_FIGURE.search(norm):
        return found
    taken = bytearray(len(norm))

    def add(
        kind: FigureKind,
        span: tuple[int, int],
        number: float,
        scale: tuple[str | None, float],
        currency: str | None = None,
        unit: str | None = None,
    ) -> None:
        start, end = span
        if any(taken[start:end]):
            return
        taken[start:end] = b"\x01" * (end - start)
        s, e = sentence_at(norm, start)
        found.append(
            Figure(
                kind=kind,
                text=text[start:end],
                value=number * scale[1],
                number=number,
                scale=scale[0],
                currency=currency,
                unit=unit,
                sentence=text[s:e],
                role=role,
                line=line,
                start=start,
                end=end,
            )
        )

    for match in MONEY_BEFORE.finditer(norm):
        number, scale = _number(match)
        symbol = re.sub(r"\s", "", match.group("cur"))
        currency = SYMBOLS.get(symbol, "USD")
        if symbol == "¥" and YEN_CONTEXT.search(norm[slice(*sentence_at(norm, match.start()))]):
            currency = "JPY"
        add("money", match.span(), number, scale, currency=currency)
    for match in MONEY_AFTER.finditer(norm):
        number, scale = _number(match)
        add("money", match.span(), number, scale, currency=_currency_word(match.group("word")))
    for match in PERCENT.finditer(norm):
        number = float(match.group("num").replace(",", ""))
        unit = "percentage points" if "point" in match.group("unit").lower() else "%"
        add("percent", match.span(), number, (None, 1.0), unit=unit)
    for match in COUNT.finditer(norm):
        if any(taken[match.start() : match.end()]) or not _is_count(norm, match):
            continue
        if role == "footnote" and not norm[: match.start()].strip():
            continue  # the footnote's own number
        counted, counted_end = _unit(norm, match.end())
        if counted is not None:
            number, scale = _number(match)
            add("count", (match.start(), counted_end), number, scale, unit=counted)
    found.sort(key=lambda f: f.start)
    return found


def figures_for_post(
    post: Post, knowledge: Knowledge | None = None, *, post_key: str | None = None
) -> list[Figure]:
    """Every figure in a post, with the entities named in its sentence and the post's key."""
    key = post_key or post.content_key
    figures: list[Figure] = []
    for block in post.blocks:
        if block.role not in FIGURE_ROLES:
            continue
        for figure in find_figures(block.text, role=block.role, line=block.line):
            ids: tuple[str, ...] = ()
            names: tuple[str, ...] = ()
            if knowledge is not None:
                mentions = find_entities(figure.sentence, knowledge)
                unique = {m.entity_id: m.name for m in mentions}
                ids, names = tuple(unique), tuple(unique.values())
            figures.append(_with(figure, ids, names, key))
    return figures


def _with(figure: Figure, ids: Sequence[str], names: Sequence[str], key: str) -> Figure:
    return Figure(**{**figure.__dict__, "entity_ids": tuple(ids), "entity_names": tuple(names),
                     "post_key": key})  # fmt: skip


def _number(match: re.Match[str]) -> tuple[float, tuple[str | None, float]]:
    groups = match.groupdict()
    if groups.get("num"):
        number = float(groups["num"].replace(",", ""))
    else:
        number = float(WORD_NUMBERS[str(groups.get("word_num", "one")).lower()])
    raw = groups.get("scale") or groups.get("abbr") or groups.get("tight")
    if not raw:
        return number, (None, 1.0)
    scale = raw.lower()
    return number, (SCALE_NAMES.get(scale, scale), SCALES[scale])


def _currency_word(word: str) -> str:
    folded = " ".join(word.lower().split())
    if folded in CURRENCY_WORDS:
        return CURRENCY_WORDS[folded]
    last = folded.split()[-1]
    return CURRENCY_WORDS.get(last, "USD")


def _is_count(text: str, match: re.Match[str]) -> bool:
    raw: str | None = match.group("num")
    before = text[max(0, match.start() - 12) : match.start()]
    if raw is None:
        return True  # "one million masks"
    if match.start() > 0 and not (
        text[match.start() - 1].isspace() or text[match.start() - 1] in "(\"'"
    ):
        return False  # footnote marks ("cases,2"), codes ("G20")
    if YEAR.match(raw) and not (match.group("scale") or match.group("abbr")):
        return False
    if MONTH_BEFORE.search(before) or NUMBER_MARK_BEFORE.search(before):
        return False  # "March 9", "Dec. 30", "no. 80"
    return not MONTH_NAMES.match(text[match.end() :])  # "19 May"


def _unit(text: str, end: int) -> tuple[str | None, int]:
    words: list[str] = []
    position = end
    while len(words) < MAX_UNIT_WORDS:
        match = UNIT_WORD.match(text, position)
        if not match:
            break
        word = match.group(1)
        if word.lower() in UNIT_STOP:
            break
        words.append(word)
        position = match.end()
        if text[position : position + 1] in ",.;:)" or word.endswith("s"):
            break
    if not words:
        return None, end
    return " ".join(words), position
