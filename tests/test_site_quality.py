"""The built site as others see it: reproducible, no broken links, valid HTML, accessible.

Each check uses an independent tool: two builds compared byte for byte, LinkChecker crawling the
served site (links and anchors), html5lib parsing every page, the Nu Html Checker validating
every page, axe-core in headless Chromium.
"""

from __future__ import annotations

import collections
import datetime
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import html5lib
import pytest

import build_glossary
from conftest import ROOT, copy_project
from quality import crawl

VARIANT_ROOTS = {"zh-Hans": "", "en": "en/", "zh-Hant": "zh-Hant/"}
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


# --- reproducible builds ---------------------------------------------------------------------

def _tree(folder: Path) -> list[tuple[str, str]]:
    """(relative path, sha256) of every file under ``folder``, sorted."""
    return sorted((path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
                  for path in folder.rglob("*") if path.is_file())


def _sitemap_dates(site: Path) -> tuple[set[str], set[str], set[int]]:
    """The <lastmod> dates of the three sitemaps and of their gzip copies, and the gzip header times."""
    plain, zipped, mtimes = set(), set(), set()
    for prefix in VARIANT_ROOTS.values():
        plain |= set(re.findall(r"<lastmod>([^<]*)</lastmod>", (site / prefix / "sitemap.xml").read_text("utf-8")))
        data = (site / prefix / "sitemap.xml.gz").read_bytes()
        zipped |= set(re.findall(r"<lastmod>([^<]*)</lastmod>", gzip.decompress(data).decode("utf-8")))
        mtimes.add(int.from_bytes(data[4:8], "little"))  # MTIME of the gzip header (RFC 1952)
    return plain, zipped, mtimes


def _day(epoch: int) -> tuple[str, int]:
    """The date of ``epoch`` (UTC) and the epoch of that day's midnight."""
    day = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).date()
    return day.isoformat(), int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc).timestamp())


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sources give the same bytes, built from another folder into another folder, by
    another process with other hash seeds (the builds fork from the process that checks)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "one" / "site", tmp_path / "two" / "public"
    build_glossary.build_site(ROOT, first, quiet=True)
    (tmp_path / "copy").mkdir()
    copy = copy_project(tmp_path / "copy")
    result = subprocess.run([sys.executable, str(copy / "build_glossary.py"), "build", "--site-dir", str(second)],
                            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr[-3000:]
    one, two = _tree(first), _tree(second)
    print(f"\nreproducible: {len(one)} files compared")
    assert len(one) > 600
    differing = sorted({path for path, _ in set(one) ^ set(two)})
    assert not differing, f"{len(differing)} files differ between two builds: {differing[:20]}"
    # and SOURCE_DATE_EPOCH is what dates them
    plain, zipped, mtimes = _sitemap_dates(first)
    assert plain == zipped == {"2026-01-01"}
    assert mtimes == {int(EPOCH)}


def test_build_without_source_date_epoch_takes_the_last_commit_time(built_site: Path) -> None:
    """``build_site`` dates the sitemaps with SOURCE_DATE_EPOCH, else with the last commit, not the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or build_glossary._source_date_epoch(ROOT)
    plain, zipped, mtimes = _sitemap_dates(built_site)
    if epoch:
        day, midnight = _day(int(epoch))
        assert plain == zipped == {day}
        assert mtimes == {midnight}
    else:  # neither set nor a git checkout: MkDocs' own fallback, the date of the build
        today = datetime.datetime.now(datetime.timezone.utc).timestamp()
        assert plain == zipped and plain <= {_day(int(today))[0], _day(int(today) - 86400)[0]}


def test_last_commit_time_is_read_from_git(tmp_path: Path) -> None:
    assert build_glossary._source_date_epoch(tmp_path) is None  # not a git checkout
    env = {**os.environ, "GIT_AUTHOR_DATE": "2001-02-03T04:05:06Z", "GIT_COMMITTER_DATE": "2001-02-03T04:05:06Z"}
    git = ["git", "-C", str(tmp_path), "-c", "user.name=glossary", "-c", "user.email=glossary@example.org"]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    subprocess.run([*git, "add", "a.txt"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "a"], check=True, env=env)
    assert build_glossary._source_date_epoch(tmp_path) == "981173106"


# --- links and anchors (LinkChecker) ---------------------------------------------------------

def _public_root(site: Path) -> str:
    """The site's public address, as its home page's canonical link gives it."""
    home = (site / "index.html").read_text(encoding="utf-8")
    return re.search(r'<link rel="canonical" href="([^"]*)"', home).group(1)


def _exists(site: Path, path: str, anchor: str) -> bool:
    """Whether the site has the page (and the element with id ``anchor``) at URL path ``path``."""
    target = site / urllib.parse.unquote(path).lstrip("/")
    if target.is_dir():
        target /= "index.html"
    if not target.is_file():
        return False
    return not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8", errors="replace")


def _describe(rows: list[dict[str, str]]) -> str:
    return "\n".join(f"{row['url']} (on {row['parentname']}): {row['result']} {row['warningstring']}".strip()
                     for row in rows[:30])


def test_no_broken_links_or_anchors(built_site: Path, site_url: str, tmp_path: Path) -> None:
    """LinkChecker crawls the served site: every internal link and anchor resolves.

    One crawl without anchors goes from the home page through the whole site (the other variants
    through the language switcher); three crawls with LinkChecker's AnchorCheck, started at each
    variant's home page, check every link and anchor of their variant (AnchorCheck fetches a page
    once per anchor, so the three run side by side). External links are not fetched.
    """
    with crawl.unthrottled(site_url) as proxy:
        crawls = {"site": crawl.Crawl("whole site, no anchors", [f"{proxy}/"])}
        configs = {"site": crawl.write_config(tmp_path / "site.ini", anchors=False, no_follow=[])}
        for code, prefix in VARIANT_ROOTS.items():
            crawls[code] = crawl.Crawl(f"{code} with anchors", [f"{proxy}/{prefix}"])
            configs[code] = crawl.write_config(tmp_path / f"{code}.ini", anchors=True,
                                               no_follow=crawl.variant_no_follow(proxy, VARIANT_ROOTS, code))
        running = {name: crawl.start(crawls[name], configs[name]) for name in crawls}
        try:
            for name, process in running.items():
                crawl.finish(crawls[name], process, configs[name], timeout=1200)
        finally:
            for process in running.values():
                if process.poll() is None:
                    process.kill()

    print()
    for one in crawls.values():
        print(f"linkchecker {one.name}: {len(one.rows)} URLs checked, {one.anchors_checked} with an anchor, "
              f"{len(one.errors)} errors, {len(one.warnings)} warnings")
        assert one.rows, f"{one.name}: LinkChecker logged nothing (exit {one.returncode}):\n{one.stderr}"
        assert not one.errors, f"{one.name}: broken links:\n{_describe(one.errors)}"
        assert not one.warnings, f"{one.name}: warnings (anchors not found?):\n{_describe(one.warnings)}"
        assert one.returncode == 0, f"{one.name}: LinkChecker exited {one.returncode}:\n{one.stderr}"

    def reached(one: crawl.Crawl) -> set[str]:
        return {urllib.parse.urlsplit(row["url"]).path for row in one.rows
                if row["url"].startswith(proxy) and "#" not in row["url"] and row["result"].startswith("200")}

    def pages(prefix: str | None = None) -> set[str]:  # 404.html: what the server shows for a missing page
        found = built_site.rglob("*.html") if prefix is None else _pages(built_site, prefix)
        return {"/" + page.relative_to(built_site).as_posix().removesuffix("index.html")
                for page in found if page.name != "404.html"}

    # every page is reachable from the home page, and each anchor crawl went through its variant
    unreached = pages() - reached(crawls["site"])
    assert not unreached, f"pages no link leads to: {sorted(unreached)[:20]}"
    for code, prefix in VARIANT_ROOTS.items():
        unreached = pages(prefix) - reached(crawls[code])
        assert not unreached, f"{code}: pages whose anchors were not checked: {sorted(unreached)[:20]}"
        assert crawls[code].anchors_checked > 100  # AnchorCheck did run

    # Links to the public address (canonical, hreflang alternates, permalinks) and the sitemaps'
    # URLs point to this server only once deployed: they must name pages that exist.
    public = _public_root(built_site)
    absolute = {row["url"] for one in crawls.values() for row in one.rows if row["url"].startswith(public)}
    for prefix in VARIANT_ROOTS.values():
        absolute |= set(re.findall(r"<loc>([^<]*)</loc>", (built_site / prefix / "sitemap.xml").read_text("utf-8")))
    missing = []
    for url in sorted(absolute):
        parts = urllib.parse.urlsplit(url[len(public) - 1:])
        if not _exists(built_site, parts.path, parts.fragment):
            missing.append(url)
    print(f"public-address URLs (canonical, hreflang, permalinks, sitemaps): {len(absolute)} checked")
    assert len(absolute) >= len(pages())
    assert not missing, f"URLs of the public address that name no page: {missing[:20]}"


# --- HTML (html5lib) ---------------------------------------------------------------------------

def _pages(site: Path, prefix: str) -> list[Path]:
    """Every HTML page of the variant at ``prefix`` (the root variant without the other two)."""
    others = [site / other for other in VARIANT_ROOTS.values() if other and other != prefix]
    return sorted(page for page in (site / prefix).rglob("*.html")
                  if not any(page.is_relative_to(other) for other in others))


@pytest.mark.parametrize("code", VARIANT_ROOTS)
def test_every_page_parses_without_html_errors(built_site: Path, code: str) -> None:
    """html5lib (the HTML standard's parsing algorithm) finds no parse error in any page."""
    pages = _pages(built_site, VARIANT_ROOTS[code])
    problems = []
    for page in pages:
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(page.read_bytes())
        encoding = parser.tokenizer.stream.charEncoding[0].name
        if encoding != "utf-8":
            problems.append(f"{page.relative_to(built_site)}: read as {encoding}")
        for (line, column), error, data in parser.errors:
            problems.append(f"{page.relative_to(built_site)}:{line}:{column}: {error} {data or ''}")
    print(f"\nhtml5lib {code}: {len(pages)} pages, {len(problems)} parse errors")
    names = {page.relative_to(built_site / VARIANT_ROOTS[code]).as_posix() for page in pages}
    assert {"index.html", "about/index.html", "terms/liu-wen/index.html",
            *(f"browse/{name}/index.html" for name in ("pinyin", "english", "categories", "sources", "numbered"))} <= names
    assert sum(name.startswith("terms/") for name in names) >= 100
    assert not problems, "\n".join(problems[:30])


# --- HTML (the Nu Html Checker, the W3C validator's engine) -------------------------------------

VNU_JAR = ROOT / "tests" / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Material's own template (base.html) puts autocomplete="off" on its two toggle checkboxes so that
# Firefox does not restore them on reload; the checker allows autocomplete on text-like inputs only.
# Known upstream and kept on purpose: squidfunk/mkdocs-material#1513. Nothing else is let through.
MATERIAL_TOGGLES = {
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
    '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
}


def _material_toggle(message: dict) -> bool:
    return (message["message"].startswith("Attribute “autocomplete” is only allowed when the input type is")
            and any(toggle in message.get("extract", "") for toggle in MATERIAL_TOGGLES))


def nu_check(paths: list[Path]) -> tuple[list[str], int]:
    """The Nu Html Checker's errors and warnings on these files or folders (HTML files only), as
    ``path:line: message`` lines, less Material's toggles; and how many of those it found."""
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: ./dev test installs it (npm ci in tests/tools)"
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html",
                             *map(str, paths)], capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]   # the checker reports on stderr
    problems, toggles = [], 0
    for message in messages:
        if message["type"] == "info" and message.get("subType") != "warning":
            continue   # information only (e.g. that a trailing slash on a void element does nothing)
        if _material_toggle(message):
            toggles += 1
            continue
        where = urllib.parse.unquote(urllib.parse.urlsplit(message.get("url", "")).path)
        problems.append(f"{where}:{message.get('lastLine', '?')}: {message['type']}: {message['message']}")
    assert result.returncode == (1 if problems or toggles else 0), result.stderr[-2000:]
    return problems, toggles


