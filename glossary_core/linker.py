"""Link mentions of glossary terms in articles: the matcher, and linkers for Markdown and HTML.

Pure: text in, text and a report out; nothing here reads or writes files.

The matcher finds every form of every entry (its headword, `traditional` and aliases, each in the
quote styles derive.spelling_variants gives: “1336”发展战略, "1336"发展战略, 1336发展战略; each in
Simplified and, by derive.to_traditional, Traditional Chinese, where 「」 may stand for “”) with one
Aho–Corasick automaton (pyahocorasick), then keeps the leftmost-longest mentions: 六稳六保 wins
over the 六稳 inside it; at the same start the longer form wins, and distinct forms never tie.
Quotation marks around a whole term are sentence punctuation, not part of the form (the headword
is 六稳, not “六稳”), so they stay outside the link: 扎实做好“[六稳](…)”工作.

Rules, in the order they apply:

* A form of one or two characters (quotes not counted: “六稳” is two) is matched only for an entry
  with ``linking.allow_short: true``.
* A form that starts (ends) with an ASCII letter or digit is not matched inside an ASCII word or
  number, nor joined to one by '+': 1336战略 is not found in 21336战略, nor 3+2主导产业 in
  10+3+2主导产业. Chinese has no word boundaries, so nothing else is required around a form.
* A match lying inside an occurrence of one of the entry's ``linking.exclude`` expressions is not
  a mention of that entry (两新 in 两新组织); it is dropped before the longest match is chosen, so
  it neither links nor counts as the first mention.
* Homographs: a form shared by several entries (allowed when each has a ``disambiguation``) is
  never linked by guesswork. If exactly one of the entries has it as its headword, the mention
  links there; otherwise it is not linked. Either way every occurrence is listed in the report's
  ``ambiguous`` list with the candidates and the choice (``term`` null when skipped). A skipped
  mention still covers its text, so no shorter form inside it is linked instead.
* Only the first mention of each entry is linked unless ``every`` is set. A term the text links
  to already (a link to …/terms/<id>/, a [[id]] reference) counts as linked from there on.

Where links are never made is decided by the two front ends below (``link_markdown``,
``link_html``) and by the Markdown extension (markdown_ext.py): inside links, code, URLs, HTML
tags, attributes and comments, front matter, and headings (a heading is a title, not running
text: links there would also end up in the table of contents and in permalinks' anchor text).
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Callable, Iterable, NamedTuple, TypedDict
from urllib.parse import quote, urlsplit

import ahocorasick

from . import derive
from .load import Glossary
from .validate import REF_RE
from .variants import VARIANTS

# Elements whose text is never linked: links (an <a> cannot contain another), code, non-text
# content, form controls, and headings.
NO_LINK_ELEMENTS = frozenset({
    "a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "title", "button", "select",
    "option", "svg", "math", "h1", "h2", "h3", "h4", "h5", "h6",
})
SHORT_FORM_MAX = 2  # forms of this many characters or fewer need linking.allow_short
_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# '+' joins the parts of numbered slogans (“2+2+1”): 3+2主导产业 is not a mention inside 10+3+2…
_ASCII_JOINERS = _ASCII_WORD | {"+"}
_QUOTE_SEARCH = re.compile(f"[{re.escape(derive.QUOTES)}]")


# --- the matcher ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TermForms:
    """What the matcher needs of one entry: its forms as written, excludes and short-form switch."""

    id: str
    headwords: tuple[str, ...]   # headword (and `traditional`), as written
    aliases: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    allow_short: bool = False

    @classmethod
    def from_entry(cls, term_id: str, data: dict) -> TermForms:
        """The linking data of one parsed term file."""
        linking = data.get("linking") or {}
        headwords = [data.get("headword"), data.get("traditional")]
        return cls(
            id=term_id,
            headwords=tuple(f for f in headwords if isinstance(f, str) and f),
            aliases=tuple(f for f in data.get("aliases") or [] if isinstance(f, str) and f),
            excludes=tuple(x for x in linking.get("exclude") or [] if isinstance(x, str) and x),
            allow_short=linking.get("allow_short") is True,
        )


def spellings(form: str) -> list[str]:
    """The quote styles of a form (derive.spelling_variants), quickly for the many without quotes."""
    return derive.spelling_variants(form) if _QUOTE_SEARCH.search(form) else [form]


def traditional_forms(spelled: Iterable[str]) -> dict[str, str]:
    """Simplified → Traditional for many forms, in one call to OpenCC (a call costs more than a form).

    OpenCC segments text into dictionary phrases, and no phrase spans a line break, so converting
    the forms joined by newlines gives each form's own conversion.
    """
    texts = list(dict.fromkeys(spelled))
    if texts and not any("\n" in text for text in texts):
        converted = derive.to_traditional("\n".join(texts)).split("\n")
        if len(converted) == len(texts):
            return dict(zip(texts, converted))
    return {text: derive.to_traditional(text) for text in texts}


def written_forms(form: str, traditional: dict[str, str] | None = None) -> list[str]:
    """Every way a text may write ``form``: quote styles × Simplified/Traditional (also 「」)."""
    if traditional is not None and not _QUOTE_SEARCH.search(form):   # most forms: no quotes
        converted = traditional[form]
        return [form] if converted == form else [form, converted]
    forms: list[str] = []
    for spelled in spellings(form):
        converted = traditional[spelled] if traditional is not None else derive.to_traditional(spelled)
        forms += [spelled, converted]
        if "“" in converted:
            forms.append(converted.replace("“", "「").replace("”", "」"))
    return list(dict.fromkeys(forms))


def bare_length(form: str) -> int:
    """Length of a form without its quotation marks: “六稳” counts 2."""
    return len(derive.strip_quotes(form)) if _QUOTE_SEARCH.search(form) else len(form)


class Pattern(NamedTuple):
    """One string the automaton finds, and the entries it is a form of."""

    text: str
    owners: tuple[str, ...]        # ids of the entries that have this form, sorted
    headword_of: tuple[str, ...]   # those of them whose headword it is
    ascii_start: bool
    ascii_end: bool

    def choose(self, owners: tuple[str, ...]) -> str | None:
        """The entry a mention links to: the only owner, or the only headword owner, else None."""
        if len(owners) == 1:
            return owners[0]
        by_headword = [t for t in owners if t in self.headword_of]
        return by_headword[0] if len(by_headword) == 1 else None


class Mention(NamedTuple):
    """A leftmost-longest match of a form in a text."""

    start: int
    end: int
    form: str                      # the text matched
    term: str | None               # the entry it links to; None when ambiguous and skipped
    candidates: tuple[str, ...]    # all entries it could be (more than one only for homographs)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class Linker:
    """An Aho–Corasick automaton over every form of every entry, with the rules to apply to matches."""

    def __init__(self, terms: Iterable[TermForms]):
        terms = list(terms)
        self.term_ids: list[str] = [term.id for term in terms]
        self.known_ids = frozenset(self.term_ids)
        traditional = traditional_forms(
            spelled for term in terms for form in (*term.headwords, *term.aliases, *term.excludes)
            for spelled in spellings(form))
        owners: dict[str, dict[str, bool]] = {}   # form -> {term id: is a headword form}
        excludes: dict[str, tuple[str, ...]] = {}
        for term in terms:
            for is_headword, written in ((True, term.headwords), (False, term.aliases)):
                for form in written:
                    if bare_length(form) <= SHORT_FORM_MAX and not term.allow_short:
                        continue
                    for variant in written_forms(form, traditional):
                        mine = owners.setdefault(variant, {})
                        mine[term.id] = mine.get(term.id, False) or is_headword
            if term.excludes:
                excludes[term.id] = tuple(dict.fromkeys(
                    variant for context in term.excludes for variant in written_forms(context, traditional)))
        self.excludes = excludes
        self.patterns: list[Pattern] = []
        # sorted: pattern ids, and so every tie-break that uses them, do not depend on file order
        for text in sorted(owners):
            roles = owners[text]
            if len(roles) == 1:                    # the usual case, without the general sorting
                ((term_id, is_headword),) = roles.items()
                ids, headword_of = (term_id,), ((term_id,) if is_headword else ())
            else:
                ids = tuple(sorted(roles))
                headword_of = tuple(t for t in ids if roles[t])
            self.patterns.append(Pattern(text, ids, headword_of, text[0] in _ASCII_WORD, text[-1] in _ASCII_WORD))
        self._min_length = min((len(p.text) for p in self.patterns), default=0)
        self._build_matcher()

    def _needs_check(self, pattern: Pattern) -> bool:
        """Whether a match of this pattern may be rejected (ASCII boundaries, excludes)."""
        return pattern.ascii_start or pattern.ascii_end or not self.excludes.keys().isdisjoint(pattern.owners)

    def _build_matcher(self) -> None:
        """The automaton over every pattern, as UTF-16 bytes (see _code_unit_bytes)."""
        self._automaton = ahocorasick.Automaton()
        for pid, pattern in enumerate(self.patterns):
            key = _code_unit_bytes(pattern.text)
            # what the search loop needs, unpacked once here rather than looked up per match
            self._automaton.add_word(key, (len(pattern.text), pid, self._needs_check(pattern), len(key)))
        if self.patterns:
            self._automaton.make_automaton()

    @classmethod
    def from_glossary(cls, glossary: Glossary) -> Linker:
        """The linker for every entry of a (validated) glossary."""
        return cls(TermForms.from_entry(term_id, doc.data) for term_id, doc in glossary.terms.items())

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Leftmost-longest mentions within text[start:end], in order; none crosses the bounds."""
        end = len(text) if end is None else min(end, len(text))
        if not self.patterns or end - start < self._min_length:
            return []
        hits: list[tuple[int, int, int, tuple[str, ...] | None]] = []
        accept = self._accept
        # iter(), not iter_long(): pyahocorasick's iter_long misses matches (upstream issues #133,
        # #185, #189), so the leftmost-longest choice is made below from all overlapping matches.
        # On a slice: iter(text, start, end) converts the whole of text on every call.
        segment = text[start:end]
        encoded = _code_unit_bytes(segment)
        # byte offset -> character offset: twice as many bytes, unless there are surrogate pairs
        char_at = None if len(encoded) == 2 * len(segment) else _char_offsets(segment)
        for last, (length, pid, needs_check, byte_length) in self._automaton.iter(encoded):
            first_byte = last - byte_length + 1
            if char_at is None:
                if first_byte & 1:
                    continue                       # the bytes straddle two characters
                first = start + (first_byte >> 1)
            else:
                first = char_at.get(first_byte, -1)
                if first < 0:
                    continue
                first += start
            if needs_check:
                owners = accept(text, first, first + length, pid, start, end)
                if not owners:
                    continue
                hits.append((first, -length, pid, owners))
            else:
                hits.append((first, -length, pid, None))
        if not hits:
            return []
        hits.sort()
        found: list[Mention] = []
        covered_to = start
        patterns = self.patterns
        for first, negative_length, pid, owners in hits:
            if first < covered_to:
                continue
            covered_to = first - negative_length
            pattern = patterns[pid]
            candidates = owners or pattern.owners
            found.append(Mention(first, covered_to, pattern.text, pattern.choose(candidates), candidates))
        return found

    def _accept(self, text: str, first: int, stop: int, pid: int, lo: int, hi: int) -> tuple[str, ...]:
        """The owners for which text[first:stop] is a mention (ASCII boundaries, excludes); () if none."""
        pattern = self.patterns[pid]
        if pattern.ascii_start and first > lo and text[first - 1] in _ASCII_JOINERS:
            return ()
        if pattern.ascii_end and stop < hi and text[stop] in _ASCII_JOINERS:
            return ()
        return tuple(t for t in pattern.owners if not self._excluded(t, text, first, stop, lo, hi))

    def _excluded(self, term_id: str, text: str, first: int, stop: int, lo: int, hi: int) -> bool:
        """Whether text[first:stop] lies inside an occurrence of one of the entry's exclude strings."""
        for context in self.excludes.get(term_id, ()):
            # an occurrence covering [first, stop) starts in [stop - len, first]: search just there
            if text.find(context, max(lo, stop - len(context)), min(hi, first + len(context))) != -1:
                return True
        return False


