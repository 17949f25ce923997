"""How fast a big WordPress export imports, and how much memory it takes.

Run on demand, never in CI:

    .venv/bin/python bench/import.py            # 10,000 posts
    .venv/bin/python bench/import.py 2000 10000

For each size it writes a WXR 1.2 export of that many generated posts
(bench/_corpus.py: the same posts the build benchmark uses, with a time and
an offset on each date), then imports it into a fresh database in a fresh
Python process through the real import path (``Archive.import_paths``: the
safety pass, the stream, near-duplicate fingerprints, one transaction) and
reports posts per second and the process's peak memory (``resource.getrusage``,
so the generator's own memory is not counted).  A second run imports the same
file again (every post unchanged).  Enrichment indexing, which ``byline
import`` runs afterwards, is left out: ``bench/entities.py`` measures it.

Targets (docs/importing.md): at least 500 posts/s and under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _corpus import generate, to_post  # noqa: E402

TARGET_POSTS_PER_SECOND = 500
TARGET_PEAK_MB = 500
OFFSETS = (0, 1, 2, -5)  # hours: the generated posts are dated in a few time zones


def write_export(n: int, path: Path) -> None:
    """A deterministic WXR of ``n`` generated posts (dates with times and offsets)."""
    from byline.export import write_wxr

    def posts():  # type: ignore[no-untyped-def]
        for gen in generate(n):
            post = to_post(gen)
            zone = timezone(timedelta(hours=OFFSETS[gen.number % len(OFFSETS)]))
            day = gen.published
            post.published_at = datetime(
                day.year, day.month, day.day, 9, gen.number % 60, tzinfo=zone
            )
            post.authors = ["Maren Castell"]
            yield post

    write_wxr(posts(), path, site_title="Bench archive", site_url="https://bench.example")


def child(db: str, export: str) -> None:
    """Import in this (fresh) process and print what it took as JSON."""
    from byline import Archive

    started = time.perf_counter()
    cpu = time.process_time()
    with Archive.open(db) as archive:
        report = archive.import_paths([export], index=False)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reader process, if one ran
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "new": report.new,
                "merged": report.merged,
                "unchanged": report.unchanged,
                "refused": [r.message for r in report.refused],
                "peak_mb": round(peak_kb / 1024, 1),
                "reader_peak_mb": round(children.ru_maxrss / 1024, 1),
                "cpu_seconds": round(cpu, 2),
                "reader_cpu_seconds": round(children.ru_utime + children.ru_stime, 2),
            }
        )
    )


def measure(db: Path, export: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(db), str(export)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--child", nargs=2, metavar=("DB", "EXPORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    print(f"machine: {machine()}")
    print(
        f"{'posts':>7}  {'file MB':>7}  {'run':6}  {'seconds':>7}  {'posts/s':>7}  {'peak MB':>7}"
        f"  {'reader MB':>9}  {'CPU s':>6}  {'reader CPU s':>12}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="byline-bench-") as temp:
        for n in args.sizes:
            export = Path(temp) / f"bench-{n}.xml"
            write_export(n, export)
            db = Path(temp) / f"bench-{n}.db"
            for run in ("fresh", "again"):
                result = measure(db, export)
                seconds = float(str(result["seconds"]))
                rate = n / seconds if seconds else float("inf")
                peak = float(str(result["peak_mb"]))
                reader_peak = float(str(result["reader_peak_mb"]))
                print(
                    f"{n:>7}  {export.stat().st_size / 2**20:>7.1f}  {run:6}  {seconds:>7.2f}"
                    f"  {rate:>7.0f}  {peak:>7.1f}  {reader_peak:>9.1f}"
                    f"  {result['cpu_seconds']:>6}  {result['reader_cpu_seconds']:>12}"
                )
                if result["refused"]:
                    print(f"  refused: {result['refused']}")
                    ok = False
                if run == "fresh":
                    ok &= result["new"] == n
                    ok &= rate >= TARGET_POSTS_PER_SECOND
                    ok &= peak + reader_peak < TARGET_PEAK_MB  # both processes together
    print(
        f"targets: >= {TARGET_POSTS_PER_SECOND} posts/s and < {TARGET_PEAK_MB} MB peak:"
        f" {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
