"""Search as a reader uses it: Material's own search box, in headless Chromium, on the built site.

The table tests/search/queries.tsv lists what readers type (simplified and traditional forms, quoted
or not, pinyin in three spellings, English renderings with stemming, numbered slogans, words inside
definitions) and the entry that must come back first or among the first three, in every variant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import type_search
from glossary_core import derive
from glossary_core.search import document_keys, normalise_key, search_documents
from glossary_core.variants import VARIANTS

TABLE = Path(__file__).parent / "search" / "queries.tsv"


@dataclass(frozen=True)
class Row:
    query: str
    expected: str
    within: int
    variants: str
    covers: str


def read_table() -> list[Row]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            query, expected, within, variants, covers = line.split("\t")
            rows.append(Row(query, expected, int(within), variants, covers))
    return rows


ROWS = read_table()


def queries_for(code: str) -> list[tuple[str, Row]]:
    """The table's queries for one variant; Chinese-only rows are typed in traditional on zh-Hant."""
    selected = []
    for row in ROWS:
        if row.variants == "all" or row.variants == code or (row.variants == "zh" and code != "en"):
            query = derive.to_traditional(row.query) if code == "zh-Hant" and row.variants == "zh" else row.query
            selected.append((query, row))
    return selected


def test_table_is_large_and_names_real_terms() -> None:
    from conftest import ROOT
    from glossary_core import load_checked

    terms = load_checked(ROOT).terms
    assert len(ROWS) >= 40
    assert [r.expected for r in ROWS if r.expected not in terms] == []
    for code in VARIANTS:
        assert len(queries_for(code)) >= 40


def top_results(page, query: str, count: int = 3) -> list[str]:
    """Type ``query`` into Material's search box; return the term ids of the first results."""
    type_search(page, query)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item > a.md-search-result__link",
        "links => links.map(a => a.getAttribute('href'))")
    ids = []
    for href in hrefs:
        parts = [p for p in href.split("#")[0].split("/") if p]
        ids.append(parts[parts.index("terms") + 1] if "terms" in parts else "/".join(parts[-2:]))
    return ids[:count]


@pytest.fixture(scope="module")
def search_page(browser, site_url):
    def open_variant(code: str):
        page = browser.new_page()
        page.goto(f"{site_url}/{VARIANTS[code].prefix}", wait_until="networkidle")
        page.locator("input.md-search__input").click()
        return page
    return open_variant


@pytest.mark.browser
@pytest.mark.parametrize("code", list(VARIANTS))
def test_search_table(code: str, search_page) -> None:
    """Every query of the table finds its entry where the table says, in each variant."""
    page = search_page(code)
    failures, passed = [], 0
    for query, row in queries_for(code):
        found = top_results(page, query)
        if row.expected in found[:row.within]:
            passed += 1
        else:
            failures.append(f"{query!r} ({row.covers}): expected {row.expected} within {row.within}, got {found}")
    page.close()
    print(f"\n{code}: {passed}/{passed + len(failures)} queries pass")
    assert failures == []


@pytest.mark.browser
def test_results_show_headword_and_rendering_with_highlight(search_page) -> None:
    page = search_page("zh-Hans")
    top_results(page, "六稳")
    first = page.locator(".md-search-result__item").first
    title = first.locator("h1, h2").first.inner_text()
    assert "六稳" in title and "stability on six fronts" in title
    assert first.locator("mark").count() >= 1
    href = first.locator("a").first.get_attribute("href")
    assert href.split("?")[0].endswith("/terms/liu-wen/")
    page.close()


def _parts_by_lang(markup: str, plan: str) -> dict[str, list[str]]:
    """The parts of a title or lead (split as the browser splits them) by the language the plan gives."""
    from glossary_core.search import LANG_LETTERS, SAME_LANG, SEGMENT

    parts = markup.split(SEGMENT)
    assert len(parts) == len(plan), (markup, plan)
    languages = {letter: lang for lang, letter in LANG_LETTERS.items()}
    found: dict[str, list[str]] = {}
    for part, letter in zip(parts, plan):
        if letter != SAME_LANG:
            found.setdefault(languages[letter], []).append(part.replace("\u200b", ""))
    return found


@pytest.mark.parametrize("code, title, lead", [
    ("zh-Hans", {"en": ["stability on six fronts"]},
     {"zh-Hant": ["六穩"], "zh-Latn-pinyin": ["liù wěn"], "en": ["six stabilities; six areas of stability"]}),
    ("en", {"zh-Hans": ["六稳"]},
     {"zh-Hant": ["六穩"], "zh-Latn-pinyin": ["liù wěn"], "zh-Hans": ["六稳工作"]}),
    ("zh-Hant", {"en": ["stability on six fronts"]},
     {"zh-Hans": ["六稳"], "zh-Latn-pinyin": ["liù wěn"], "en": ["six stabilities; six areas of stability"]}),
])
def test_result_parts_in_another_language_than_the_page_are_named(code, title, lead) -> None:
    """WCAG 3.1.2 in the results, as on the pages: the document says which parts are in which language."""
    from conftest import ROOT
    from glossary_core import load_checked

    documents = search_documents(load_checked(ROOT), VARIANTS[code])
    liu_wen = next(d for d in documents if d["location"] == "terms/liu-wen/")
    title_plan, lead_plan = liu_wen["langs"].split("|")
    assert _parts_by_lang(liu_wen["title"], title_plan) == title
    assert _parts_by_lang(liu_wen["text"].split("</p>", 1)[0].removeprefix("<p>"), lead_plan) == lead
    assert all(len(d["langs"]) <= 16 for d in documents)   # a few bytes, not the spans themselves