def _code_unit_bytes(text: str) -> str:
    """The UTF-16 bytes of a text, one latin-1 character per byte: what the automaton matches.

    pyahocorasick finds a node's child by a linear scan of its children, and the root of an
    automaton over Chinese terms has thousands (one per first character): every step of the
    search scanned them. Over bytes, no node has more than 256 children; matching is about twice
    as fast with 10,000 terms. A match must start at an even byte offset (checked by the caller).
    """
    return text.encode("utf-16-be", "surrogatepass").decode("latin-1")


def _char_offsets(text: str) -> dict[int, int]:
    """Byte offset in _code_unit_bytes(text) → character offset, for text with non-BMP characters."""
    offsets, byte = {}, 0
    for index, char in enumerate(text):
        offsets[byte] = index
        byte += 4 if ord(char) > 0xFFFF else 2
    offsets[byte] = len(text)
    return offsets


def term_url(base_url: str, variant: str, term_id: str) -> str:
    """<base_url><variant prefix>terms/<id>/ ; a non-empty base_url gets a trailing slash."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, not {variant!r}")
    # links are made only to http(s) pages: never javascript:, data: or the like
    if base_url and (urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc):
        raise ValueError(f"base URL must be empty or an absolute http(s) URL such as "
                         f"https://glossary.example.org/, not {base_url!r}")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return f"{base_url}{VARIANTS[variant].prefix}terms/{term_id}/"


_TERM_PATH_RE = re.compile(r"(?:^|/)terms/([a-z0-9]+(?:-[a-z0-9]+)*)(?:/(?:index\.html)?|\.md|\.html)?$")


def term_of_href(href: str, page_url: str = "") -> str | None:
    """The id in a link to a term page (…/terms/<id>/, terms/<id>.md, ../<id>/ from terms/x/), or None.

    ``page_url``: the linking page's URL from the site root, against which relative links resolve.
    """
    parts = urlsplit(href)
    path = parts.path
    if not path:
        return None
    if not (parts.scheme or parts.netloc or path.startswith("/")):
        base = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
        path = posixpath.normpath(posixpath.join(base, path))
    found = _TERM_PATH_RE.search(path)
    return found.group(1) if found else None


# --- the report ------------------------------------------------------------------------------

class LinkRecord(TypedDict):
    term: str
    form: str
    start: int    # character (code point) offset in the input, from 0
    line: int     # from 1
    column: int   # in characters, from 1
    url: str


class AmbiguousRecord(TypedDict):
    form: str
    start: int
    line: int
    column: int
    candidates: list[str]
    term: str | None   # the entry chosen (it is the headword of), or None: not linked
    linked: bool


class Report(TypedDict):
    links: list[LinkRecord]
    ambiguous: list[AmbiguousRecord]


class _Positions:
    """Offset → (line, column), both from 1; lines end at \\n."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


