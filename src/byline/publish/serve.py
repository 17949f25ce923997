"""Preview a built site on 127.0.0.1, rebuilding it when its inputs change.

The standard library's ``ThreadingHTTPServer`` serves the output folder; a
thread polls the modification times of the inputs (the database and its WAL
file, ``byline.toml``, the ``templates/`` folder) once a second and calls the
rebuild function when any changed.  Rebuilds are incremental and atomic, so a
page is never served half-written.  For previews only: it serves files, no
more, and only to this machine.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from byline.errors import BylineError
from byline.publish._urls import NOT_FOUND, relative_file

HOST = "127.0.0.1"  # never another interface: a preview is for this machine
DEFAULT_PORT = 8000
POLL_SECONDS = 1.0
Snapshot = dict[str, tuple[int, int]]


class _Handler(SimpleHTTPRequestHandler):
    """Static files from the site folder; the site's own 404 page; quiet logs."""

    root_path = ""  # the base URL's path, served as if at "/"

    def translate_path(self, path: str) -> str:
        if self.root_path and path.startswith(self.root_path):
            path = path[len(self.root_path) :] or "/"
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / relative_file(NOT_FOUND)
        if code == HTTPStatus.NOT_FOUND and page.is_file():
            body = page.read_bytes()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request drowns the rebuild messages that matter


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(mtime, size) of every file at or under ``paths``; missing paths are simply absent."""
    found: Snapshot = {}
    for path in paths:
        if path.is_dir():
            for folder, _dirs, files in os.walk(path):
                for name in files:
                    _stat(Path(folder) / name, found)
        else:
            _stat(path, found)
    return found


def _stat(path: Path, found: Snapshot) -> None:
    try:
        info = path.stat()
    except OSError:
        return
    found[str(path)] = (info.st_mtime_ns, info.st_size)


class Preview:
    """A local server for a built site, with a watcher that rebuilds it on change.

    ``rebuild`` is called (from the watcher's thread) when a watched path
    changes and returns a line for ``log``; a ``BylineError`` it raises is
    logged too, and the last good site goes on being served.
    """

    def __init__(
        self,
        out_dir: str | Path,
        *,
        port: int = DEFAULT_PORT,
        root_path: str = "",
        rebuild: Callable[[], str] | None = None,
        watch: Iterable[Path] = (),
        log: Callable[[str], None] = print,
        interval: float = POLL_SECONDS,
    ) -> None:
        self.out_dir = Path(out_dir)
        handler = type("Handler", (_Handler,), {"root_path": root_path.rstrip("/")})
        self.server = ThreadingHTTPServer(
            (HOST, port), partial(handler, directory=str(self.out_dir))
        )
        self.server.daemon_threads = True
        self.root_path = root_path.rstrip("/")
        self.rebuild = rebuild
        self.watched = tuple(watch)
        self.log = log
        self.interval = interval
        self._stop = threading.Event()
        self._stopped = False
        self._server_thread: threading.Thread | None = None
        self._watcher: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{self.root_path}/"

    def start(self) -> None:
        """Serve and watch in background threads (for tests and embedding)."""
        self._start_watcher()
        self._server_thread = threading.Thread(
            target=self.server.serve_forever, name="byline-serve", daemon=True
        )
        self._server_thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C (``KeyboardInterrupt``) or :meth:`stop`."""
        self._start_watcher()
        try:
            self.server.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving and watching, and close the socket; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._stop.set()
        if self._server_thread is not None:
            self.server.shutdown()  # returns once serve_forever has left its loop
            self._server_thread.join()
        if self._watcher is not None and self._watcher is not threading.current_thread():
            self._watcher.join(timeout=self.interval + 30)  # a rebuild may be finishing
        self.server.server_close()

    def _start_watcher(self) -> None:
        if self.rebuild is None or not self.watched:
            return
        self._watcher = threading.Thread(target=self._watch, name="byline-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        seen = snapshot(self.watched)
        while not self._stop.wait(self.interval):
            now = snapshot(self.watched)
            if now == seen or self.rebuild is None:
                continue
            try:
                self.log(self.rebuild())
            except BylineError as err:
                self.log(f"Rebuild failed, still serving the last good site: {err}")
            # Closing the database can checkpoint its WAL; that is not a change.
            seen = snapshot(self.watched)
