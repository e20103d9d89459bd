"""The embeddable hover cards: the data the script reads, the demo page, and the script itself
at work on an article page that is not part of the site (headless Chromium)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import socketserver
import threading
import unicodedata
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from glossary_core import check_files, load_checked, read_glossary_dir
from glossary_core.cards import DEFINITION_LIMIT, DEMO_SENTENCES, DEMO_TITLE, cards_json, demo_page, truncate

SEEDS = ROOT.parent / "shared" / "seeds"
SCRIPT = ROOT / "docs" / "assets" / "glossary-cards.js"
GLOSSARY = load_checked(ROOT)
HOSTILE = '<img src=x onerror="window.__pwned=1">'


@functools.lru_cache(maxsize=None)
def real_cards(site_root: str = "../") -> dict:
    return json.loads(cards_json(GLOSSARY, site_root))


def card(term_id: str) -> dict:
    return next(t for t in real_cards()["terms"] if t["id"] == term_id)


def hostile_term_file() -> bytes:
    """An entry whose every text field carries markup (the checker rejects it; the cards must not trust it)."""
    return f"""id: zz-hostile
headword: 恶意测试词条
pinyin: '{HOSTILE}'
english:
  - text: '<b>bold</b> {HOSTILE}'
    status: glossary
definition:
  zh: '{HOSTILE}这是恶意释义。'
  en: '{HOSTILE} A hostile definition with markup in it, to check that it is shown as text.'
category: macro-policy
level: district
place: anju
first_seen: 2020
sources:
  - doc: anju-work-report-2020