@dataclass
class PageLinker:
    """Decides, mention by mention, what to link on one page: first mentions, homographs, the report."""

    linker: Linker
    url_for: Callable[[str], str]
    every: bool = False
    page_url: str = ""   # the page's URL from the site root, to resolve relative links (note_link)

    def __post_init__(self) -> None:
        self.urls: dict[str, str] = {}
        self.linked: set[str] = set()
        self.links: list[tuple[Mention, str, int]] = []       # (mention, url, offset in the page)
        self.ambiguous: list[tuple[Mention, bool, int]] = []

    def decide(self, mention: Mention, offset: int, linkable: bool = True, self_id: str | None = None) -> str | None:
        """The URL to link this mention to, or None. ``offset``: where it is in the page, for the report.

        ``linkable`` False: the place cannot hold a link (the mention is passed over and does not
        count as the first); ``self_id``: the entry the text is about, which is never linked.
        """
        term = mention.term
        will_link = (linkable and term is not None and term != self_id
                     and (self.every or term not in self.linked))
        if mention.ambiguous:
            self.ambiguous.append((mention, will_link, offset))
        if not will_link:
            return None
        self.linked.add(term)
        url = self.urls.get(term)
        if url is None:
            url = self.urls[term] = self.url_for(term)
        self.links.append((mention, url, offset))
        return url

    def note_link(self, href: str) -> None:
        """An existing link: when it leads to a term's page, that term counts as linked already."""
        term = term_of_href(href, self.page_url)
        if term in self.linker.known_ids:
            self.linked.add(term)

    def report(self, text: str | None = None) -> Report:
        """The JSON-ready report; with the page ``text``, with line and column of each mention."""
        where = _Positions(text) if text is not None else (lambda offset: (0, 0))
        links: list[LinkRecord] = []
        for mention, url, offset in self.links:
            line, column = where(offset)
            links.append({"term": mention.term or "", "form": mention.form, "start": offset,
                          "line": line, "column": column, "url": url})
        ambiguous: list[AmbiguousRecord] = []
        for mention, linked, offset in self.ambiguous:
            line, column = where(offset)
            ambiguous.append({"form": mention.form, "start": offset, "line": line, "column": column,
                              "candidates": list(mention.candidates), "term": mention.term, "linked": linked})
        return {"links": links, "ambiguous": ambiguous}


