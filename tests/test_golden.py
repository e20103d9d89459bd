"""Rendered pages of the good fixture glossary against golden files.

Run ``pytest tests/test_golden.py --update-golden`` to rewrite them after an intended change,
then read the diff in git before committing.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import FIXTURES
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
    import posixpath

    from glossary_core.render import rel_link

    paths = ["index.md", "about.md", "terms/a.md", "terms/b.md", "browse/pinyin.md", "browse/pinyin/a.md",
             "browse/pinyin/b-2.md", "data/terms/x.json", "terms/a/b.md"]
    for here, there in itertools.product(paths, paths):
        assert rel_link(here, there) == posixpath.relpath(there, posixpath.dirname(here) or "."), (here, there)
