"""byline's errors form one tree, so callers can catch exactly what they mean.

    BylineError
    ├── SourceError   a file cannot be read as any input byline knows
    ├── ParseError    a file was read but holds no archive byline can recover
    ├── StoreError    the database refused or is not a byline database
    ├── NotFoundError the archive holds no such post, category, tag or outlet
    ├── SettingsError byline.toml cannot be read or holds a bad setting
    └── PublishError  a site or export could not be written

Foreign exceptions are translated at the one boundary where they occur
(``raise SourceError(...) from exc``); messages are one line, for people.
"""


class BylineError(Exception):
    """Base of every error byline raises on purpose."""


class SourceError(BylineError):
    """A file cannot be read: missing, empty, binary, too large, undecodable."""


class ParseError(BylineError):
    """A file was read but no archive could be recovered from it."""


class StoreError(BylineError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(BylineError):
    """A post, category, tag or outlet asked for by name is not in the archive."""


class SettingsError(BylineError):
    """A settings file cannot be read, is not TOML, or holds an unknown or bad setting."""


class PublishError(BylineError):
    """A site or an export could not be written."""