def _splice(text: str, segments: Iterable[tuple[int, int]], page: PageLinker,
            make_link: Callable[[str, str], str], linkable: Callable[[Mention], bool],
            existing: Iterable[tuple[int, str]] = (), whole_text_mentions: list[Mention] | None = None) -> str:
    """Insert links for the mentions in the segments; everything between them is copied as it is.

    ``existing``: (offset, href) of the links already in the text, in order; a term linked before a
    mention counts as linked. ``whole_text_mentions``: the mentions of the whole text, if known
    (used for a segment that is the whole text).
    """
    pieces: list[str] = []
    copied_to = 0
    earlier = iter(existing)
    pending = next(earlier, None)
    for seg_start, seg_end in segments:
        whole = whole_text_mentions is not None and seg_start == 0 and seg_end == len(text)
        for mention in whole_text_mentions if whole else page.linker.mentions(text, seg_start, seg_end):
            while pending is not None and pending[0] < mention.start:
                page.note_link(pending[1])
                pending = next(earlier, None)
            url = page.decide(mention, mention.start, linkable(mention))
            if url is None:
                continue
            pieces.append(text[copied_to:mention.start])
            pieces.append(make_link(mention.form, url))
            copied_to = mention.end
    pieces.append(text[copied_to:])
    return "".join(pieces)


# --- Markdown ------------------------------------------------------------------------------

# Characters that Python-Markdown and CommonMark both let a backslash escape and that could
# change the structure of a link if a form contained them.
_MD_LINK_TEXT_SPECIALS = re.compile(r"([\\`*_\[\]])")


@lru_cache(maxsize=65536)   # a page links the same few forms to the same few URLs
def markdown_link(form: str, url: str) -> str:
    """[form](url), with the text escaped so that it reads as written and cannot close the link."""
    label = _MD_LINK_TEXT_SPECIALS.sub(r"\\\1", form).replace("<", "&lt;")
    # percent-encode what would end or break an inline-link destination: spaces, ( ) < > and the like
    target = quote(url, safe="/:?#[]@!$&'*+,;=%~")
    return f"[{label}]({target})"


