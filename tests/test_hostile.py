"""Hostile input: markup and script in any text field are rejected by `check` or come out as text.

Three parts:

1. Rejection. The markup rule ("text must not contain HTML tags", "links must be http(s) URLs or
   [[id]] references") covers every text field of a term file; the lines `check` prints are asserted
   for each. The support files (sources.yml, categories.yml, places.yml) are not under the rule.
2. Output. A copy of the project with one hostile entry (tests/hostile/hostile-payload.yml, which
   passes `check`) and hostile support entries (tests/hostile/support.yml, raw HTML included) is
   built once; every output path shows the payloads as text: term, index and home pages in the
   three variants, the search index, the open-data exports, the hover-card data. In headless
   Chromium nothing runs: term and index pages, a search through Material's search box, the
   hover-card demo page (with the hostile entry on a card) and the card script fed raw HTML.
3. The article linker (API and `build_glossary.py link`): hostile articles come out byte for byte
   except for links around glossary forms, and a hostile --base-url is refused.

The payloads try to set ``window.__pwned``; the browser tests assert it stays undefined.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml

from conftest import ROOT, copy_project, serve_directory, type_search
from glossary_core import check_files, load_checked, read_glossary_dir
from glossary_core import derive
from glossary_core.cards import DEFINITION_LIMIT, plain_text as card_plain_text, truncate
from glossary_core.exports import plain_text, term_uri
from glossary_core.linker import Linker, html_link, link_html, link_markdown, markdown_link, term_url
from glossary_core.markdown_ext import GlossaryLinkExtension
from glossary_core.render import Renderer, term_view
from glossary_core.variants import VARIANTS

HOSTILE = Path(__file__).resolve().parent / "hostile"
TERM_ID = "hostile-payload"
ENTRY = yaml.safe_load((HOSTILE / "hostile-payload.yml").read_text(encoding="utf-8"))
SUPPORT = yaml.safe_load((HOSTILE / "support.yml").read_text(encoding="utf-8"))
CATEGORY = SUPPORT["categories"][0]
PLACE = SUPPORT["places"][0]
SOURCE = SUPPORT["sources"][0]
HEADWORD = ENTRY["headword"]
ENGLISH = ENTRY["english"][0]["text"]
SITE_NAMES = {"zh-Hans": "中国政策术语双语词表·遂宁市安居区", "en": "Chinese Policy Glossary: Anju District, Suining",
              "zh-Hant": "中國政策術語雙語詞表·遂寧市安居區"}
SCRIPT = '<script>window.__pwned=1</script>'
IMG = '<img src=x onerror="window.__pwned=1">'
HTML_RULE = "text must not contain HTML tags"
LINK_RULE = "links must be http(s) URLs or [[id]] references"


def norm(text: str) -> str:
    """Text with runs of white space as one space and without the search index's word joiners."""
    return " ".join(text.replace("\u200b", "").split())


# --- the hostile copy of the project ---------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with the hostile entry and the hostile support entries added."""
    project = copy_project(tmp_path_factory.mktemp("hostile-project"))
    shutil.copy2(HOSTILE / "hostile-payload.yml", project / "glossary" / "terms" / f"{TERM_ID}.yml")
    for name, entries in SUPPORT.items():
        path = project / "glossary" / f"{name}.yml"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n"
                        + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=1000),
                        encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_glossary(hostile_project: Path):
    return load_checked(hostile_project)


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path) -> Path:
    """The hostile copy built once, all three variants, strictly."""
    import build_glossary

    site = hostile_project / "site"
    build_glossary.build_site(hostile_project, site, quiet=True)
    return site


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path):
    with serve_directory(hostile_site) as url:
        yield url


def page_tree(site: Path, url_path: str) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(site / url_path / "index.html")).getroot()


_DANGEROUS_URL = re.compile(r"\s*(?:javascript|vbscript|data):", re.IGNORECASE)
INERT_URL = "javascript:void(0)"  # Material's own placeholder (search.share), not a payload


def dangerous(tree: lxml.html.HtmlElement) -> list[str]:
    """What in a parsed page could run a payload: event-handler attributes, script URLs, the payloads'
    elements (img src=x, a script that sets __pwned), plugin elements."""
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.lower() in ("href", "src", "action", "formaction", "srcdoc") and value != INERT_URL \
                    and _DANGEROUS_URL.match(re.sub(r"[\t\n\r]", "", value)):
                found.append(f"<{element.tag} {name}={value!r}>")
        if element.tag == "img" and element.get("src") == "x":
            found.append("<img src=x>")
        if element.tag == "script" and element.get("type") != "application/ld+json" \
                and "__pwned" in (element.text or ""):
            found.append(f"<script>{element.text}</script>")
        if element.tag in ("iframe", "object", "embed"):
            found.append(f"<{element.tag}>")
    return found


def view_of(glossary, code: str):
    return term_view(glossary, TERM_ID, VARIANTS[code])


# --- 1. rejection -------------------------------------------------------------------------------

# A valid entry with one placeholder per text field; each test puts a payload into one of them.
PROBE = """\
id: markup-probe
headword: @headword@
aliases:
  - @aliases@
traditional: @traditional@
pinyin: @pinyin@
english:
  - text: @english.text@
    status: common
    source: @english.source@
definition:
  zh: @definition.zh@
  en: @definition.en@
components:
  - zh: @components.zh@
    en: @components.en@
    components:
      - zh: @components.components.zh@
        en: @components.components.en@
category: macro-policy
level: district
place: anju
first_seen: 2020
sources:
  - doc: anju-work-report-2020
    quote: @sources.quote@
disambiguation:
  zh: @disambiguation.zh@
  en: @disambiguation.en@
linking:
  exclude:
    - @linking.exclude@
notes:
  zh: @notes.zh@
  en: @notes.en@
"""
BENIGN = {
    "headword": "探针词条", "aliases": "探针别名", "traditional": "探針詞條", "pinyin": "tàn zhēn cí tiáo",
    "english.text": "probe term", "english.source": "Probe press, 2020",
    "definition.zh": "用来检验检查器的探针条目。",
    "definition.en": "A probe entry that exists to test that the checker rejects markup in every text field.",
    "components.zh": "部分", "components.en": "part", "components.components.zh": "小部分",
    "components.components.en": "small part", "sources.quote": "探针引文",
    "disambiguation.zh": "辨析", "disambiguation.en": "disambiguation",
    "linking.exclude": "探针词条之外", "notes.zh": "编者注", "notes.en": "editor's note",
}
FIELDS = list(BENIGN)
PROBE_FILE = "glossary/terms/markup-probe.yml"


