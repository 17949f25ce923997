"""Site settings: data with help text, loaded once from ``byline.toml`` and passed down.

Each setting is a :class:`Setting` (name, default, help), as Datasette does it;
:data:`SETTINGS` lists them all, and ``docs/publishing.md`` documents each.  A
``byline.toml`` holds any of them at its top level, plus an ``[outlets]``
table of display names::

    title = "Raffaello Pantucci"
    base_url = "https://example.org"
    posts_per_page = 10

    [outlets]
    "Nikkei Asia" = "Nikkei Asia (Nikkei Asian Review until 2020)"

Nothing here is a module global: :func:`load_settings` returns a frozen
:class:`Settings` that the caller hands to whatever needs it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from byline.errors import SettingsError
from byline.store import outlet_key

CONFIG_NAME = "byline.toml"
TEMPLATES_DIR = "templates"  # next to byline.toml: the user's template overrides
OUTLETS_TABLE = "outlets"
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")  # BCP 47, loosely
MAX_POSTS_PER_PAGE = 1000  # past this a page is a dump, not a page
MAX_FEED_ITEMS = 1000


@dataclass(frozen=True)
class Setting:
    """One setting: its name in ``byline.toml``, its default and what it does."""

    name: str
    default: str | int
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("title", "Archive", "The site's name, shown in every page's header and in feeds."),
    Setting("author", "", "The writer: the author of every piece, in bylines and metadata."),
    Setting(
        "base_url",
        "http://localhost:8000",
        "Where the site will be served; feeds, the sitemap and canonical links use it. "
        "A path (https://example.org/archive) puts every page under that path.",
    ),
    Setting("language", "en", "The pages' language (BCP 47 tag), for <html lang> and feeds."),
    Setting("description", "", "One line about the site, for the home page, feeds and previews."),
    Setting("posts_per_page", 10, "Posts listed on each page of the home page and archives."),
    Setting("feed_items", 20, "Newest posts in each feed."),
)
SETTING_NAMES = frozenset(s.name for s in SETTINGS)
DEFAULTS: dict[str, str | int] = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """A site's settings; build one with :func:`load_settings` or directly for tests."""

    title: str = str(DEFAULTS["title"])
    author: str = str(DEFAULTS["author"])
    base_url: str = str(DEFAULTS["base_url"])
    language: str = str(DEFAULTS["language"])
    description: str = str(DEFAULTS["description"])
    posts_per_page: int = int(DEFAULTS["posts_per_page"])
    feed_items: int = int(DEFAULTS["feed_items"])
    # (an outlet's stored name, or any spelling that folds to it; the name shown)
    outlets: tuple[tuple[str, str], ...] = ()
    config_path: Path | None = None  # the byline.toml these came from, if any

    def __post_init__(self) -> None:
        _check(self)
        # Keyed by the folded name, so "nikkei asia" in the file finds "Nikkei Asia".
        folded = {outlet_key(name): shown for name, shown in self.outlets}
        object.__setattr__(self, "_outlet_names", folded)

    @property
    def templates_dir(self) -> Path | None:
        """The user's template folder: ``templates/`` beside ``byline.toml``, if any."""
        return self.config_path.parent / TEMPLATES_DIR if self.config_path else None

    @property
    def site_url(self) -> str:
        """``base_url`` without a trailing slash."""
        return self.base_url.rstrip("/")

    @property
    def root_path(self) -> str:
        """The path every page lives under ("" or "/archive"), from ``base_url``."""
        return urlsplit(self.base_url).path.rstrip("/")

    def outlet_name(self, name: str) -> str:
        """How an outlet is shown: its display name from ``[outlets]``, else its own."""
        names: dict[str, str] = self.__dict__["_outlet_names"]
        return names.get(outlet_key(name), name)

    def fingerprint(self) -> str:
        """A hash of every value that can change a page; a change rebuilds them all."""
        data = {s.name: getattr(self, s.name) for s in SETTINGS}
        data[OUTLETS_TABLE] = sorted(self.outlets)
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()


def _check(settings: Settings) -> None:
    where = f"{settings.config_path}: " if settings.config_path else ""
    parts = urlsplit(settings.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise SettingsError(
            f"{where}base_url must be an http(s) address like https://example.org,"
            f" not {settings.base_url!r}"
        )
    if not LANGUAGE_TAG.match(settings.language):
        raise SettingsError(f"{where}language must be a tag like 'en' or 'fr-CA'")
    if not 1 <= settings.posts_per_page <= MAX_POSTS_PER_PAGE:
        raise SettingsError(f"{where}posts_per_page must be 1 to {MAX_POSTS_PER_PAGE}")
    if not 1 <= settings.feed_items <= MAX_FEED_ITEMS:
        raise SettingsError(f"{where}feed_items must be 1 to {MAX_FEED_ITEMS}")


def find_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Path | None:
    """The ``byline.toml`` to use: ``explicit`` (which must exist), else ``./byline.toml``."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise SettingsError(f"{path}: no such settings file")
        return path
    found = (cwd or Path.cwd()) / CONFIG_NAME
    return found if found.is_file() else None


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from a ``byline.toml`` (see :func:`find_config`), defaults for the rest.

    An unknown key, a value of the wrong type or a file that is not TOML is a
    ``SettingsError`` naming the file, so a typo never silently does nothing.
    """
    config = find_config(path)
    if config is None:
        return Settings()
    try:
        data = tomllib.loads(config.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{config}: cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{config}: not valid TOML ({exc})") from exc
    return settings_from_dict(data, config)


def settings_from_dict(data: dict[str, Any], config_path: Path | None = None) -> Settings:
    """Settings from parsed TOML (or any dict of the same shape)."""
    where = f"{config_path}: " if config_path else ""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == OUTLETS_TABLE:
            continue
        if key not in SETTING_NAMES:
            known = ", ".join(sorted(SETTING_NAMES | {OUTLETS_TABLE}))
            raise SettingsError(f"{where}unknown setting {key!r}; settings are: {known}")
        expected = type(DEFAULTS[key])
        if type(value) is not expected:  # bool is an int to isinstance; not here
            raise SettingsError(
                f"{where}{key} must be {'a number' if expected is int else 'a string'},"
                f" not {value!r}"
            )
        values[key] = value
    outlets = data.get(OUTLETS_TABLE, {})
    if not isinstance(outlets, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in outlets.items()
    ):
        raise SettingsError(f"{where}[{OUTLETS_TABLE}] must map outlet names to display names")
    return Settings(**values, outlets=tuple(outlets.items()), config_path=config_path)


__all__ = [
    "CONFIG_NAME",
    "SETTINGS",
    "Setting",
    "Settings",
    "find_config",
    "load_settings",
    "settings_from_dict",
]