def link_markdown(text: str, linker: Linker, base_url: str = "", variant: str = "zh-Hans",
                  every: bool = False) -> tuple[str, Report]:
    """Link the first mention of each entry (every mention with ``every``) in a Markdown text.

    Only ``[form](url)`` is inserted; every other character stays as it was. Never linked: front
    matter, headings, code (fenced, indented, spans), raw HTML blocks, HTML tags and comments,
    the text of inline <a>, <code> … elements, links, images, reference definitions, autolinks,
    bare URLs, [[id]] references, attribute lists and admonition titles (raw HTML blocks are left
    alone, but the Markdown inside <div markdown> is linked). A mention right after '!' or a lone
    '\\' is passed over (the link would become an image, or its '[' escaped), and so is one right
    after ']' whose text is a reference label of the page ([注][六稳] would be a reference link):
    it is not linked and does not count as the first mention.
    """
    term_url(base_url, variant, "")   # an unknown variant is an error even when nothing is linked
    page = PageLinker(linker, lambda term: term_url(base_url, variant, term), every)
    linked = link_markdown_on_page(text, page)
    return linked, page.report(text)


def link_markdown_on_page(text: str, page: PageLinker, self_id: str | None = None,
                          make_link: Callable[[str, str], str] = markdown_link) -> str:
    """``link_markdown`` for one of several Markdown texts of a page: ``page`` carries what the
    page's earlier texts linked (first mentions) and makes the URLs; ``self_id``, the entry the text
    is about, is never linked; ``make_link(form, url)`` writes a link."""
    found = None   # the mentions in the whole text, when looked for
    if "](" not in text and "<" not in text:
        found = page.linker.mentions(text)
        if all(mention.term in (None, self_id) for mention in found):
            return text   # nothing to link and no link to note: skip the Markdown scan (most texts)
    spans, labels, existing = _markdown_layout(text)

    def linkable(mention: Mention) -> bool:
        if self_id is not None and mention.term == self_id:
            return False
        before = text[max(0, mention.start - 2):mention.start]
        # after '!' the inserted [..](..) would become an image; after a lone '\' its '[' would be escaped
        if before[-1:] in ("!", "\\"):
            return False
        # after ']' (or '] ') a [form] that is also a reference label would make [..][form] a reference link
        return not (before.rstrip()[-1:] == "]" and _normalize_label(mention.form) in labels)

    # a text that is one run of prose (most definitions) is not searched a second time
    known = found if found is not None and spans == [(0, len(text))] else None
    linked = _splice(text, spans, page, make_link, linkable, existing, known)
    for _, href in existing:   # links after the last mention count for the page's later texts
        page.note_link(href)
    return linked


