"""The article linker: matching rules, the places it never links, the CLI and the Markdown extension.

Sentences come from the source documents in ../shared/seeds; each is checked to be there first.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from conftest import ROOT
from glossary_core import check_files, derive, load_checked, read_glossary_dir
from glossary_core import link_cli
from glossary_core.linker import (NO_LINK_ELEMENTS, Linker, TermForms, bare_length, link_html, link_markdown,
                                  markdown_text_spans, spellings, term_url, traditional_forms)
from glossary_core.markdown_ext import GlossaryLinkExtension, cached_linker, relative_url

SEEDS = ROOT.parent / "shared" / "seeds"
BASE = "https://glossary.test/"
MD_LINK_RE = re.compile(r"\[((?:\\.|[^\\\[\]])*)\]\(" + re.escape(BASE) + r"[^)\s]*\)")
HTML_LINK_RE = re.compile(r'<a class="glossary-link" href="' + re.escape(BASE) + r'[^"]*">(.*?)</a>', re.S)


def seed(file_prefix: str) -> str:
    (path,) = SEEDS.glob(f"{file_prefix}_*.txt")
    return path.read_text(encoding="utf-8")


WORK_REPORT_2020 = seed("003")   # 2020年安居区政府工作报告 (ASCII quotes from text extraction)
PLAN_2025 = seed("001")          # 安居区2024年计划执行情况及2025年计划草案的报告


def from_seed(document: str, sentence: str) -> str:
    """A sentence that must occur in the seed document as it is."""
    assert sentence in document, f"the seed no longer contains {sentence!r}"
    return sentence


def unlink_markdown(text: str) -> str:
    """Undo the links the linker inserted: [form](BASE…) → form, unescaped."""
    return MD_LINK_RE.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)).replace("&lt;", "<"), text)


def unlink_html(text: str) -> str:
    return HTML_LINK_RE.sub(lambda m: m.group(1), text)


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.from_glossary(load_checked(ROOT))


def linked_terms(report: dict) -> list[str]:
    return [link["term"] for link in report["links"]]


# --- matching ---------------------------------------------------------------------------------

def test_seed_sentence_links_the_first_mention_of_each_term(linker: Linker) -> None:
    sentence = from_seed(WORK_REPORT_2020, '坚决打赢"三大攻坚战",扎实做好"六稳"工作,全面落实"六保"任务')
    out, report = link_markdown(sentence, linker, BASE)
    assert out == ('坚决打赢"[三大攻坚战](https://glossary.test/terms/three-tough-battles/)",'
                   '扎实做好"[六稳](https://glossary.test/terms/liu-wen/)"工作,'
                   '全面落实"[六保](https://glossary.test/terms/liu-bao/)"任务')
    assert linked_terms(report) == ["three-tough-battles", "liu-wen", "liu-bao"]


def test_whole_term_quotes_stay_outside_the_link(linker: Linker) -> None:
    quote = load_checked(ROOT).terms["liu-wen"].data["sources"][1]["quote"]
    assert quote == "扎实做好“六稳”工作，全面落实“六保”任务"
    out, _ = link_markdown(quote, linker, BASE)
    assert out == ("扎实做好“[六稳](https://glossary.test/terms/liu-wen/)”工作，"
                   "全面落实“[六保](https://glossary.test/terms/liu-bao/)”任务")


def test_longest_match_wins(linker: Linker) -> None:
    # 六稳六保 is not printed as one word in the seeds; the entry's own usage, after the seed's 聚焦聚力
    from_seed(WORK_REPORT_2020, "聚焦聚力")
    out, report = link_markdown("聚焦聚力六稳六保，扎实做好六稳工作", linker, BASE)
    assert linked_terms(report) == ["liu-wen-liu-bao", "liu-wen"]
    assert [link["form"] for link in report["links"]] == ["六稳六保", "六稳工作"]   # alias longer than 六稳
    assert "[六稳六保](https://glossary.test/terms/liu-wen-liu-bao/)" in out


def test_quoted_numbered_slogan_is_matched_with_its_quotes(linker: Linker) -> None:
    sentence = from_seed(PLAN_2025, "紧紧围绕区委“1336”发展战略")
    ascii_quoted = sentence.replace("“", '"').replace("”", '"')
    for text in (sentence, ascii_quoted, "紧紧围绕区委1336发展战略", "紧紧围绕区委1336战略"):
        _, report = link_markdown(text, linker, BASE)
        assert linked_terms(report) == ["strategy-1336"], text
        assert report["links"][0]["form"] == text[len("紧紧围绕区委"):]


def test_quoted_and_unquoted_short_forms(linker: Linker) -> None:
    for sentence in (from_seed(PLAN_2025, "抢抓“两新”“两重”政策机遇"), "抢抓两新两重政策机遇",
                     '抢抓"两新""两重"政策机遇'):
        _, report = link_markdown(sentence, linker, BASE)
        assert linked_terms(report) == ["liang-xin", "liang-zhong"], sentence


def test_traditional_text_is_linked(linker: Linker) -> None:
    simplified = from_seed(WORK_REPORT_2020, '扎实做好"六稳"工作,全面落实"六保"任务')
    traditional = derive.to_traditional(simplified)
    assert "六穩" in traditional
    _, report = link_markdown(traditional, linker, BASE, "zh-Hant")
    assert linked_terms(report) == ["liu-wen", "liu-bao"]
    assert report["links"][0] == {"term": "liu-wen", "form": "六穩", "start": 5, "line": 1, "column": 6,
                                  "url": "https://glossary.test/zh-Hant/terms/liu-wen/"}
    strategy = derive.to_traditional(from_seed(PLAN_2025, "紧紧围绕区委“1336”发展战略"))
    _, report = link_markdown(strategy + "，「兩重」", linker, BASE, "zh-Hant")
    assert [(link["term"], link["form"]) for link in report["links"]] == [
        ("strategy-1336", "“1336”發展戰略"), ("liang-zhong", "兩重")]


def test_batch_conversion_equals_form_by_form() -> None:
    glossary = load_checked(ROOT)
    forms = [spelled for doc in glossary.terms.values()
             for form in [doc.data["headword"], *(doc.data.get("aliases") or [])] for spelled in spellings(form)]
    table = traditional_forms(forms)
    assert table == {form: derive.to_traditional(form) for form in forms}


def test_offsets_are_characters_also_after_characters_outside_the_bmp(linker: Linker) -> None:
    text = "😀𠀀扎实做好六稳工作"          # an emoji and a CJK Extension B character: two UTF-16 units each
    (mention,) = linker.mentions(text)
    assert (mention.start, mention.end, mention.term) == (6, 10, "liu-wen")
    out, _ = link_markdown(text, linker, BASE)
    assert out == "😀𠀀扎实做好[六稳工作](https://glossary.test/terms/liu-wen/)"


def test_no_match_across_character_boundaries(linker: Linker) -> None:
    # the UTF-16 bytes of 乑涺㌀ are 4E 51 6D 7A 33 00, and those of 六稳 (51 6D 7A 33) lie inside them
    text = "\u4e51\u6d7a\u3300"
    assert "六稳".encode("utf-16-be") in text.encode("utf-16-be")
    assert linker.mentions(text) == []


def test_first_mention_by_default_every_mention_on_request(linker: Linker) -> None:
    text = (from_seed(WORK_REPORT_2020, '扎实做好"六稳"工作') + "。"
            + from_seed(WORK_REPORT_2020, '聚焦聚力"六稳"工作和"六保"任务'))
    _, first = link_markdown(text, linker, BASE)
    _, every = link_markdown(text, linker, BASE, every=True)
    assert linked_terms(first) == ["liu-wen", "liu-bao"]
    assert linked_terms(every) == ["liu-wen", "liu-wen", "liu-bao"]
    assert [link["start"] for link in every["links"]] == [m.start() for m in re.finditer("六稳|六保", text)]


def test_short_forms_need_allow_short(linker: Linker) -> None:
    # 六专 is an alias of liu-zhuan-mechanism, which does not allow short forms; 六稳 allows them
    _, report = link_markdown("六专专班推进", linker, BASE)
    assert report["links"] == []
    sentence = from_seed(PLAN_2025, "用好项目建设“六专”机制")
    _, report = link_markdown(sentence + "，六稳", linker, BASE)
    assert [(link["term"], link["form"]) for link in report["links"]] == [
        ("liu-zhuan-mechanism", "“六专”机制"), ("liu-wen", "六稳")]


def test_a_quoted_short_form_counts_by_its_bare_length() -> None:
    assert bare_length("“稳字”") == 2 and bare_length("“1336”发展战略") == 8
    strict = Linker([TermForms("steady", ("“稳字”",), ())])
    allowed = Linker([TermForms("steady", ("“稳字”",), (), allow_short=True)])
    assert strict.patterns == []
    assert {p.text for p in allowed.patterns} == {"“稳字”", '"稳字"', "稳字", "「穩字」", "“穩字”", '"穩字"', "穩字"}
    assert [m.term for m in allowed.mentions("做好“稳字”工作")] == ["steady"]


def test_ascii_led_forms_are_not_found_inside_numbers(linker: Linker) -> None:
    assert link_markdown("21336战略", linker, BASE)[1]["links"] == []
    assert link_markdown("区委1336战略", linker, BASE)[1]["links"][0]["term"] == "strategy-1336"
    assert link_markdown("2020年1336战略", linker, BASE)[1]["links"][0]["start"] == 5
    sentence = from_seed(WORK_REPORT_2020, '围绕"3+2"主导产业')
    assert linked_terms(link_markdown(sentence, linker, BASE)[1]) == ["leading-industries-3-2"]
    assert link_markdown("围绕10+3+2主导产业", linker, BASE)[1]["links"] == []
    assert link_markdown("围绕3+2主导产业", linker, BASE)[1]["links"][0]["term"] == "leading-industries-3-2"


def test_exclude_contexts_are_not_mentions(linker: Linker) -> None:
    entry = load_checked(ROOT).terms["liang-xin"].data
    assert "两新组织" in entry["linking"]["exclude"]
    definition = from_seed(entry["disambiguation"]["zh"], "党建工作中的“两新组织”指新经济组织和新社会组织")
    sentence = from_seed(PLAN_2025, "抢抓“两新”“两重”政策机遇")
    text = definition + "。" + sentence
    _, report = link_markdown(text, linker, BASE)
    # the 两新 inside 两新组织 is skipped and is not the first mention: the one after is linked
    assert [(link["term"], link["start"]) for link in report["links"]] == [
        ("liang-xin", text.index("“两新”") + 1), ("liang-zhong", text.index("两重"))]
    for excluded in ("两新一重", "两新党建", derive.to_traditional("两新组织"), "这种两重性", "工程的千万工程师"):
        assert link_markdown(excluded, linker, BASE)[1]["links"] == [], excluded
    assert linked_terms(link_markdown("五预机制和十五预", linker, BASE, every=True)[1]) == ["wu-yu"]


# --- homographs ---------------------------------------------------------------------------

HOMOGRAPHS = {
    "glossary/terms/two-new-organizations.yml": """\
        id: two-new-organizations
        headword: 两新组织
        aliases:
          - 两新
        english:
          - text: new economic and social organizations
            status: glossary
        definition:
          zh: 指新经济组织和新社会组织。
          en: >-
            Party-building shorthand for private firms and other non-state economic organizations together
            with associations and non-profits, in which Party branches are to be set up.
        category: macro-policy
        level: central
        place: china
        first_seen: 2020
        sources:
          - doc: anju-plan-2025
        disambiguation:
          zh: 不是2024年起的“两新”（设备更新和以旧换新）。
          en: Not the 2024 campaign of equipment upgrades and consumer trade-ins.
        linking:
          allow_short: true
        """,
    "glossary/terms/smart-governance-a.yml": """\
        id: smart-governance-a
        headword: 安居智治甲
        aliases:
          - 安居智治
        english:
          - text: smart governance, first sense
            status: glossary
        definition:
          zh: 甲义。
          en: A made-up entry that shares its short form with another, to test how homographs are linked.
        category: macro-policy
        level: district
        place: anju
        first_seen: 2020
        sources:
          - doc: anju-plan-2025
        disambiguation:
          zh: 不同于乙义。
          en: Not the second sense.
        """,
}
HOMOGRAPHS["glossary/terms/smart-governance-b.yml"] = (
    HOMOGRAPHS["glossary/terms/smart-governance-a.yml"]
    .replace("smart-governance-a", "smart-governance-b").replace("安居智治甲", "安居智治乙"))


@pytest.fixture(scope="module")
def homograph_linker() -> Linker:
    files = read_glossary_dir(ROOT)
    files.update({path: textwrap.dedent(text).encode("utf-8") for path, text in HOMOGRAPHS.items()})
    glossary, problems = check_files(files)
    assert problems == [], [str(p) for p in problems]   # shared forms are legal with a disambiguation
    return Linker.from_glossary(glossary)


def test_a_shared_form_links_to_the_entry_whose_headword_it_is(homograph_linker: Linker) -> None:
    sentence = from_seed(PLAN_2025, "抢抓“两新”“两重”政策机遇")
    _, report = link_markdown(sentence, homograph_linker, BASE)
    assert linked_terms(report) == ["liang-xin", "liang-zhong"]
    assert report["ambiguous"] == [{"form": "两新", "start": 3, "line": 1, "column": 4,
                                    "candidates": ["liang-xin", "two-new-organizations"],
                                    "term": "liang-xin", "linked": True}]


def test_a_shared_form_without_a_headword_owner_is_skipped_and_reported(homograph_linker: Linker) -> None:
    text = "推进安居智治，推进安居智治甲"
    out, report = link_markdown(text, homograph_linker, BASE)
    assert linked_terms(report) == ["smart-governance-a"]
    assert out == "推进安居智治，推进[安居智治甲](https://glossary.test/terms/smart-governance-a/)"
    assert report["ambiguous"] == [{"form": "安居智治", "start": 2, "line": 1, "column": 3,
                                    "candidates": ["smart-governance-a", "smart-governance-b"],
                                    "term": None, "linked": False}]


# --- where links never go ---------------------------------------------------------------------

PLAIN = "\n\n正文：扎实做好六稳工作。\n"   # after each protected context: the first mention that counts
NEVER_LINKED = {
    "inline link": "见[扎实做好六稳工作](https://example.org/a)。",
    "inline link with nested brackets": "见[关于[六稳]的说明](https://example.org/(a))。",
    "reference link": "见[六稳][ref]。\n\n[ref]: https://example.org/",
    "collapsed reference": "见[六稳][]。\n\n[六稳]: https://example.org/",
    "shortcut reference": "见[六稳]。\n\n[六稳]: https://example.org/ \"六稳\"",
    "reference definition title on the next line": "[ref]: https://example.org/\n    \"六稳说明\"",
    "image": "![六稳](https://example.org/a.png)",
    "autolink": "<https://example.org/六稳>",
    "bare URL": "详见https://example.org/六稳 。",
    "www URL": "详见www.example.org/六稳 。",
    "code span": "代码`六稳`。",
    "double-backtick code span": "代码``六稳 ` 六保``。",
    "fenced code": "```text\n扎实做好六稳工作\n```",
    "tilde fence": "~~~\n六稳\n~~~",
    "fence in a list": "- 列表\n\n    ```\n    六稳\n    ```",
    "indented code": "说明：\n\n    六稳 = 1",
    "HTML attribute": '<span title="六稳">说明</span>',
    "inline HTML link": '见<a href="https://example.org">六稳</a>。',
    "inline HTML code": "见<code>六稳</code>。",
    "HTML comment": "<!-- 六稳 -->",
    "multi-line HTML comment": "<!--\n六稳\n-->",
    "raw HTML block": "<div>\n扎实做好六稳工作\n</div>",
    "raw HTML table": "<table>\n<tr><td>六稳</td></tr>\n\n<tr><td>六保</td></tr>\n</table>",
    "reference definition in a paragraph": "正文\n[注]: https://example.org/ \"六稳\"",
    "MultiMarkdown metadata": "title: 六稳\nauthor: 某某",
    "YAML front matter": "---\ntitle: 六稳\ntags: [六保]\n---",
    "ATX heading": "# 六稳六保",
    "closed ATX heading": "### 六稳 ###",
    "setext heading": "六稳工作\n========",
    "setext heading, level 2": "六稳工作\n---",
    "glossary reference": "[[liu-wen-liu-bao|“六稳”与“六保”]]",
    "attribute list": "段落\n{: title=\"六稳\" }",
    "admonition title": '!!! note "六稳"\n    说明',
    "after an exclamation mark": "注意!六稳",
    "after a lone backslash": "路径\\六稳",
    "character reference": "&#20845;&#31283;",
}


@pytest.mark.parametrize("context", NEVER_LINKED.values(), ids=NEVER_LINKED.keys())
def test_never_linked_context(linker: Linker, context: str) -> None:
    text = context + PLAIN
    out, report = link_markdown(text, linker, BASE)
    # only the plain mention after the context is linked, as the first mention of 六稳
    assert [(link["term"], link["start"]) for link in report["links"]] == [("liu-wen", text.rindex("六稳"))]
    assert out.startswith(context)
    assert unlink_markdown(out) == text


LINKED = {
    "emphasis": ("强调**六稳**。", "强调**[六稳](https://glossary.test/terms/liu-wen/)**。"),
    "list item": ("- 扎实做好六稳工作", "- 扎实做好[六稳工作](https://glossary.test/terms/liu-wen/)"),
    "blockquote": ("> 六稳", "> [六稳](https://glossary.test/terms/liu-wen/)"),
    "table cell": ("| 口号 | 说明 |\n| --- | --- |\n| 六稳 | 稳就业 |",
                   "| 口号 | 说明 |\n| --- | --- |\n| [六稳](https://glossary.test/terms/liu-wen/) | 稳就业 |"),
    "between inline HTML tags": ("<span>六稳</span>", "<span>[六稳](https://glossary.test/terms/liu-wen/)</span>"),
    "inside <div markdown>": ('<div markdown="1">\n六稳\n</div>',
                              '<div markdown="1">\n[六稳](https://glossary.test/terms/liu-wen/)\n</div>'),
    "literal brackets": ("[注]六稳（2018）", "[注][六稳](https://glossary.test/terms/liu-wen/)（2018）"),
    "escaped brackets": ("\\[六稳\\]", "\\[[六稳](https://glossary.test/terms/liu-wen/)\\]"),
    "after a URL and Chinese punctuation": ("见https://example.org/a，六稳",
                                            "见https://example.org/a，[六稳](https://glossary.test/terms/liu-wen/)"),
    "unmatched backtick": ("`六稳", "`[六稳](https://glossary.test/terms/liu-wen/)"),
    "list continuation paragraph": ("- 第一项\n\n    六稳", "- 第一项\n\n    [六稳](https://glossary.test/terms/liu-wen/)"),
    "admonition body": ('!!! note "说明"\n    六稳', '!!! note "说明"\n    [六稳](https://glossary.test/terms/liu-wen/)'),
}


@pytest.mark.parametrize("text, expected", LINKED.values(), ids=LINKED.keys())
def test_linked_context(linker: Linker, text: str, expected: str) -> None:
    assert link_markdown(text, linker, BASE)[0] == expected


def test_inserted_links_render_as_links_in_python_markdown(linker: Linker) -> None:
    protected = [context for name, context in NEVER_LINKED.items() if name != "MultiMarkdown metadata"]  # start only
    text = "\n\n".join([*protected, *(text for text, _ in LINKED.values())]) + PLAIN
    out, report = link_markdown(text, linker, BASE, every=True)
    rendered = markdown.markdown(out, extensions=["tables", "md_in_html", "admonition", "attr_list"])
    hrefs = re.findall(r'<a href="(https://glossary\.test/[^"]*)">', rendered)
    assert hrefs == [link["url"] for link in report["links"]]
    # all but [注]六稳: here 六稳 is a reference label (defined above), see the next test
    assert len(hrefs) == len(LINKED)


def test_a_term_the_text_links_already_counts_as_linked(linker: Linker) -> None:
    definition = load_checked(ROOT).terms["liu-wen-liu-bao"].data["definition"]["zh"]
    assert definition.startswith("[[liu-wen|“六稳”]]与[[liu-bao|“六保”]]的合称")
    out, report = link_markdown(definition, linker, BASE)
    assert out == definition and report["links"] == []      # its ‘六稳’ and ‘六保’ are linked already
    assert linked_terms(link_markdown(definition, linker, BASE, every=True)[1])[:2] == ["liu-wen", "liu-bao"]
    text = "见[六稳](https://glossary.test/en/terms/liu-wen/)、<https://glossary.test/terms/liu-bao/>。六稳，六保，两新"
    assert linked_terms(link_markdown(text, linker, BASE)[1]) == ["liang-xin"]
    page = '<p><a href="/zh-Hant/terms/liu-wen/">六穩</a>，<a href="https://example.org/">六保</a>：六稳，六保</p>'
    assert linked_terms(link_html(page, linker, BASE)[1]) == ["liu-bao"]


def test_no_link_after_a_bracket_when_the_form_is_a_reference_label(linker: Linker) -> None:
    text = "[注]六稳，[注] 六稳。\n\n[六稳]: https://example.org/"
    out, report = link_markdown(text, linker, BASE)
    assert out == text and report["links"] == []
    # what inserting the link would have done: [注][六稳] becomes a reference link
    broken = markdown.markdown("[注][六稳](https://glossary.test/terms/liu-wen/)\n\n[六稳]: https://example.org/")
    assert '<a href="https://example.org/">注</a>' in broken


class _LinkPlaces(HTMLParser):
    """Where the glossary's links ended up in rendered HTML: the open elements around each."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.places: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a" and (dict(attrs).get("class") == "glossary-link"
                           or (dict(attrs).get("href") or "").startswith(BASE)):
            self.places.append(tuple(self.open))
        if tag not in ("br", "hr", "img", "input", "meta", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def link_places(rendered: str) -> list[tuple[str, ...]]:
    parser = _LinkPlaces()
    parser.feed(rendered)
    return parser.places


def random_documents(count: int, seed: int) -> list[str]:
    """Documents made of the contexts above in random order, one block each (deterministic)."""
    blocks = [*NEVER_LINKED.values(), *(text for text, _ in LINKED.values()), PLAIN.strip(),
              from_seed(PLAN_2025, "抢抓“两新”“两重”政策机遇"), "“1336”发展战略", "> - 六稳\n>\n>     六保"]
    rng = random.Random(seed)
    return ["\n\n".join(rng.choice(blocks) for _ in range(rng.randint(1, 10))) for _ in range(count)]


def test_random_documents_round_trip_and_render_every_link_in_running_text(linker: Linker) -> None:
    extensions = ["tables", "md_in_html", "admonition", "attr_list", "pymdownx.superfences"]
    for text in random_documents(300, seed=1):
        out, report = link_markdown(text, linker, BASE, every=True)
        assert unlink_markdown(out) == text
        places = link_places(markdown.markdown(out, extensions=extensions))
        assert len(places) == len(report["links"]), text
        assert not any(NO_LINK_ELEMENTS.intersection(place) for place in places), text


def test_extension_never_links_inside_links_code_or_headings() -> None:
    extension = GlossaryLinkExtension(glossary_root=str(ROOT), base_url=BASE, every=True)
    extensions = ["tables", "md_in_html", "admonition", "attr_list", "pymdownx.superfences", extension]
    linked = 0
    for text in random_documents(100, seed=2):
        places = link_places(markdown.markdown(text, extensions=extensions))
        assert len(places) == len(extension.last_report["links"])
        assert not any(NO_LINK_ELEMENTS.intersection(place) for place in places), text
        linked += len(places)
    assert linked > 100


def test_markdown_output_is_the_input_plus_links_byte_for_byte(linker: Linker) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out, report = link_markdown(text, linker, BASE, every=True)
        assert report["links"], path.name
        assert unlink_markdown(out) == text, path.name
    crlf = "扎实做好六稳工作\r\n\r\n```\r\n六保\r\n```\r\n六保\r\n"
    out, report = link_markdown(crlf, linker, BASE)
    assert linked_terms(report) == ["liu-wen", "liu-bao"] and unlink_markdown(out) == crlf


def test_forms_with_markdown_specials_are_escaped() -> None:
    odd = Linker([TermForms("odd", ("甲]乙*丙_丁`戊",), ())])
    out, _ = link_markdown("见甲]乙*丙_丁`戊。", odd, "https://x.test/a b(c)/")
    assert out == "见[甲\\]乙\\*丙\\_丁\\`戊](https://x.test/a%20b%28c%29/terms/odd/)。"
    assert '<a href="https://x.test/a%20b%28c%29/terms/odd/">甲]乙*丙_丁`戊</a>' in markdown.markdown(out)


def test_link_targets_per_variant() -> None:
    assert term_url("https://g.example", "zh-Hans", "liu-wen") == "https://g.example/terms/liu-wen/"
    assert term_url("https://g.example/", "en", "liu-wen") == "https://g.example/en/terms/liu-wen/"
    assert term_url("", "zh-Hant", "liu-wen") == "zh-Hant/terms/liu-wen/"
    with pytest.raises(ValueError):
        term_url("", "zh-TW", "liu-wen")


def test_output_and_report_are_deterministic(linker: Linker) -> None:
    text = PLAN_2025 + WORK_REPORT_2020
    first = link_markdown(text, linker, BASE)
    terms = [TermForms.from_entry(term_id, doc.data) for term_id, doc in load_checked(ROOT).terms.items()]
    reversed_linker = Linker(reversed(terms))
    assert link_markdown(text, linker, BASE) == first
    assert link_markdown(text, reversed_linker, BASE) == first
    assert json.loads(json.dumps(first[1], ensure_ascii=False)) == first[1]


def test_report_positions(linker: Linker) -> None:
    text = "第一行\n\n第三行说到“1336”发展战略\n"
    _, report = link_markdown(text, linker, BASE)
    assert report == {"links": [{"term": "strategy-1336", "form": "“1336”发展战略", "start": 10, "line": 3,
                                 "column": 6, "url": "https://glossary.test/terms/strategy-1336/"}],
                      "ambiguous": []}


def test_text_spans_skip_front_matter_headings_and_code() -> None:
    text = "---\na: 1\n---\n# 标题\n\n正文`代码`正文\n\n```\n代码\n```\n"
    assert [text[s:e] for s, e in markdown_text_spans(text)] == ["正文", "正文"]


# --- HTML -------------------------------------------------------------------------------------

def test_html_links_only_text_nodes(linker: Linker) -> None:
    page = ('<!DOCTYPE html><html><head><title>六稳</title><style>p::before{content:"六稳"}</style></head>\n'
            '<body><h2>六稳六保</h2><p class="六稳" title="两新">见<a href="/x">六稳</a>和<code>两新</code>；'
            '<!-- 两重 --><textarea>两重</textarea><script>var s = "六保";</script>'
            '<pre>六保</pre>&#20845;&#31283;扎实做好“六稳”工作，抢抓“两新”“两重”政策机遇，六保。</p></body></html>')
    out, report = link_html(page, linker, BASE, "en")
    assert linked_terms(report) == ["liu-wen", "liang-xin", "liang-zhong", "liu-bao"]
    assert '扎实做好“<a class="glossary-link" href="https://glossary.test/en/terms/liu-wen/">六稳</a>”工作' in out
    assert unlink_html(out) == page
    assert [page[link["start"]:link["start"] + len(link["form"])] for link in report["links"]] == \
        ["六稳", "两新", "两重", "六保"]


def test_html_byte_for_byte_on_a_seed_document(linker: Linker) -> None:
    body = "\n".join(f'<p data-n="{n}">{line}</p>' for n, line in enumerate(PLAN_2025.splitlines()) if line)
    out, report = link_html(body, linker, BASE, every=True)
    assert len(report["links"]) > 20
    assert unlink_html(out) == body


# --- command line -------------------------------------------------------------------------------

def run_cli(argv: list[str], stdin: bytes = b"", root: Path = ROOT) -> tuple[int, bytes, str]:
    stdout, stderr = io.BytesIO(), io.StringIO()
    status = link_cli.main(argv, root=root, stdin=io.BytesIO(stdin), stdout=stdout, stderr=stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def test_cli_stdin_to_stdout() -> None:
    sentence = from_seed(PLAN_2025, "抢抓“两新”“两重”政策机遇")
    status, out, err = run_cli(["-", "--base-url", BASE], sentence.encode())
    assert (status, err) == (0, "")
    assert out.decode() == ("抢抓“[两新](https://glossary.test/terms/liang-xin/)”"
                            "“[两重](https://glossary.test/terms/liang-zhong/)”政策机遇")


def test_cli_html_variant_every_and_json_report() -> None:
    html_in = "<p>六稳，<code>六稳</code>，六稳</p>".encode()
    status, out, err = run_cli(["--html", "--variant", "zh-Hant", "--every", "--report", "json"], html_in)
    assert status == 0
    assert out.decode() == ('<p><a class="glossary-link" href="zh-Hant/terms/liu-wen/">六稳</a>，<code>六稳</code>，'
                            '<a class="glossary-link" href="zh-Hant/terms/liu-wen/">六稳</a></p>')
    report = json.loads(err)
    assert [(link["start"], link["url"]) for link in report["links"]] == [
        (3, "zh-Hant/terms/liu-wen/"), (22, "zh-Hant/terms/liu-wen/")]


def test_cli_files_and_report_file(tmp_path: Path) -> None:
    article = tmp_path / "article.md"
    article.write_bytes(("# 六稳\n\n" + from_seed(WORK_REPORT_2020, '扎实做好"六稳"工作') + "\r\n").encode())
    status, out, err = run_cli([str(article), "-o", str(tmp_path / "out.md"),
                                "--report-file", str(tmp_path / "report.json"), "--base-url", BASE])
    assert (status, out, err) == (0, b"", "")
    linked = (tmp_path / "out.md").read_bytes().decode()
    assert linked == '# 六稳\n\n扎实做好"[六稳](https://glossary.test/terms/liu-wen/)"工作\r\n'
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["links"][0]["line"] == 3


def test_cli_exits_1_on_a_broken_glossary(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    broken = tmp_path / "glossary" / "terms" / "liu-wen.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("category: macro-policy", "category: nowhere"),
                      encoding="utf-8")
    status, out, err = run_cli([], "六稳".encode(), root=tmp_path)
    assert status == 1 and out == b""
    assert "glossary/terms/liu-wen.yml:" in err and "category must name a category" in err
    assert err.rstrip().endswith("1 problem found in the glossary")


def test_cli_exits_2_on_unreadable_input(tmp_path: Path) -> None:
    assert run_cli([str(tmp_path / "missing.md")])[0] == 2
    status, _, err = run_cli([], "六稳".encode("gb18030"))
    assert status == 2 and "UTF-8" in err
    assert run_cli(["--variant", "zh-TW"])[0] == 2


def test_cli_as_a_process_is_deterministic_across_hash_seeds() -> None:
    text = (WORK_REPORT_2020[:4000]).encode()
    outputs = set()
    for hash_seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-m", "glossary_core.link_cli", "--report", "json"],
                                input=text, capture_output=True, cwd=ROOT,
                                env={**os.environ, "PYTHONHASHSEED": hash_seed}, check=True)
        outputs.add((result.stdout, result.stderr))
    assert len(outputs) == 1
    (stdout, stderr), = outputs
    assert stdout.count(b"](terms/") == len(json.loads(stderr)["links"]) > 3


# --- Markdown extension ------------------------------------------------------------------------

def render(text: str, **config) -> tuple[str, GlossaryLinkExtension]:
    extension = GlossaryLinkExtension(glossary_root=str(ROOT), base_url=BASE, **config)
    return markdown.markdown(text, extensions=["md_in_html", "fenced_code", extension]), extension


def test_extension_links_first_mentions_and_skips_code_links_and_headings() -> None:
    text = ("# 六稳六保\n\n" + from_seed(WORK_REPORT_2020, '扎实做好"六稳"工作,全面落实"六保"任务')
            + "，`两新`，[两重](https://example.org)，<a href=\"/x\">两新</a>，六稳。\n\n```\n两重\n```\n")
    html, extension = render(text)
    assert "<h1>六稳六保</h1>" in html
    assert ('扎实做好"<a class="glossary-link" href="https://glossary.test/terms/liu-wen/">六稳</a>"工作'
            in html)
    assert "<code>两新</code>" in html and '<a href="https://example.org">两重</a>' in html
    assert '<a href="/x">两新</a>' in html and "<code>两重\n</code>" in html
    assert linked_terms(extension.last_report) == ["liu-wen", "liu-bao"]
    _, extension = render(text, every=True)
    assert linked_terms(extension.last_report) == ["liu-wen", "liu-bao", "liu-wen"]


def test_extension_scope_class_and_self() -> None:
    text = ("六稳在范围外。\n\n"
            '<div class="glossary-autolink" data-glossary-self="liu-wen-liu-bao" markdown>\n'
            + from_seed(WORK_REPORT_2020, '聚焦聚力"六稳"工作和"六保"任务') + "，即六稳六保。\n</div>\n")
    html, extension = render(text, scope_class="glossary-autolink")
    assert html.startswith("<p>六稳在范围外。</p>")
    assert linked_terms(extension.last_report) == ["liu-wen", "liu-bao"]   # never the entry itself
    assert "，即六稳六保。" in html


def test_extension_counts_existing_links_to_terms() -> None:
    text = "[“六稳”](../liu-wen/)与[“六保”](../../terms/liu-bao/)的合称，扎实做好‘六稳’工作，全面落实‘六保’任务，两新"
    html, extension = render(text, link_style="relative", page_url="terms/liu-wen-liu-bao/")
    assert linked_terms(extension.last_report) == ["liang-xin"]
    assert '<a class="glossary-link" href="../liang-xin/">两新</a>' in html
    html, extension = render('<a href="/terms/liu-wen/">六稳</a>，六稳，六保')
    assert linked_terms(extension.last_report) == ["liu-bao"]


def test_extension_relative_links_from_a_term_page() -> None:
    text = '扎实做好"六稳"工作,全面落实"六保"任务'
    html, extension = render(text, link_style="relative", page_url="terms/liu-wen/")
    assert html == ('<p>扎实做好"六稳"工作,全面落实"'
                    '<a class="glossary-link" href="../liu-bao/">六保</a>"任务</p>')
    assert relative_url("terms/liu-bao/", "") == "terms/liu-bao/"
    assert relative_url("terms/liu-bao/", "about/") == "../terms/liu-bao/"
    assert relative_url("terms/liu-bao.html", "terms/liu-wen.html") == "liu-bao.html"


def test_extension_by_name_with_config_and_cached_matcher() -> None:
    config = {"glossary_core.markdown_ext": {"glossary_root": str(ROOT), "variant": "en"}}
    html = markdown.markdown("两新", extensions=["glossary_core.markdown_ext"], extension_configs=config)
    assert html == '<p><a class="glossary-link" href="en/terms/liang-xin/">两新</a></p>'
    assert cached_linker(ROOT) is cached_linker(str(ROOT))
    with pytest.raises(ValueError):
        GlossaryLinkExtension(glossary_root=str(ROOT), link_style="absolute")


def test_extension_in_a_mkdocs_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "terms").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n\n抢抓“两新”“两重”政策机遇\n", encoding="utf-8")
    (docs / "terms" / "liang-xin.md").write_text("# 两新\n\n两新与两重\n", encoding="utf-8")
    (docs / "terms" / "liang-zhong.md").write_text("# 两重\n\n两重\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: test
        strict: true
        theme: mkdocs
        markdown_extensions:
          - glossary_core.markdown_ext:
              glossary_root: {json.dumps(str(ROOT))}
              link_style: relative
        """), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=tmp_path, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    site = tmp_path / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="glossary-link" href="terms/liang-xin/">两新</a>' in index
    term_page = (site / "terms" / "liang-xin" / "index.html").read_text(encoding="utf-8")
    assert '<p>两新与<a class="glossary-link" href="../liang-zhong/">两重</a></p>' in term_page


@pytest.mark.parametrize("code", ["zh-Hans", "en", "zh-Hant"])
def test_term_pages_are_linked_as_the_extension_would_link_them(code: str) -> None:
    """The renderer links mentions in a term's prose itself (render.Renderer.autolinked); the HTML is
    what the Markdown extension makes of the same page without those links, scoped to the prose."""
    from glossary_core.render import render_pages
    from glossary_core.variants import VARIANTS

    inserted = re.compile(r"\[((?:\\.|[^\\\[\]])*)\]\(([a-z0-9-]+)\.md\)\{: \.glossary-link \}")
    # what MkDocs does to links between term pages before the extension sees them: x.md → ../x/
    directory_urls = functools.partial(re.compile(r"\]\(([a-z0-9-]+)\.md(#[^)]*)?\)").sub, r"](../\1/\2)")
    extensions = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]
    pages = render_pages(load_checked(ROOT), VARIANTS[code], BASE)
    links = 0
    for path, page in sorted(pages.items()):
        if not path.startswith("terms/"):
            continue
        links += len(inserted.findall(page))
        unlinked = inserted.sub(lambda m: re.sub(r"\\(.)", r"\1", m.group(1)).replace("&lt;", "<"), page)
        extension = GlossaryLinkExtension(glossary_root=str(ROOT), link_style="relative", page_url=path[:-3] + "/",
                                          scope_class="glossary-autolink")
        by_extension = markdown.markdown(directory_urls(unlinked), extensions=[*extensions, extension])
        by_renderer = markdown.markdown(directory_urls(page), extensions=extensions)
        assert by_renderer == by_extension, path
    assert links >= 5   # the real glossary's prose mentions other entries (21, 9 and 21 links now)


def test_cached_linker_follows_the_files_unless_a_build_pinned_one(tmp_path: Path) -> None:
    """Standalone, the extension rebuilds its linker when a glossary file changes; a build that has
    checked the glossary can hand it over once (use_glossary), and no page looks at the files again."""
    import shutil

    from glossary_core import load_checked
    from glossary_core.markdown_ext import use_glossary

    shutil.copytree(ROOT / "glossary", tmp_path / "glossary")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    first = cached_linker(tmp_path)
    assert cached_linker(tmp_path) is first
    term = tmp_path / "glossary" / "terms" / "liang-xin.yml"
    term.write_text(term.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = cached_linker(tmp_path)
    assert second is not first
    use_glossary(tmp_path, load_checked(tmp_path))
    pinned = cached_linker(tmp_path)
    assert pinned is not second
    term.write_text(term.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cached_linker(tmp_path) is pinned
