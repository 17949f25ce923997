"""Build the same generated archive with byline, Pelican and Hugo, and compare.

Run on demand, never in CI:

    .venv/bin/pip install -e '.[bench]'      # Pelican and Markdown
    apt-get install hugo                     # Debian's hugo
    .venv/bin/python bench/build.py 1000 10000

For each size it generates the posts once (bench/_corpus.py), writes them as
a byline database, a Pelican content folder and a Hugo site with the same page
set (a page per post, home, category and tag archives paginated by 10, feeds
for the site and every category and tag), then measures in this one run:

- a full build of each (wall time and peak memory of the building process);
- a rebuild after one post's text changes (byline: incremental build; Pelican
  and Hugo: their normal rebuild, which re-renders everything);
- byline's "serve rebuild": the same kind of edit rebuilt in one warm process
  with a ``BuildCache``, as ``byline serve`` does (median of five edits; the
  same edits built in-process without the cache are reported alongside);
- byline's search index on its own (build time, peak memory, bytes per post).

Figures are printed as a table and as ratios to byline's own time.  Tools that
are not installed are reported as missing, not faked.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _corpus import generate, write_hugo, write_pelican, write_store  # noqa: E402

PER_PAGE = 10
SERVE_EDITS = 5  # one-post edits rebuilt in one process, as byline serve does
PELICAN_CONF = """
AUTHOR = "Maren Castell"
SITENAME = "Bench archive"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = {per_page}
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "category": None, "author": None}}
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{{slug}}.atom.xml"
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{slug}}/index.html"
YEAR_ARCHIVE_SAVE_AS = "{{date:%Y}}/index.html"
RELATIVE_URLS = True
"""
HUGO_CONFIG = """
baseURL = "http://localhost/"
title = "Bench archive"
disableKinds = ["section"]
[pagination]
pagerSize = {per_page}
paginate = {per_page}
[taxonomies]
category = "categories"
tag = "tags"
[permalinks]
posts = "/:year/:month/:slug/"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
        '</head><body><main>{{ block "main" . }}{{ end }}</main></body></html>'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}'
        '</time>{{ .Content }}<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}'
        '{{ . | urlize }}/">{{ . }}</a> {{ end }}</p></article>{{ end }}'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages }}'
        '{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        "<p>{{ .Summary }}</p></article>{{ end }}"
        '{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}'
    ),
    "index.html": (
        '{{ define "main" }}{{ $p := .Paginate (where .Site.RegularPages "Type" "posts") }}'
        '{{ range $p.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        "<p>{{ .Summary }}</p></article>{{ end }}"
        '{{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Older</a>{{ end }}{{ end }}'
    ),
}


def measure(command: list[str], cwd: Path | None = None) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(HERE / "_measure.py"), *command],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    if result["returncode"] != 0:
        raise SystemExit(f"{command[0]} failed: {result['stderr']}")
    return result


def byline_command() -> list[str]:
    found = shutil.which("byline")
    return [found] if found else [sys.executable, "-m", "byline.cli"]


def count_files(folder: Path, suffix: str = ".html") -> int:
    return sum(1 for _ in folder.rglob(f"*{suffix}"))


def edit_one_post_in_store(db: Path, post_id: int) -> None:
    """Change one paragraph of one post, as a re-import of an edited page would."""
    from byline.store import SQLiteStore

    store = SQLiteStore(db)
    try:
        edit = getattr(store, "edit_block_text", None)
        if edit is not None:
            edit(post_id, "body", " (Edited for the benchmark.)")
            return
    finally:
        store.close()
    with sqlite3.connect(db) as conn:  # fallback for stores without an edit method
        conn.execute(
            "UPDATE blocks SET text = text || ' (Edited.)' WHERE post_id = ? AND seq = "
            "(SELECT min(seq) FROM blocks WHERE post_id = ? AND role = 'body')",
            (post_id, post_id),
        )
        conn.execute(
            "UPDATE posts SET body = body || ' (Edited.)', revision = revision + 1 WHERE id = ?",
            (post_id,),
        )


