"""Turn a validated glossary into Markdown pages for one site variant.

Pure: returns {docs-relative path: Markdown}. Links between pages are relative links to
.md paths, so that MkDocs checks every one of them in a strict build.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import derive
from .linker import Linker, PageLinker, link_markdown_on_page, markdown_link
from .load import Glossary
from .validate import INVERSE, REF_RE, inline_references, walk_components
from .variants import SITE_NAME, Variant

# Rows per index page: beyond, an index is split into pages of this many rows (see index_pages)
INDEX_PAGE_SIZE = 200
RELATION_ORDER = ["part-of", "has-part", "supersedes", "superseded-by", "related", "see-also"]
# BCP 47 tag of Hanyu Pinyin (the registered variant "pinyin" of zh-Latn)
PINYIN_LANG = "zh-Latn-pinyin"
# What esc() makes of each character that needs it: HTML's three, a backslash before Markdown's
# specials, a space for a line break (one translate() pass instead of escape, a regex and replace)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": " ",
                          **{char: "\\" + char for char in "\\`*_[]{}#|!~"}})
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _ESCAPES))) + "]")


# --- text helpers ------------------------------------------------------------------------

def esc(text: object) -> str:
    """Plain text for inline Markdown: HTML escaped, Markdown syntax neutralised."""
    text = str(text)
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def code_span(text: object) -> str:
    """Text as an inline Markdown code span that no backtick or line break in it can end early."""
    text = " ".join(str(text).splitlines())
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def attr(text: object) -> str:
    """Text for a YAML front-matter string or an HTML attribute."""
    return json.dumps(str(text), ensure_ascii=False)


def term_path(term_id: str) -> str:
    return f"terms/{term_id}.md"


def rel_link(from_path: str, to_path: str) -> str:
    """The relative link from one docs-relative page to another (posixpath.relpath without its
    calls to the file system, which made it a tenth of the render time)."""
    here, there = from_path.split("/")[:-1], to_path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


@dataclass
class IndexSection:
    """A section of an index page: a heading with its anchor, and a table with a row per item."""

    anchor: str
    heading: str
    level: int = 2
    preamble: str = ""
    head: str = ""
    row: Callable[[str, Any], str] | None = None  # (page path, item) → table row
    items: list = field(default_factory=list)
    empty: str = ""         # shown when there are no items
    page_title: str = ""    # title of the section's own pages (default: heading)


@dataclass(frozen=True)
class TermView:
    """What pages show of a term, in one variant."""

    id: str
    headword: str          # simplified, as written
    shown: str             # headword as this variant shows it
    traditional: str
    pinyin: str
    english: str
    data: dict


def term_view(glossary: Glossary, term_id: str, variant: Variant) -> TermView:
    """What pages show of a term in a variant."""
    return glossary.kept(("view", term_id, variant.code), lambda: _term_view(glossary, term_id, variant))


def _term_view(glossary: Glossary, term_id: str, variant: Variant) -> TermView:
    data = glossary.terms[term_id].data
    headword = data["headword"]
    traditional = data.get("traditional") or derive.to_traditional(headword)
    shown = traditional if variant.code == "zh-Hant" else headword
    return TermView(term_id, headword, shown, traditional, data.get("pinyin") or derive.tone_pinyin(headword),
                    data["english"][0]["text"], data)


class Renderer:
    """Renders every page of one variant."""

    def __init__(self, glossary: Glossary, variant: Variant, site_url: str = "", page_size: int = INDEX_PAGE_SIZE):
        self.g = glossary
        self.page_size = page_size
        self.colon = ":" if variant.ui == "en" else "："
        self.v = variant
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.views = {tid: term_view(glossary, tid, variant) for tid in glossary.terms}
        self.relations = computed_relations(glossary)
        self.mentions = mentioned_in(glossary)
        self.linker: Linker = glossary.kept(("linker",), lambda: Linker.from_glossary(glossary))
        # between the items of a list (links, aliases): English punctuation on English pages
        self.list_separator = ", " if variant.ui == "en" else "、"
        # Chinese text on this variant's pages: Traditional on zh-Hant, Simplified elsewhere
        self.chinese_lang = variant.code if variant.ui == "zh" else "zh-Hans"

    # -- shared pieces --------------------------------------------------------------------

    def t(self, key: str) -> str:
        return self.v.label(key)

    # Parts in another language than the page's carry their own lang (WCAG 3.1.2, language of
    # parts): screen readers switch voice, browsers choose Simplified or Traditional glyphs.

    def in_lang(self, markdown: str, lang: str) -> str:
        """Inline Markdown in ``lang``: in a <span lang> where the page is in another language."""
        return markdown if lang == self.v.code or not markdown else f'<span lang="{lang}">{markdown}</span>'

    def chinese_part(self, markdown: str) -> str:
        """Inline Markdown of Chinese text (in the variant's script: see zh)."""
        return self.in_lang(markdown, self.chinese_lang)

    def english_part(self, markdown: str) -> str:
        return self.in_lang(markdown, "en")

    def text_lang(self, lang: str) -> str:
        """The language of an entry's "zh" or "en" text as this variant shows it."""
        return self.chinese_lang if lang == "zh" else "en"

    def block_lang(self, lang: str) -> str:
        """The lang attribute of a block in ``lang``, or nothing where the page is in it."""
        return "" if lang == self.v.code else f' lang="{lang}"'

    def zh(self, text: str) -> str:
        return self.v.chinese(text)

    def link(self, from_path: str, term_id: str, text: str | None = None) -> str:
        view = self.views[term_id]
        shown = text if text is not None else self.title_of(view)
        return f"[{esc(shown)}]({rel_link(from_path, term_path(term_id))})"

    def title_of(self, view: TermView) -> str:
        return view.english if self.v.ui == "en" else view.shown

    def markdown_text(self, text: str, from_path: str, chinese: bool) -> str:
        """Definition Markdown: [[id|text]] become links; raw HTML is shown as text."""
        pieces, last = [], 0
        for match in REF_RE.finditer(text):
            pieces.append(self._safe_markdown(text[last:match.start()], chinese))
            target, display = match.group(1).strip(), match.group(2)
            if display is None:
                view = self.views[target]
                display_text = view.shown if chinese else view.english
            else:
                display_text = self.zh(display) if chinese else display
            pieces.append(self.link(from_path, target, display_text))
            last = match.end()
        pieces.append(self._safe_markdown(text[last:], chinese))
        return "".join(pieces).strip()

    def _safe_markdown(self, text: str, chinese: bool) -> str:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # no attribute lists ({: onclick="…"} would set attributes with attr_list): "{" is text
        text = text.replace("{", "\\{")
        return self.zh(text) if chinese else text

    def source_title(self, doc_id: str) -> str:
        doc = self.g.sources[doc_id]
        return doc["title"]["en"] if self.v.ui == "en" else self.zh(doc["title"]["zh"])

    def note_mark(self, doc_id: str, note: int) -> str:
        if self.v.ui == "en":
            return f"note {note}"
        return f"注〔{note}〕" if doc_id == "anju-plan-2025" else f"注[{note}]"

    def category_label(self, cat_id: str) -> str:
        cat = self.g.categories[cat_id]
        return cat["en"] if self.v.ui == "en" else self.zh(cat["zh"])

    def place_label(self, place_id: str) -> str:
        place = self.g.places[place_id]
        return place["en"] if self.v.ui == "en" else self.zh(place["zh"])

    def permalink(self, term_id: str) -> str:
        return f"{self.site_url}{self.v.prefix}terms/{term_id}/"

    def front_matter(self, title: str, description: str) -> str:
        return f"---\ntitle: {attr(title)}\ndescription: {attr(description)}\n---\n\n"

    def sorted_ids(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda i: (derive.toneless(self.views[i].pinyin), i))

    # -- pages ----------------------------------------------------------------------------

    def pages(self) -> dict[str, str]:
        pages = {term_path(tid): self.term_page(tid) for tid in self.g.terms}
        pages["index.md"] = self.home_page()
        for index in (self.pinyin_index, self.english_index, self.category_index, self.source_index,
                      self.numbered_index):
            pages.update(index())
        return pages

    def term_page(self, term_id: str) -> str:
        view = self.views[term_id]
        data = view.data
        here = term_path(term_id)
        en_first = self.v.ui == "en"
        description = self._plain_definition(view)
        # mentions of other entries in the prose are linked, the first of each on the page only
        page = PageLinker(self.linker, lambda target: rel_link(here, term_path(target)), page_url=here)
        out = [self.front_matter(f"{view.shown} · {view.english}", description[:300])]
        # the headword's lang is on a span of its own, so that the permalink mark after it (titled
        # in the page's language) is not inside it
        out.append(f"# {self.chinese_part(esc(view.shown))} {{ #term }}\n")
        out.append(self.forms_block(view))
        out.append(self.english_block(view))
        definitions = [("definition_zh", "zh"), ("definition_en", "en")]
        if en_first:
            definitions.reverse()
        for key, lang in definitions:
            anchor = "definition-zh" if lang == "zh" else "definition-en"
            out.append(f"## {self.t(key)} {{ #{anchor} }}\n")
            out.append(self.autolinked(page, term_id,
                                       self.markdown_text(data["definition"][lang], here, chinese=lang == "zh"),
                                       self.text_lang(lang)))
            verbatim = [s for s in data["sources"] if s.get("note")]
            if lang == "zh" and verbatim:
                # English punctuation on English pages ("Verbatim from: title, note 18; …")
                comma, semicolon, colon = (", ", "; ", ": ") if en_first else ("，", "；", "：")
                cites = semicolon.join(f"{self.source_title(s['doc'])}{comma}{self.note_mark(s['doc'], s['note'])}"
                                       for s in verbatim)
                out.append(f'<p class="verbatim-source" markdown>{self.t("verbatim_from")}{colon}{esc(cites)}</p>\n')
        if data.get("components"):
            out.append(self.components_block(data, here))
            for _, part in walk_components(data["components"]):
                if part.get("term"):   # linked there: not again below
                    page.note_link(rel_link(here, term_path(part["term"])))
        out.append(self.facts_block(view))
        for key in ("disambiguation", "notes"):
            if data.get(key):
                out.append(f"## {self.t(key)} {{ #{key} }}\n")
                for lang in (("en", "zh") if en_first else ("zh", "en")):
                    out.append(self.autolinked(page, term_id, self.markdown_text(data[key][lang], here,
                                                                                 chinese=lang == "zh"),
                                               self.text_lang(lang)))
        out.append(self.sources_block(data))
        out.append(self.relations_block(term_id, here))
        out.append(self.cite_block(view))
        out.append(self.json_ld(view))
        return "\n".join(out)

    def autolinked(self, page: PageLinker, term_id: str, markdown: str, lang: str) -> str:
        """Prose of a term's page with its mentions of other entries linked (never of the term itself).

        Linked here, in the Markdown, with the engine of ``build_glossary.py link``: the same links
        the auto-link Markdown extension (markdown_ext) would make in the page's element tree, at a
        fraction of the cost of walking every element of every page.
        """
        linked = link_markdown_on_page(markdown, page, self_id=term_id, make_link=_glossary_link)
        return (f'<div class="glossary-autolink" data-glossary-self="{term_id}"{self.block_lang(lang)} '
                f'markdown>\n\n{linked}\n\n</div>\n')

    def site_name(self) -> str:
        return SITE_NAME["en"] if self.v.ui == "en" else self.zh(SITE_NAME["zh"])

    def _plain_definition(self, view: TermView) -> str:
        """The definition in the variant's language as one line of plain text ([[refs]] resolved)."""
        # asked for by the page (twice), the search documents and the hover cards
        return self.g.kept(("plain_definition", view.id, self.v.code), lambda: self._make_plain_definition(view))

    def _make_plain_definition(self, view: TermView) -> str:
        lang = "en" if self.v.ui == "en" else "zh"
        text = REF_RE.sub(lambda m: m.group(2) or (self.views[m.group(1).strip()].english if lang == "en"
                                                   else self.views[m.group(1).strip()].headword),
                          view.data["definition"][lang])
        text = " ".join(text.split())
        return self.zh(text) if lang == "zh" else text

    def json_ld(self, view: TermView) -> str:
        """schema.org DefinedTerm, for search engines and other tools reading the page."""
        data = view.data
        names = [view.headword, view.traditional] + [r["text"] for r in data["english"]]
        term = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "@id": self.permalink(view.id),
            "url": self.permalink(view.id),
            "termCode": view.id,
            "name": view.shown,
            "alternateName": list(dict.fromkeys(n for n in names + list(data.get("aliases") or [])
                                                if n != view.shown)),
            "description": self._plain_definition(view),
            "inDefinedTermSet": {"@type": "DefinedTermSet", "name": self.site_name(),
                                 "url": f"{self.site_url}{self.v.prefix}"},
        }
        payload = json.dumps(term, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
        return f'<script type="application/ld+json">{payload}</script>\n'


    def forms_block(self, view: TermView) -> str:
        rows = []
        if self.v.code == "zh-Hant":
            rows.append((self.t("simplified"), self.in_lang(esc(view.headword), "zh-Hans")))
        else:
            rows.append((self.t("traditional"), self.in_lang(esc(view.traditional), "zh-Hant")))
        toneless = derive.toneless(view.pinyin)
        pinyin_forms = [view.pinyin, toneless, toneless.replace(" ", "")]
        rows.append((self.t("pinyin"),
                     " · ".join(self.in_lang(esc(p), PINYIN_LANG) for p in dict.fromkeys(pinyin_forms))))
        aliases = view.data.get("aliases") or []
        if aliases:
            rows.append((self.t("aliases"),
                         self.list_separator.join(self.chinese_part(esc(self.zh(a))) for a in aliases)))
        colon = ": " if self.v.ui == "en" else "："
        lines = ['<div class="term-forms" markdown>\n']
        for label, value in rows:
            lines.append(f"**{label}**{colon}{value}  ")
        lines.append("\n</div>\n")
        return "\n".join(lines)

    def english_block(self, view: TermView) -> str:
        lines = [f"## {self.t('english')} {{ #english }}\n",
                 f"| {self.t('rendering')} | {self.t('status')} | {self.t('used_in')} |",
                 "| --- | --- | --- |"]
        for index, rendering in enumerate(view.data["english"]):
            text = self.english_part(f"**{esc(rendering['text'])}**" if index == 0 else esc(rendering["text"]))
            status = self.t(f"status_{rendering['status']}")
            if index == 0:
                status += f"（{self.t('preferred')}）" if self.v.ui == "zh" else f" ({self.t('preferred')})"
            used_in = self.english_part(esc(rendering["source"])) if rendering.get("source") else "—"
            lines.append(f"| {text} | {status} | {used_in} |")
        return "\n".join(lines) + "\n"

    def components_block(self, data: dict, here: str) -> str:
        lines = [f"## {self.t('components')} {{ #components }}\n"]
        if data.get("counts"):
            pattern = " + ".join(str(c) for c in data["counts"])
            lines.append(f"{self.t('counts')}：{esc(pattern)}\n" if self.v.ui == "zh"
                         else f"{self.t('counts')}: {esc(pattern)}\n")
        lines += ['<div class="components" markdown>\n',
                  f"| {self.t('number')} | {self.t('chinese')} | English | {self.t('entry')} |",
                  "| --- | --- | --- | --- |"]

        def rows(parts, prefix):
            for index, part in enumerate(parts, 1):
                number = f"{prefix}{index}"
                entry = self.link(here, part["term"]) if part.get("term") else ""
                indent = "　" * number.count(".")
                lines.append(f"| {number} | {indent}{self.chinese_part(esc(self.zh(part['zh'])))} "
                             f"| {self.english_part(esc(part['en']))} | {entry} |")
                if part.get("components"):
                    rows(part["components"], number + ".")

        rows(data["components"], "")
        lines.append("\n</div>")
        return "\n".join(lines) + "\n"

    def facts_block(self, view: TermView) -> str:
        data = view.data
        first_seen = str(data["first_seen"])
        rows = [
            (self.t("category"), f"[{esc(self.category_label(data['category']))}]"
                                 f"({rel_link(term_path(view.id), 'browse/categories.md')}#{data['category']})"),
            (self.t("level"), self.t(f"level_{data['level']}")),
            (self.t("place"), esc(self.place_label(data["place"]))),
            (self.t("first_seen"), esc(first_seen)),
        ]
        lines = [f"## {self.t('facts')} {{ #facts }}\n", f"| {self.t('fact')} | {self.t('value')} |", "| --- | --- |"]
        lines += [f"| {label} | {value} |" for label, value in rows]
        return "\n".join(lines) + "\n"

    def sources_block(self, data: dict) -> str:
        lines = [f"## {self.t('sources')} {{ #sources }}\n"]
        for index, source in enumerate(data["sources"], 1):
            doc = self.g.sources[source["doc"]]
            issuer = doc["issuer"]["en"] if self.v.ui == "en" else self.zh(doc["issuer"]["zh"])
            where = f"{esc(self.source_title(source['doc']))}，{esc(issuer)}，{esc(doc['date'])}"
            if self.v.ui == "en":
                where = f"*{esc(self.source_title(source['doc']))}*, {esc(issuer)}, {esc(doc['date'])}"
            if source.get("note"):
                where += f"，{self.note_mark(source['doc'], source['note'])}" if self.v.ui == "zh" \
                    else f", {self.note_mark(source['doc'], source['note'])}"
            lines.append(f"{index}. {where}")
            if source.get("quote"):
                lines.append(f"\n    > {self.chinese_part(esc(self.zh(source['quote'])))}\n")
        return "\n".join(lines) + "\n"

    def relations_block(self, term_id: str, here: str) -> str:
        lines = []
        grouped = defaultdict(list)
        for kind, target in self.relations.get(term_id, []):
            grouped[kind].append(target)
        if grouped:
            lines.append(f"## {self.t('relations')} {{ #relations }}\n")
            for kind in RELATION_ORDER:
                if grouped.get(kind):
                    targets = self.list_separator.join(self.link(here, t) for t in self.sorted_ids(set(grouped[kind])))
                    lines.append(f"- **{self.t('rel_' + kind)}**：{targets}" if self.v.ui == "zh"
                                 else f"- **{self.t('rel_' + kind)}**: {targets}")
            lines.append("")
        mentions = self.mentions.get(term_id)
        if mentions:
            lines.append(f"## {self.t('referenced_by')} {{ #referenced-by }}\n")
            lines.append(self.list_separator.join(self.link(here, t) for t in self.sorted_ids(mentions)) + "\n")
        return "\n".join(lines)

    def cite_block(self, view: TermView) -> str:
        url = self.permalink(view.id)
        site = SITE_NAME[self.v.ui]
        site = self.zh(site) if self.v.ui == "zh" else site
        if self.v.ui == "en":
            citation = f"“{view.headword} ({view.pinyin}): {view.english}.” {site}. {url}"
        else:
            citation = f"“{view.shown}”（{view.pinyin}，{view.english}）．{site}．{url}"
        # one line: a line break followed by ``` would close the code block and let Markdown in
        citation = " ".join(citation.splitlines())
        return "\n".join([
            f"## {self.t('cite')} {{ #cite }}\n",
            f"{self.t('permalink')}: <{url}>\n" if url.startswith("http") else "",
            "```text",
            citation,
            "```",
            "",
        ])

    # -- index pages ----------------------------------------------------------------------
    # An index page lists sections (a letter, a category, a source document), each a table of terms.
    # Up to page_size rows it is one page. Beyond, the page keeps every section's heading and anchor
    # and links to the section's own pages of at most page_size rows (browse/<index>/<anchor>.md,
    # <anchor>-2.md …), so that no page grows with the glossary.

    def term_row(self, here: str, tid: str) -> str:
        view = self.views[tid]
        return (f"| [{self.chinese_part(esc(view.shown))}]({rel_link(here, term_path(tid))}) "
                f"| {self.in_lang(esc(view.pinyin), PINYIN_LANG)} | {self.english_part(esc(view.english))} |")

    def term_table_head(self) -> str:
        return f"| {self.t('headword')} | {self.t('pinyin')} | English |\n| --- | --- | --- |"

    def table(self, here: str, ids: Iterable[str]) -> str:
        return "\n".join([self.term_table_head()] + [self.term_row(here, tid) for tid in ids]) + "\n"

    def index_pages(self, path: str, title: str, sections: list[IndexSection], intro: str = "") -> dict[str, str]:
        """One index as {path: Markdown}: a single page, or an overview and pages of page_size rows."""
        top = self.front_matter(title, title) + f"# {esc(title)} {{ #top }}\n"
        blocks = [intro] if intro else []
        paged = sum(len(s.items) for s in sections) > self.page_size
        pages: dict[str, str] = {}
        for section in sections:
            if section.heading:
                blocks.append(f"{'#' * section.level} {esc(section.heading)} {{ #{section.anchor} }}\n")
            if section.preamble:
                blocks.append(section.preamble)
            if not section.items:
                if section.empty:
                    blocks.append(section.empty)
                continue
            if not paged:
                blocks.append("\n".join([section.head] + [section.row(path, i) for i in section.items]) + "\n")
                continue
            chunks = [section.items[i:i + self.page_size] for i in range(0, len(section.items), self.page_size)]
            folder = path[:-len(".md")]
            names = [f"{folder}/{section.anchor}{'' if n == 1 else f'-{n}'}.md" for n in range(1, len(chunks) + 1)]
            blocks.append(f"{self.t('terms_count')}{self.colon} {len(section.items)} · {self.t('pages')}{self.colon} "
                          + " · ".join(f"[{n}]({rel_link(path, name)})" for n, name in enumerate(names, 1)) + "\n")
            heading = section.page_title or section.heading or title
            for number, (name, chunk) in enumerate(zip(names, chunks), 1):
                part = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
                pager = " · ".join(f"**{n}**" if n == number else f"[{n}]({rel_link(name, other)})"
                                   for n, other in enumerate(names, 1))
                lines = [self.front_matter(f"{heading}{part} · {title}", f"{heading} · {title}")
                         + f"# {esc(heading)}{esc(part)} {{ #top }}\n",
                         f"[{esc(title)}]({rel_link(name, path)}{f'#{section.anchor}' if section.heading else ''})"
                         + (f" · {self.t('pages')}{self.colon} {pager}" if len(chunks) > 1 else "") + "\n",
                         "\n".join([section.head] + [section.row(name, i) for i in chunk]) + "\n"]
                pages[name] = "\n".join(lines)
        pages[path] = "\n".join([top] + blocks)
        return pages

    def letter_sections(self, keyed: list[tuple[str, str]]) -> tuple[str, list[IndexSection]]:
        """Terms grouped by the first letter of their key; the line of letter links above them."""
        groups: dict[str, list[str]] = defaultdict(list)
        for key, tid in sorted(keyed):
            first = key[:1].upper()
            groups[first if "A" <= first <= "Z" else "#"].append(tid)
        letters = sorted(groups, key=lambda g: (g == "#", g))
        links = " · ".join(f"[{'0–9' if g == '#' else g}](#{'other' if g == '#' else g.lower()})" for g in letters)
        sections = [IndexSection(anchor="other" if g == "#" else g.lower(),
                                 heading=self.t("other_letters") if g == "#" else g,
                                 head=self.term_table_head(), row=self.term_row, items=groups[g])
                    for g in letters]
        return links + "\n", sections

    def pinyin_index(self) -> dict[str, str]:
        links, sections = self.letter_sections([(derive.toneless(v.pinyin), tid) for tid, v in self.views.items()])
        return self.index_pages("browse/pinyin.md", self.t("by_pinyin"), sections, links)

    def english_index(self) -> dict[str, str]:
        keyed = [(derive.strip_quotes(v.english).lstrip().lower(), tid) for tid, v in self.views.items()]
        links, sections = self.letter_sections(keyed)
        return self.index_pages("browse/english.md", self.t("by_english"), sections, links)

    def category_index(self) -> dict[str, str]:
        by_cat: dict[str, list[str]] = defaultdict(list)
        for tid, view in self.views.items():
            by_cat[view.data["category"]].append(tid)
        sections = [IndexSection(anchor=cat_id, heading=self.category_label(cat_id), head=self.term_table_head(),
                                 row=self.term_row, items=self.sorted_ids(by_cat.get(cat_id, [])),
                                 empty=self.t("no_terms") + "\n")
                    for cat_id in self.g.categories]
        return self.index_pages("browse/categories.md", self.t("by_category"), sections)

    def source_index(self) -> dict[str, str]:
        defined: dict[str, list[tuple[int, str]]] = defaultdict(list)
        used: dict[str, set[str]] = defaultdict(set)
        for tid, view in self.views.items():
            for source in view.data["sources"]:
                if source.get("note"):
                    defined[source["doc"]].append((source["note"], tid))
                else:
                    used[source["doc"]].add(tid)
        sections = []
        for doc_id, doc in self.g.sources.items():
            issuer = doc["issuer"]["en"] if self.v.ui == "en" else self.zh(doc["issuer"]["zh"])
            title = self.source_title(doc_id)
            sections.append(IndexSection(
                anchor=doc_id, heading=title,
                preamble=f"- {self.t('issuer')}: {esc(issuer)}\n- {self.t('date')}: {esc(doc['date'])}\n"
                         f"- {self.t('file')}: {code_span(doc['file'])}\n"))
            if defined.get(doc_id):
                sections.append(IndexSection(
                    anchor=f"{doc_id}-notes", heading=self.t("defined_terms"), level=3,
                    page_title=f"{title} · {self.t('defined_terms')}", row=functools.partial(self.note_row, doc_id),
                    head=f"| {self.t('note')} | {self.t('headword')} | English |\n| --- | --- | --- |",
                    items=sorted(defined[doc_id])))
            only_used = used.get(doc_id, set()) - {tid for _, tid in defined.get(doc_id, [])}
            if only_used:
                sections.append(IndexSection(
                    anchor=f"{doc_id}-text", heading=self.t("used_terms"), level=3,
                    page_title=f"{title} · {self.t('used_terms')}", head=self.term_table_head(), row=self.term_row,
                    items=self.sorted_ids(only_used)))
        return self.index_pages("browse/sources.md", self.t("by_source"), sections)

    def note_row(self, doc_id: str, here: str, item: tuple[int, str]) -> str:
        note, tid = item
        view = self.views[tid]
        return (f"| {self.note_mark(doc_id, note)} "
                f"| [{self.chinese_part(esc(view.shown))}]({rel_link(here, term_path(tid))}) "
                f"| {self.english_part(esc(view.english))} |")

    def numbered_row(self, here: str, tid: str) -> str:
        view = self.views[tid]
        pattern = " + ".join(str(c) for c in view.data["counts"])
        return (f"| [{self.chinese_part(esc(view.shown))}]({rel_link(here, term_path(tid))}) | {esc(pattern)} "
                f"| {self.english_part(esc(view.english))} |")

    def numbered_index(self) -> dict[str, str]:
        ids = self.sorted_ids(tid for tid, v in self.views.items() if v.data.get("counts"))
        section = IndexSection(anchor="terms", heading="", page_title=self.t("numbered"), row=self.numbered_row,
                               head=f"| {self.t('headword')} | {self.t('counts')} | English |\n| --- | --- | --- |",
                               items=ids)
        return self.index_pages("browse/numbered.md", self.t("numbered"), [section])

    def home_page(self) -> str:
        count = len(self.g.terms)
        notes = sum(1 for v in self.views.values() if any(s.get("note") for s in v.data["sources"]))
        official = sum(1 for v in self.views.values() if v.data["english"][0]["status"] == "official")
        site = SITE_NAME[self.v.ui]
        if self.v.ui == "en":
            intro = (f"A bilingual glossary of the policy slogans and terms in the documents of Anju District, "
                     f"Suining (Sichuan): **{count}** entries, {notes} of them defined in the documents' own "
                     f"glossary notes, {official} with an established official English rendering. Every entry "
                     f"gives the Chinese definition, an English explanation for foreign readers, the parts of "
                     f"numbered slogans, and the passages it comes from.")
            search = ("Search with the box at the top of every page (press <kbd>/</kbd>): simplified or "
                      "traditional characters, pinyin with or without tones, or English.")
        else:
            intro = self.zh(f"本词表收录遂宁市安居区政府文件中的政策口号和术语，共 **{count}** 条，其中 {notes} 条"
                            f"释义引自文件的名词解释，{official} 条有官方英文译法。每个词条提供中文释义、面向外国读者的"
                            f"英文解释、数字化口号的构成和原文出处。")
            search = self.zh("在每页顶部的搜索框中输入（按 <kbd>/</kbd> 键）：简体字、繁体字、带或不带声调的拼音、英文均可。")
        browse = [("browse/pinyin.md", "by_pinyin"), ("browse/english.md", "by_english"),
                  ("browse/categories.md", "by_category"), ("browse/sources.md", "by_source"),
                  ("browse/numbered.md", "numbered"), ("about.md", "about")]
        title = site if self.v.ui == "en" else self.zh(site)
        # Material opens its search with the query of a ?q= address: this form is the search box at once
        form = (f'<form class="home-search-form" action="./" method="get" role="search">\n'
                f'<label for="home-q">{self.t("search_label")}</label>\n'
                f'<input id="home-q" name="q" type="search" placeholder="六稳 · liu wen · stability" required>\n'
                f'<button type="submit" class="md-button md-button--primary">{self.t("search")}</button>\n'
                f'</form>\n')
        lines = [self.front_matter(title, intro.replace("**", "")), f"# {esc(title)} {{ #top }}\n", intro + "\n",
                 form, f'<p class="home-search">{search}</p>\n', f"## {self.t('browse')} {{ #browse }}\n"]
        lines += [f"- [{self.t(key)}]({path})" for path, key in browse]
        samples = [tid for tid in ("liu-wen-liu-bao", "strategy-1336", "industry-system-2-2-1", "fengqiao-experience")
                   if tid in self.views]
        if samples:
            lines.append("")
            lines.append(f"## {self.t('examples')} {{ #examples }}\n")
            lines += [f"- [{self.chinese_part(esc(self.views[tid].shown))}]({term_path(tid)}) — "
                      f"{self.english_part(esc(self.views[tid].english))}" for tid in samples]
        return "\n".join(lines) + "\n"


def _glossary_link(form: str, url: str) -> str:
    """An automatic link, marked as such (attr_list): <a class="glossary-link" href="…">."""
    return markdown_link(form, url) + "{: .glossary-link }"


def computed_relations(glossary: Glossary) -> dict[str, list[tuple[str, str]]]:
    """Every term's relations, the stated ones and the inverses computed from the other side."""
    return glossary.kept(("relations",), lambda: _computed_relations(glossary))


def _computed_relations(glossary: Glossary) -> dict[str, list[tuple[str, str]]]:
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for term_id, doc in glossary.terms.items():
        for rel in doc.data.get("relations") or []:
            result[term_id].append((rel["type"], rel["term"]))
            inverse = INVERSE.get(rel["type"])
            if inverse:
                result[rel["term"]].append((inverse, term_id))
    return {k: sorted(set(v)) for k, v in result.items()}


def mentioned_in(glossary: Glossary) -> dict[str, set[str]]:
    """Backlinks: which entries mention a term in their text or components, or point to it with see-also."""
    return glossary.kept(("mentions",), lambda: _mentioned_in(glossary))


def _mentioned_in(glossary: Glossary) -> dict[str, set[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    for term_id, doc in glossary.terms.items():
        data = doc.data
        for field in ("definition", "notes", "disambiguation"):
            for text in (data.get(field) or {}).values():
                for target, _ in inline_references(text):
                    result[target].add(term_id)
        for _, part in walk_components(data.get("components")):
            if part.get("term"):
                result[part["term"]].add(term_id)
        for rel in data.get("relations") or []:
            if rel["type"] == "see-also":
                result[rel["term"]].add(term_id)
    for term_id in list(result):
        result[term_id].discard(term_id)
    return dict(result)


def render_pages(glossary: Glossary, variant: Variant, site_url: str = "",
                 page_size: int = INDEX_PAGE_SIZE) -> dict[str, str]:
    """All generated pages of one variant as {docs-relative path: Markdown}."""
    return Renderer(glossary, variant, site_url, page_size).pages()
