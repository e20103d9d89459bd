"""Command line and MkDocs hook of the glossary.

This is the one module that knows about MkDocs: the core (glossary_core) loads, validates and
renders; this file turns its pages into MkDocs virtual files and drives the three builds.

    python build_glossary.py check        validate glossary/ and list every problem
    python build_glossary.py build        build the three variants into site/
    python build_glossary.py serve        build, serve on http://127.0.0.1:8000/ and rebuild on change
    python build_glossary.py link FILE    link the glossary's terms in a Markdown (or --html) article
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from glossary_core import GlossaryError, check_files, load_checked, prepare_shared, read_glossary_dir  # noqa: E402
from glossary_core.cards import cards_json, demo_page  # noqa: E402
from glossary_core.exports import export_files  # noqa: E402
from glossary_core.load import Glossary  # noqa: E402
from glossary_core.render import INDEX_PAGE_SIZE, render_pages  # noqa: E402
from glossary_core.search import merge_index, search_documents  # noqa: E402
from glossary_core.variants import VARIANTS, Variant  # noqa: E402

CONFIGS = {"zh-Hans": "mkdocs.yml", "en": "mkdocs.en.yml", "zh-Hant": "mkdocs.zh-Hant.yml"}
# What the pages are made from besides docs/ and the MkDocs configs (which MkDocs watches itself)
SOURCES_OUTSIDE_DOCS = ("glossary", "glossary_core", "schema", "overrides")
# Hand-written pages kept per interface language in docs/; the hook publishes the right one.
LOCALIZED_PAGES = {"about.md": {"zh": "about.zh.md", "en": "about.en.md"}}
# The open-data files are published once, at the site root (data/); hand-written pages link to
# them with this placeholder, replaced by the relative path from the page to that folder.
DATA_PLACEHOLDER = "GLOSSARY_DATA/"
# The variant whose build publishes the open-data files
DATA_VARIANT = "zh-Hans"
log = logging.getLogger("mkdocs.plugins.glossary")


# --- MkDocs hook ---------------------------------------------------------------------------

class _State:
    glossary: Glossary | None = None
    handed_over: Glossary | None = None   # the glossary ``build`` checked, in the process it forked
    variant: Variant | None = None
    timings: dict[str, float] = {}


_state = _State()


def on_config(config: Any, **_: Any) -> Any:
    """Load and validate the glossary; set up the variant's nav, URL and language switcher."""
    from mkdocs.exceptions import PluginError

    variant = VARIANTS.get(config.extra.get("glossary_variant", "zh-Hans"))
    if variant is None:
        raise PluginError(f"extra.glossary_variant must be one of {', '.join(VARIANTS)}")
    started = time.perf_counter()
    try:
        _state.glossary = _state.handed_over or load_checked(ROOT)
    except GlossaryError as error:
        raise PluginError("invalid glossary data:\n" + error.report()) from None
    _state.timings = {"load_validate": time.perf_counter() - started}
    _state.variant = variant
    root_url = (config.site_url or "").rstrip("/") + "/"
    config.site_url = root_url + variant.prefix
    config.nav = _nav(variant)
    if "toc" in config.mdx_configs:  # the headings' ¶ links are titled in the page's language
        config.mdx_configs["toc"]["permalink_title"] = variant.label("permalink")
    _add_redirects(config, _state.glossary)
    config.extra["glossary_site_root"] = root_url
    config.extra["glossary_up"] = "../" * variant.prefix.count("/")
    config.extra["alternate"] = [
        {"name": v.name, "lang": v.code, "prefix": v.prefix, "current": v.code == variant.code}
        for v in VARIANTS.values()
    ]
    return config


def hand_over(glossary: Glossary) -> None:
    """Build with this checked glossary instead of loading one (``build`` calls it in each forked build)."""
    _state.handed_over = glossary


def _add_redirects(config: Any, glossary: Glossary) -> None:
    """An entry's former ids keep working: /terms/<former id>/ redirects to /terms/<id>/."""
    from mkdocs.exceptions import PluginError

    plugin = config.plugins.get("redirects")
    if plugin is None:
        raise PluginError("mkdocs.yml must enable the redirects plugin (entries' former ids)")
    for term_id in sorted(glossary.terms):
        for former in glossary.terms[term_id].data.get("former_ids") or []:
            plugin.config["redirect_maps"][f"terms/{former}.md"] = f"terms/{term_id}.md"


