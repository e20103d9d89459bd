"""The MkDocs build of the real glossary: three strict variants, atomic output, clear errors."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

import build_glossary
from conftest import copy_project
from glossary_core import GlossaryError

VARIANT_ROOTS = {"zh-Hans": "", "en": "en/", "zh-Hant": "zh-Hant/"}


def test_all_variants_built(built_site: Path) -> None:
    for prefix in VARIANT_ROOTS.values():
        assert (built_site / prefix / "index.html").is_file()
        assert (built_site / prefix / "terms/liu-wen/index.html").is_file()
        assert (built_site / prefix / "search/search_index.json").is_file()
        for index in ("pinyin", "english", "categories", "sources", "numbered"):
            assert (built_site / prefix / f"browse/{index}/index.html").is_file()
        assert (built_site / prefix / "about/index.html").is_file()


def test_variants_speak_their_language(built_site: Path) -> None:
    hans = (built_site / "terms/liu-wen/index.html").read_text(encoding="utf-8")
    en = (built_site / "en/terms/liu-wen/index.html").read_text(encoding="utf-8")
    hant = (built_site / "zh-Hant/terms/liu-wen/index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans"' in hans and "中文释义" in hans
    assert '<html lang="en"' in en and "English definition" in en
    assert "中文釋義" in hant and "穩就業" in hant and "稳就业" not in hant
    # the headings' permalink marks are titled in the page's language
    assert 'title="永久链接"' in hans and 'title="Permalink"' in en and 'title="永久鏈接"' in hant
    assert "Permanent link" not in hans + en + hant   # Python-Markdown's own title


def test_english_pages_punctuate_in_english(built_site: Path) -> None:
    """English pages separate English text with English punctuation, Chinese pages with Chinese."""
    import lxml.html

    def texts(prefix: str, xpath: str) -> list[str]:
        page = lxml.html.parse(str(built_site / prefix / "terms/liu-wen/index.html")).getroot()
        return [" ".join(element.text_content().split()) for element in page.xpath(xpath)]

    verbatim = '//p[@class="verbatim-source"]'
    mentioned_in = '//h2[@id="referenced-by"]/following-sibling::p[1]'
    assert texts("en/", verbatim) == ["Verbatim from: 2020 Government Work Report of Anju District, note 18"]
    assert texts("", verbatim) == ["释义原文引自：2020年安居区政府工作报告，注[18]"]
    assert texts("en/", mentioned_in) == ["security in six areas, stability on six fronts and security in six areas, "
                                          "double victory"]
    assert "、" in texts("", mentioned_in)[0] and "、" in texts("zh-Hant/", mentioned_in)[0]
    aliases = lxml.html.parse(str(built_site / "en/terms/chengyu-economic-circle/index.html")).getroot().xpath(
        '//div[@class="term-forms"]//span[@lang="zh-Hans"]')
    assert len(aliases) == 2 and aliases[0].tail == ", "   # Also written: 成渝双城经济圈, 双城经济圈


def test_chinese_headings_get_ascii_anchors(built_site: Path) -> None:
    page = (built_site / "terms/liu-wen-liu-bao/index.html").read_text(encoding="utf-8")
    assert 'id="term"' in page and 'id="definition-zh"' in page
    assert 'id="_1"' not in page


def test_navigation_does_not_list_terms(built_site: Path) -> None:
    page = (built_site / "about/index.html").read_text(encoding="utf-8")
    nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "terms/" not in nav


def test_language_switcher_points_to_same_term(built_site: Path) -> None:
    page = (built_site / "en/terms/strategy-1336/index.html").read_text(encoding="utf-8")
    assert 'href="../../../zh-Hant/terms/strategy-1336/"' in page
    assert 'href="../../../terms/strategy-1336/"' in page
    assert 'hreflang="zh-Hant" href="http://127.0.0.1:8000/zh-Hant/terms/strategy-1336/"' in page


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_build_leaves_site_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    before = _tree_digest(site)
    term = project / "glossary/terms/liu-wen.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("category: macro-policy", "category: nowhere"),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, str(project / "build_glossary.py"), "build", "--site-dir", str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "glossary/terms/liu-wen.yml:" in result.stderr and "category must name a category" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["build_glossary.py", "mkdocs.yml", "mkdocs.en.yml", "mkdocs.zh-Hant.yml", "glossary_core", "glossary",
         "docs", "overrides", "schema", "site"])


def test_a_variant_that_fails_in_mkdocs_leaves_site_and_nothing_beside_it(tmp_path: Path) -> None:
    """One variant fails in its MkDocs build while the other two build beside it: exit 1, the
    variant and MkDocs' message named, the previous site untouched, no half-built folder left."""
    project = copy_project(tmp_path)
    config = project / "mkdocs.en.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  glossary_variant: en\n", "  glossary_variant: en\n  glossary_index_page_size: 0\n"), encoding="utf-8")
    site = tmp_path / "out" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("previous build", encoding="utf-8")
    before = _tree_digest(site)
    result = subprocess.run([sys.executable, str(project / "build_glossary.py"), "build", "--site-dir", str(site)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "the en variant failed to build" in result.stderr
    assert "extra.glossary_index_page_size must be a whole number of at least 1, not 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree_digest(site) == before
    assert [p.name for p in site.parent.iterdir()] == ["site"]


def test_mkdocs_itself_stops_on_bad_data_with_the_same_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    term = project / "glossary/terms/liu-bao.yml"
    term.write_text(term.read_text(encoding="utf-8").replace("term: liu-wen-liu-bao", "term: liu-bao2"),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml",
                             "-d", str(tmp_path / "out")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "glossary/terms/liu-bao.yml:" in result.stderr
    assert "relations must name an existing term 'liu-bao2'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_build_site_raises_with_all_problems(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "glossary/terms/empty.yml").write_text("", encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        build_glossary.build_site(project, tmp_path / "site", quiet=True)
    assert str(caught.value.problems[0]) == "glossary/terms/empty.yml: file is empty"


def test_page_metadata_is_escaped(built_site: Path) -> None:
    page = (built_site / "en/terms/strategy-1336/index.html").read_text(encoding="utf-8")
    description = page.split('<meta name="description" content="', 1)[1].split('">', 1)[0]
    assert '"' not in description and "&#34;" in description or "&quot;" in description


def test_paginated_index_pages_build_strictly(tmp_path: Path) -> None:
    """extra.glossary_index_page_size splits the index pages; MkDocs checks every link of the result."""
    project = copy_project(tmp_path)
    config = project / "mkdocs.en.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  glossary_variant: en\n", "  glossary_variant: en\n  glossary_index_page_size: 20\n"),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml", "-d", str(out)],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    pinyin_pages = sorted(p.parent.name for p in (out / "browse" / "pinyin").glob("*/index.html"))
    assert len(pinyin_pages) > 10 and "l" in pinyin_pages
    overview = (out / "browse" / "categories" / "index.html").read_text(encoding="utf-8")
    assert 'id="macro-policy"' in overview and 'href="macro-policy/"' in overview
    largest = max(len(p.read_bytes()) for p in (out / "browse").rglob("index.html"))
    assert largest < 60_000, largest
    config.write_text(text.replace("  glossary_variant: en\n", "  glossary_variant: en\n  glossary_index_page_size: 0\n"),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.en.yml", "-d", str(out)],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "extra.glossary_index_page_size must be a whole number of at least 1, not 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_values_made_once_give_each_variant_what_it_makes_alone() -> None:
    """``build`` makes the variant-independent values once before forking the three builds
    (prepare_shared); pages, search documents and hover-card data made with them are the same."""
    from glossary_core import load_checked, prepare_shared
    from glossary_core.cards import cards_json
    from glossary_core.render import render_pages
    from glossary_core.search import search_documents
    from glossary_core.variants import VARIANTS

    shared = load_checked(build_glossary.ROOT)
    took = prepare_shared(shared)
    assert set(took) == set(build_glossary.RENDER_PARTS) and all(seconds > 0 for seconds in took.values())
    assert {key[0] for key in shared.derived} == {
        "view", "relations", "mentions", "linker", "card_entries", "plain_definition", "tokenizer"}
    for kind in ("view", "plain_definition"):
        assert len([key for key in shared.derived if key[0] == kind]) == 3 * len(shared.terms)
    for code, variant in VARIANTS.items():
        alone = load_checked(build_glossary.ROOT)
        assert render_pages(shared, variant, "https://g.test/") == render_pages(alone, variant, "https://g.test/")
        assert search_documents(shared, variant) == search_documents(alone, variant)
        assert cards_json(shared, "https://g.test/") == cards_json(alone, "https://g.test/")


def test_conversions_are_kept_however_many_texts_there_are() -> None:
    """A large glossary's texts all stay converted: each variant asks for them again, and a
    bounded cache would have evicted the first by the time the next variant asks."""
    from glossary_core import derive

    for convert, texts in ((derive.to_traditional, [f"稳就业{n}" for n in range(70_000)]),
                           (derive.toneless, [f"liù wěn {n}" for n in range(70_000)])):
        for text in texts:
            convert(text)
        before = convert.cache_info()
        for text in texts[:100]:
            convert(text)
        after = convert.cache_info()
        assert (after.hits - before.hits, after.misses - before.misses) == (100, 0), convert.__name__
    assert derive.tone_pinyin.cache_info().maxsize is None   # 70,000 pinyin would take seconds


def test_the_builds_use_the_glossary_build_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked MkDocs builds take the checked glossary from ``build``: none loads it again."""
    import glossary_core

    def no_second_load(root: Path) -> None:
        raise AssertionError(f"the glossary under {root} was loaded again")

    monkeypatch.setattr(glossary_core, "load_checked", no_second_load)
    timings = build_glossary.build_site(build_glossary.ROOT, tmp_path / "site", quiet=True)
    assert set(timings) == {"zh-Hans", "en", "zh-Hant", "check"}
    assert all(timing["glossary"] >= 0 for timing in timings.values())
    # each build reports its pages, exports and search documents apart, and they make up its
    # glossary time (each logged to the millisecond); only one variant publishes the exports
    for code in VARIANT_ROOTS:
        parts = [timings[code][name] for name in ("load_validate",) + build_glossary.RENDER_PARTS]
        assert all(part >= 0 for part in parts) and timings[code]["pages"] > 0, (code, timings[code])
        assert abs(sum(parts) - timings[code]["glossary"]) <= 0.004, (code, timings[code])
    check = timings["check"]
    parts = [check[name] for name in ("load_validate",) + build_glossary.RENDER_PARTS]
    assert all(part > 0 for part in parts) and abs(sum(parts) - check["total"]) < 0.01, check
    others = [timings[code]["exports"] for code in VARIANT_ROOTS if code != build_glossary.DATA_VARIANT]
    assert timings[build_glossary.DATA_VARIANT]["exports"] > max(others), timings
    assert (tmp_path / "site" / "en" / "terms" / "liu-wen" / "index.html").is_file()


def test_without_fork_each_variant_is_a_build_of_its_own(built_site: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot fork (Windows), ``build`` runs ``mkdocs build`` per variant, each
    loading the glossary itself: the site is the same, byte for byte."""
    monkeypatch.setattr(build_glossary.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(build_glossary, "_build_variant", None)   # a forked build would fail at once
    timings = build_glossary.build_site(build_glossary.ROOT, tmp_path / "site", quiet=True)
    assert all(timings[code]["glossary"] > 0 for code in VARIANT_ROOTS)   # each build's own log line
    assert _tree_digest(tmp_path / "site") == _tree_digest(built_site)
