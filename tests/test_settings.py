"""Site settings: defaults, byline.toml, refusals, display names, documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from byline.errors import SettingsError
from byline.settings import SETTINGS, Settings, find_config, load_settings, settings_from_dict

DOCS = Path(__file__).resolve().parents[1] / "docs" / "publishing.md"


def test_every_setting_has_a_default_and_help() -> None:
    defaults = Settings()
    for setting in SETTINGS:
        assert getattr(defaults, setting.name) == setting.default
        assert setting.help.strip()


def test_without_a_file_the_defaults_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings() == Settings()
    assert Settings().templates_dir is None


def test_byline_toml_in_the_working_folder_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "byline.toml").write_text(
        'title = "Raffaello Pantucci"\nposts_per_page = 20\nbase_url = "https://x.org/blog/"\n'
        '[outlets]\n"Nikkei Asia" = "Nikkei Asia (Nikkei Asian Review)"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.title == "Raffaello Pantucci"
    assert settings.posts_per_page == 20
    assert settings.site_url == "https://x.org/blog"
    assert settings.root_path == "/blog"
    assert settings.templates_dir == tmp_path / "templates"
    assert settings.outlet_name("NIKKEI ASIA") == "Nikkei Asia (Nikkei Asian Review)"
    assert settings.outlet_name("The Economist") == "The Economist"


def test_an_explicit_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "missing.toml")
    assert find_config(None, cwd=tmp_path) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('titel = "x"\n', "unknown setting 'titel'"),
        ("posts_per_page = '10'\n", "posts_per_page must be a number"),
        ("posts_per_page = true\n", "posts_per_page must be a number"),
        ("title = 3\n", "title must be a string"),
        ("posts_per_page = 0\n", "posts_per_page must be 1 to"),
        ('base_url = "example.org"\n', "base_url must be an http"),
        ('language = "english please"\n', "language must be a tag"),
        ("[outlets]\nx = 1\n", "must map outlet names"),
        ("title = \n", "not valid TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "byline.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=message) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)


def test_settings_are_frozen_and_fingerprinted() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.title = "x"  # type: ignore[misc]
    assert settings.fingerprint() == Settings().fingerprint()
    assert settings.fingerprint() != Settings(title="Other").fingerprint()
    assert settings_from_dict({"outlets": {"A": "B"}}).outlets == (("A", "B"),)


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text("utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, f"{setting.name} is missing from {DOCS.name}"
    assert "`[outlets]`" in text
