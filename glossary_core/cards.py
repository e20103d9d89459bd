"""Data and documentation for the embeddable hover cards (docs/assets/glossary-cards.js).

Pure: ``cards_json`` turns a glossary into the compact JSON the script fetches, and
``demo_page`` returns the Markdown of the page that explains the script and shows it at work.
Neither touches the disk.

The JSON is an object ``{"version": 1, "terms": [...], "blocked": [...]}``; each term has

- ``id``: the entry's id;
- ``forms``: the strings to link in running text, longest first: the headword and aliases in their
  quote-style variants (“…”, "…", none), their Traditional forms (also with 「…」), only forms of at
  least three characters (quotes not counted) unless ``linking.allow_short``; a form that several
  entries share belongs to the one whose headword it is, if exactly one;
- ``exclude`` (only when there are any): the ``linking.exclude`` contexts in the same variants: a
  form is not linked where it is part of one of them;
- ``headword``, ``traditional``, ``pinyin``, ``english`` (the preferred rendering);
- ``definition``: ``zh-Hans``, ``zh-Hant``, ``en``: one line of plain text, at most
  ``DEFINITION_LIMIT`` characters (120 English, 72 Chinese; cut at a phrase or word boundary,
  ending in …);
- ``url``: ``zh-Hans``, ``en``, ``zh-Hant``: the entry in each variant, ``<site_root>[prefix]terms/<id>/``.

and ``blocked`` lists the shared forms that belong to no one entry: the script links no term there,
not even a shorter one inside (a text that writes them cannot be told apart).
"""

from __future__ import annotations

import html
import json
import re

from . import derive
from .load import Glossary
from .render import Renderer
from .validate import headword_forms
from .variants import VARIANTS

# The card's definition, in characters: a Chinese character carries about as much as two or three
# Latin letters, so the Chinese text is cut shorter to make cards of about the same size.
DEFINITION_LIMIT = {"en": 120, "zh": 72}
SHORT_FORM = 3          # forms shorter than this (quotes not counted) need linking.allow_short
CARDS_VERSION = 1

_ELLIPSIS = "…"
# where a Chinese definition may be cut: after a phrase or sentence mark
_ZH_BREAKS = "。；，、：！？）)"
# punctuation that should not stand before the ellipsis
_TRAILING = " \t,;:.·—–-、，；：。"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]+)\)")
_MD_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")
_MD_CODE = re.compile(r"`([^`]+)`")


# --- the JSON ---------------------------------------------------------------------------------

def cards_json(glossary: Glossary, site_root: str) -> str:
    """The compact JSON the card script fetches (see the module docstring for its shape).

    ``site_root`` is the glossary's address ending in ``/``: absolute (``https://glossary.example.org/``)
    or relative to where the JSON is published (``../`` for ``<root>data/cards.json``); the script
    resolves the entry URLs against the JSON's own URL. Deterministic: the same glossary gives the
    same bytes.
    """
    root = site_root if not site_root or site_root.endswith("/") else site_root + "/"
    entries, blocked = card_entries(glossary)
    terms = [{**entry, "url": {code: f"{root}{variant.prefix}terms/{entry['id']}/" for code, variant in VARIANTS.items()}}
             for entry in entries]
    payload = {"version": CARDS_VERSION, "terms": terms, "blocked": blocked}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def card_entries(glossary: Glossary) -> tuple[list[dict], list[str]]:
    """Every entry's card without its URLs, and the blocked forms: the same whatever the site's address."""
    return glossary.kept(("card_entries",), lambda: _card_entries(glossary))