def _nav(variant: Variant) -> list:
    t = variant.label
    return [
        {t("home"): "index.md"},
        {t("browse"): [
            {t("by_pinyin"): "browse/pinyin.md"},
            {t("by_english"): "browse/english.md"},
            {t("by_category"): "browse/categories.md"},
            {t("by_source"): "browse/sources.md"},
            {t("numbered"): "browse/numbered.md"},
        ]},
        {t("about"): "about.md"},
        {t("embed"): "embed.md"},
    ]


@event_priority(50)  # before the redirects plugin looks for the (generated) targets
def on_files(files: Any, config: Any, **_: Any) -> Any:
    """Add the generated pages as virtual files; publish hand-written pages in the variant's language."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    variant, glossary = _state.variant, _state.glossary
    assert variant is not None and glossary is not None
    started = time.perf_counter()
    page_size = config.extra.get("glossary_index_page_size", INDEX_PAGE_SIZE)
    if not isinstance(page_size, int) or isinstance(page_size, bool) or page_size < 1:
        raise PluginError(f"extra.glossary_index_page_size must be a whole number of at least 1, not {page_size!r}")
    pages = render_pages(glossary, variant, config.extra["glossary_site_root"], page_size)
    for target, by_lang in LOCALIZED_PAGES.items():
        for name in by_lang.values():
            found = files.get_file_from_path(name)
            if found is not None:
                files.remove(found)
        source = Path(config.docs_dir) / by_lang[variant.ui]
        if not source.is_file():
            raise PluginError(f"{source}: missing page for {target}")
        text = source.read_text(encoding="utf-8")
        depth = target.count("/") + (0 if target == "index.md" else 1)  # directory URLs: about.md → about/
        text = text.replace(DATA_PLACEHOLDER, "../" * depth + config.extra["glossary_up"] + "data/")
        pages[target] = variant.chinese(text) if variant.ui == "zh" else text
    site_root = config.extra["glossary_site_root"]
    demo = demo_page(variant.ui, f"{site_root}assets/glossary-cards.js", "../assets/glossary-cards.js")
    pages["embed.md"] = variant.chinese(demo) if variant.ui == "zh" else demo
    # the open-data files and the hover cards' data are timed apart from the pages (the benchmark
    # reports both); the cards' data is in every variant (the script finds ../data/cards.json)
    exports_started = time.perf_counter()
    if variant.code == DATA_VARIANT:
        pages.update(export_files(glossary, site_root))
    pages["data/cards.json"] = cards_json(glossary, site_root)
    exports_took = time.perf_counter() - exports_started
    for path, content in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            raise PluginError(f"docs/{path} would be replaced by a generated page: remove it")
        files.append(File.generated(config, path, content=content))
    _state.timings["exports"] = exports_took
    _state.timings["pages"] = time.perf_counter() - started - exports_took
    return files


# Set GLOSSARY_SEARCH=material to publish Material's own index of whole pages instead of the
# glossary's term documents (the search benchmark compares the two).
def _glossary_search() -> bool:
    return os.environ.get("GLOSSARY_SEARCH", "glossary") != "material"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """Term and index pages are searched through the glossary's own documents, not their HTML."""
    if _glossary_search() and page.file.src_uri.startswith(("terms/", "browse/")):
        page.meta["search"] = {**page.meta.get("search", {}), "exclude": True}
    return markdown


def _write_search_index(config: Any) -> None:
    """Replace the term pages in Material's search index by one compact document per term."""
    variant, glossary = _state.variant, _state.glossary
    assert variant is not None and glossary is not None
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        return  # the search plugin is disabled
    started = time.perf_counter()
    material_index = json.loads(index_path.read_text(encoding="utf-8"))
    index = merge_index(material_index, search_documents(glossary, variant))
    index_path.write_bytes(orjson.dumps(index))  # what json.dumps(ensure_ascii=False) writes, faster
    _state.timings["search"] = time.perf_counter() - started


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: Any, **_: Any) -> None:
    if _glossary_search():
        _write_search_index(config)
    timings = _state.timings
    parts = {name: timings.get(name, 0) * 1000 for name in RENDER_PARTS}
    log.info("glossary: %s terms; load+validate %.0f ms, render %.0f ms (%s; pages %.0f, exports %.0f, search %.0f)",
             len(_state.glossary.terms) if _state.glossary else 0, timings.get("load_validate", 0) * 1000,
             sum(parts.values()), _state.variant.code if _state.variant else "?", *parts.values())


def on_serve(server: Any, config: Any, builder: Any, **_: Any) -> Any:
    """``mkdocs serve`` rebuilds when the glossary data or the core code changes."""
    for path in SOURCES_OUTSIDE_DOCS:
        server.watch(str(ROOT / path))
    return server