def probe_line(field: str) -> int:
    return next(n for n, line in enumerate(PROBE.splitlines(), 1) if f"@{field}@" in line)


def check_probe(support: dict[str, bytes], **values: str) -> list[str]:
    """`check`'s lines for the probe with the given fields replaced (the rest benign)."""
    text = PROBE
    for field, benign in BENIGN.items():
        text = text.replace(f"@{field}@", json.dumps(values.get(field, benign), ensure_ascii=False))
    _, problems = check_files({**support, PROBE_FILE: text.encode("utf-8")})
    return [str(problem) for problem in problems]


def markup_lines(lines: list[str]) -> list[str]:
    return sorted(line for line in lines if HTML_RULE in line or LINK_RULE in line)


@pytest.fixture(scope="module")
def support_files(hostile_project: Path) -> dict[str, bytes]:
    """The copy's support files: the real ones plus the hostile entries (raw HTML in their texts)."""
    return {path: data for path, data in read_glossary_dir(hostile_project).items()
            if not path.startswith("glossary/terms/")}


def test_probe_is_valid_as_it_stands(support_files) -> None:
    assert check_probe(support_files) == []


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
@pytest.mark.parametrize("field", FIELDS)
def test_every_term_text_field_rejects_raw_html(support_files, field: str, payload: str) -> None:
    lines = check_probe(support_files, **{field: payload})
    assert markup_lines(lines) == [f"{PROBE_FILE}:{probe_line(field)}: {HTML_RULE} '{payload}'"]


MARKDOWN_SMUGGLING = [
    # inline links and images: the target must be http(s)
    ("[x](javascript:window.__pwned=1)", [f"{LINK_RULE} 'javascript:window.__pwned=1'"]),
    ("[x]( javascript:window.__pwned=1 )", [f"{LINK_RULE} 'javascript:window.__pwned=1'"]),
    ("[x](JavaScript:window.__pwned=1)", [f"{LINK_RULE} 'JavaScript:window.__pwned=1'"]),
    ("[x](&#106;avascript:window.__pwned=1)", [f"{LINK_RULE} '&#106;avascript:window.__pwned=1'"]),
    ("![x](javascript:window.__pwned=1)", [f"{LINK_RULE} 'javascript:window.__pwned=1'"]),
    ("[x](data:text/html,x)", [f"{LINK_RULE} 'data:text/html,x'"]),
    ("[x](//evil.example/)", [f"{LINK_RULE} '//evil.example/'"]),
    # reference links: the definition's target is checked like an inline link's
    ("[x][r]\n\n[r]: javascript:window.__pwned=1", [f"{LINK_RULE} 'javascript:window.__pwned=1'"]),
    ("[r]\n\n   [r]:\n  javascript:window.__pwned=1 \"title\"", [f"{LINK_RULE} 'javascript:window.__pwned=1'"]),
    # raw HTML in any guise
    ("<javascript:window.__pwned=1>", [f"{HTML_RULE} '<javascript:window.__pwned=1>'"]),
    ("[x](<javascript:window.__pwned=1>)", [f"{LINK_RULE} 'javascript:window.__pwned=1'",
                                            f"{HTML_RULE} '[x](<javascript:window.__pwned=1>)'"]),
    ('<div markdown="1">*x*</div>', [f"{HTML_RULE} '<div markdown=\"1\">*x*</div>'"]),
    ("a <!-- hidden --> b", [f"{HTML_RULE} 'a <!-- hidden --> b'"]),
    ("< script>window.__pwned=1< /script>", [f"{HTML_RULE} '< script>window.__pwned=1< /script>'"]),
    ("<?php echo 1; ?>", [f"{HTML_RULE} '<?php echo 1; ?>'"]),
    # the rule takes '<' before a letter as a tag even after a space: "x < y" must be written otherwise
    ("x < y", [f"{HTML_RULE} 'x < y'"]),
    # accepted: no tag, no link elsewhere than http(s)
    ("x < 5 and y > 3", []),
    ("[a safe link](https://example.org/?a=1&b=2) and [another][r]\n\n[r]: https://example.org/", []),
    ("{{ config }} {% raw %} {{ 7*7 }} &lt;script&gt; &#60;img&#62; ]]> `code` \"q\" 'q' javascript:x", []),
    ("[[liu-wen]]: a reference to another entry, then a colon", []),
]


@pytest.mark.parametrize("payload, rules", MARKDOWN_SMUGGLING, ids=[c[0] for c in MARKDOWN_SMUGGLING])
def test_markdown_that_smuggles_html_or_script_links_is_rejected(support_files, payload: str,
                                                                 rules: list[str]) -> None:
    lines = check_probe(support_files, **{"notes.en": payload})
    assert markup_lines(lines) == sorted(f"{PROBE_FILE}:{probe_line('notes.en')}: {rule}" for rule in rules)


