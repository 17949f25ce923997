"""byline keeps a writer's whole archive: recover, store, index and publish."""

from byline.api import Archive, ImportReport, Refused
from byline.errors import (
    BylineError,
    NotFoundError,
    ParseError,
    PublishError,
    SettingsError,
    SourceError,
    StoreError,
)
from byline.model import Block, Outlet, Piece, Post, Provenance, Source
from byline.publish.site import BuildReport, build_site
from byline.recover import RecoveredPage, recover_text
from byline.settings import Settings, load_settings
from byline.sources.text import read_archive_text

__all__ = [
    "Archive",
    "Block",
    "BuildReport",
    "BylineError",
    "ImportReport",
    "NotFoundError",
    "Outlet",
    "ParseError",
    "Piece",
    "Post",
    "Provenance",
    "PublishError",
    "RecoveredPage",
    "Refused",
    "Settings",
    "SettingsError",
    "Source",
    "SourceError",
    "StoreError",
    "build_site",
    "load_settings",
    "read_archive_text",
    "recover_text",
]

__version__ = "0.1.0"