_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+")
_QUOTE_PREFIX_RE = re.compile(r"(?:[ ]{0,3}>[ ]?)*")
_FENCE_RE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_ATX_HEADING_RE = re.compile(r" {0,3}#{1,6}(?!#)")   # Python-Markdown needs no space after the #s
_SETEXT_UNDERLINE_RE = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_ADMONITION_RE = re.compile(r"[ \t]*(?:!!!|\?\?\?\+?)[ \t]")
_FOOTNOTE_DEF_RE = re.compile(r"[ \t]*\[\^[^\]\n]+\]:")
# [label]: destination "optional title": Python-Markdown's own pattern (ReferenceProcessor.RE)
_REF_DEF_RE = re.compile(r"[ ]{0,3}\[([^\[\]]*)\]:[ ]*([^\s]+)[ ]*(([\"'])(.*)\4[ ]*|\((.*)\)[ ]*)?$")
_REF_TITLE_RE = re.compile(r"[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\))[ \t]*$")
_HTML_BLOCK_RE = re.compile(r" {0,3}<(?:(!--)|[?!]|/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
_TAGS_ONLY_LINE_RE = re.compile(r"[ \t]*(?:</?[A-Za-z][^<>]*>[ \t]*)+$")
_META_LINE_RE = re.compile(r"[A-Za-z0-9_-]+:")
_MARKDOWN_ATTR_RE = re.compile(r"\smarkdown(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?(?=[\s/>])")
# Python-Markdown's block-level elements: at the start of a line they begin raw HTML
BLOCK_LEVEL_TAGS = frozenset("""
    address article aside blockquote body canvas center colgroup dd details dialog div dl dt
    fieldset figcaption figure footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe
    legend li main map math menu nav noscript object ol output p pre progress section script style
    summary table tbody td template textarea tfoot th thead tr ul video
""".split())


def markdown_text_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of a Markdown text that are running text, where links may go."""
    return _markdown_layout(text)[0]


def _markdown_layout(text: str) -> tuple[list[tuple[int, int]], set[str], list[tuple[int, str]]]:
    """The running-text spans, the labels of the reference definitions (normalized), and the
    (offset, href) of the inline links, autolinks, <a href> tags and [[id]] references."""
    chunks, labels = _markdown_blocks(text)
    spans: list[tuple[int, int]] = []
    links: list[tuple[int, str]] = []
    code_until = 0      # a code span that began in an earlier chunk and ends here
    for chunk_start, chunk_end in chunks:
        chunk_start = max(chunk_start, code_until)
        if chunk_start < chunk_end:
            found, code_until = _inline_text_spans(text, chunk_start, chunk_end, labels, links)
            spans += found
    return spans, labels, links


def _normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _markdown_blocks(text: str) -> tuple[list[tuple[int, int]], set[str]]:
    """Paragraph-like chunks (inline Markdown) of the text, and the labels of its reference definitions.

    Line by line, Python-Markdown's block structure as far as it matters for linking: what is
    code, a heading, raw HTML or metadata is left out of the chunks.
    """
    lines = [(m.start(), m.end()) for m in _LINE_RE.finditer(text)]
    chunks: list[tuple[int, int]] = []
    labels: set[str] = set()
    index = _skip_front_matter(text, lines)
    paragraph: list[int] = []      # line indexes of the paragraph being read
    in_paragraph = False
    containers: list[tuple[int, int]] = []   # (blockquote depth, content indent) of open list items …
    fence: tuple[str, int] | None = None

    def end_paragraph() -> None:
        nonlocal in_paragraph
        if paragraph:
            chunks.append((lines[paragraph[0]][0], _line_end(text, lines[paragraph[-1]])))
            paragraph.clear()
        in_paragraph = False

    while index < len(lines):
        start, stop = lines[index]
        line = text[start:_line_end(text, (start, stop))]
        quote_prefix = _QUOTE_PREFIX_RE.match(line).end()
        depth = line.count(">", 0, quote_prefix)
        content = line[quote_prefix:]
        index += 1
        if fence is not None:
            # an unclosed fence is code to CommonMark but text to Python-Markdown, which then reads
            # the reference definitions in it: their labels are noted too (they only make
            # link_markdown pass over a mention right after ']')
            definition = _REF_DEF_RE.match(content)
            if definition:
                labels.add(_normalize_label(definition.group(1)))
            closing = _FENCE_RE.match(content)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= fence[1] \
                    and not content[closing.end():].strip():
                fence = None
            continue
        if not content.strip():
            end_paragraph()
            continue
        indent = _indent(content)
        if not in_paragraph:                                  # a paragraph's lazy lines keep its containers
            while containers and (indent < containers[-1][1] or depth != containers[-1][0]):
                containers.pop()
            if indent >= (containers[-1][1] if containers else 0) + 4:
                continue                                      # indented code
        opening = _FENCE_RE.match(content)
        if opening and not (opening.group(1)[0] == "`" and "`" in content[opening.end():]):
            end_paragraph()
            fence = (opening.group(1)[0], len(opening.group(1)))
            continue
        if _ATX_HEADING_RE.match(content):
            end_paragraph()
            continue
        if paragraph and _SETEXT_UNDERLINE_RE.match(content):
            paragraph.clear()                                 # the paragraph was a heading
            end_paragraph()
            continue
        definition = _REF_DEF_RE.match(content)
        if definition and not definition.group(1).startswith("^"):
            # Python-Markdown takes reference definitions out of a paragraph: what follows is a new block
            end_paragraph()
            labels.add(_normalize_label(definition.group(1)))
            if index < len(lines) and _REF_TITLE_RE.match(text[lines[index][0]:_line_end(text, lines[index])]):
                index += 1                                    # its title, on the next line
            continue
        html_block = _HTML_BLOCK_RE.match(content)
        if html_block:                 # raw HTML may interrupt a paragraph (Python-Markdown, CommonMark)
            block_end = _html_block_end(text, start + quote_prefix + content.index("<"), html_block)
            if block_end is not None:
                # and on to a blank line: Python-Markdown may keep what follows the end in the raw block
                blank = _BLANK_LINE_RE.search(text, max(block_end - 1, 0))
                block_end = len(text) if blank is None else blank.start() + 1
                end_paragraph()
                while index < len(lines) and lines[index][0] < block_end:
                    index += 1
                continue
        if _TAGS_ONLY_LINE_RE.match(content):                 # <div markdown> … </div> wrappers
            end_paragraph()
            continue
        if _ADMONITION_RE.match(content) and not in_paragraph:   # !!! note "title": the title is not Markdown
            end_paragraph()
            containers.append((depth, indent + 4))
            continue
        # in Python-Markdown a list item cannot interrupt a paragraph: there it is a line of the paragraph
        if not in_paragraph and (_LIST_ITEM_RE.match(content) or _FOOTNOTE_DEF_RE.match(content)):
            containers.append((depth, indent + 4))
        paragraph.append(index - 1)
        in_paragraph = True
    end_paragraph()
    return chunks, labels


def _indent(content: str) -> int:
    """Columns of leading white space, a tab counting 4 (Python-Markdown's tab length)."""
    stripped = content.lstrip(" \t")
    leading = content[:len(content) - len(stripped)]
    return len(leading) + 3 * leading.count("\t")


def _line_end(text: str, line: tuple[int, int]) -> int:
    """End of a line without its line break (\\n or \\r\\n)."""
    start, stop = line
    if stop > start and text[stop - 1] == "\n":
        stop -= 1
        if stop > start and text[stop - 1] == "\r":
            stop -= 1
    return stop


def _skip_front_matter(text: str, lines: list[tuple[int, int]]) -> int:
    """Index of the first line after YAML front matter (--- … --- or ...) or MultiMarkdown metadata."""
    if not lines:
        return 0
    first = text[lines[0][0]:_line_end(text, lines[0])].lstrip("\ufeff")
    if first.rstrip() == "---":
        for index in range(1, len(lines)):
            if text[lines[index][0]:_line_end(text, lines[index])].rstrip() in ("---", "..."):
                return index + 1
        return 0                                             # never closed: not front matter
    if _META_LINE_RE.match(first):                           # key: value lines up to a blank line
        index = 0
        while index < len(lines) and text[lines[index][0]:lines[index][1]].strip():
            index += 1
        return index
    return 0


def _html_block_end(text: str, start: int, opening: re.Match) -> int | None:
    """Where a raw HTML block that starts at ``start`` ends, or None if the line is not raw HTML.

    A block-level element runs to its matching end tag (Python-Markdown), or to a blank line when
    there is none (CommonMark). With a ``markdown`` attribute (md_in_html) only the tag is raw: None.
    """
    if opening.group(1):                                     # <!-- comment -->: to the end of its line
        comment_start = start
        while True:
            close = text.find("-->", comment_start + 4)
            if close == -1:
                return len(text)
            line_end = text.find("\n", close)
            line_end = len(text) if line_end == -1 else line_end
            # a comment opened again on that line and not closed there runs on
            comment_start = text.rfind("<!--", close + 3, line_end)
            if comment_start == -1 or text.find("-->", comment_start + 4, line_end) != -1:
                return line_end
    name = (opening.group(2) or "").lower()
    if not name:                                             # <?…?>, <!DOCTYPE…>, <![CDATA[…]]>
        close = text.find(">", start)
        return len(text) if close == -1 else close + 1
    if name not in BLOCK_LEVEL_TAGS:
        return None                                          # inline HTML in a paragraph
    tag = _TAG_RE.match(text, start)
    if tag and _MARKDOWN_ATTR_RE.search(tag.group(0)) and not tag.group(0).startswith("</"):
        return None
    depth = 0
    same_tag = re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.IGNORECASE)
    for found in same_tag.finditer(text, start):
        if found.group(1):
            depth -= 1
        elif not found.group(0).endswith("/>"):
            depth += 1
        if depth <= 0:
            line_end = text.find("\n", found.end())
            return len(text) if line_end == -1 else line_end
    blank = _BLANK_LINE_RE.search(text, start)
    return len(text) if blank is None else blank.start() + 1


_BLANK_LINE_RE = re.compile(r"\n[ \t]*(?:\n|$)")
HREF_ATTR_RE = re.compile(r"\shref\s*=\s*([\"']?)([^\"'\s>]*)\1", re.IGNORECASE)   # in a start tag
_TAG_RE = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
_INLINE_RE = re.compile(
    # the lookahead lets the regex engine skip plain text (most of a Chinese article) fast
    r"(?=[\\`<hfw&\[{!])"
    r"(?:(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<code>`+)"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>)"
    r"|(?P<comment><!--.*?(?:-->|$))"
    r"|(?P<tag>" + _TAG_RE.pattern + r")"
    # a bare URL runs to white space, <, >, ", ` or Chinese punctuation (，。“” …): "详见https://x.cn/六稳，"
    r"|(?P<url>(?:(?:https?|ftp)://|www\.)[^\s<>\"`\u2018-\u201f\u3000-\u303f\uff00-\uffef]+)"
    r"|(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<wiki>\[\[[^\[\]|]*(?:\|[^\[\]]*)?\]\])"
    r"|(?P<attrs>\{:[^}\n]*\}|\{[#.][^}\n]*\})"
    r"|(?P<bracket>!?\[))",
    re.DOTALL)
