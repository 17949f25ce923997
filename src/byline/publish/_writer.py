"""The one writer of the output folder: atomic, incremental, and all-or-nothing.

A build never leaves a half-written site.  Into a folder that does not exist
yet, everything is written into a temporary sibling folder that is renamed
into place at the end.  Into an existing site, each changed file is first
written into ``.byline/staging-*`` inside it (same file system), and only when
every page has rendered are they moved into place with ``os.replace`` (atomic
per file), stale files removed, and the manifest written last.  An error
before that point removes the staging folder and leaves the site untouched.

The manifest (``.byline/manifest.json``) records, for every file byline wrote,
its content hash and the signature of what it was rendered from, and each
post's revision.  A page whose signature is unchanged is not rendered again;
a page whose bytes are unchanged is not written again (its mtime stays put).
Files byline did not write (a ``CNAME``, a search index) are never removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from byline.errors import PublishError
from byline.publish._urls import INDEX_FILE, output_path, relative_file

MANIFEST_URL = "/.byline/manifest.json"
STATE_DIR = ".byline"
ABANDONED_SECONDS = 3600  # a staging folder this old belongs to no running build
MANIFEST_FORMAT = 3  # bump when the manifest's shape changes; an old one is ignored


HASH_CHARS = 32  # hex digits of a content hash


def _remove_abandoned(state: Path) -> None:
    """Staging folders left by a build that was killed (not one that failed: those clean up)."""
    cutoff = time.time() - ABANDONED_SECONDS
    for folder in state.glob("staging-*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=HASH_CHARS // 2).hexdigest()


def entry(digest: str, signature: str) -> str:
    """A manifest entry: the file's content hash, a space, its signature."""
    return f"{digest} {signature}"


def entry_hash(value: str) -> str:
    return value[:HASH_CHARS]


def entry_signature(value: str) -> str:
    return value[HASH_CHARS + 1 :]