def test_nu_checker_reports_what_is_wrong(tmp_path: Path) -> None:
    """The check can fail: a page with a bad attribute, a label for nothing and a stray end tag."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html>\n<html lang="en"><head><title>t</title></head><body>\n'
                    '<p onclik="x">a</p>\n<label for="__toc">b</label>\n</span>\n'
                    f"{sorted(MATERIAL_TOGGLES)[0]}\n"
                    '</body></html>\n', encoding="utf-8")
    problems, toggles = nu_check([page])
    assert toggles == 1
    assert sorted(problems) == [
        f"{page}:3: error: Attribute “onclik” not allowed on element “p” at this point.",
        f"{page}:4: error: The value of the “for” attribute of the “label” element must be the ID of a "
        "non-hidden form control.",
        f"{page}:5: error: Stray end tag “span”.",
    ]


def test_nu_checker_finds_no_errors_or_warnings(built_site: Path) -> None:
    """Every page of the three variants passes the Nu Html Checker, errors and warnings both (its
    language detector too: parts in another language than the page's are marked with lang)."""
    pages = sorted(built_site.rglob("*.html"))
    problems, toggles = nu_check([built_site])
    print(f"\nNu Html Checker: {len(pages)} pages, {len(problems)} errors and warnings "
          f"(and Material's two toggle checkboxes on each page: {toggles})")
    assert len(pages) > 300
    assert not problems, "\n".join(problems[:30])
    # only what Material's template puts on pages that use it (redirect pages do not)
    assert toggles == 2 * sum("md-toggle" in page.read_text(encoding="utf-8") for page in pages)


def _lang_of(element) -> str:
    """The language of an element: its own lang, else its nearest ancestor's."""
    while element is not None:
        if element.get("lang"):
            return element.get("lang")
        element = element.getparent()
    return ""


def test_parts_in_another_language_say_so(built_site: Path) -> None:
    """What is written in another language than the page's carries its lang (WCAG 3.1.2)."""
    import lxml.html

    def langs(prefix: str, term: str) -> dict[str, set[str]]:
        tree = lxml.html.parse(str(built_site / prefix / "terms" / term / "index.html"))
        found: dict[str, set[str]] = collections.defaultdict(set)
        for element in tree.getroot().iterfind(".//article//*"):
            text = (element.text or "").strip()
            if text:
                found[text].add(_lang_of(element))
        return found

    zh, en, hant = langs("", "liu-wen"), langs("en/", "liu-wen"), langs("zh-Hant/", "liu-wen")
    assert zh["六稳"] == {"zh-Hans"} and zh["六穩"] == {"zh-Hant"} and zh["liù wěn"] == {"zh-Latn-pinyin"}
    assert zh["stability on six fronts"] == zh["six stabilities"] == {"en"}   # English renderings
    assert zh["稳就业"] == {"zh-Hans"} and zh["stable employment"] == {"en"}
    assert en["六稳"] == {"zh-Hans"} and en["稳就业"] == {"zh-Hans"} and en["stable employment"] == {"en"}
    assert en["稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。"] == {"zh-Hans"}
    assert hant["六稳"] == {"zh-Hans"} and hant["六穩"] == {"zh-Hant"} and hant["stable employment"] == {"en"}
    # the pages say their own language, and the headings' permalink marks (titled in it) are in it,
    # the one after a Chinese headword on an English page too
    for prefix, page_lang in (("", "zh-Hans"), ("en/", "en"), ("zh-Hant/", "zh-Hant")):
        root = lxml.html.parse(str(built_site / prefix / "terms" / "liu-wen" / "index.html")).getroot()
        assert root.get("lang") == page_lang
        marks = root.findall(".//article//a[@class='headerlink']")
        assert len(marks) > 3 and {_lang_of(mark) for mark in marks} == {page_lang}, prefix
    # the index pages too
    tree = lxml.html.parse(str(built_site / "en" / "browse" / "pinyin" / "index.html"))
    cells = {(cell.text_content().strip(), _lang_of(next(cell.iter("span"), cell)))
             for cell in tree.getroot().iterfind(".//article//td")}
    assert ("六稳", "zh-Hans") in cells and ("liù wěn", "zh-Latn-pinyin") in cells


# --- accessibility (axe-core) --------------------------------------------------------------------

AXE_PAGES = ["", "about/", "browse/pinyin/", "terms/liu-wen/", "terms/strategy-1336/",
             "terms/industry-system-2-2-1/", "embed/"]


def _run_axe(browser, url: str, prepare=None, viewport: dict | None = None, context: str | None = None):
    """axe's results for ``url`` after ``prepare(page)``, and what ``prepare`` returned."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(**({"viewport": viewport} if viewport else {}))
    try:
        assert page.goto(url, wait_until="networkidle").status == 200
        prepared = prepare(page) if prepare else None
        # colours are measured as shown: not halfway through a transition (hovering a link can
        # scroll the page, and Material's header then fades its title in)
        page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        return Axe().run(page, context=context).response, prepared
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("code", VARIANT_ROOTS)
def test_axe_finds_no_serious_violations(browser, site_url: str, code: str, path: str) -> None:
    """axe-core: no serious or critical violation; the others are listed, with the score."""
    results, _ = _run_axe(browser, f"{site_url}/{VARIANT_ROOTS[code]}{path}")
    _assert_no_serious_violations(results, f"{code} /{path}")


# pages whose tables have no link in some rows: on a phone a table that scrolled sideways there
# could not be scrolled by keyboard
PHONE_PAGES = ["terms/strategy-1336/", "terms/wu-yu/", "browse/numbered/"]


@pytest.mark.browser
@pytest.mark.parametrize("path", PHONE_PAGES)
@pytest.mark.parametrize("code", VARIANT_ROOTS)
def test_axe_finds_no_serious_violations_on_a_phone(browser, site_url: str, code: str, path: str) -> None:
    """At 360 px wide, tables wrap their text instead of scrolling sideways."""
    def overflowing(page) -> int:
        return page.eval_on_selector_all(".md-typeset__scrollwrap",
                                         "wraps => wraps.filter(w => w.scrollWidth > w.clientWidth).length")
    results, wide_tables = _run_axe(browser, f"{site_url}/{VARIANT_ROOTS[code]}{path}", overflowing,
                                    viewport={"width": 360, "height": 740})
    assert wide_tables == 0
    _assert_no_serious_violations(results, f"{code} /{path} at 360 px")


@pytest.mark.browser
@pytest.mark.parametrize("code", VARIANT_ROOTS)
def test_axe_finds_no_serious_violations_in_search_results(browser, site_url: str, code: str) -> None:
    """The results, as Material shows them with the worker's language marks (valid-lang among the rules)."""
    from conftest import type_search

    def search(page) -> int:
        page.locator("input.md-search__input").click()
        type_search(page, "六稳")
        return page.locator(".md-search-result__article span[lang]").count()
    results, marked_parts = _run_axe(browser, f"{site_url}/{VARIANT_ROOTS[code]}", search,
                                     context=".md-search-result")
    assert marked_parts > 0
    assert any(rule["id"] == "valid-lang" for rule in results["passes"])
    _assert_no_serious_violations(results, f"{code} search results", min_passes=5)


@pytest.mark.browser
@pytest.mark.parametrize("code", VARIANT_ROOTS)
def test_axe_finds_no_serious_violations_with_a_hover_card_open(browser, site_url: str, code: str) -> None:
    """The embed page with a term's card open: the card itself, and the hovered link (Material's accent)."""
    def open_card(page) -> None:
        page.hover("a[data-glossary-id=liu-wen-liu-bao]")
        page.locator("#glossary-cards").wait_for(state="visible")
    results, _ = _run_axe(browser, f"{site_url}/{VARIANT_ROOTS[code]}embed/", open_card)
    _assert_no_serious_violations(results, f"{code} /embed/ with a card open")


def _assert_no_serious_violations(results: dict, where: str, min_passes: int = 20) -> None:
    passes, violations = results["passes"], results["violations"]
    by_impact = collections.defaultdict(list)
    for violation in violations:
        by_impact[violation["impact"]].append(f"{violation['id']}×{len(violation['nodes'])}")
    score = len(passes) / (len(passes) + len(violations))
    print(f"\naxe {where}: {len(passes)} rules passed, {len(violations)} violated, "
          f"score {score:.3f}; " + "; ".join(f"{impact}: {', '.join(ids)}" for impact, ids in sorted(by_impact.items())))
    assert len(passes) >= min_passes  # axe ran its rules
    severe = [violation for violation in violations if violation["impact"] in ("serious", "critical")]
    assert not severe, "\n".join(
        f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(
            f"{' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}" for node in v["nodes"][:5])
        for v in severe)