_BRACKETS_RE = re.compile(r"\\.|[\[\]]", re.DOTALL)
_PARENS_RE = re.compile(r"\\.|[()]", re.DOTALL)


@lru_cache(maxsize=None)
def _closing_ticks(count: int) -> re.Pattern:
    return re.compile(rf"(?<!`)`{{{count}}}(?!`)")


@lru_cache(maxsize=None)
def _closing_tag(name: str) -> re.Pattern:
    return re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE)


def _inline_text_spans(text: str, start: int, end: int, labels: set[str],
                       links: list[tuple[int, str]]) -> tuple[list[tuple[int, int]], int]:
    """The running-text spans of one paragraph: between code spans, links, tags, URLs and the like.

    Also where a code span that runs past the paragraph ends (0 if none does). The links met are
    added to ``links`` as (offset, href).
    """
    spans: list[tuple[int, int]] = []
    code_until = 0
    text_from = start
    position = start
    while True:
        found = _INLINE_RE.search(text, position, end)
        if found is None:
            break
        kind = found.lastgroup
        protected_end = found.end()
        if kind == "code":
            # the closing backticks may lie past the chunk (an unclosed ``` line ends a chunk here but
            # not a paragraph in Python-Markdown), yet not past a blank line
            blank = _BLANK_LINE_RE.search(text, found.end())
            limit = blank.start() if blank else len(text)
            closing = None
            # Python-Markdown's code-span regex also pairs fewer backticks of the run (````a``` is code)
            for count in range(len(found.group(0)), 0, -1):
                closing = _closing_ticks(count).search(text, found.start() + count + 1, limit)
                if closing is not None:
                    break
            if closing is None:                              # unmatched backticks are literal text
                position = found.end()
                continue
            if closing.end() > end:
                code_until = closing.end()
            protected_end = min(closing.end(), end)
        elif kind == "tag":
            name = re.match(r"</?([A-Za-z][A-Za-z0-9-]*)", found.group(0)).group(1).lower()
            if name in NO_LINK_ELEMENTS and not found.group(0).startswith("</") \
                    and not found.group(0).endswith("/>"):
                closing = _closing_tag(name).search(text, found.end(), end)
                protected_end = end if closing is None else closing.end()
                href = HREF_ATTR_RE.search(found.group(0)) if name == "a" else None
                if href:
                    links.append((found.start(), html.unescape(href.group(2))))
        elif kind == "autolink":
            links.append((found.start(), found.group(0)[1:-1]))
        elif kind == "wiki":
            links.append((found.start(), f"terms/{REF_RE.match(found.group(0)).group(1).strip()}/"))
        elif kind == "bracket":
            link_end = _link_end(text, found.start(), found.end(), end, labels)
            if link_end is None:                             # a literal [ : its contents are text
                position = found.end()
                continue
            protected_end = link_end
            if text[link_end - 1] == ")":                    # [text](destination "title")
                destination = text[text.rindex("](", found.start(), link_end) + 2:link_end - 1].strip()
                destination = destination[1:destination.find(">")] if destination.startswith("<") \
                    else (destination.split() or [""])[0]
                links.append((found.start(), destination))
        if found.start() > text_from:
            spans.append((text_from, found.start()))
        text_from = position = protected_end
    if end > text_from:
        spans.append((text_from, end))
    return spans, code_until