""".encode("utf-8")


# --- the data ----------------------------------------------------------------------------------

def test_every_term_is_present_in_glossary_order() -> None:
    data = real_cards()
    assert data["version"] == 1
    assert [t["id"] for t in data["terms"]] == list(GLOSSARY.terms)
    for term in data["terms"]:
        assert term["headword"] == GLOSSARY.terms[term["id"]].data["headword"]
        assert term["english"] == GLOSSARY.terms[term["id"]].data["english"][0]["text"]
        assert term["pinyin"] and term["traditional"]


def test_forms_include_quote_styles_and_traditional() -> None:
    forms = card("strategy-1336")["forms"]
    for form in ("“1336”发展战略", '"1336"发展战略', "1336发展战略", "“1336”發展戰略", "「1336」發展戰略",
                 "1336發展戰略", "1336战略", "1336戰略"):
        assert form in forms
    assert forms == sorted(forms, key=lambda f: (-len(f), f))  # longest first
    assert set(card("liu-wen")["forms"]) == {"六稳", "六穩", "六稳工作", "六穩工作"}
    assert card("liu-wen")["pinyin"] == "liù wěn" and card("liu-wen")["traditional"] == "六穩"


def test_short_forms_only_with_allow_short() -> None:
    def short(form: str) -> bool:
        return len(re.sub(r"[“”\"「」]", "", form)) < 3

    allowed = {tid for tid, doc in GLOSSARY.terms.items() if (doc.data.get("linking") or {}).get("allow_short")}
    for term in real_cards()["terms"]:
        if any(short(f) for f in term["forms"]):
            assert term["id"] in allowed, term["id"]
    # 六专 has no allow_short: only its longer headword “六专”机制 is linked
    liu_zhuan = card("liu-zhuan-mechanism")["forms"]
    assert "六专" not in liu_zhuan and "“六专”机制" in liu_zhuan and "六专机制" in liu_zhuan
    assert "六保" in card("liu-bao")["forms"] and "两新" in card("liang-xin")["forms"]


def test_exclude_contexts_in_every_variant() -> None:
    assert {"两新组织", "兩新組織", "两新一重"} <= set(card("liang-xin")["exclude"])
    assert "千万工程师" in card("qian-wan-project")["exclude"]
    assert "exclude" not in card("liu-wen")


def test_definitions_are_short_plain_text() -> None:
    for term in real_cards()["terms"]:
        data = GLOSSARY.terms[term["id"]].data
        for code, text in term["definition"].items():
            limit = DEFINITION_LIMIT["en" if code == "en" else "zh"]
            assert 0 < len(text) <= limit, (term["id"], code, text)
            assert "[[" not in text and "\n" not in text
        if len(data["definition"]["en"]) > 200:
            assert term["definition"]["en"].endswith("…")
    # short definitions stay whole; [[id|text]] references become their text
    assert card("liu-wen")["definition"]["zh-Hans"] == "稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期。"
    assert card("liu-wen")["definition"]["zh-Hant"] == "穩就業、穩金融、穩外貿、穩外資、穩投資、穩預期。"
    assert card("liu-wen-liu-bao")["definition"]["zh-Hans"].startswith("“六稳”与“六保”的合称。")
    assert card("liu-wen-liu-bao")["definition"]["en"].startswith(
        "The paired formula that joins the six stabilities (六稳, 2018) and the six securities")


def test_truncation_cuts_at_boundaries() -> None:
    english = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"
    cut = truncate(english, 30, english=True)
    assert len(cut) <= 30 and cut.endswith("…") and english.startswith(cut[:-1])
    assert cut[:-1].split(" ")[-1] in english.split(" ")  # no word cut in half
    chinese = "紧紧围绕区委“1336”发展战略，敢于争第一、勇当排头兵，打好“创新牌”、吃好“改革饭”"
    assert truncate(chinese, 20) == "紧紧围绕区委“1336”发展战略…"
    assert truncate("安居区" * 6 + "2025年", 21) == "安居区" * 6 + "…"  # not "20…"
    assert truncate("short", 30, english=True) == "short"


def test_entry_urls_per_variant() -> None:
    data = json.loads(cards_json(GLOSSARY, "https://glossary.example.org"))
    urls = next(t for t in data["terms"] if t["id"] == "liu-wen")["url"]
    assert urls == {"zh-Hans": "https://glossary.example.org/terms/liu-wen/",
                    "en": "https://glossary.example.org/en/terms/liu-wen/",
                    "zh-Hant": "https://glossary.example.org/zh-Hant/terms/liu-wen/"}
    assert card("liu-wen")["url"]["en"] == "../en/terms/liu-wen/"


def test_json_is_compact_and_deterministic() -> None:
    first = cards_json(GLOSSARY, "../")
    again = cards_json(load_checked(ROOT), "../")
    assert first == again
    assert first == json.dumps(json.loads(first), ensure_ascii=False, separators=(",", ":"))
    assert "六稳" in first and "\\u" not in first
    assert len(first.encode("utf-8")) < 200_000


def test_markup_in_the_data_stays_a_plain_string() -> None:
    files = dict(read_glossary_dir(FIXTURES / "good"))
    files["glossary/terms/zz-hostile.yml"] = hostile_term_file()
    glossary, problems = check_files(files)
    assert any("must not contain HTML tags" in str(p) for p in problems)  # the checker rejects it ...
    text = cards_json(glossary, "/")
    term = next(t for t in json.loads(text)["terms"] if t["id"] == "zz-hostile")  # ... the cards still cope
    assert term["definition"]["zh-Hans"] == HOSTILE + "这是恶意释义。"
    assert term["definition"]["en"].startswith(HOSTILE + " A hostile definition")
    assert term["english"] == "<b>bold</b> " + HOSTILE
    assert term["pinyin"] == HOSTILE
    assert '"definition":{"zh-Hans":"<img src=x onerror=\\"window.__pwned=1\\">这是恶意释义。"' in text


def test_a_shared_form_goes_to_its_headword_or_is_blocked() -> None:
    files = dict(read_glossary_dir(FIXTURES / "good"))
    alpha, gamma = "glossary/terms/alpha-slogan.yml", "glossary/terms/gamma-old.yml"
    # 旧体系: gamma's headword and alpha's alias; 二加一体系: an alias of both
    files[alpha] = files[alpha].decode("utf-8").replace("  - 二加一体系", "  - 旧体系\n  - 二加一体系", 1).encode()
    files[gamma] = files[gamma].decode("utf-8").replace("english:", "aliases:\n  - 二加一体系\nenglish:", 1).encode()
    glossary, _ = check_files(files)
    data = json.loads(cards_json(glossary, "/"))
    terms = {t["id"]: t for t in data["terms"]}
    assert "旧体系" in terms["gamma-old"]["forms"] and "舊體系" in terms["gamma-old"]["forms"]
    assert "旧体系" not in terms["alpha-slogan"]["forms"]
    assert "二加一体系" not in terms["alpha-slogan"]["forms"] and "二加一体系" not in terms["gamma-old"]["forms"]
    assert "二加一体系" in data["blocked"] and "旧体系" not in data["blocked"]
    assert "“2+1”示范体系" in terms["alpha-slogan"]["forms"]
    assert real_cards()["blocked"] == []


# --- the demo page -------------------------------------------------------------------------------

def comparable(text: str) -> str:
    """Without spaces, punctuation and quotes: the seeds carry ASCII punctuation and stray spaces."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c)[0] not in "PZC" and c not in "\"'")


