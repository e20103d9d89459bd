"""Linking to the glossary, as the built site offers it: stable URLs and redirects, auto-linked
definitions, the `link` command, the hover-card demo page, and where the data files are published."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from glossary_core.variants import VARIANTS


def test_former_ids_redirect_in_every_variant(tmp_path: Path) -> None:
    import build_glossary

    project = copy_project(tmp_path)
    entry = project / "glossary" / "terms" / "liu-wen.yml"
    entry.write_text(entry.read_text("utf-8") + "former_ids:\n  - six-stabilities\n", encoding="utf-8")
    site = tmp_path / "site"
    build_glossary.build_site(project, site, quiet=True)
    for variant in VARIANTS.values():
        redirect = (site / variant.prefix / "terms" / "six-stabilities" / "index.html").read_text("utf-8")
        assert 'http-equiv="refresh" content="0; url=../liu-wen/"' in redirect
        assert (site / variant.prefix / "terms" / "liu-wen" / "index.html").is_file()


def test_definitions_link_other_terms_but_not_themselves(built_site: Path) -> None:
    page = (built_site / "terms" / "fang-guan-fu" / "index.html").read_text("utf-8")
    assert '<a class="glossary-link" href="../one-door-all-services/">进一扇门，办所有事</a>' in page
    for term_page in (built_site / "terms").glob("*/index.html"):
        own = f'href="../{term_page.parent.name}/"'
        autolinks = [line for line in term_page.read_text("utf-8").splitlines() if 'class="glossary-link"' in line]
        assert not any(own in line for line in autolinks), term_page


def test_link_command_through_build_glossary(tmp_path: Path) -> None:
    article = "# 报告\n\n扎实做好“六稳”工作，全面落实“六保”任务，`六稳` 不链接。\n"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build_glossary.py"), "link", "-", "--base-url", "https://g.example/",
         "--variant", "en", "--report", "json"],
        input=article.encode("utf-8"), capture_output=True, check=True)
    output = result.stdout.decode("utf-8")
    assert "[六稳](https://g.example/en/terms/liu-wen/)" in output
    assert "[六保](https://g.example/en/terms/liu-bao/)" in output
    assert "`六稳` 不链接" in output and output.startswith("# 报告\n")
    report = json.loads(result.stderr.decode("utf-8"))
    assert [link["term"] for link in report["links"]] == ["liu-wen", "liu-bao"]


def test_data_files_where_the_pages_expect_them(built_site: Path) -> None:
    for name in ("terms.json", "terms.csv", "terms.tbx", "terms.ttl", "terms.jsonld", "terms/liu-wen.json"):
        assert (built_site / "data" / name).is_file(), name
    for variant in VARIANTS.values():
        cards = json.loads((built_site / variant.prefix / "data" / "cards.json").read_text("utf-8"))
        assert "liu-wen" in {term["id"] for term in cards["terms"]}
        assert (built_site / variant.prefix / "assets" / "glossary-cards.js").is_file()
        assert (built_site / variant.prefix / "embed" / "index.html").is_file()
    about = (built_site / "en" / "about" / "index.html").read_text("utf-8")
    assert 'href="../../data/terms.tbx"' in about


@pytest.mark.browser
@pytest.mark.parametrize("code", list(VARIANTS))
def test_demo_page_cards_work(code: str, browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{site_url}/{VARIANTS[code].prefix}embed/", wait_until="networkidle")
    article = page.locator(".glossary-demo-article")
    page.wait_for_selector(".glossary-demo-article a.glossary-term", timeout=10_000)
    links = article.locator("a.glossary-term")
    assert links.count() >= 3
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    expected_prefix = f"{VARIANTS[code].prefix}terms/"
    assert all(f"/{expected_prefix}" in href for href in hrefs), hrefs
    # left alone: form fields and editable areas
    assert article.locator("input a, [contenteditable] a.glossary-term, code a.glossary-term").count() == 0
    links.first.focus()
    card = page.locator("[role=tooltip]")
    card.wait_for(state="visible", timeout=5_000)
    assert links.first.get_attribute("aria-describedby") == card.get_attribute("id")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=5_000)
    page.close()