def _matching(text: str, open_at: int, end: int, pattern: re.Pattern, opener: str) -> int | None:
    """Index just after the bracket that closes the one at ``open_at`` (nesting, escapes), or None."""
    depth = 0
    for found in pattern.finditer(text, open_at, end):
        token = found.group(0)
        if len(token) == 2:                                  # an escaped character
            continue
        depth += 1 if token == opener else -1
        if depth == 0:
            return found.end()
    return None


def _link_end(text: str, start: int, bracket_end: int, end: int, labels: set[str]) -> int | None:
    """End of the link, image or reference that starts at ``start``, or None if it is not one."""
    label_end = _matching(text, bracket_end - 1, end, _BRACKETS_RE, "[")
    if label_end is None:
        return None
    label = text[bracket_end:label_end - 1]
    following = text[label_end:label_end + 1]
    if following == "(":
        return _matching(text, label_end, end, _PARENS_RE, "(")
    if following == "[":                                     # [text][ref] or [text][]
        return _matching(text, label_end, end, _BRACKETS_RE, "[")
    if label.startswith("^") or _normalize_label(label) in labels:   # footnote, [ref] shortcut
        return label_end
    return None


# --- HTML ----------------------------------------------------------------------------------

def html_link(form: str, url: str) -> str:
    """<a class="glossary-link" href="url">form</a>; the form is already HTML (it is source text)."""
    return f'<a class="glossary-link" href="{html.escape(url, quote=True)}">{form}</a>'


class _TextNodes(HTMLParser):
    """Finds the source spans of the text nodes that are not inside a no-link element."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)   # keep character references out of the text spans
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.open: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.links: list[tuple[int, str]] = []    # (offset, href) of each <a href>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in NO_LINK_ELEMENTS:
            self.open.append(tag)
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            line, column = self.getpos()
            self.links.append((self.line_starts[line - 1] + column, href))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.open:
            line, column = self.getpos()          # where this data starts in the source
            start = self.line_starts[line - 1] + column
            self.spans.append((start, start + len(data)))


def html_text_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of an HTML text that are text nodes outside a, code, pre, headings …"""
    return _html_layout(text)[0]


def _html_layout(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """The text-node spans where links may go, and the (offset, href) of the links already there."""
    parser = _TextNodes(text)
    parser.feed(text)
    parser.close()
    return parser.spans, parser.links


def link_html(text: str, linker: Linker, base_url: str = "", variant: str = "zh-Hans",
              every: bool = False) -> tuple[str, Report]:
    """Link the first mention of each entry (every mention with ``every``) in the text nodes of HTML.

    Only ``<a class="glossary-link" href="…">…</a>`` is inserted; the rest is copied byte for byte.
    Never linked: tags, attributes, comments, character references, and the contents of the
    elements in NO_LINK_ELEMENTS (a, code, pre, script, style, textarea, headings …).
    """
    term_url(base_url, variant, "")   # an unknown variant is an error even when nothing is linked
    page = PageLinker(linker, lambda term: term_url(base_url, variant, term), every)
    spans, existing = _html_layout(text)
    linked = _splice(text, spans, page, html_link, lambda mention: True, existing)
    return linked, page.report(text)