@pytest.mark.parametrize("lang, words", [("zh", ["用法", "可选属性", "示例"]),
                                         ("en", ["Usage", "Options", "Demonstration"])])
def test_demo_page_documents_and_demonstrates(lang: str, words: list[str]) -> None:
    url = "https://glossary.example.org/assets/glossary-cards.js"
    page = demo_page(lang, url)
    assert page.startswith("---\ntitle: ")
    for word in words:
        assert f"## {word}" in page
    assert f'```html\n<script src="{url}" defer></script>\n```' in page
    for option in ("data-lang", "data-src", "data-root", "data-every"):
        assert f"`{option}`" in page
    article = page.split('<div class="glossary-demo-article"', 1)[1].split("\n</div>\n", 1)[0]
    assert DEMO_TITLE in article
    for sentence in DEMO_SENTENCES:
        assert f"<p>{sentence}</p>" in article
    assert re.search(r'<a href="[^"]+">“六稳”工作</a>', article)
    assert "<code>“两新”</code>" in article
    assert re.search(r'<input type="text" value="六稳"[^>]*>', article)
    assert re.search(r'<div contenteditable="true"[^>]*>全面落实“六保”任务</div>', article)
    assert page.rstrip().endswith(f'<script src="{url}" data-root=".glossary-demo-article" defer></script>')
    assert demo_page(lang, url) == page


def test_demo_sentences_come_from_the_sources() -> None:
    seeds = comparable("".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))))
    for sentence in DEMO_SENTENCES:
        assert comparable(sentence) in seeds, sentence


def test_demo_page_escapes_the_script_address() -> None:
    page = demo_page("en", 'https://x.example/a.js?b="c"&d')
    assert '<script src="https://x.example/a.js?b=&quot;c&quot;&amp;d" data-root=' in page
    with pytest.raises(ValueError):
        demo_page("fr", "/a.js")


# --- the script in a browser ---------------------------------------------------------------------