@pytest.mark.browser
def test_results_mark_the_language_of_chinese_parts_on_english_pages(search_page) -> None:
    page = search_page("en")
    top_results(page, "六稳")
    first = page.locator(".md-search-result__item").first
    assert first.locator("h1 span[lang='zh-Hans']").inner_text().replace("\u200b", "") == "六稳"
    assert first.locator("p span[lang='zh-Latn-pinyin']").first.inner_text() == "liù wěn"
    assert first.locator("h1 mark").count() == 1   # Material's highlight still marks the match
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("code", list(VARIANTS))
def test_each_variant_searches_its_own_pages(code: str, search_page, site_url) -> None:
    page = search_page(code)
    top_results(page, "六稳", count=20)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert hrefs
    prefix = f"{site_url}/{VARIANTS[code].prefix}"
    others = [f"{site_url}/{v.prefix}" for v in VARIANTS.values() if v.prefix and v.code != code]
    assert all(h.startswith(prefix) for h in hrefs)
    assert not any(h.startswith(o) for h in hrefs for o in others)
    assert len(hrefs) == len(set(hrefs))
    page.close()


def test_index_has_one_document_per_term_and_no_index_pages(built_site: Path) -> None:
    from conftest import ROOT
    from glossary_core import load_checked

    terms = load_checked(ROOT).terms
    for code, variant in VARIANTS.items():
        index = json.loads((built_site / variant.prefix / "search" / "search_index.json").read_text("utf-8"))
        locations = [d["location"] for d in index["docs"]]
        assert sorted(l for l in locations if l.startswith("terms/")) == sorted(f"terms/{t}/" for t in terms)
        assert not any(l.startswith("browse/") for l in locations)
        liu_wen = next(d for d in index["docs"] if d["location"] == "terms/liu-wen/")
        assert {"六稳", "六穩", "liuwen", "stabilityonsixfronts", "sixstabilities"} <= document_keys(liu_wen)


def test_index_fits_its_budget_at_any_size() -> None:
    """Past the budget, definitions shrink, then sub-words go; the forms always stay."""
    from conftest import ROOT
    from glossary_core import load_checked
    from glossary_core.search import INDEX_BUDGET, _Builder, _size

    def _documents(glossary):
        builder = _Builder(glossary, VARIANTS["zh-Hans"])
        return [builder.document(t) for t in sorted(glossary.terms)]

    glossary = load_checked(ROOT)
    full = search_documents(glossary, VARIANTS["zh-Hans"])
    assert _size(full) < INDEX_BUDGET  # the real glossary is indexed whole
    smallest = [d.as_json(0, with_extra=False) for d in _documents(glossary)]
    budget = (_size(smallest) + _size(full)) // 2
    trimmed = search_documents(glossary, VARIANTS["zh-Hans"], budget=budget)
    assert _size(trimmed) <= budget
    assert any("<p>" in d["text"].split("</p>", 1)[1] for d in trimmed)  # some definition text is left
    # and the definitions are the longest that fit: one more character each would not
    documents = _documents(glossary)
    caps = [cap for cap in range(max(d.definition_length for d in documents))
            if [d.as_json(cap) for d in documents] == trimmed]
    assert caps, "the trimmed index is not the documents cut at one length"
    assert _size([d.as_json(caps[-1] + 1) for d in documents]) > budget
    by_location = {d["location"]: d for d in trimmed}
    assert document_keys(by_location["terms/liu-wen/"]) == document_keys(
        next(d for d in full if d["location"] == "terms/liu-wen/"))


@pytest.mark.parametrize("text, key", [
    ("liù wěn", "liuwen"), ("Liu Wen", "liuwen"), ("“六稳”", "六稳"), ("“１３３６”", "1336"),
    ("122+N", "122+n"), ("zero-waste city", "zerowastecity"), ("lüè", "lue"),
])
def test_normalise_key(text: str, key: str) -> None:
    assert normalise_key(text) == key


def test_definition_cut_keeps_entities_whole_and_ignores_word_joiners() -> None:
    """_cut (str.count and bisection) gives what a character-by-character walk gives, on random text."""
    import random

    from glossary_core import search

    joiner = search.WORD_JOINER

    def walk(text: str, chars: int) -> str:
        seen, end = 0, 0
        while end < len(text) and seen < chars:
            end = text.find(";", end) + 1 if text[end] == "&" and ";" in text[end:] else end + 1
            seen += text[end - 1] != joiner
        return text[:end]

    rng = random.Random(6)
    for _ in range(2000):
        text = "".join(rng.choice(["六", "稳", joiner, joiner, "a", "&amp;", "&", ";", " "])
                       for _ in range(rng.randint(0, 40)))
        assert search._visible_length(text) == len(search._visible_ends(text))
        for chars in range(1, 45):
            assert search._cut(text, chars) == walk(text, chars), (text, chars)
    assert search._cut("六\u200b稳\u200b&amp;\u200b保", 3) == "六\u200b稳\u200b&amp;"
