"""The import progress bar: on standard error, on a terminal, for imports of many files."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

PROGRESS_MIN_FILES = 5  # fewer files than this import in a blink: no bar


class ImportProgress:
    """A ``progress`` callback for ``Archive.import_paths`` that draws a bar with rich.

    Nothing is drawn unless the stream is a terminal and the import has more
    than ``min_files`` files, so piped output and tests see only the summary.
    """

    def __init__(self, stream: IO[str] | None = None, min_files: int = PROGRESS_MIN_FILES) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.min_files = min_files
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int, path: Path) -> None:
        if self._bar is None:
            if total <= self.min_files or not self.stream.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._bar = Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        self._bar.update(self._task, completed=done, description=path.name)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