# --- command line ----------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    glossary, problems = check_files(read_glossary_dir(Path(args.root)))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in the glossary", file=sys.stderr)
        return 1
    print(f"glossary OK: {len(glossary.terms)} terms, {len(glossary.sources)} sources, "
          f"{len(glossary.categories)} categories")
    return 0


# What the hook's render time is made of: the pages (with what MkDocs makes of them as files), the
# open-data files and hover-card data, the search documents
RENDER_PARTS = ("pages", "exports", "search")
_TIMING_RE = re.compile(r"glossary: \d+ terms; load\+validate (?P<load_validate>\d+) ms, render (?P<render>\d+) ms "
                        r"\([^;]*; pages (?P<pages>\d+), exports (?P<exports>\d+), search (?P<search>\d+)\)")


def _source_date_epoch(root: Path) -> str | None:
    """The time of the last commit of ``root`` (seconds since the epoch), None outside a git checkout."""
    try:
        result = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                                capture_output=True, text=True)
    except OSError:
        return None
    stamp = result.stdout.strip()
    return stamp if result.returncode == 0 and stamp.isdigit() else None


def build_site(root: Path, site_dir: Path, *, quiet: bool = False,
               parallel: bool = True) -> dict[str, dict[str, float]]:
    """Build all variants into a temporary directory, then swap it in for ``site_dir``.

    The glossary is checked once, and what every variant needs is made once (prepare_shared);
    each variant is then built by MkDocs in a process forked from this one, which starts with all
    of it. The three build side by side (one at a time with ``parallel=False``, for benchmarks),
    each into a folder of its own, because MkDocs empties its site directory first and the root
    variant's would hold the other two; en/ and zh-Hant/ then move under the root. The builds use
    this process's glossary_core, the code that checked the glossary. Where processes cannot fork
    (Windows), each variant is a ``mkdocs build`` of its own, one at a time, that loads the
    glossary itself.

    A failed build leaves ``site_dir`` exactly as it was. Returns, per variant, the wall-clock
    seconds of its MkDocs build and the seconds of it spent in the glossary's own code, and under
    "check" the seconds of the one check and preparation before the builds, in parts as well:
    load_validate, then what was prepared for the pages, search documents and exports.
    """
    started = time.perf_counter()
    glossary, problems = check_files(read_glossary_dir(root))
    if problems:
        raise GlossaryError(problems)
    checked = time.perf_counter() - started
    prepared = prepare_shared(glossary)
    checked_in = time.perf_counter() - started
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    parts = Path(tempfile.mkdtemp(prefix=".site-parts-", dir=site_dir.parent))   # en/, zh-Hant/ until done
    site_dirs = {code: parts / variant.prefix if variant.prefix else staging
                 for code, variant in VARIANTS.items()}
    outputs = Path(tempfile.mkdtemp(prefix="glossary-build-"))
    # Reproducible output: MkDocs dates sitemap.xml (<lastmod>) and the gzip header of sitemap.xml.gz
    # with SOURCE_DATE_EPOCH, else with the clock; when it is not set, use the last commit's time.
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _source_date_epoch(root)
    dates = {"SOURCE_DATE_EPOCH": epoch} if epoch else {}
    # Without fork (Windows), each build is a `mkdocs build` of its own that loads the glossary itself.
    forking = "fork" in multiprocessing.get_all_start_methods()
    seconds: dict[str, dict[str, float]] = {}
    try:
        def finished(code: str, took: float, exit_code: int | None, output: str) -> None:
            if exit_code != 0:
                raise BuildError(f"the {code} variant failed to build:\n{output.strip()}")
            timing = _TIMING_RE.search(output)
            parts = ({name: int(ms) / 1000 for name, ms in timing.groupdict().items()} if timing
                     else dict.fromkeys(_TIMING_RE.groupindex, float("nan")))
            render = parts.pop("render")
            seconds[code] = {"total": took, "glossary": parts["load_validate"] + render, **parts}

        def run(codes: list[str]) -> None:
            if not forking:
                for code in codes:
                    began = time.perf_counter()
                    result = subprocess.run(
                        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / CONFIGS[code]),
                         "-d", str(site_dirs[code])],
                        cwd=root, capture_output=True, text=True, env={**os.environ, **dates})
                    finished(code, time.perf_counter() - began, result.returncode, result.stdout + result.stderr)
                return
            fork = multiprocessing.get_context("fork")
            builds = []
            for code in codes:
                output = outputs / f"{code}.log"
                build = fork.Process(target=_build_variant, name=f"mkdocs-{code}",
                                     args=(root, code, site_dirs[code], glossary, dates, output))
                build.start()
                builds.append((code, time.perf_counter(), build, output))
            # each build's time runs until it ends, whichever of those side by side ends first
            ended: dict[str, float] = {}
            while len(ended) < len(builds):
                running = {build.sentinel: code for code, _, build, _ in builds if code not in ended}
                for sentinel in multiprocessing.connection.wait(list(running)):
                    ended[running[sentinel]] = time.perf_counter()
            for code, began, build, output in builds:
                build.join()
                finished(code, ended[code] - began, build.exitcode,
                         output.read_text(encoding="utf-8", errors="replace"))

        for batch in ([list(VARIANTS)] if parallel else [[code] for code in VARIANTS]):
            run(batch)
        for code, variant in VARIANTS.items():
            if variant.prefix:
                site_dirs[code].rename(staging / variant.prefix)
        seconds["check"] = {"total": checked_in, "glossary": checked_in, "load_validate": checked, **prepared}
        old = site_dir.with_name(site_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
        if old.exists():
            shutil.rmtree(old)
    finally:
        for folder in (staging, parts):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(outputs, ignore_errors=True)
    if not quiet:
        print(f"built {len(glossary.terms)} terms in {len(VARIANTS)} variants into {site_dir}: "
              + ", ".join(f"{c} {t['total']:.1f}s (glossary code {t['glossary']:.2f}s)" for c, t in seconds.items()
                          if c in VARIANTS) + f"; check {checked_in:.2f}s")
    return seconds


def _build_variant(root: Path, code: str, site_dir: Path, glossary: Glossary, env: dict[str, str],
                   output: Path) -> None:
    """In a forked process: what ``mkdocs build --strict`` does for one variant, with the checked
    glossary handed to the hook; everything it prints goes to ``output``. Exits 1 on failure."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    os.chdir(root)
    os.environ.update(env)
    stream = open(output, "w", encoding="utf-8")
    os.dup2(stream.fileno(), 1)
    os.dup2(stream.fileno(), 2)
    sys.stdout = sys.stderr = stream
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.handlers[:] = [handler]
    mkdocs_log.setLevel(logging.INFO)
    mkdocs_log.propagate = False
    try:
        config = load_config(str(root / CONFIGS[code]), site_dir=str(site_dir), strict=True)
        for hook in config.hooks.values():
            if Path(hook.__file__).resolve() == (root / "build_glossary.py").resolve():
                hook.hand_over(glossary)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:  # MkDocs' Abort is a SystemExit
        print(f"Aborted: {error}" if str(error) else "Aborted", file=stream)
        stream.flush()
        os._exit(1)
    except BaseException:
        traceback.print_exc(file=stream)
        stream.flush()
        os._exit(1)
    stream.flush()


class BuildError(Exception):
    pass


def cmd_build(args: argparse.Namespace) -> int:
    try:
        build_site(Path(args.root), Path(args.site_dir))
    except GlossaryError as error:
        print(error.report(), file=sys.stderr)
        return 1
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve site/ with MkDocs' live-reload server, rebuilding all variants on every change."""
    from mkdocs.livereload import LiveReloadServer

    root, site_dir = Path(args.root), Path(args.site_dir)
    os.environ.setdefault("GLOSSARY_SITE_URL", f"http://{args.host}:{args.port}/")

    def rebuild() -> None:
        try:
            build_site(root, site_dir)
        except (GlossaryError, BuildError) as error:
            print(error.report() if isinstance(error, GlossaryError) else error, file=sys.stderr)
            print("site/ left as it was; fix the problems above and save again", file=sys.stderr)

    rebuild()
    site_dir.mkdir(exist_ok=True)
    server = LiveReloadServer(builder=rebuild, host=args.host, port=args.port, root=str(site_dir.resolve()))
    for path in (*SOURCES_OUTSIDE_DOCS, "docs", *CONFIGS.values(), "build_glossary.py"):
        server.watch(str(root / path))
    print(f"serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_glossary.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(ROOT), help="project directory (default: this file's)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the glossary and report every problem")
    build = commands.add_parser("build", help="build all three variants into site/")
    build.add_argument("--site-dir", default=str(ROOT / "site"))
    serve = commands.add_parser("serve", help="build, serve locally and rebuild on change")
    serve.add_argument("--site-dir", default=str(ROOT / "site"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    commands.add_parser("link", add_help=False, help="link glossary terms in an article (link --help)")
    args, rest = parser.parse_known_args(argv)
    if args.command == "link":
        from glossary_core import link_cli
        return link_cli.main(rest, root=Path(args.root))
    if rest:
        parser.error("unrecognized arguments: " + " ".join(rest))
    return {"check": cmd_check, "build": cmd_build, "serve": cmd_serve}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