@dataclass
class Manifest:
    """What the last build wrote: file -> "content-hash signature", post -> digest.

    A file's entry is one string (see :func:`entry`): at ten thousand posts the
    manifest has twenty thousand of them, and it is read and written on every
    build, so it is kept as plain as JSON allows.
    """

    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)
    posts: dict[int, str] = field(default_factory=dict)  # post -> its digest (revision, address)
    # listing (its first page, or "#posts" for every post) -> signature of its order
    listings: dict[str, str] = field(default_factory=dict)
    search: bool = False  # whether a search index was written from ``posts``
    raw: bytes = field(default=b"", repr=False, compare=False)  # as read, to skip rewriting it

    @classmethod
    def read(cls, out_dir: Path) -> Manifest:
        """The manifest in ``out_dir``, or an empty one (missing, unreadable, other format)."""
        path = output_path(out_dir, MANIFEST_URL, hidden=True)
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
            if data.get("format") != MANIFEST_FORMAT:
                return cls()
            return cls(
                fingerprint=str(data["fingerprint"]),
                files={str(k): str(v) for k, v in data["files"].items()},
                posts={int(k): str(v) for k, v in data["posts"].items()},
                listings={str(k): str(v) for k, v in data["listings"].items()},
                search=bool(data.get("search", False)),
                raw=raw,
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return cls()  # no usable record: the build treats every page as new

    def to_bytes(self) -> bytes:
        data = {
            "format": MANIFEST_FORMAT,
            "fingerprint": self.fingerprint,
            "search": self.search,
            "posts": {str(k): v for k, v in sorted(self.posts.items())},
            "listings": dict(sorted(self.listings.items())),
            "files": dict(sorted(self.files.items())),
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Staged:
    """One file a build produced: where it goes, its hash and signature, where it waits."""

    relative: str
    digest: str
    signature: str
    staged: str | None  # the staging file to move into place; None when nothing to move
    written: bool  # False when the bytes matched the last build's and nothing was written


class FileSink:
    """Writes a build's files where they wait for commit; usable from worker processes.

    A fresh site is written straight into its temporary folder; an existing
    one gets flat files in its staging folder, named so that several processes
    never pick the same name.
    """

    def __init__(self, root: Path, staging: Path, *, fresh: bool, check_disk: bool) -> None:
        self.root = root
        self.staging = staging
        self.fresh = fresh
        self.check_disk = check_disk
        self._made: set[str] = set()
        self._count = 0
        self._token = secrets.token_hex(6)  # unique per copy: copies stage side by side

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_made": set(), "_count": 0}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._token = secrets.token_hex(6)

    def write(self, relative: str, data: bytes, signature: str, previous: str | None) -> Staged:
        """Stage ``data`` for ``relative``, unless its bytes are what the last build wrote."""
        digest = content_hash(data)
        same = previous is not None and entry_hash(previous) == digest and not self.fresh
        if same and (not self.check_disk or (self.root / relative).is_file()):
            return Staged(relative, digest, signature, None, False)
        try:
            if self.fresh:
                parent = relative.rpartition("/")[0]
                if parent and parent not in self._made:
                    (self.root / parent).mkdir(parents=True, exist_ok=True)
                    self._made.add(parent)
                (self.root / relative).write_bytes(data)
                return Staged(relative, digest, signature, None, True)
            self._count += 1
            # The pid tells apart forked copies, which share a token; the token
            # tells apart copies unpickled in one process (and reused pids).
            staged = self.staging / f"{os.getpid()}-{self._token}-{self._count}"
            staged.write_bytes(data)
        except OSError as exc:
            raise PublishError(f"{relative}: cannot be written ({exc})") from exc
        return Staged(relative, digest, signature, str(staged), True)


class SiteWriter:
    """Writes one build's files; nothing is visible in ``out_dir`` until :meth:`commit`."""

    def __init__(self, out_dir: Path, previous: Manifest, *, check_disk: bool) -> None:
        self.out_dir = out_dir
        self.previous = previous
        self.check_disk = check_disk
        self.files: dict[str, str] = {}
        self.written: list[str] = []
        self.unchanged = 0
        self._made_dirs: set[str] = set()
        self._fresh = not out_dir.exists()
        self._pending: list[tuple[str, Path]] = []
        try:
            if self._fresh:
                out_dir.parent.mkdir(parents=True, exist_ok=True)
                self.root = Path(
                    tempfile.mkdtemp(prefix=f".{out_dir.name}.byline-", dir=out_dir.parent)
                )
                self._staging = self.root
            else:
                if not out_dir.is_dir():
                    raise PublishError(f"{out_dir}: exists and is not a folder")
                state = out_dir / STATE_DIR
                state.mkdir(exist_ok=True)
                _remove_abandoned(state)
                self.root = out_dir
                self._staging = Path(tempfile.mkdtemp(prefix="staging-", dir=state))
        except OSError as exc:
            raise PublishError(f"{out_dir}: cannot prepare the output folder ({exc})") from exc
        self.sink = FileSink(self.root, self._staging, fresh=self._fresh, check_disk=check_disk)

    def keep(self, url: str, signature: str) -> bool:
        """Keep the last build's file for ``url`` if it was made from the same signature."""
        # No need to check the address here: nothing is written, and every
        # address in the manifest was checked when its file was written.
        relative = url[1:] + INDEX_FILE if url.endswith("/") else url[1:]
        old = self.previous.files.get(relative)
        if old is None or entry_signature(old) != signature:
            return False
        if self.check_disk and not (self.out_dir / relative).is_file():
            return False
        self.files[relative] = old
        self.unchanged += 1
        return True

    def carry(self, urls: list[str]) -> bool:
        """Keep the last build's files for ``urls`` as they are (the caller knows they
        are current); False, keeping none, if the last build did not write them all."""
        relatives = [url[1:] + INDEX_FILE if url.endswith("/") else url[1:] for url in urls]
        old = self.previous.files
        if not all(relative in old for relative in relatives):
            return False
        for relative in relatives:
            self.files[relative] = old[relative]
        self.unchanged += len(relatives)
        return True

    def previous_entry(self, url: str) -> tuple[str, str | None]:
        """The checked file for ``url`` and what the last build recorded for it."""
        relative = relative_file(url)
        return relative, self.previous.files.get(relative)

    def put(self, url: str, data: bytes, signature: str = "") -> bool:
        """Stage ``data`` for ``url``; False (and nothing written) when the bytes are the same."""
        relative, previous = self.previous_entry(url)
        record = self.sink.write(relative, data, signature, previous)
        self.adopt([record])
        return record.written

    def adopt(self, records: list[Staged]) -> None:
        """Take files staged by :meth:`put` or by a worker process into this build."""
        for record in records:
            self.files[record.relative] = entry(record.digest, record.signature)
            if not record.written:
                self.unchanged += 1
                continue
            self.written.append(record.relative)
            if record.staged is not None:
                self._pending.append((record.relative, Path(record.staged)))

    def removals(self) -> list[str]:
        """Files the last build wrote that this one did not: to be removed on commit."""
        return sorted(set(self.previous.files) - set(self.files))

    def commit(self, manifest: Manifest) -> int:
        """Move every staged file into place, remove stale ones, write the manifest last.

        Returns how many stale files were removed.
        """
        manifest.files = dict(self.files)
        stale = [] if self._fresh else self.removals()
        try:
            if self._fresh:
                self._write_manifest(self.root, manifest)
                if self.out_dir.exists():  # made meanwhile; only an empty folder may be replaced
                    self.out_dir.rmdir()
                os.replace(self.root, self.out_dir)
                return 0
            for relative, staged in self._pending:
                self._make_parent(relative, self.out_dir)
                os.replace(staged, self.out_dir / relative)
            for relative in stale:
                self._remove(relative)
            self._write_manifest(self.out_dir, manifest)
        except OSError as exc:
            raise PublishError(
                f"{self.out_dir}: could not finish writing the site ({exc})"
            ) from exc
        finally:
            self._cleanup()
        return len(stale)

    def abort(self) -> None:
        """Forget everything staged; the output folder is as it was."""
        self._cleanup()

    def _cleanup(self) -> None:
        if self._fresh:
            if self.root.exists() and self.root != self.out_dir:
                shutil.rmtree(self.root, ignore_errors=True)
        else:
            shutil.rmtree(self._staging, ignore_errors=True)

    def _write_manifest(self, root: Path, manifest: Manifest) -> None:
        if manifest == self.previous and self.previous.raw:
            manifest.raw = self.previous.raw
            return  # nothing changed: leave even the manifest's mtime alone
        data = manifest.to_bytes()
        manifest.raw = data
        path = output_path(root, MANIFEST_URL, hidden=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    def _make_parent(self, relative: str, root: Path) -> None:
        parent = relative.rpartition("/")[0]
        if parent and parent not in self._made_dirs:
            (root / parent).mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(parent)

    def _remove(self, relative: str) -> None:
        try:
            relative_file("/" + relative)  # a tampered manifest must not delete elsewhere
        except PublishError:
            return
        target = self.out_dir / relative
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        parent = target.parent
        while parent != self.out_dir:
            try:
                parent.rmdir()  # only succeeds when empty
            except OSError:
                break
            parent = parent.parent