def bench_byline(work: Path, posts: list) -> dict[str, object]:  # type: ignore[type-arg]
    db = work / "byline.db"
    write_store(posts, db)
    site = work / "byline-site"
    cmd = [*byline_command(), "--db", str(db), "build", "--out", str(site)]
    full = measure(cmd)
    pages = count_files(site)
    edit_one_post_in_store(db, post_id=len(posts) // 2)
    again = measure(cmd)
    serve = serve_rebuilds(db, site, [len(posts) // 3 + k * 37 for k in range(SERVE_EDITS)])
    return {"full": full, "rebuild": again, "pages": pages, "serve": serve}


def edit_block(db: Path, post_id: int) -> None:
    """One body paragraph of one post, changed in SQL; the revision triggers bump the post."""
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE blocks SET text = text || ' (Edited.)' WHERE post_id = ? AND seq = "
            "(SELECT min(seq) FROM blocks WHERE post_id = ? AND role = 'body')",
            (post_id, post_id),
        )


def serve_rebuilds(db: Path, site: Path, post_ids: list[int]) -> dict[str, object]:
    """Rebuilds as ``byline serve`` runs them: in one warm process, with a BuildCache.

    For comparison, the same edits built in-process without a cache (what
    ``byline serve`` did before the cache).  Medians over ``post_ids``.
    """
    import statistics

    from byline.publish.site import BuildCache, build_site
    from byline.settings import Settings
    from byline.store import SQLiteStore

    def build(cache: BuildCache | None) -> float:
        with SQLiteStore(db) as store:
            started = time.perf_counter()
            build_site(store, site, Settings(), cache=cache)
            return time.perf_counter() - started

    cache = BuildCache()
    build(cache)  # the first build of the session: serve's start
    warm, plain = [], []
    for post_id in post_ids:
        edit_block(db, post_id)
        warm.append(build(cache))
        edit_block(db, post_id + 1)
        plain.append(build(None))
    return {
        "warm_median_s": round(statistics.median(warm), 3),
        "uncached_median_s": round(statistics.median(plain), 3),
        "warm_s": [round(t, 3) for t in warm],
        "uncached_s": [round(t, 3) for t in plain],
    }


def bench_pelican(work: Path, posts: list) -> dict[str, object] | None:  # type: ignore[type-arg]
    pelican = shutil.which("pelican") or str(Path(sys.executable).with_name("pelican"))
    if not Path(pelican).exists():
        return None
    root = work / "pelican"
    write_pelican(posts, root / "content")
    (root / "pelicanconf.py").write_text(PELICAN_CONF.format(per_page=PER_PAGE))
    cmd = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    full = measure(cmd, cwd=root)
    pages = count_files(root / "output")
    first = sorted((root / "content").glob("*.md"))[len(posts) // 2]
    first.write_text(first.read_text() + "\nEdited for the benchmark.\n")
    again = measure(cmd, cwd=root)
    return {"full": full, "rebuild": again, "pages": pages}


def bench_hugo(work: Path, posts: list) -> dict[str, object] | None:  # type: ignore[type-arg]
    hugo = shutil.which("hugo")
    if hugo is None:
        return None
    root = work / "hugo"
    write_hugo(posts, root / "content")
    (root / "hugo.toml").write_text(HUGO_CONFIG.format(per_page=PER_PAGE))
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    cmd = [hugo, "--quiet", "--source", str(root), "--destination", str(root / "public")]
    full = measure(cmd)
    pages = count_files(root / "public")
    first = sorted((root / "content" / "posts").glob("*.md"))[len(posts) // 2]
    first.write_text(first.read_text() + "\nEdited for the benchmark.\n")
    again = measure(cmd)
    return {"full": full, "rebuild": again, "pages": pages}


def bench_search_index(posts: list) -> dict[str, object] | None:  # type: ignore[type-arg]
    try:
        from byline.publish import search_index
        from byline.publish._docs import SearchDoc
    except ImportError:
        return None
    import resource

    docs = [
        SearchDoc(
            id=p.number + 1,
            url=f"/{p.published:%Y/%m}/{p.slug}/",
            title=p.headline,
            outlet=p.outlet,
            topics=tuple(p.tags),
            year=p.published.year,
            date=p.published.isoformat(),
            text="\n".join([p.standfirst, *p.paragraphs]),
        )
        for p in posts
    ]
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        search_index.write_search_index(docs, Path(out), None)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = sum(f.stat().st_size for f in Path(out).rglob("*") if f.is_file())
    return {
        "seconds": round(seconds, 3),
        "peak_mb_process": round(peak / 1024, 1),
        "peak_growth_mb": round((peak - before) / 1024, 1),
        "bytes_per_post": round(size / len(docs)),
    }


def run(sizes: list[int]) -> dict[int, dict[str, object]]:
    results: dict[int, dict[str, object]] = {}
    for n in sizes:
        posts = generate(n)
        with tempfile.TemporaryDirectory(prefix=f"byline-bench-{n}-") as tmp:
            work = Path(tmp)
            results[n] = {
                "byline": bench_byline(work, posts),
                "pelican": bench_pelican(work, posts),
                "hugo": bench_hugo(work, posts),
                "search_index": bench_search_index(posts),
            }
        print_report(n, results[n])
    return results


def print_report(n: int, result: dict[str, object]) -> None:
    mine = result["byline"]
    assert isinstance(mine, dict)
    base_full = float(mine["full"]["wall_s"])
    base_again = float(mine["rebuild"]["wall_s"])
    print(f"\n== {n} posts ==")
    print(f"{'tool':8} {'pages':>7} {'full s':>8} {'x byline':>9} {'peak MB':>8} "
          f"{'rebuild s':>10} {'x byline':>9} {'serve rebuild s':>16}")  # fmt: skip
    for tool in ("byline", "pelican", "hugo"):
        r = result[tool]
        if r is None:
            print(f"{tool:8} not installed")
            continue
        assert isinstance(r, dict)
        full, again = float(r["full"]["wall_s"]), float(r["rebuild"]["wall_s"])
        print(
            f"{tool:8} {r['pages']:>7} {full:>8.2f} {full / base_full:>9.2f} "
            f"{r['full']['peak_mb']:>8} {again:>10.3f} {again / base_again:>9.1f} "
            + (f"{r['serve']['warm_median_s']:>16.3f}" if "serve" in r else f"{'-':>16}")
        )
    print("byline serve rebuilds (in-process):", json.dumps(mine.get("serve")))
    print("search index:", json.dumps(result["search_index"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    results = run(args.sizes)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
