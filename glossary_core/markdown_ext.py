"""Python-Markdown extension: link mentions of glossary terms in any page, with the engine of linker.py.

    markdown_extensions:
      - glossary_core.markdown_ext:
          glossary_root: .          # the project directory that holds glossary/ (default: the cwd)
          base_url: https://glossary.example.org/   # for link_style: url
          variant: zh-Hans          # zh-Hans | en | zh-Hant: which variant's pages to link to
          link_style: url           # url: <base_url><prefix>terms/<id>/ ; relative: from the page
          scope_class: ""           # if set, link only inside elements with this class
          every: false              # link every mention, not only the first on the page

A tree processor that runs after Python-Markdown has built the page (and after MkDocs has
rewritten the page's own links), so existing links, code and raw HTML are already elements or
placeholders: it links in text nodes only, never inside a, code, pre, kbd, samp, script, style,
textarea or headings (h1–h6), never inside raw HTML that opens one of these, never in
AtomicString text. The first mention of each entry on a page is linked, unless ``every``; a term
the page links to already (an <a> to its page) counts as linked, and a term's own page
(terms/<id>/) never links to that term. Links are <a class="glossary-link" href="…">.

With ``scope_class``, only text inside an element carrying that class is linked, and the entry
named by the nearest such element's ``data-glossary-self`` is never linked there (a definition does
not link to itself; its mention still covers its text, so no shorter term inside it is linked).

``link_style: relative`` makes links relative to the page (../liu-bao/ from terms/liu-wen/). Under
MkDocs the page and the term pages' URLs come from MkDocs itself; elsewhere the page's URL is the
``page_url`` option (relative to the site root, '' for the home page) and term pages are assumed at
terms/<id>/. Relative links stay within the variant being built, so ``variant`` does not apply.

The matcher is built once per glossary root and reused for every page while the glossary's files
are unchanged; an invalid glossary raises GlossaryError (listing every problem) at the first page.

After each conversion the extension's ``last_report`` holds the page's report (see linker.py);
there ``start`` counts characters of the page's text nodes and ``line``/``column`` are 0, since
the element tree keeps no source positions.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import load, load_checked
from .linker import HREF_ATTR_RE, NO_LINK_ELEMENTS, Linker, PageLinker, Report, term_url
from .variants import VARIANTS

# Python-Markdown keeps raw HTML (and escapes) out of the tree as STX…ETX placeholders.
_PLACEHOLDER_RE = re.compile("\x02([^\x03]*)\x03")
_PLACEHOLDER_START = "\x02"
_STASH_KEY_RE = re.compile(r"wzxhzdk:(\d+)$")
_TERM_PAGE_RE = re.compile(r"terms/([a-z0-9]+(?:-[a-z0-9]+)*)(?:/|\.html)")
_RAW_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*?)?(/?)>")

_cache_lock = threading.Lock()
_linkers: dict[Path, tuple[tuple, Linker]] = {}


def _glossary_signature(root: Path) -> tuple:
    """Names, sizes and modification times of the glossary's files: changes when any file does."""
    entries = []
    for relative in (*load.SUPPORT_FILES.values(), load.TERMS_DIR):
        path = root / relative
        try:
            if path.is_dir():
                with os.scandir(path) as found:
                    stats = [(entry.name, entry.stat()) for entry in found]
                entries += sorted((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)
            else:
                stat = path.stat()
                entries.append((relative, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            entries.append((relative, None, None))
    return tuple(entries)


def cached_linker(root: Path | str) -> Linker:
    """The linker for the glossary under ``root``, built once and rebuilt only when its files change;
    or the one ``use_glossary`` gave for the current build, without looking at the files at all."""
    root = Path(root).resolve()
    with _cache_lock:
        cached = _linkers.get(root)
        if cached is not None and cached[0] is None:
            return cached[1]
    signature = _glossary_signature(root)
    with _cache_lock:
        cached = _linkers.get(root)
        if cached is None or cached[0] != signature:
            cached = (signature, Linker.from_glossary(load_checked(root)))
            _linkers[root] = cached
        return cached[1]


def use_glossary(root: Path | str, glossary: Any) -> None:
    """Build the linker from a glossary already loaded and checked (the MkDocs hook's, at the start
    of every build), and use it for every page until the next call: scanning the glossary's files
    for changes on each of thousands of pages made a build quadratic in the number of terms."""
    root = Path(root).resolve()
    with _cache_lock:
        _linkers[root] = (None, Linker.from_glossary(glossary))


def relative_url(target: str, page: str) -> str:
    """URL of ``target`` relative to ``page``, both relative to the site root as MkDocs writes them."""
    head, tail = posixpath.split(page)
    if "." in tail:                      # a file (about.html): its directory is what links start from
        page = head
    relative = posixpath.relpath("/" + target, "/" + page)
    return relative + "/" if target.endswith("/") and relative != "." else relative


class GlossaryLinkTreeprocessor(Treeprocessor):
    """Links mentions of glossary terms in the text nodes of the page."""

    def __init__(self, md: Markdown, extension: GlossaryLinkExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        config = self.extension.getConfigs()
        self.scope_class = str(config["scope_class"] or "")
        page_url, files = self._mkdocs_page(config)
        self.page = PageLinker(cached_linker(config["glossary_root"]),
                               self._url_maker(config, page_url, files), bool(config["every"]), page_url)
        self.raw_open: list[str] = []   # no-link elements opened by raw HTML and not yet closed
        self.text_offset = 0            # position in the page's text, for the report
        # a term's own page never links to itself
        own_term = _TERM_PAGE_RE.fullmatch(page_url)
        self._walk(root, in_scope=not self.scope_class, self_id=own_term.group(1) if own_term else None)
        self.extension.last_report = self.page.report()

    def _mkdocs_page(self, config: dict[str, Any]) -> tuple[str, Any]:
        """The page's URL from the site root, and MkDocs' files (None outside MkDocs)."""
        # MkDocs registers its link rewriter as 'relpath' on every page's Markdown instance,
        # holding the page's File and the site's Files
        mkdocs_paths = self.md.treeprocessors["relpath"] if "relpath" in self.md.treeprocessors else None
        page_file = getattr(mkdocs_paths, "file", None)
        if page_file is None:
            return str(config["page_url"]), None
        return page_file.url, getattr(mkdocs_paths, "files", None)

    def _url_maker(self, config: dict[str, Any], page_url: str, files: Any):
        """term id → URL, in the configured style."""
        if config["link_style"] == "url":
            return lambda term: term_url(str(config["base_url"]), str(config["variant"]), term)

        def url(term: str) -> str:
            target = files.get_file_from_path(f"terms/{term}.md") if files is not None else None
            return relative_url(target.url if target is not None else f"terms/{term}/", page_url)
        return url

    def _walk(self, element: etree.Element, in_scope: bool, self_id: str | None) -> None:
        children = list(element)       # before links are inserted: those are not walked again
        if element.text:
            element.text, links = self._link_text(element.text, in_scope, self_id)
            for index, link in enumerate(links):
                element.insert(index, link)
        for child in children:
            if child.tag == "a" and child.get("href"):
                self.page.note_link(child.get("href"))   # a term linked here already counts as linked
            if isinstance(child.tag, str) and child.tag not in NO_LINK_ELEMENTS:
                child_scope, child_self = in_scope, self_id
                if self.scope_class and self.scope_class in (child.get("class") or "").split():
                    child_scope, child_self = True, child.get("data-glossary-self") or self_id
                self._walk(child, child_scope, child_self)
            if child.tail:
                child.tail, links = self._link_text(child.tail, in_scope, self_id)
                if links:
                    position = list(element).index(child) + 1
                    for index, link in enumerate(links):
                        element.insert(position + index, link)

    def _link_text(self, text: str, in_scope: bool, self_id: str | None) -> tuple[str, list[etree.Element]]:
        """The text up to the first link, and the <a> elements, each carrying the text after it as tail."""
        base = self.text_offset
        self.text_offset += len(text)
        linkable = in_scope and not isinstance(text, AtomicString)
        if not linkable and _PLACEHOLDER_START not in text:
            return text, []  # most text of a page: nothing to link and no raw HTML to follow
        mentions = []
        position = 0
        # raw HTML between the pieces of text may open or close a no-link element (<a href…>…</a>)
        for placeholder in [*_PLACEHOLDER_RE.finditer(text), None]:
            end = placeholder.start() if placeholder else len(text)
            if linkable and not self.raw_open and end > position:
                mentions += self.page.linker.mentions(text, position, end)
            if placeholder:
                self._follow_raw_html(placeholder.group(1))
                position = placeholder.end()
        links: list[etree.Element] = []
        head, copied_to = text, 0
        for mention in mentions:
            url = self.page.decide(mention, base + mention.start, True, self_id)
            if url is None:
                continue
            piece = text[copied_to:mention.start]
            if links:
                links[-1].tail = piece
            else:
                head = piece
            link = etree.Element("a", {"class": "glossary-link", "href": url})
            link.text = AtomicString(mention.form)
            links.append(link)
            copied_to = mention.end
        if links:
            links[-1].tail = text[copied_to:]
        return head, links

    def _follow_raw_html(self, key: str) -> None:
        """Keep track of no-link elements (<a>, <code> …) opened and closed by stashed raw HTML."""
        stashed = _STASH_KEY_RE.match(key)
        if not stashed:
            return
        blocks = self.md.htmlStash.rawHtmlBlocks
        index = int(stashed.group(1))
        raw = blocks[index] if index < len(blocks) else None
        if not isinstance(raw, str):
            return
        for tag in _RAW_TAG_RE.finditer(raw):
            closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
            if name not in NO_LINK_ELEMENTS or self_closing:
                continue
            if not closing:
                self.raw_open.append(name)
                href = HREF_ATTR_RE.search(tag.group(0)) if name == "a" else None
                if href:
                    self.page.note_link(html.unescape(href.group(2)))
            elif name in self.raw_open:
                while self.raw_open.pop() != name:
                    pass


class GlossaryLinkExtension(Extension):
    """Links mentions of glossary terms; see the module docstring for the options."""

    def __init__(self, **kwargs: Any):
        self.config = {
            "glossary_root": [".", "Project directory holding glossary/ (default: the working directory)"],
            "base_url": ["", "Site root URL for link_style 'url'"],
            "variant": ["zh-Hans", "Variant linked to with link_style 'url': zh-Hans, en or zh-Hant"],
            "link_style": ["url", "'url': <base_url><prefix>terms/<id>/; 'relative': relative to the page"],
            "page_url": ["", "With link_style 'relative' outside MkDocs: the page's URL from the site root"],
            "scope_class": ["", "Link only inside elements with this class (empty: everywhere)"],
            "every": [False, "Link every mention, not only the first on the page"],
        }
        self.last_report: Report = {"links": [], "ambiguous": []}
        super().__init__(**kwargs)
        if self.getConfig("variant") not in VARIANTS:
            raise ValueError(f"glossary_core.markdown_ext: variant must be one of {', '.join(VARIANTS)}")
        if self.getConfig("link_style") not in ("url", "relative"):
            raise ValueError("glossary_core.markdown_ext: link_style must be 'url' or 'relative'")

    def extendMarkdown(self, md: Markdown) -> None:
        # below 0: after inline processing, attr_list, toc and MkDocs' own link rewriting ('relpath'),
        # which would otherwise try to resolve these links as documentation files
        md.treeprocessors.register(GlossaryLinkTreeprocessor(md, self), "glossary_link", -10)
        md.registerExtension(self)

    def reset(self) -> None:
        self.last_report = {"links": [], "ambiguous": []}


def makeExtension(**kwargs: Any) -> GlossaryLinkExtension:  # noqa: N802 (Python-Markdown's name)
    return GlossaryLinkExtension(**kwargs)
