"""Rendered pages of the good fixture glossary against golden files.

Run ``pytest tests/test_golden.py --update-golden`` to rewrite them after an intended change,
then read the diff in git before committing.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from glossary_core import load_checked
from glossary_core.render import render_pages
from glossary_core.variants import VARIANTS

GOLDEN = Path(__file__).resolve().parent / "golden"
SITE_URL = "https://glossary.test/"


@pytest.mark.parametrize("code", list(VARIANTS))
def test_rendered_pages_match_golden(code: str, update_golden: bool) -> None:
    pages = render_pages(load_checked(FIXTURES / "good"), VARIANTS[code], SITE_URL)
    folder = GOLDEN / code
    if update_golden:
        for path, text in pages.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected_paths = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.md"))
    assert sorted(pages) == expected_paths, "pages added or removed: run with --update-golden"
    diffs = []
    for path in sorted(pages):
        expected = (folder / path).read_text(encoding="utf-8")
        if pages[path] != expected:
            diffs += difflib.unified_diff(expected.splitlines(), pages[path].splitlines(),
                                          f"golden/{code}/{path}", f"rendered/{code}/{path}", lineterm="")
    assert not diffs, "rendered pages differ from golden files:\n" + "\n".join(diffs)


def test_rel_link_is_posix_relpath() -> None:
    """Pages link to each other with rel_link, a file-system-free posixpath.relpath."""
    import itertools

    from glossary_core.render import rel_link

    paths = ["index.md", "about.md", "terms/a.md", "terms/b.md", "browse/pinyin.md", "browse/pinyin/a.md",
             "browse/pinyin/b-2.md", "data/terms/x.json", "terms/a/b.md"]
    for here, there in itertools.product(paths, paths):
        assert rel_link(here, there) == posixpath.relpath(there, posixpath.dirname(here) or "."), (here, there)


LINK_RE = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")
ANCHOR_RE = re.compile(r"\{ #([A-Za-z0-9_-]+) \}|id=\"([^\"]+)\"")


@pytest.mark.parametrize("code", list(VARIANTS))
def test_index_pages_are_split_into_pages_of_page_size(code: str) -> None:
    """Past page_size rows an index becomes an overview with every section's anchor and pages of at
    most page_size rows; together they list each term once, and every link and anchor resolves."""
    glossary = load_checked(ROOT)
    pages = render_pages(glossary, VARIANTS[code], "https://example.org/", page_size=10)
    single = render_pages(glossary, VARIANTS[code], "https://example.org/", page_size=10_000)
    assert set(single) < set(pages)
    assert not any("/" in p[len("browse/"):] for p in single if p.startswith("browse/"))
    for index in ("pinyin", "english", "categories", "numbered"):
        parts = {p: t for p, t in pages.items() if p.startswith(f"browse/{index}/")}
        assert parts, index
        listed = []
        for text in parts.values():
            rows = re.findall(r"^\| \[.*?\]\(\.\./\.\./terms/([a-z0-9-]+)\.md\)", text, flags=re.M)
            assert 0 < len(rows) <= 10
            listed += rows
        expected = re.findall(r"^\| \[.*?\]\(\.\./terms/([a-z0-9-]+)\.md\)", single[f"browse/{index}.md"], flags=re.M)
        assert sorted(listed) == sorted(expected) and len(expected) >= (20 if index == "numbered" else 126)
        overview = pages[f"browse/{index}.md"]
        assert "../terms/" not in overview  # the overview links to pages, not to terms
        assert set(ANCHOR_RE.findall(overview)) >= {a for a in ANCHOR_RE.findall(single[f"browse/{index}.md"])}
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    for path, text in pages.items():
        if not path.startswith(("browse/", "terms/")):
            continue
        for target, anchor in LINK_RE.findall(text):
            if not target.endswith(".md"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in pages or resolved in docs, (path, target)
            if anchor and resolved in pages:
                found = {a or b for a, b in ANCHOR_RE.findall(pages[resolved])}
                assert anchor in found, (path, target, anchor)
