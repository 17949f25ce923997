"""A post's blocks arranged for its page: the blogger's note, then the piece.

Pure: blocks in, a :class:`PieceView` out, nothing about the rest of the site.
The running order of the piece is kept as the page showed it; what a reader
expects in fixed places is taken out of it: the preface (first, set apart),
the headline and standfirst (the header), the bio and meta lines (under the
byline) and the footnotes (at the end, linked both ways).  Consecutive list
items become one list, their markers dropped; a picture that survives only as
its file name or caption becomes a figure whose alternative text is the caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from byline.model import LIST_MARKER, Block, Caption, split_caption
from byline.publish._footnotes import Note, link_notes

PartKind = Literal["p", "h2", "ul", "ol", "figure"]
ORDERED_MARKER_START = tuple("0123456789")  # "1." or "2)" opens an ordered list
MISSING_PICTURE = "Picture not preserved"
EMPTY = Markup("")


@dataclass(frozen=True)
class Figure:
    """A picture's place: what it showed (alt text), its caption and credit."""

    alt: str
    caption: str | None
    credit: str | None


@dataclass(frozen=True)
class Part:
    """One element of the piece's running text, in order."""

    kind: PartKind
    html: Markup = EMPTY  # "p" and "h2": escaped text with linked note markers
    items: tuple[Markup, ...] = ()  # "ul" and "ol"
    figure: Figure | None = None  # "figure"

    @property
    def element(self) -> Markup:
        """The part as HTML, the way byline's own theme shows it."""
        if self.kind in ("p", "h2"):
            return Markup(f"<{self.kind}>{self.html}</{self.kind}>")
        if self.kind in ("ul", "ol"):
            items = "".join(f"<li>{item}</li>\n" for item in self.items)
            return Markup(f"<{self.kind}>\n{items}</{self.kind}>")
        figure = self.figure or Figure(MISSING_PICTURE, None, None)
        caption = ""
        if figure.caption:
            credit = (
                f' <span class="credit">Picture: {escape(figure.credit)}</span>'
                if figure.credit
                else ""
            )
            caption = f"\n<figcaption>{escape(figure.caption)}{credit}</figcaption>"
        return Markup(
            f'<figure>\n<div class="picture" role="img" aria-label="{escape(figure.alt)}">'
            f'<span aria-hidden="true">{MISSING_PICTURE}</span></div>{caption}\n</figure>'
        )


@dataclass(frozen=True)
class PieceView:
    """Everything a post page shows of one post's own text."""

    preface: tuple[str, ...]
    headline: str | None
    standfirst: str | None
    bio: tuple[str, ...]
    meta: tuple[str, ...]
    parts: tuple[Part, ...]
    notes: tuple[Note, ...]

    @property
    def body(self) -> Markup:
        """The running text as HTML: every part's ``element``, in order.

        Joined here rather than looped over in the template because it is the
        bulk of every post page; a theme that wants other markup can loop over
        ``parts`` itself.
        """
        return Markup("\n".join(part.element for part in self.parts))

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(p.figure for p in self.parts if p.figure is not None)


RUNNING_ROLES = frozenset({"body", "heading", "caption", "image"})


def piece_view(blocks: list[Block]) -> PieceView:
    """Arrange a post's blocks for its page (see the module's docstring)."""
    headlines = [b.text for b in blocks if b.role == "headline"]
    # A second headline line (a kicker the recovery split off) reads as a heading.
    running = [
        Block("heading", b.text, b.line) if b.role == "headline" else b
        for b in blocks
        if b.role in RUNNING_ROLES or (b.role == "headline" and b.text not in headlines[:1])
    ]
    texts = [b.text for b in running if b.role == "body"]
    linked = link_notes(texts, [b.text for b in blocks if b.role == "footnote"])
    paragraphs = iter(linked.paragraphs)
    parts: list[Part] = []
    pending_image: str | None = None
    items: list[Markup] = []
    ordered = False

    def close_list() -> None:
        nonlocal items
        if items:
            parts.append(Part("ol" if ordered else "ul", items=tuple(items)))
            items = []

    for block in running:
        if block.role == "image":
            close_list()
            if pending_image is not None:
                parts.append(_figure(pending_image, None))
            pending_image = block.text
            continue
        if block.role == "caption":
            close_list()
            parts.append(_figure(pending_image, split_caption(block.text)))
            pending_image = None
            continue
        if pending_image is not None:
            parts.append(_figure(pending_image, None))
            pending_image = None
        if block.role == "heading":
            close_list()
            parts.append(Part("h2", html=Markup.escape(block.text)))
            continue
        html = next(paragraphs)
        marker = LIST_MARKER.match(block.text)
        if marker:
            is_ordered = block.text.lstrip().startswith(ORDERED_MARKER_START)
            if items and is_ordered != ordered:
                close_list()
            ordered = is_ordered
            items.append(_strip_marker(html, len(marker.group(0))))
            continue
        close_list()
        parts.append(Part("p", html=html))
    close_list()
    if pending_image is not None:
        parts.append(_figure(pending_image, None))
    standfirst = [b.text for b in blocks if b.role == "standfirst"]
    return PieceView(
        preface=tuple(b.text for b in blocks if b.role == "preface"),
        headline=headlines[0] if headlines else None,
        standfirst=" ".join(standfirst) if standfirst else None,
        bio=tuple(b.text for b in blocks if b.role == "bio"),
        meta=tuple(b.text for b in blocks if b.role == "meta"),
        parts=tuple(parts),
        notes=linked.notes,
    )


def _figure(image: str | None, caption: Caption | None) -> Part:
    if caption is not None:
        alt = caption.text
    elif image:
        alt = f"{MISSING_PICTURE}: {image}"
    else:
        alt = MISSING_PICTURE
    text = caption.text if caption else None
    return Part("figure", figure=Figure(alt, text, caption.credit if caption else None))


def _strip_marker(html: Markup, marker_length: int) -> Markup:
    """The item without its "•" or "1." marker; the marker is plain text, so escaping
    left its length alone unless it held "&" or "<", which no marker does."""
    return Markup(html[marker_length:])