ARTICLE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>安居区文件摘录</title></head>
<body>
<header><p>站点导航：{nav_term}</p></header>
<article id="article">
<h1 id="title">{title}</h1>
<p id="excluded">全区两新组织党组织覆盖率继续提高。</p>
{sentences}
<p id="again">再次提到六稳、两新、“1336”发展战略。</p>
<p>已有链接：<a id="existing" href="https://example.org/report">全面落实“六保”任务</a></p>
<p>代码：<code id="code">“智改数转”项目</code></p>
<p><label>输入框：<input id="field" value="六稳"></label></p>
<div id="editable" contenteditable="true">扎实做好“六稳”工作</div>
<p id="hostile">恶意测试词条</p>
<p id="homograph">做好六稳工作。</p>
<p id="joined">2+1336战略，21336战略。</p>
<p id="authored">参见<a href="terms/liang-zhong/">两重</a>。</p>
</article>
<script src="assets/glossary-cards.js"{attributes} defer></script>
</body>
</html>
"""

UNTOUCHED = {
    "#existing": '<a id="existing" href="https://example.org/report">全面落实“六保”任务</a>',
    "#code": '<code id="code">“智改数转”项目</code>',
    "#editable": '<div id="editable" contenteditable="true">扎实做好“六稳”工作</div>',
}


def article_page(lang: str = "zh-CN", attributes: str = "", traditional: bool = False) -> str:
    from glossary_core.derive import to_traditional

    convert = to_traditional if traditional else (lambda s: s)
    sentences = "\n".join(f'<p id="s{i}">{convert(s)}</p>' for i, s in enumerate(DEMO_SENTENCES))
    return ARTICLE.format(lang=lang, attributes=attributes, title=convert(DEMO_TITLE), sentences=sentences,
                          nav_term="三全招商" if "data-root" in attributes else "")


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory):
    """A stand-alone article site: pages, the script in assets/, the data in data/cards.json."""
    base = tmp_path_factory.mktemp("host")
    (base / "assets").mkdir()
    (base / "data").mkdir()
    shutil.copy2(SCRIPT, base / "assets" / "glossary-cards.js")
    files = dict(read_glossary_dir(ROOT))
    files["glossary/terms/zz-hostile.yml"] = hostile_term_file()
    # an alias of 六稳 too: 六稳工作 then belongs to neither
    files["glossary/terms/zz-homograph.yml"] = files["glossary/terms/liu-wen.yml"].decode("utf-8").replace(
        "id: liu-wen\nheadword: 六稳\n", "id: zz-homograph\nheadword: 同形测试词条\n").encode("utf-8")
    glossary, _ = check_files(files)
    (base / "data" / "cards.json").write_text(cards_json(glossary, "../"), encoding="utf-8")
    pages = {
        "zh.html": article_page(),
        "en.html": article_page(attributes=' data-lang="en"'),
        "hant.html": article_page(lang="zh-Hant", traditional=True),
        "every.html": article_page(attributes=' data-every="true"'),
        "root.html": article_page(attributes=' data-root="#article"'),
        "missing.html": article_page(attributes=' data-src="data/missing.json"'),
    }
    for name, text in pages.items():
        (base / name).write_text(text, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(base))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


def open_article(browser, url: str, **context):
    page = browser.new_context(**context).new_page()
    page.goto(url)
    page.wait_for_selector("a.glossary-term")
    return page


def links(page, selector: str = "body") -> list[dict]:
    return page.eval_on_selector_all(
        f"{selector} a.glossary-term",
        "els => els.map(a => ({text: a.textContent, href: a.href, id: a.dataset.glossaryId,"
        " parent: a.parentElement.id, described: a.getAttribute('aria-describedby')}))")


def untouched_html(page) -> dict[str, str]:
    return {s: page.eval_on_selector(s, "e => e.outerHTML") for s in UNTOUCHED}


@pytest.mark.browser
def test_terms_in_prose_become_links(browser, host: str) -> None:
    page = open_article(browser, f"{host}/zh.html")
    found = links(page)
    by_text = {(l["parent"], l["text"]): l for l in found}
    # the longest form wins: 六稳六保 is one link, not 六稳 + 六保
    title = [l for l in found if l["parent"] == "title"]
    assert [(l["text"], l["id"]) for l in title] == [("六稳六保", "liu-wen-liu-bao"),
                                                    ("“1336”发展战略", "strategy-1336")]
    assert by_text[("title", "六稳六保")]["href"] == f"{host}/terms/liu-wen-liu-bao/"
    assert by_text[("s0", "六稳")]["href"] == f"{host}/terms/liu-wen/"
    assert by_text[("s0", "六保")]["id"] == "liu-bao"
    assert by_text[("s0", "三大攻坚战")]["id"] == "three-tough-battles"
    assert by_text[("s1", "遂潼一体化发展先行区")]["id"] == "sui-tong-pilot-zone"
    assert by_text[("s3", "两新")]["href"] == f"{host}/terms/liang-xin/"
    assert by_text[("s3", "智改数转")]["id"] == "zhi-gai-shu-zhuan"
    # only the first mention of each term; 两新 in 两新组织 is excluded
    ids = [l["id"] for l in found]
    assert len(ids) == len(set(ids))
    assert not [l for l in found if l["parent"] in ("again", "excluded", "homograph", "joined")]
    # 两重 is linked to its entry by the author already: that is its first mention
    assert "liang-zhong" not in ids and ("s3", "两重") not in by_text
    assert page.inner_text("#again") == "再次提到六稳、两新、“1336”发展战略。"
    # every link is described by the one card
    assert {l["described"] for l in found} == {"glossary-cards"}
    assert page.get_attribute("#glossary-cards", "role") == "tooltip"
    # text of the sentences is unchanged
    for index, sentence in enumerate(DEMO_SENTENCES):
        assert page.inner_text(f"#s{index}") == sentence
    page.close()


@pytest.mark.browser
def test_links_code_fields_and_editable_text_are_left_alone(browser, host: str) -> None:
    page = open_article(browser, f"{host}/zh.html")
    assert untouched_html(page) == UNTOUCHED
    assert page.input_value("#field") == "六稳"
    assert page.eval_on_selector("#field", "e => e.childNodes.length") == 0
    assert page.eval_on_selector_all("a a", "els => els.length") == 0
    page.close()


@pytest.mark.browser
def test_keyboard_focus_shows_the_card_and_escape_hides_it(browser, host: str) -> None:
    page = open_article(browser, f"{host}/zh.html")
    card = page.locator("#glossary-cards")
    assert card.is_hidden()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.glossary-term')"):
            break
    assert page.evaluate("document.activeElement.dataset.glossaryId") == "liu-wen-liu-bao"
    card.wait_for(state="visible")
    assert card.get_attribute("role") == "tooltip"
    text = card.inner_text()
    for expected in ("六稳六保", "六穩六保", "liù wěn liù bǎo", "stability on six fronts and security in six areas",
                     "“六稳”与“六保”的合称", "查看词条"):
        assert expected in text
    assert card.locator("a").get_attribute("href") == f"{host}/terms/liu-wen-liu-bao/"
    # near the link, below it
    link_box = page.locator("#title a.glossary-term").first.bounding_box()
    card_box = card.bounding_box()
    assert 0 <= card_box["y"] - (link_box["y"] + link_box["height"]) <= 20
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.glossaryId") == "liu-wen-liu-bao"  # focus stays
    # the next term link shows its own card; leaving the links hides it
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.glossaryId") == "strategy-1336"
    card.wait_for(state="visible")
    assert "“1336”发展战略" in card.inner_text()
    page.evaluate("document.activeElement.blur()")
    card.wait_for(state="hidden")
    page.close()


@pytest.mark.browser
def test_hover_shows_the_card_and_leaving_hides_it(browser, host: str) -> None:
    page = open_article(browser, f"{host}/zh.html")
    card = page.locator("#glossary-cards")
    page.hover("#title a[data-glossary-id=strategy-1336]")
    card.wait_for(state="visible")
    text = card.inner_text()
    for expected in ("“1336”发展战略", "“1336”發展戰略", "1336 fā zhǎn zhàn lüè", "“1336” development strategy"):
        assert expected in text
    # the pointer can move onto the card (to follow its link) without losing it
    box = card.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] - 5)
    page.wait_for_timeout(400)
    assert card.is_visible()
    page.mouse.move(2, 2)
    card.wait_for(state="hidden")
    page.close()


@pytest.mark.browser
def test_english_readers_get_english_cards_and_entries(browser, host: str) -> None:
    page = open_article(browser, f"{host}/en.html")
    found = links(page)
    assert found and all(l["href"].startswith(f"{host}/en/terms/") for l in found)
    page.hover("#s0 a.glossary-term[data-glossary-id=liu-wen]")
    card = page.locator("#glossary-cards")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert "A central economic-policy formula that asks governments at every level" in text
    assert "稳就业" not in text and "Open the entry" in text
    assert card.locator("a").get_attribute("href") == f"{host}/en/terms/liu-wen/"
    page.close()


@pytest.mark.browser
def test_traditional_page_links_traditional_forms(browser, host: str) -> None:
    page = open_article(browser, f"{host}/hant.html")
    found = {l["text"]: l for l in links(page)}
    assert found["六穩六保"]["href"] == f"{host}/zh-Hant/terms/liu-wen-liu-bao/"
    assert found["“1336”發展戰略"]["id"] == "strategy-1336"
    page.hover("#title a.glossary-term")
    card = page.locator("#glossary-cards")
    card.wait_for(state="visible")
    assert card.locator(".glossary-card__hw").inner_text() == "六穩六保"
    assert "“六穩”與“六保”的合稱" in card.inner_text() and "查看詞條" in card.inner_text()
    page.close()


@pytest.mark.browser
def test_markup_in_the_data_is_shown_as_text(browser, host: str) -> None:
    page = open_article(browser, f"{host}/en.html")
    page.hover("#hostile a.glossary-term")
    card = page.locator("#glossary-cards")
    card.wait_for(state="visible")
    text = card.inner_text()
    assert HOSTILE in text and "<b>bold</b>" in text
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.eval_on_selector_all("img, b", "els => els.length") == 0
    page.close()


@pytest.mark.browser
def test_every_mention_and_root_options(browser, host: str) -> None:
    page = open_article(browser, f"{host}/every.html")
    again = [l["text"] for l in links(page, "#again")]
    assert again == ["六稳", "两新", "“1336”发展战略"]
    assert not links(page, "#excluded")
    assert not links(page, "#homograph")  # not 六稳 inside the shared 六稳工作 either
    assert not links(page, "#joined")  # 1336战略 is not inside 21336 or 2+1336
    assert untouched_html(page) == UNTOUCHED  # also when every mention is linked
    page.close()

    page = open_article(browser, f"{host}/root.html")
    assert not links(page, "header")  # 三全招商 in the header is outside data-root
    assert [l["text"] for l in links(page, "#s4")][0] == "“三全招商”攻坚行动"
    page.close()


@pytest.mark.browser
def test_a_second_copy_of_the_script_links_nothing_twice(browser, host: str) -> None:
    page = open_article(browser, f"{host}/zh.html")
    before = links(page)
    page.evaluate("""() => new Promise(resolve => {
        const script = document.createElement('script');
        script.src = 'assets/glossary-cards.js';
        script.onload = () => setTimeout(resolve, 500);
        document.body.append(script);
    })""")
    assert links(page) == before
    assert page.eval_on_selector_all(".glossary-card", "els => els.length") == 1
    page.close()


@pytest.mark.browser
def test_failed_fetch_warns_once_and_changes_nothing(browser, host: str) -> None:
    page = browser.new_page()
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.goto(f"{host}/missing.html")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    warnings = [text for kind, text in messages if kind == "warning"]
    assert len(warnings) == 1 and "glossary-cards" in warnings[0] and "missing.json" in warnings[0]
    assert page.eval_on_selector_all("a.glossary-term, #glossary-cards, style", "els => els.length") == 0
    assert page.inner_text("#s0") == DEMO_SENTENCES[0]
    page.close()


@pytest.mark.browser
def test_large_page_is_linked_quickly(browser, host: str) -> None:
    page = browser.new_page()
    page.goto(f"{host}/zh.html")
    page.wait_for_selector("a.glossary-term")
    # about a megabyte of text in 3000 paragraphs, every mention linked
    took = page.evaluate("""async () => {
        const article = document.createElement('div');
        article.id = 'big';
        const text = [...document.querySelectorAll('#article p')].map(p => p.textContent).join('');
        for (let i = 0; i < 3000; i++) {
            const p = document.createElement('p');
            p.textContent = text;
            article.append(p);
        }
        document.body.append(article);
        const script = document.createElement('script');
        script.src = 'assets/glossary-cards.js';
        script.dataset.root = '#big';
        script.dataset.every = 'true';
        const started = performance.now();
        const done = new Promise(resolve => new MutationObserver((_, observer) => {
            if (document.querySelector('#big p:last-child a.glossary-term')) { observer.disconnect(); resolve(); }
        }).observe(article, {subtree: true, childList: true}));
        document.body.append(script);
        const timeout = new Promise(resolve => setTimeout(resolve, 20000, 'timeout'));
        if (await Promise.race([done, timeout]) === 'timeout') return Infinity;
        return performance.now() - started;
    }""")
    count = page.eval_on_selector_all("#big a.glossary-term", "els => els.length")
    assert count >= 3000 * 10
    print(f"linked {count} mentions in {took:.0f} ms")
    assert took < 5000, f"linking took {took:.0f} ms"
    page.close()