def _card_entries(glossary: Glossary) -> tuple[list[dict], list[str]]:
    renderers = {code: Renderer(glossary, variant) for code, variant in VARIANTS.items()}
    owners: dict[str, set[str]] = {}
    forms_of: dict[str, list[str]] = {}
    headword_forms_of: dict[str, set[str]] = {}
    for term_id, doc in glossary.terms.items():
        forms_of[term_id] = term_forms(doc.data)
        headword_forms_of[term_id] = set(term_forms(doc.data, headword_only=True))
        for form in forms_of[term_id]:
            owners.setdefault(form, set()).add(term_id)
    # a form several entries share goes to the one entry whose headword it is, if there is one;
    # otherwise it is blocked: never linked, and no shorter form inside it is linked instead
    owner_of: dict[str, str] = {}
    blocked: list[str] = []
    for form, ids in owners.items():
        holders = [tid for tid in ids if form in headword_forms_of[tid]] if len(ids) > 1 else list(ids)
        if len(holders) == 1:
            owner_of[form] = holders[0]
        else:
            blocked.append(form)

    entries = []
    for term_id, doc in glossary.terms.items():
        data = doc.data
        view = renderers["zh-Hans"].views[term_id]
        entry: dict = {
            "id": term_id,
            "forms": [f for f in forms_of[term_id] if owner_of.get(f) == term_id],
        }
        exclude = exclude_forms(data)
        if exclude:
            entry["exclude"] = exclude
        entry.update({
            "headword": view.headword,
            "traditional": view.traditional,
            "pinyin": view.pinyin,
            "english": view.english,
            "definition": {code: truncate(plain_text(renderer._plain_definition(renderer.views[term_id])),
                                          DEFINITION_LIMIT[renderer.v.ui], english=renderer.v.ui == "en")
                           for code, renderer in renderers.items()},
        })
        entries.append(entry)
    return entries, _by_length(blocked)


def _variants(form: str) -> list[str]:
    """A form as texts may write it: quote styles, Simplified and Traditional (also with 「」)."""
    found = derive.spelling_variants(form)
    traditional = derive.to_traditional(form)
    corner = traditional.replace("“", "「").replace("”", "」")
    for text in (traditional, corner):
        found += derive.spelling_variants(text)
    return list(dict.fromkeys(found))


def _by_length(forms: list[str]) -> list[str]:
    return sorted(set(forms), key=lambda f: (-len(f), f))


def term_forms(data: dict, *, headword_only: bool = False) -> list[str]:
    """The strings that stand for this entry in running text (or for its headword alone), longest first."""
    allow_short = bool((data.get("linking") or {}).get("allow_short"))
    forms: list[str] = []
    written = headword_forms(data)[:1] if headword_only else headword_forms(data)
    if data.get("traditional"):
        written.append(data["traditional"])
    for form in written:
        if allow_short or len(derive.strip_quotes(form)) >= SHORT_FORM:
            forms += _variants(form)
    return _by_length(forms)


def exclude_forms(data: dict) -> list[str]:
    """The linking.exclude contexts in every variant, longest first."""
    contexts = (data.get("linking") or {}).get("exclude") or []
    return _by_length([v for context in contexts for v in _variants(context)])


# --- plain, short definitions -----------------------------------------------------------------