def test_check_command_prints_the_line(tmp_path: Path, support_files) -> None:
    for path, data in support_files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    probe = PROBE
    for field, benign in BENIGN.items():
        value = f"做好{IMG}" if field == "sources.quote" else benign
        probe = probe.replace(f"@{field}@", json.dumps(value, ensure_ascii=False))
    (tmp_path / PROBE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / PROBE_FILE).write_text(probe, encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build_glossary.py"), "--root", str(tmp_path), "check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{PROBE_FILE}:{probe_line('sources.quote')}: {HTML_RULE} '做好{IMG}'"]
    assert result.stderr.strip() == "1 problem found in the glossary"


def test_support_files_are_not_under_the_rule_and_the_hostile_entry_passes(hostile_project: Path) -> None:
    """Raw HTML in sources.yml, categories.yml and places.yml passes `check`: the pages escape it
    (see the output tests). The hostile entry carries only what the rule allows."""
    glossary, problems = check_files(read_glossary_dir(hostile_project))
    assert [str(p) for p in problems] == []
    assert "<script>" in glossary.sources["hostile-source"]["title"]["zh"]
    assert "<img " in glossary.categories["hostile-category"]["zh"]
    assert "<b " in glossary.places["hostile-place"]["en"]
    assert TERM_ID in glossary.terms


# --- 2. output: pages -----------------------------------------------------------------------------

DEFINITION_TEXT = {
    "zh": '恶意测试条目：{{ 7*7 }} 和 {{ config }}、{% raw %}{% endraw %}、&lt;script&gt;window.__pwned=1'
          '&lt;/script&gt;、&#60;img src=x onerror=window.__pwned=1&#62;、引号"双"与\'单\'、代码、'
          'javascript:window.__pwned=1 只是文字、]]> 也只是文字。参见六稳。 {: onclick="window.__pwned=1" }',
    "en": 'A hostile test entry: {{ 7*7 }} and {{ config }}, {% raw %}{% endraw %}, &lt;script&gt;window.__pwned=1'
          '&lt;/script&gt;, x < 5, "double" and \'single\' quotes, emphasis{: onmouseover="window.__pwned=1" }, '
          'code, javascript:window.__pwned=1 as plain words, ]]> as plain text, and a safe link. '
          'See the “six stabilities”.',
}
DISAMBIGUATION_TEXT = {"zh": '辨析{{ config }}&lt;u&gt;"\'`]]>',
                       "en": 'Disambiguation {{ 7*7 }} &lt;u&gt; "q" \'s\' t ]]> javascript:window.__pwned=1'}
NOTES_TEXT = {"zh": '编者注{{ config }}&lt;i&gt;"\'`]]> {: onclick="window.__pwned=1" }',
              "en": 'Editor\'s note with {{ 7*7 }} and &lt;i&gt;italic&lt;/i&gt; and "quotes". '
                    '{: onclick="window.__pwned=1" }'}


def _after(tree, anchor: str) -> list:
    """The prose blocks (auto-link divs) that follow the heading with this id, up to the next heading."""
    blocks = []
    for element in tree.xpath(f'//h2[@id="{anchor}"]/following-sibling::*'):
        if element.tag == "h2":
            break
        if "glossary-autolink" in (element.get("class") or ""):
            blocks.append(norm(element.text_content()))
    return blocks


@pytest.mark.parametrize("code", list(VARIANTS))
def test_term_page_shows_every_field_as_text(hostile_site: Path, hostile_glossary, code: str) -> None:
    variant = VARIANTS[code]
    tree = page_tree(hostile_site, f"{variant.prefix}terms/{TERM_ID}")
    view = view_of(hostile_glossary, code)
    zh = variant.chinese
    assert dangerous(tree) == []
    assert tree.xpath("//h1")[0].text_content().rstrip("¶") == view.shown
    forms = norm(tree.xpath('//div[contains(@class, "term-forms")]')[0].text_content())
    for alias in ENTRY["aliases"]:
        assert norm(zh(alias)) in forms
    cells = tree.xpath('//h2[@id="english"]/following-sibling::table[1]//tbody/tr[1]/td')
    assert norm(cells[0].text_content()) == norm(ENGLISH)
    assert norm(cells[2].text_content()) == ENTRY["english"][0]["source"]
    if code == "zh-Hant":
        definition = " ".join(_after(tree, "definition-zh"))
        for piece in ("{{ 7*7 }}", "{{ config }}", "{% raw %}{% endraw %}", "&lt;script&gt;window.__pwned=1",
                      '{: onclick="window.__pwned=1" }', "]]>"):
            assert piece in definition
    else:
        assert _after(tree, "definition-zh") == [DEFINITION_TEXT["zh"]]
        assert _after(tree, "definition-en") == [DEFINITION_TEXT["en"]]
        order = ["en", "zh"] if code == "en" else ["zh", "en"]
        assert _after(tree, "disambiguation") == [DISAMBIGUATION_TEXT[lang] for lang in order]
        assert _after(tree, "notes") == [NOTES_TEXT[lang] for lang in order]
    rows = tree.xpath('//div[contains(@class, "components")]//tbody/tr')
    assert [norm(row.xpath("td")[1].text_content()) for row in rows] == [norm(zh(c["zh"])) for c in ENTRY["components"]]
    assert [norm(row.xpath("td")[2].text_content()) for row in rows] == [norm(c["en"]) for c in ENTRY["components"]]
    facts = {norm(row.xpath("td")[0].text_content()): norm(row.xpath("td")[1].text_content())
             for row in tree.xpath('//h2[@id="facts"]/following-sibling::table[1]//tbody/tr')}
    label = CATEGORY["en"] if code == "en" else zh(CATEGORY["zh"])
    place = PLACE["en"] if code == "en" else zh(PLACE["zh"])
    assert norm(label) in facts.values() and norm(place) in facts.values()
    quotes = [norm(q.text_content()) for q in tree.xpath('//h2[@id="sources"]/following-sibling::ol[1]//blockquote')]
    assert quotes == [norm(zh(s["quote"])) for s in ENTRY["sources"]]
    sources = norm(tree.xpath('//h2[@id="sources"]/following-sibling::ol[1]/li')[0].text_content())
    assert norm(SOURCE["title"]["en"] if code == "en" else zh(SOURCE["title"]["zh"])) in sources
    assert norm(SOURCE["issuer"]["en"] if code == "en" else zh(SOURCE["issuer"]["zh"])) in sources
    # the citation stays one line of code: a line break + ``` in the rendering cannot end the block
    citation = tree.xpath('//h2[@id="cite"]/following-sibling::div[contains(@class, "highlight")][1]//pre')
    assert len(citation) == 1
    cited = citation[0].text_content().rstrip("\n")
    assert "\n" not in cited and " ".join(ENGLISH.splitlines()) in cited
    assert cited.startswith(f"“{view.headword if code == 'en' else view.shown}")
    # template syntax is shown, not evaluated
    page_text = tree.xpath('//article')[0].text_content()
    assert "{{ 7*7 }}" in page_text and "{{ config }}" in page_text and "{% raw %}" in page_text
    raw = (hostile_site / variant.prefix / "terms" / TERM_ID / "index.html").read_text(encoding="utf-8")
    assert "docs_dir" not in raw and "site_dir" not in raw and "{{ 49 }}" not in raw


@pytest.mark.parametrize("code", list(VARIANTS))
def test_term_page_head_and_json_ld_are_escaped(hostile_site: Path, hostile_glossary, code: str) -> None:
    variant = VARIANTS[code]
    path = hostile_site / variant.prefix / "terms" / TERM_ID / "index.html"
    raw = path.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(raw)
    view = view_of(hostile_glossary, code)
    renderer = Renderer(hostile_glossary, variant)
    description = renderer._plain_definition(view)
    assert tree.xpath("//title")[0].text_content() == f"{view.shown} · {view.english} - {SITE_NAMES[code]}"
    assert tree.xpath('//meta[@name="description"]')[0].get("content") == description[:300]
    # Material's header prints the title unescaped; the check keeps tags out, so it holds text only
    for topic in tree.xpath('//div[contains(@class, "md-header__topic")]'):
        assert [e.tag for e in topic.iter() if e.tag in ("script", "img", "b", "i", "u", "a")] == []
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    body = scripts[0].text
    assert "</" not in body and "<!--" not in body
    assert raw.count(body + "</script>") == 1
    data = json.loads(body)
    assert data["name"] == view.shown and data["description"] == description
    assert set(ENTRY["aliases"]) <= set(data["alternateName"]) and view.english in data["alternateName"]


def test_json_ld_cannot_end_its_script_element(hostile_project: Path) -> None:
    """Defence in depth, past the check: a rendering that closes the script tag stays inside the JSON."""
    glossary = load_checked(hostile_project)
    hostile = "</script><script>window.__pwned=1</script></SCRIPT >"
    glossary.terms[TERM_ID].data["english"][0]["text"] = hostile
    renderer = Renderer(glossary, VARIANTS["en"], "https://g.example/")
    block = renderer.json_ld(renderer.views[TERM_ID])
    assert block.startswith('<script type="application/ld+json">') and block.endswith("</script>\n")
    assert block.lower().count("</script") == 1
    body = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>\n")
    assert hostile in json.loads(body)["alternateName"]


INDEXES = ["browse/pinyin", "browse/english", "browse/categories", "browse/sources", "browse/numbered"]


@pytest.mark.parametrize("code", list(VARIANTS))
@pytest.mark.parametrize("index", INDEXES)
def test_index_pages_show_the_entry_as_text(hostile_site: Path, hostile_glossary, code: str, index: str) -> None:
    variant = VARIANTS[code]
    tree = page_tree(hostile_site, variant.prefix + index)
    view = view_of(hostile_glossary, code)
    assert dangerous(tree) == []
    links = tree.xpath(f'//article//a[contains(@href, "terms/{TERM_ID}/")]')
    assert links, f"{index} does not list the hostile entry"
    for link in links:
        assert link.text_content() == view.shown
        row = link.getparent().getparent()
        assert norm(row.xpath("td")[-1].text_content()) == norm(view.english)
    if index == "browse/categories":
        label = CATEGORY["en"] if code == "en" else variant.chinese(CATEGORY["zh"])
        assert tree.xpath('//h2[@id="hostile-category"]')[0].text_content().rstrip("¶") == label
        toc = tree.xpath('//nav[contains(@class, "md-nav--secondary")]//a[@href="#hostile-category"]')
        assert toc and norm(toc[0].text_content()) == norm(label)
    if index == "browse/sources":
        title = SOURCE["title"]["en"] if code == "en" else variant.chinese(SOURCE["title"]["zh"])
        issuer = SOURCE["issuer"]["en"] if code == "en" else variant.chinese(SOURCE["issuer"]["zh"])
        assert tree.xpath('//h2[@id="hostile-source"]')[0].text_content().rstrip("¶") == title
        details = tree.xpath('//h2[@id="hostile-source"]/following-sibling::ul[1]/li')
        assert norm(details[0].text_content()).endswith(norm(issuer))
        assert [c.text_content() for c in details[2].xpath(".//code")] == [SOURCE["file"]]


@pytest.mark.parametrize("path", ["", "en/", "zh-Hant/", "terms/liu-wen/", "en/terms/liu-wen/", "embed/", "about/"])
def test_other_pages_that_name_the_entry_are_inert(hostile_site: Path, hostile_glossary, path: str) -> None:
    tree = page_tree(hostile_site, path.rstrip("/"))
    assert dangerous(tree) == []
    if "liu-wen" in path:  # related to and mentioned by the hostile entry
        code = "en" if path.startswith("en/") else "zh-Hans"
        view = view_of(hostile_glossary, code)
        texts = {norm(a.text_content()) for a in tree.xpath(f'//article//a[contains(@href, "{TERM_ID}/")]')}
        assert texts == {norm(view.english if code == "en" else view.shown)}


# --- 2. output: search index, open data, card data ---------------------------------------------

_OWN_TAGS = re.compile(r'<p>|</p>|<p class="glossary-search-keys">')


@pytest.mark.parametrize("code", list(VARIANTS))
def test_search_documents_are_html_escaped(hostile_site: Path, hostile_glossary, code: str) -> None:
    variant = VARIANTS[code]
    index = json.loads((hostile_site / variant.prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    doc = next(d for d in index["docs"] if d["location"] == f"terms/{TERM_ID}/")
    view = view_of(hostile_glossary, code)
    # Material inserts title and text as HTML: no tag in them but the index's own paragraphs
    assert "<" not in doc["title"] and ">" not in doc["title"]
    assert "<" not in _OWN_TAGS.sub("", doc["text"]) and ">" not in _OWN_TAGS.sub("", doc["text"])
    title = html.unescape(doc["title"]).replace("\u200b", "")
    assert title == (f"{view.english} · {view.shown}" if code == "en" else f"{view.shown} · {view.english}")
    fragment = lxml.html.fragment_fromstring(doc["text"], create_parent="div")
    assert {e.tag for e in fragment.iter()} == {"div", "p"}
    text = html.unescape(doc["text"]).replace("\u200b", "")
    assert Renderer(hostile_glossary, variant)._plain_definition(view) in text
    assert "{{ 7*7 }}" in text and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text
    # the plan of the parts' languages is letters only, one for each part the browser will find
    title_plan, lead_plan = re.fullmatch(r"([-stpe]+)\|([-stpe]+)", doc["langs"]).groups()
    assert len(title_plan) == len(doc["title"].split(" · "))
    assert len(lead_plan) == len(re.match(r"<p>(.*?)</p>", doc["text"]).group(1).split(" · "))


def test_json_exports_carry_the_payloads_as_data(hostile_site: Path) -> None:
    document = json.loads((hostile_site / "data" / "terms.json").read_text(encoding="utf-8"))
    record = next(t for t in document["terms"] if t["id"] == TERM_ID)
    assert {key: value for key, value in record.items() if key != "derived"} == ENTRY
    assert json.loads((hostile_site / "data" / "terms" / f"{TERM_ID}.json").read_text(encoding="utf-8")) == record
    assert next(s for s in document["sources"] if s["id"] == "hostile-source") == SOURCE
    assert next(c for c in document["categories"] if c["id"] == "hostile-category") == CATEGORY
    assert next(p for p in document["places"] if p["id"] == "hostile-place") == PLACE


def test_csv_export_round_trips(hostile_site: Path, hostile_glossary) -> None:
    text = (hostile_site / "data" / "terms.csv").read_text(encoding="utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text, newline="")) if r["id"] == TERM_ID)
    assert row["headword"] == HEADWORD
    assert row["aliases"] == " | ".join(ENTRY["aliases"])
    assert row["english"] == ENGLISH
    assert row["english_other"] == ENTRY["english"][1]["text"]
    assert row["definition_en"] == plain_text(hostile_glossary, ENTRY["definition"]["en"], "en")
    assert row["definition_zh"] == plain_text(hostile_glossary, ENTRY["definition"]["zh"], "zh-Hans")


def test_tbx_export_parses_and_round_trips(hostile_site: Path, hostile_glossary) -> None:
    raw = (hostile_site / "data" / "terms.tbx").read_bytes()
    assert b"]]>" not in raw  # XML text may not contain it; it is written ]]&gt;
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = lxml.etree.fromstring(raw, parser)
    entry = root.xpath(f'//termEntry[@id="{TERM_ID}"]')[0]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    sets = {s.get(lang): s for s in entry.findall("langSet")}
    assert [t.text for t in sets["zh-Hans"].iter("term")] == [HEADWORD, *ENTRY["aliases"]]
    assert [t.text for t in sets["en"].iter("term")] == [r["text"] for r in ENTRY["english"]]
    assert [a.text for a in sets["en"].iter("admin")] == [ENTRY["english"][0]["source"]]
    assert sets["en"].find("descrip").text == plain_text(hostile_glossary, ENTRY["definition"]["en"], "en")
    assert sets["zh-Hans"].find("descrip").text == plain_text(hostile_glossary, ENTRY["definition"]["zh"], "zh-Hans")
    assert entry.find("descrip").text == CATEGORY["en"]


def test_skos_and_jsonld_exports_round_trip(hostile_site: Path, hostile_glossary) -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import SKOS

    root = json.loads((hostile_site / "data" / "terms.json").read_text(encoding="utf-8"))["site"]
    uri = term_uri(root, TERM_ID)
    graph = Graph().parse(data=(hostile_site / "data" / "terms.ttl").read_text(encoding="utf-8"), format="turtle")
    concept = URIRef(uri)
    assert Literal(HEADWORD, lang="zh-Hans") in set(graph.objects(concept, SKOS.prefLabel))
    assert Literal(ENGLISH, lang="en") in set(graph.objects(concept, SKOS.prefLabel))
    assert {Literal(a, lang="zh-Hans") for a in ENTRY["aliases"]} <= set(graph.objects(concept, SKOS.altLabel))
    for field, predicate in (("definition", SKOS.definition), ("disambiguation", SKOS.scopeNote),
                             ("notes", SKOS.editorialNote)):
        expected = Literal(plain_text(hostile_glossary, ENTRY[field]["en"], "en"), lang="en")
        assert expected in set(graph.objects(concept, predicate))
    jsonld = json.loads((hostile_site / "data" / "terms.jsonld").read_text(encoding="utf-8"))
    term = next(t for t in jsonld["hasDefinedTerm"] if t["@id"] == uri)
    assert term["name"] == [{"@value": HEADWORD, "@language": "zh-Hans"}]
    assert {"@value": plain_text(hostile_glossary, ENTRY["definition"]["en"], "en"), "@language": "en"} \
        in term["description"]
    assert {"@value": ENGLISH, "@language": "en"} in term["alternateName"]


@pytest.mark.parametrize("code", list(VARIANTS))
def test_card_data_carries_the_payloads_as_data(hostile_site: Path, hostile_glossary, code: str) -> None:
    cards = json.loads((hostile_site / VARIANTS[code].prefix / "data" / "cards.json").read_text(encoding="utf-8"))
    card = next(t for t in cards["terms"] if t["id"] == TERM_ID)
    view = view_of(hostile_glossary, "zh-Hans")
    assert (card["headword"], card["traditional"], card["pinyin"], card["english"]) == \
        (HEADWORD, view.traditional, view.pinyin, ENGLISH)
    assert HEADWORD in card["forms"]
    assert ENTRY["linking"]["exclude"][0] in card["exclude"]
    renderer = Renderer(hostile_glossary, VARIANTS["en"])
    assert card["definition"]["en"] == truncate(card_plain_text(renderer._plain_definition(renderer.views[TERM_ID])),
                                                DEFINITION_LIMIT["en"], english=True)
    assert all(re.match(r"https?://", url) for url in card["url"].values())


# --- 3. in the browser --------------------------------------------------------------------------

# Hovers, focuses and clicks everything in the article (links are not clicked: their targets are
# checked instead): an event-handler attribute smuggled into the page would run now.
POKE = """() => {
  document.addEventListener('click', e => e.preventDefault(), true);
  for (const el of document.querySelectorAll('article *, .md-header__topic *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) {
      if (type === 'click' && el.closest('a, button, label, summary')) continue;
      el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
  }
}"""
# What the page holds that a payload would have left
INSPECT = """() => ({
  pwned: typeof window.__pwned,
  img: document.querySelectorAll('img[src="x"]').length,
  handlers: [...document.querySelectorAll('*')].filter(
      e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).map(e => e.outerHTML.slice(0, 120)),
  scriptLinks: [...document.querySelectorAll('a[href], area[href], iframe, form[action]')].filter(e => {
      const url = e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '';
      return /^\\s*(javascript|vbscript|data):/i.test(url) && url !== 'javascript:void(0)';
    }).length,
  scripts: [...document.scripts].filter(
      s => s.type !== 'application/ld+json' && s.textContent.includes('__pwned')).length,
})"""
CLEAN = {"pwned": "undefined", "img": 0, "handlers": [], "scriptLinks": 0, "scripts": 0}


def open_page(browser, url: str):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="load")
    return page, dialogs


BROWSER_PAGES = ["terms/hostile-payload/", "en/terms/hostile-payload/", "zh-Hant/terms/hostile-payload/",
                 "terms/hostile-old/", "terms/liu-wen/", "browse/pinyin/", "en/browse/english/",
                 "browse/categories/", "en/browse/categories/", "browse/sources/", "zh-Hant/browse/sources/",
                 "browse/numbered/", ""]


@pytest.mark.browser
@pytest.mark.parametrize("path", BROWSER_PAGES)
def test_pages_run_no_payload(browser, hostile_url: str, path: str) -> None:
    page, dialogs = open_page(browser, f"{hostile_url}/{path}")
    if path == "terms/hostile-old/":  # a former id: the redirect page leads to the entry
        page.wait_for_url(f"**/terms/{TERM_ID}/", timeout=10_000)
        page.wait_for_load_state("load")
    page.evaluate(POKE)
    page.wait_for_timeout(100)
    assert page.evaluate(INSPECT) == CLEAN
    assert dialogs == []
    if "hostile" in path:
        assert page.evaluate("document.querySelector('h1').firstChild.textContent") == \
            (derive.to_traditional(HEADWORD) if path.startswith("zh-Hant/") else HEADWORD)
        ld = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
        assert set(ENTRY["aliases"]) <= set(ld["alternateName"]) and ld["name"] == page.evaluate(
            "document.querySelector('h1').firstChild.textContent")
    page.close()


def _search(page, query: str) -> None:
    type_search(page, query)


@pytest.mark.browser
def test_search_box_shows_the_entry_as_text(browser, hostile_url: str) -> None:
    page, dialogs = open_page(browser, f"{hostile_url}/")
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    _search(page, HEADWORD)  # the headword itself is the query: quotes, braces, backticks and all
    first = page.locator(".md-search-result__item").first
    assert first.locator("a").first.get_attribute("href").split("?")[0].endswith(f"/terms/{TERM_ID}/")
    title = first.locator("h1, h2").first.evaluate("e => e.textContent")
    assert norm(title) == norm(f"{HEADWORD} · {ENGLISH}")
    assert page.evaluate(INSPECT) == CLEAN
    # open the entry from the results: Material highlights the query on the page (?h=…)
    first.locator("a").first.click()
    page.wait_for_url(f"**/terms/{TERM_ID}/?h=*", timeout=10_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert page.locator("article mark").count() >= 1
    assert page.evaluate(INSPECT) == CLEAN
    # a query that is itself markup, from the entry's page
    page.locator("input.md-search__input").click()
    _search(page, "恶意 <img src=x onerror=window.__pwned=1> {{ config }}")
    page.evaluate(POKE.replace("article *, .md-header__topic *", ".md-search-result *"))
    assert page.evaluate(INSPECT) == CLEAN
    assert dialogs == []
    page.close()


def _hover_card(page, link_selector: str) -> dict:
    page.wait_for_selector(link_selector, timeout=10_000)
    page.hover(link_selector)
    page.wait_for_selector(".glossary-card:not([hidden])", timeout=5_000)
    return page.evaluate("""() => {
      const card = document.querySelector('.glossary-card');
      const text = cls => card.querySelector('.glossary-card__' + cls).textContent;
      return {hw: text('hw'), alt: text('alt'), py: text('py'), en: text('en'), def: text('def'),
              more: card.querySelector('.glossary-card__more').href,
              elements: [...card.querySelectorAll('*')].map(e => e.tagName + '.' + e.className)};
    }""")


CARD_ELEMENTS = ["P.glossary-card__head", "SPAN.glossary-card__hw", "SPAN.glossary-card__alt",
                 "P.glossary-card__py", "P.glossary-card__en", "P.glossary-card__def", "A.glossary-card__more"]


@pytest.mark.browser
def test_hover_card_demo_shows_the_entry_as_text(browser, hostile_url: str, hostile_glossary) -> None:
    """The embed page, with the hostile headword added to its demo article: the script links it and
    fills the card with its data as text."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def add_mention(route):
        response = route.fetch()
        body = response.text().replace(
            '<div class="glossary-demo-article" id="glossary-demo-article">',
            '<div class="glossary-demo-article" id="glossary-demo-article">'
            f'<p id="hostile-mention">提到{html.escape(HEADWORD)}一次。</p>', 1)
        route.fulfill(response=response, body=body)

    page.route("**/embed/", add_mention)
    page.goto(f"{hostile_url}/embed/", wait_until="load")
    link = f'#hostile-mention a.glossary-term[data-glossary-id="{TERM_ID}"]'
    card = _hover_card(page, link)
    view = view_of(hostile_glossary, "zh-Hans")
    cards = json.loads(page.evaluate("fetch('../data/cards.json').then(r => r.text())"))
    data = next(t for t in cards["terms"] if t["id"] == TERM_ID)
    assert page.locator(link).evaluate("a => a.textContent") == HEADWORD
    assert page.locator(link).get_attribute("href").startswith("http")
    assert card["hw"] == HEADWORD and card["py"] == view.pinyin and card["en"] == ENGLISH
    assert card["alt"] == (view.traditional if view.traditional != HEADWORD else "")
    assert card["def"] == data["definition"]["zh-Hans"]
    assert card["more"] == page.locator(link).evaluate("a => a.href")
    assert card["elements"] == CARD_ELEMENTS
    assert page.locator(".glossary-demo-article a.glossary-term").count() >= 5  # the demo's own terms too
    page.evaluate(POKE)
    assert page.evaluate(INSPECT) == CLEAN
    assert dialogs == []
    page.close()


HOSTILE_CARDS = {
    "version": 1,
    "terms": [
        {"id": "evil-one", "forms": ["恶意甲"], "headword": IMG, "traditional": SCRIPT,
         "pinyin": '<b onmouseover="window.__pwned=1">py</b>', "english": "<img src=x onerror=window.__pwned=1>",
         "definition": {"en": SCRIPT + IMG},
         "url": {"en": 'https://glossary.example.org/en/terms/evil-one/"><img src=x onerror="window.__pwned=1">'}},
        {"id": "evil-two", "forms": ["恶意乙"], "headword": "乙", "english": "two", "definition": {"en": "two"},
         "url": {"en": "javascript:window.__pwned=1"}},
        {"id": "evil-three", "forms": ["恶意丙"], "headword": "丙", "english": "three", "definition": {"en": "three"},
         "url": {"en": " JaVa\tScRiPt:window.__pwned=1"}},
        {"id": "evil-four", "forms": ["恶意丁"], "headword": "丁", "english": "four", "definition": {"en": "four"},
         "url": {"en": "data:text/html,<script>window.__pwned=1</script>"}},
        {"id": "evil-five", "forms": [IMG], "headword": "戊", "english": "five", "definition": {"en": "five"},
         "url": {"en": "https://glossary.example.org/en/terms/evil-five/"}},
    ],
    "blocked": [SCRIPT],
}


@pytest.mark.browser
def test_card_script_treats_raw_html_in_its_data_as_text(browser, hostile_url: str, hostile_site: Path) -> None:
    """The card script fed data that `check` would never let through: tags in every text, script URLs."""
    folder = hostile_site / "hostile-cards"
    folder.mkdir(exist_ok=True)
    (folder / "cards.json").write_text(json.dumps(HOSTILE_CARDS, ensure_ascii=False), encoding="utf-8")
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>cards</title></head><body>'
        f'<article><p>恶意甲、恶意乙、恶意丙、恶意丁、{html.escape(IMG)}、{html.escape(SCRIPT)}。</p></article>'
        '<script src="../assets/glossary-cards.js" data-src="cards.json" data-lang="en" defer></script>'
        '</body></html>', encoding="utf-8")
    page, dialogs = open_page(browser, f"{hostile_url}/hostile-cards/")
    card = _hover_card(page, 'a.glossary-term[data-glossary-id="evil-one"]')
    links = page.eval_on_selector_all("a.glossary-term", "links => links.map(a => [a.dataset.glossaryId, a.href])")
    # only http(s) entries become links; the raw-HTML form is matched as text, the blocked one is not linked
    assert [term for term, _ in links] == ["evil-one", "evil-five"]
    assert all(href.startswith("https://glossary.example.org/") for _, href in links)
    assert card["hw"] == IMG and card["alt"] == SCRIPT and card["en"] == HOSTILE_CARDS["terms"][0]["english"]
    assert card["py"] == HOSTILE_CARDS["terms"][0]["pinyin"] and card["def"] == SCRIPT + IMG
    assert card["elements"] == CARD_ELEMENTS
    assert page.locator("article").inner_text().count(IMG) == 1  # the linked form, shown as text
    page.evaluate(POKE.replace("article *, .md-header__topic *", "body *"))
    assert page.evaluate(INSPECT) == CLEAN
    assert dialogs == []
    page.close()


# --- 4. the article linker ----------------------------------------------------------------------

BASE = "https://g.example/"
ARTICLE_MD = (HOSTILE / "article.md").read_text(encoding="utf-8")
ARTICLE_HTML = (HOSTILE / "article.html").read_text(encoding="utf-8")
# What each article's links must be: (entry, form, the line it is on); every other mention of a
# form sits in a title, a heading, code, a script, a tag, an attribute, a comment or a link.
EXPECTED_LINKS = {
    "md": [("liu-wen", "六稳", "扎实做好“六稳”工作，全面落实“六保”任务。"),
           ("liu-bao", "六保", "扎实做好“六稳”工作，全面落实“六保”任务。"),
           ("liu-wen-liu-bao", "六稳六保", "六稳六保在 div 里。")],
    "html": [("liu-wen", "六稳", ARTICLE_HTML.splitlines()[4]), ("liu-bao", "六保", ARTICLE_HTML.splitlines()[4]),
             ("liu-wen-liu-bao", "六稳六保", ARTICLE_HTML.splitlines()[5])],
}
# Pieces of the articles that must come out exactly as they went in
UNTOUCHED = ['<script>window.__pwned=1; var term = "六稳";</script>', '<img src=x onerror="window.__pwned=1" alt="六稳">',
             '<a href="javascript:window.__pwned=1">六稳</a>', "[六稳](javascript:window.__pwned=1)",
             "<javascript:window.__pwned=1>", "<!-- 六稳 -->", "`六稳`", "``六稳六保``", "[引用的六稳][r]",
             "[r]: javascript:window.__pwned=1", "[六稳]( javascript:window.__pwned=1 )", "<div markdown>",
             "{{ config }}", "{% raw %}", "{{ 7*7 }}", "&lt;script&gt;", "&#60;img&#62;", '"双"', "'单'",
             "</script> 与 ]]>", "]]&gt;", "<code>六稳</code>", "<textarea>六稳</textarea>", "<style>/* 六稳 */</style>",
             "<svg><text>六稳</text></svg>", '<button onclick="window.__pwned=1">六稳</button>',
             "<script>六稳</script>", "# 标题里的六稳不链接", "<h1>标题里的六稳不链接</h1>", "<title>六稳</title>",
             '<img src=x onerror="window.__pwned=\'六稳\'">', 'title: "六稳 <script>window.__pwned=1</script>"']


@pytest.fixture(scope="module")
def linker(hostile_glossary) -> Linker:
    return Linker.from_glossary(hostile_glossary)


def _expected_output(text: str, report: dict, make_link) -> str:
    """The input with a link made around each reported mention, and nothing else changed."""
    out, copied = [], 0
    for link in report["links"]:
        assert text[link["start"]:link["start"] + len(link["form"])] == link["form"]
        out += [text[copied:link["start"]], make_link(link["form"], link["url"])]
        copied = link["start"] + len(link["form"])
    return "".join(out) + text[copied:]


@pytest.mark.parametrize("kind", ["md", "html"])
def test_linker_changes_nothing_but_links_around_forms(linker: Linker, kind: str) -> None:
    text, link, make_link = (ARTICLE_MD, link_markdown, markdown_link) if kind == "md" \
        else (ARTICLE_HTML, link_html, html_link)
    linked, report = link(text, linker, BASE, "zh-Hans", every=True)
    lines = text.splitlines()
    assert [(r["term"], r["form"], lines[r["line"] - 1]) for r in report["links"]] == EXPECTED_LINKS[kind]
    assert linked == _expected_output(text, report, make_link)
    for record in report["links"]:
        assert record["url"] == f"{BASE}terms/{record['term']}/"
        assert any(p.text == record["form"] and record["term"] in p.owners for p in linker.patterns)
    for piece in UNTOUCHED:
        assert linked.count(piece) == text.count(piece), piece
    assert sum(text.count(piece) for piece in UNTOUCHED) > 15


@pytest.mark.parametrize("kind", ["md", "html"])
def test_link_command_output_is_the_linkers(hostile_project: Path, linker: Linker, kind: str, tmp_path: Path) -> None:
    article = tmp_path / f"article.{kind}"
    article.write_text(ARTICLE_MD if kind == "md" else ARTICLE_HTML, encoding="utf-8")
    expected, _ = (link_markdown if kind == "md" else link_html)(
        article.read_text(encoding="utf-8"), linker, BASE, "en", every=True)
    command = [sys.executable, str(hostile_project / "build_glossary.py"), "link", str(article),
               "--base-url", BASE, "--variant", "en", "--every"] + (["--html"] if kind == "html" else [])
    result = subprocess.run(command, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8") == expected
    made = f"({BASE}en/terms/liu-wen/)" if kind == "md" else f'href="{BASE}en/terms/liu-wen/"'
    assert made.encode() in result.stdout


HOSTILE_BASES = ["javascript:alert(1)/", "JavaScript:alert(1)//", " javascript:alert(1)/", "java\tscript:alert(1)/",
                 "javascript&colon;alert(1)//", "javascript%3Aalert(1)//", "data:text/html,<script>alert(1)</script>/",
                 "vbscript:msgbox(1)/", "//evil.example/", "https:javascript:alert(1)", "relative/path/", "/"]


def _refusal(base: str) -> str:
    return ("link: --base-url: base URL must be empty or an absolute http(s) URL such as "
            f"https://glossary.example.org/, not {base!r}\n")


@pytest.mark.parametrize("base", HOSTILE_BASES)
def test_link_command_refuses_a_base_url_that_is_not_http(hostile_project: Path, base: str) -> None:
    from glossary_core import link_cli

    stdout, stderr = io.BytesIO(), io.StringIO()
    status = link_cli.main(["-", "--base-url", base], root=hostile_project,
                           stdin=io.BytesIO("扎实做好“六稳”工作".encode()), stdout=stdout, stderr=stderr)
    assert (status, stdout.getvalue(), stderr.getvalue()) == (2, b"", _refusal(base))


def test_link_command_line_refuses_a_script_base_url(hostile_project: Path) -> None:
    base = "javascript:alert(1)/"
    command = [sys.executable, str(hostile_project / "build_glossary.py"), "link", "-", "--base-url", base]
    result = subprocess.run(command, input="扎实做好“六稳”工作".encode(), capture_output=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr.decode()) == (2, b"", _refusal(base))


@pytest.mark.parametrize("base", HOSTILE_BASES)
def test_linker_api_refuses_a_base_url_that_is_not_http(linker: Linker, base: str) -> None:
    with pytest.raises(ValueError, match="absolute http"):
        link_markdown("扎实做好“六稳”工作", linker, base)
    with pytest.raises(ValueError, match="absolute http"):
        link_html("<p>扎实做好“六稳”工作</p>", linker, base)
    with pytest.raises(ValueError, match="absolute http"):
        term_url(base, "zh-Hans", "liu-wen")


def test_markdown_extension_refuses_a_script_base_url(hostile_project: Path) -> None:
    import markdown

    good = markdown.markdown("扎实做好“六稳”工作", extensions=[
        GlossaryLinkExtension(glossary_root=str(hostile_project), base_url="https://g.example")])
    assert good == '<p>扎实做好“<a class="glossary-link" href="https://g.example/terms/liu-wen/">六稳</a>”工作</p>'
    with pytest.raises(ValueError, match="absolute http"):
        markdown.markdown("扎实做好“六稳”工作", extensions=[
            GlossaryLinkExtension(glossary_root=str(hostile_project), base_url="javascript:alert(1)//")])


def test_default_and_http_base_urls_still_work(linker: Linker) -> None:
    assert link_markdown("做好“六稳”工作", linker)[0] == "做好“[六稳](terms/liu-wen/)”工作"
    assert link_markdown("做好“六稳”工作", linker, "http://127.0.0.1:8000/site")[0] == \
        "做好“[六稳](http://127.0.0.1:8000/site/terms/liu-wen/)”工作"