def plain_text(text: str) -> str:
    """One line without Markdown syntax: [text](url) → text, **x** and *x* → x, `x` → x."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def truncate(text: str, limit: int, *, english: bool = False) -> str:
    """``text`` if it fits in ``limit`` characters, else its start cut at a boundary, ending in …."""
    if len(text) <= limit:
        return text
    room = limit - len(_ELLIPSIS)
    cut = room
    floor = int(room * 0.6)
    if english:
        # after a clause if one ends near the limit, else between words
        clause = max(text.rfind(mark, 0, room + 1) for mark in (", ", "; ", ": ", ". "))
        space = text.rfind(" ", 0, room + 1)
        if clause + 1 >= int(room * 0.75):
            cut = clause + 1
        elif space >= floor:
            cut = space
    else:
        mark = max(text.rfind(c, 0, room) for c in _ZH_BREAKS)
        if mark + 1 >= floor:
            cut = mark + 1
        else:
            # never split a run of Latin letters or digits ("1336", "COVID")
            while cut > floor and _ASCII_WORD.match(text[cut - 1]) and _ASCII_WORD.match(text[cut]):
                cut -= 1
    kept = text[:cut]
    # do not end inside a parenthesis that was opened near the cut
    for opening, closing in (("(", ")"), ("（", "）")):
        start = kept.rfind(opening)
        if start >= floor and kept.find(closing, start) < 0:
            kept = kept[:start]
    return kept.rstrip(_TRAILING) + _ELLIPSIS


# --- the demo page ----------------------------------------------------------------------------

# The sample article: a title naming two of the glossary's slogans, then sentences of the source
# documents as the glossary quotes them (full-width punctuation, “” quotation marks).
DEMO_TITLE = "六稳六保与“1336”发展战略：安居区文件摘录"
DEMO_SENTENCES = [
    # 2020年安居区政府工作报告
    "……坚决打赢“三大攻坚战”，扎实做好“六稳”工作，全面落实“六保”任务，全力维护经济社会发展和社会稳定大局……",
    "坚持顺势而为、应势而动，抢抓成渝地区双城经济圈建设等重大战略机遇，加快建设遂潼一体化发展先行区。",
    # 遂宁市安居区2024年国民经济和社会发展计划执行情况及2025年计划草案的报告
    "……紧紧围绕区委“1336”发展战略，敢于争第一、勇当排头兵……",
    "抢抓“两重”“两新”政策机遇，大力实施制造业“智改数转”，推动企业“上规、上云、上市、上榜”，企业上云率达到90%，"
    "率先完成全市首例国三货车报废和新车购置更新补贴兑付工作。",
    "扎实开展“三全招商”攻坚行动，引进亿元以上项目18个、总投资94.85亿元，个数和投资金额继续排位全市第一方阵；"
    "省外引进产业项目新增实际投资76亿元，完成市级目标111.7%。",
]
# Left alone by the script: a link, a code span, a form field and an editable area that hold terms
_DEMO_UNTOUCHED = {
    "link": "“六稳”工作",
    "code": "“两新”",
    "input": "六稳",
    "editable": "全面落实“六保”任务",
}

# the theme draws form fields without a border: show where the field and the editable area are
_FIELD_STYLE = "border: 1px solid currentColor; border-radius: 0.2em; padding: 0.1em 0.4em"

_TEXT = {
    "zh": {
        "title": "在其他网页中嵌入词条卡片",
        "description": "一行脚本，让任何网页中的政策术语链接到本词表的词条，并在悬停或聚焦时显示词条卡片。",
        "intro": "在任何网页中加入一行脚本，正文里出现的本词表术语就会变成指向词条的链接；把鼠标移到链接上，"
                 "或用 <kbd>Tab</kbd> 键聚焦到链接上，会显示一张小卡片：词条（简体与繁体）、拼音、首选英文译名、"
                 "简短释义和词条链接。按 <kbd>Esc</kbd> 键关闭卡片。",
        "usage": "用法",
        "usage_text": "把下面这一行加到网页中（放在 `<head>` 里或 `</body>` 之前均可）：",
        "how": "脚本没有任何依赖，也不阻塞页面加载：它与页面并行读取词表数据，在页面解析完毕（DOMContentLoaded）后"
               "才处理正文。数据读取失败时页面保持原样，只在浏览器控制台留下一条警告。",
        "options": "可选属性",
        "options_text": "在同一个 `<script>` 标签上可以加这些属性：",
        "head": ("属性", "作用", "默认"),
        "rows": [
            ("data-lang", "卡片和链接的语言：`zh-Hans`（简体）、`zh-Hant`（繁体）或 `en`（英文）",
             "按页面的 `<html lang>`"),
            ("data-root", "CSS 选择器：只处理与之匹配的元素中的文字", "整个 `<body>`"),
            ("data-every", "设为 `true` 时链接术语的每一处出现", "每个术语只链接第一处"),
            ("data-src", "词表数据（JSON）的地址", "与脚本同一站点的 `data/cards.json`"),
        ],
        "example": "例如，只处理文章正文、卡片用英文：",
        "rules": "哪些文字会被链接",
        "rules_items": [
            "最长的写法优先：“六稳六保”整体链接到“六稳六保”，不会拆成“六稳”和“六保”。",
            "简体和繁体、带中文引号、英文引号或不带引号的写法都能识别。",
            "每个术语只链接第一次出现（除非设了 `data-every`）；页面已经链接到某个词条时，这个术语不再链接。",
            "一两个字的简称（如“两新”）只在词条允许时才链接，并避开词条列出的例外"
            "（“两新组织”中的“两新”不是本词表的“两新”）。",
            "已有的链接、代码（`code`、`pre`、`kbd`、`samp`）、表单控件（输入框、文本框、下拉框、按钮）、"
            "可编辑区域（`contenteditable`）、`script`、`style`、SVG 和 MathML 中的文字保持原样；"
            "加上 `data-glossary-skip` 属性的元素也不处理。",
            "链接和卡片都用页面的文字节点生成，词表数据只作为纯文本显示，不会作为 HTML 插入页面。",
        ],
        "cors": "数据从词表网站读取。若词表网站不允许跨站读取（不发送 `Access-Control-Allow-Origin` 响应头），"
                "可以把 `data/cards.json` 复制到自己的网站，用 `data-src` 指向它。",
        "demo": "示例",
        "demo_text": "下面这篇“文章”由安居区政府文件中的句子组成，本页已用上面的脚本处理它"
                     "（`data-root=\".glossary-demo-article\"`）。文中还有一个已有的链接、一段代码、"
                     "一个输入框和一个可编辑区域，其中的术语都保持原样。",
        "source": "句子摘自《2020年安居区政府工作报告》和《遂宁市安居区2024年国民经济和社会发展计划执行情况及"
                  "2025年计划草案的报告》。",
        "untouched_intro": "以下内容不会被改动：",
        "link_label": "已有的链接：",
        "code_label": "代码：",
        "input_label": "输入框：",
        "editable_label": "可编辑区域：",
    },
    "en": {
        "title": "Hover cards for other websites",
        "description": "One script tag links the policy terms on any web page to this glossary's entries and "
                       "shows a card for each on hover or focus.",
        "intro": "Add one script tag to any web page and the glossary's terms in its text become links to "
                 "their entries. Hover over a link, or move to it with <kbd>Tab</kbd>, and a small card shows the "
                 "headword (simplified and traditional), its pinyin, the preferred English rendering, a short "
                 "definition and a link to the entry. <kbd>Esc</kbd> closes the card.",
        "usage": "Usage",
        "usage_text": "Add this line to the page (in the `<head>` or before `</body>`):",
        "how": "The script has no dependencies and does not hold up the page: it fetches the glossary data "
               "while the page loads and works on the text once the document is parsed (DOMContentLoaded). "
               "If the data cannot be fetched, the page stays as it is and one warning goes to the browser "
               "console.",
        "options": "Options",
        "options_text": "These attributes on the same `<script>` tag change what it does:",
        "head": ("Attribute", "What it does", "Default"),
        "rows": [
            ("data-lang", "the language of the cards and of the entries linked: `zh-Hans` (simplified Chinese), "
                          "`zh-Hant` (traditional Chinese) or `en`", "from the page's `<html lang>`"),
            ("data-root", "a CSS selector: only text inside the matching elements is linked", "the whole `<body>`"),
            ("data-every", "`true` links every mention of a term", "only the first mention of each term"),
            ("data-src", "the address of the glossary data (JSON)", "`data/cards.json` on the script's site"),
        ],
        "example": "For example, to link only the article text and show English cards:",
        "rules": "What gets linked",
        "rules_items": [
            "The longest form wins: 六稳六保 becomes one link to its own entry, not 六稳 followed by 六保.",
            "Simplified and traditional characters are both recognised, with Chinese quotation marks, ASCII "
            "quotation marks or none.",
            "Each term is linked at its first mention only (unless `data-every` is set), and not at all where "
            "the page already links to its entry.",
            "Short forms of one or two characters (such as 两新) are linked only where the entry allows it, and "
            "not inside the longer expressions the entry lists as exceptions (两新 in 两新组织 is a "
            "different term).",
            "Text in existing links, code (`code`, `pre`, `kbd`, `samp`), form controls (input fields, text "
            "areas, selects, buttons), editable areas (`contenteditable`), `script`, `style`, SVG and MathML is "
            "left alone, and so is any element with a `data-glossary-skip` attribute.",
            "Links and cards are built from the page's own text nodes; the glossary data is only ever shown "
            "as plain text, never inserted into the page as HTML.",
        ],
        "cors": "The data is fetched from the glossary's website. If that website does not allow cross-site "
                "requests (no `Access-Control-Allow-Origin` header), copy `data/cards.json` to your own site "
                "and point `data-src` to it.",
        "demo": "Demonstration",
        "demo_text": "The “article” below is made of sentences from Anju District government documents; this "
                     "page runs the script on it (`data-root=\".glossary-demo-article\"`). It also holds an "
                     "existing link, a code span, an input field and an editable area with terms in them, "
                     "which stay as they are.",
        "source": "The sentences are from the 2020 Government Work Report of Anju District and the district's "
                  "report on its 2024 plan and draft 2025 plan.",
        "untouched_intro": "Left as they are:",
        "link_label": "An existing link: ",
        "code_label": "Code: ",
        "input_label": "An input field: ",
        "editable_label": "An editable area: ",
    },
}


def demo_page(lang: str, script_url: str, page_script_url: str | None = None) -> str:
    """The Markdown of the page that documents the card script (lang ``zh`` or ``en``) and runs it.

    ``script_url`` is the script's public address, shown in the embedding instructions and used by
    the page's own script tag; the script finds its data at ``data/cards.json`` beside the site
    root it is served from (``<root>assets/glossary-cards.js`` → ``<root>data/cards.json``).
    ``page_script_url``, if given, is what the page itself loads instead (a relative address, so
    that the demo works wherever the site is served).
    """
    if lang not in _TEXT:
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    t = _TEXT[lang]
    src = html.escape(page_script_url or script_url, quote=True)
    tag = f'<script src="{script_url}" defer></script>'
    example = f'<script src="{script_url}" data-root="article" data-lang="en" defer></script>'

    out = [
        "---",
        f"title: {json.dumps(t['title'], ensure_ascii=False)}",
        f"description: {json.dumps(t['description'], ensure_ascii=False)}",
        "---",
        "",
        f"# {t['title']} {{ #top }}",
        "",
        t["intro"],
        "",
        f"## {t['usage']} {{ #usage }}",
        "",
        t["usage_text"],
        "",
        "```html",
        tag,
        "```",
        "",
        t["how"],
        "",
        f"## {t['options']} {{ #options }}",
        "",
        t["options_text"],
        "",
        f"| {' | '.join(t['head'])} |",
        "| --- | --- | --- |",
    ]
    out += [f"| `{name}` | {what} | {default} |" for name, what, default in t["rows"]]
    out += [
        "",
        t["example"],
        "",
        "```html",
        example,
        "```",
        "",
        t["cors"],
        "",
        f"## {t['rules']} {{ #rules }}",
        "",
    ]
    out += [f"- {item}" for item in t["rules_items"]]
    out += [
        "",
        f"## {t['demo']} {{ #demo }}",
        "",
        t["demo_text"],
        "",
        _demo_article(lang, t),
        "",
        f'<script src="{src}" data-root=".glossary-demo-article" defer></script>',
        "",
    ]
    return "\n".join(out)


def _demo_article(lang: str, t: dict) -> str:
    """The sample article: raw HTML (no markdown attribute), so MkDocs passes it through as it is."""
    e = html.escape
    keep = _DEMO_UNTOUCHED
    # on the English page the article is Chinese and the notes about it English
    article_lang, notes_lang = (' lang="zh"', ' lang="en"') if lang == "en" else ("", "")
    lines = [
        f'<div class="glossary-demo-article" id="glossary-demo-article"{article_lang}>',
        f"<h3>{e(DEMO_TITLE)}</h3>",
    ]
    lines += [f"<p>{e(sentence)}</p>" for sentence in DEMO_SENTENCES]
    lines += [
        f"<p{notes_lang}><small>{e(t['source'])}</small></p>",
        f"<ul{notes_lang}>",
        f'<li>{e(t["link_label"])}<a href="#glossary-demo-article">{e(keep["link"])}</a></li>',
        f'<li>{e(t["code_label"])}<code>{e(keep["code"])}</code></li>',
        f'<li><label>{e(t["input_label"])}<input type="text" value="{e(keep["input"], quote=True)}"'
        f' style="{_FIELD_STYLE}"></label></li>',
        f'<li>{e(t["editable_label"])}<div contenteditable="true" style="{_FIELD_STYLE}">'
        f'{e(keep["editable"])}</div></li>',
        "</ul>",
        "</div>",
    ]
    return "\n".join(lines)
