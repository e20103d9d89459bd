"""The glossary's search documents: one compact, segmented document per term and variant.

The site's search box searches these instead of the term pages' full HTML: every form a reader may
type (simplified, traditional, quoted or not, pinyin with or without tones and spaces, each English
rendering, the numbers of a numbered slogan) plus the definition in the variant's language,
segmented with jieba (jieba-rs, through rjieba: the same dictionary and cuts, an order of
magnitude faster than the Python jieba). The forms that count as an exact match are laid out so
that the browser can read them off the document (``document_keys``) and put the term's own entry
first.

The documents are capped at a byte budget, so that the first search never needs more than that
download however large the glossary grows: definitions are shortened only when the whole
would not fit (the term pages keep the full text).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import orjson
import rjieba

from . import derive
from .load import Glossary
from .render import PINYIN_LANG, Renderer
from .variants import VARIANTS, Variant

# Token separators of the search index: whitespace, the zero-width space that joins segmented
# Chinese words, and punctuation. '+' is not one: "2+2+1" and "122+N" are searched as written.
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：:;,.!?·“”\"‘’'「」『』（）()《》〈〉【】\[\]/|]+"
WORD_JOINER = "\u200b"
_ASCII_RUN = re.compile(r"([A-Za-z0-9+]+)")
# What the search index of one variant may weigh at most (bytes of JSON), whatever the glossary size.
INDEX_BUDGET = 4_800_000
# jieba frequency given to the glossary's forms: high enough to keep each form one word
FORM_FREQUENCY = 1_000_000


def normalise_key(text: str) -> str:
    """Fold a query or a form for exact comparison: no tones, case, spaces, quotes or punctuation.

    Mirrors ``normaliseKey`` in overrides/assets/javascripts/workers/glossary-search.js.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = [c for c in decomposed if not unicodedata.category(c).startswith("M")]
    return "".join(c for c in "".join(kept).lower()
                   if c == "+" or unicodedata.category(c)[0] in "LN")


SEGMENT = " · "          # between the parts of a document's first paragraph and of its key paragraph
LIST_SEPARATORS = ("、", "; ")  # between the items of one part (aliases, renderings)
# The language of a part of a result, by letter (SearchDocument.langs); mirrored in glossary-search.js
LANG_LETTERS = {"zh-Hans": "s", "zh-Hant": "t", PINYIN_LANG: "p", "en": "e"}
SAME_LANG = "-"


@dataclass
class SearchDocument:
    """One term's search document. In ``title``, ``lead`` and ``forms`` every part (split at SEGMENT,
    then at LIST_SEPARATORS) is a form that counts as an exact match: the browser reads the keys
    from there (``document_keys``), so that they cost no extra download.

    ``langs`` says, part by part, the language of the title's and the lead's parts (one letter of
    LANG_LETTERS each, "-" for the page's own language; the two plans joined by "|"): the browser
    puts a part in another language in a ``<span lang>`` when it shows the results, as the pages
    do, at a few bytes a document where the spans themselves would take a tenth of the index."""

    location: str
    title: str
    lead: str            # other script, pinyin, aliases, other English renderings: shown in results
    definition: str      # the definition, segmented; shortened or dropped if the budget demands it
    forms: str           # searchable, not shown: toneless pinyin of every form, the slogan's number,
                         # the aliases in the other script
    extra: str           # searchable, not shown, dropped first: sub-words of the forms, the parts
    langs: str           # not searched: the language of each part of title and lead (see above)

    @cached_property
    def definition_length(self) -> int:
        """Visible characters of the definition (fit_budget asks for every cap it tries)."""
        return _visible_length(self.definition)

    def shown_definition(self, definition_chars: int | None = None) -> str:
        """The definition cut to ``definition_chars`` visible characters (and "…"), if longer."""
        if definition_chars is not None and self.definition_length > definition_chars:
            return _cut(self.definition, definition_chars) + "…" if definition_chars else ""
        return self.definition

    @cached_property
    def _full_definition_bytes(self) -> int:
        return _paragraph_bytes(self.definition)

    def definition_bytes(self, definition_chars: int) -> int:
        """Bytes of JSON the definition paragraph adds to the document at this cap."""
        if self.definition_length <= definition_chars:
            return self._full_definition_bytes
        return _paragraph_bytes(self.shown_definition(definition_chars))

    def as_json(self, definition_chars: int | None = None, with_extra: bool = True) -> dict:
        definition = self.shown_definition(definition_chars)
        text = f"<p>{self.lead}</p>"
        if definition:
            text += f"<p>{definition}</p>"
        if self.forms:
            text += f'<p class="glossary-search-keys">{self.forms}</p>'
        if self.extra and with_extra:
            text += f'<p class="glossary-search-keys">{self.extra}</p>'
        return {"location": self.location, "title": self.title, "text": text, "langs": self.langs}


def _paragraph_bytes(text: str) -> int:
    """Bytes of JSON a <p> of ``text`` adds inside a string (none for no text)."""
    return len(orjson.dumps(f"<p>{text}</p>")) - 2 if text else 0


_KEY_PARTS_RE = re.compile(r'^<p>(.*?)</p>|<p class="glossary-search-keys">(.*?)</p>')


def document_keys(document: dict) -> set[str]:
    """The folded forms of a search document that count as exact matches.

    Mirrors ``documentKeys`` in overrides/assets/javascripts/workers/glossary-search.js: the
    title's parts, the first paragraph's and the first key paragraph's parts and list items.
    """
    parts = document["title"].split(SEGMENT)
    found = _KEY_PARTS_RE.findall(document["text"])
    paragraphs = [lead for lead, _ in found[:1] if lead] + [keys for _, keys in found if keys][:1]
    for paragraph in paragraphs:
        for part in paragraph.split(SEGMENT):
            items = [part]
            for separator in LIST_SEPARATORS:
                items = [piece for item in items for piece in item.split(separator)]
            parts += items
    return {key for key in (normalise_key(html.unescape(p)) for p in parts) if key}


def _visible_length(text: str) -> int:
    if "&" not in text:
        return len(text) - text.count(WORD_JOINER)
    return len(_visible_ends(text))


def _cut(text: str, chars: int) -> str:
    """The first ``chars`` (> 0) visible characters, never splitting an HTML entity."""
    if "&" in text:
        ends = _visible_ends(text)
        return text[:ends[chars - 1]] if chars <= len(ends) else text
    # no entities: the shortest prefix with ``chars`` visible characters, found with str.count
    # (a character-by-character loop took seconds on 10,000 definitions)
    low, high = chars, len(text)
    if high - text.count(WORD_JOINER) < chars:
        return text
    while low < high:
        middle = (low + high) // 2
        if middle - text.count(WORD_JOINER, 0, middle) >= chars:
            high = middle
        else:
            low = middle + 1
    return text[:low]


def _visible_ends(text: str) -> list[int]:
    """The end of each visible character of ``text``: an HTML entity is one, a word joiner none."""
    ends, end = [], 0
    while end < len(text):
        if text[end] == "&":
            semicolon = text.find(";", end)
            end = semicolon + 1 if semicolon != -1 else end + 1
        else:
            end += 1
        if text[end - 1] != WORD_JOINER:
            ends.append(end)
    return ends


# rjieba loads jieba's dictionary into an instance when it is imported (its module-level cut is
# that instance's); the first glossary of a process takes that one, later ones load their own.
_unused_instances = [rjieba.cut.__self__]


def tokenizer(glossary: Glossary) -> rjieba.Jieba:
    """jieba with the glossary's own forms added, so that 六稳六保 stays one word; one per glossary
    (loading the dictionary takes a sixth of a second)."""
    def make() -> rjieba.Jieba:
        forms: set[str] = set()
        for term_id in glossary.terms:
            for form in simplified_forms(glossary, term_id):
                forms.update((form, derive.to_traditional(form)))
        cutter = _unused_instances.pop() if _unused_instances else rjieba.Jieba()
        for word in sorted(f for f in forms if len(f) > 1):
            cutter.add_word(word, FORM_FREQUENCY, None)
        return cutter
    return glossary.kept(("tokenizer",), make)


def simplified_forms(glossary: Glossary, term_id: str) -> list[str]:
    """The headword and aliases of a term, without quotation marks."""
    data = glossary.terms[term_id].data
    return list(dict.fromkeys(derive.strip_quotes(f).strip()
                              for f in [data["headword"], *(data.get("aliases") or [])]))


class _Builder:
    def __init__(self, glossary: Glossary, variant: Variant):
        self.g, self.v = glossary, variant
        self.renderer = Renderer(glossary, variant)
        # traditional text → its simplified source, for cutting it into words (see segment)
        self.simplified_text: dict[str, str] = {}
        if variant.code == "zh-Hant":
            simplified_renderer = Renderer(glossary, VARIANTS["zh-Hans"])
            for term_id, view in self.renderer.views.items():
                source = simplified_renderer.views[term_id]
                self.simplified_text[view.shown] = source.shown
                self.simplified_text[self.renderer._plain_definition(view)] = \
                    simplified_renderer._plain_definition(source)
        self.tokenizer = tokenizer(glossary)

    def segment(self, text: str) -> str:
        """HTML-escaped text with a zero-width space between jieba's words; "2+2+1" stays whole.

        jieba's dictionary is simplified Chinese: traditional text is cut where its simplified
        form is cut (OpenCC's conversion keeps the length), else cut as it is.
        """
        simplified = self.simplified_text.get(text)
        if simplified is not None and len(simplified) == len(text):
            words, start = [], 0
            for word in self.words(simplified):
                words.append(text[start:start + len(word)])
                start += len(word)
        else:
            words = self.words(text)
        # one escape of the joined text: escaping works character by character and leaves the joiner
        return html.escape(WORD_JOINER.join(word for word in words if word), quote=False)

    def words(self, text: str) -> tuple[str, ...]:
        words: list[str] = []
        for run in _ASCII_RUN.split(text):
            if not run:
                continue
            if _ASCII_RUN.fullmatch(run):
                words.append(run)
            else:
                words += self.tokenizer.cut(run, True)
        return tuple(words)

    def sub_words(self, form: str) -> tuple[str, ...]:
        return tuple(w for w in self.tokenizer.cut_for_search(form, True) if w.strip() and w != form)

    def document(self, term_id: str) -> SearchDocument:
        view = self.renderer.views[term_id]
        data = view.data
        chinese = self.v.code != "en"
        simplified = simplified_forms(self.g, term_id)
        traditional = list(dict.fromkeys(derive.to_traditional(f) for f in simplified))
        if data.get("traditional"):
            traditional.insert(0, derive.strip_quotes(data["traditional"]))
        shown, other = (traditional, simplified) if self.v.code == "zh-Hant" else (simplified, traditional)
        english = [r["text"] for r in data["english"]]
        toneless = derive.toneless(view.pinyin)
        # pinyin of the aliases too: readers may know a short form's sound only
        form_pinyin = [toneless] + [derive.toneless(derive.tone_pinyin(a)) for a in simplified[1:]]

        # (text, language) of each part shown in the results
        headword = (self.segment(view.shown), self.renderer.chinese_lang)
        english_html = [html.escape(e, quote=False) for e in english]
        title_parts = [headword, (english_html[0], "en")] if chinese else [(english_html[0], "en"), headword]
        lead_parts = [(self.segment(other[0]), "zh-Hans" if self.v.code == "zh-Hant" else "zh-Hant")] \
            if other[0] != shown[0] else []
        lead_parts.append((html.escape(view.pinyin, quote=False), PINYIN_LANG))
        if len(shown) > 1:
            lead_parts.append(("、".join(self.segment(a) for a in shown[1:]), self.renderer.chinese_lang))
        lead_parts.append(("; ".join(english_html[1:]), "en"))  # the preferred one is in the title
        lead_parts = [(text, lang) for text, lang in lead_parts if text]

        slogan = derive.ascii_slogan(data["headword"])
        forms = list(dict.fromkeys(form_pinyin)) + ([slogan] if slogan else []) + \
            [f for f in other[1:] if f not in shown]
        extra = [w for form in dict.fromkeys([*shown, *other]) for w in self.sub_words(form)]
        extra += [c["zh"] if self.v.code != "zh-Hant" else derive.to_traditional(c["zh"])
                  for c in data.get("components") or []]
        definition = self.renderer._plain_definition(view)
        return SearchDocument(
            location=f"terms/{term_id}/", title=SEGMENT.join(text for text, _ in title_parts),
            lead=SEGMENT.join(text for text, _ in lead_parts),
            definition=self.segment(definition) if chinese else html.escape(definition, quote=False),
            forms=SEGMENT.join(html.escape(f, quote=False) for f in forms if f),
            extra=" ".join(html.escape(w, quote=False) for w in dict.fromkeys(extra) if w),
            langs=f"{self.lang_plan(title_parts)}|{self.lang_plan(lead_parts)}")

    def lang_plan(self, parts: list[tuple[str, str]]) -> str:
        """A letter per part as the browser splits it (at SEGMENT): its language, or "-" for the page's."""
        return "".join((SAME_LANG if lang == self.v.code else LANG_LETTERS[lang]) * (text.count(SEGMENT) + 1)
                       for text, lang in parts)


def search_documents(glossary: Glossary, variant: Variant, budget: int = INDEX_BUDGET) -> list[dict]:
    """The search documents of every term, in id order, within ``budget`` bytes of JSON."""
    builder = _Builder(glossary, variant)
    documents = [builder.document(term_id) for term_id in sorted(glossary.terms)]
    return fit_budget(documents, budget)


def _size(items: list[dict]) -> int:
    """Bytes of the items as the index carries them (orjson writes what json.dumps does, faster)."""
    return len(orjson.dumps(items))


def fit_budget(documents: list[SearchDocument], budget: int) -> list[dict]:
    """Everything if it fits; else the longest definitions that fit; else, without the sub-words
    and parts too, the longest definitions that fit (none at all if need be)."""
    full = [d.as_json() for d in documents]
    if _size(full) <= budget:
        return full
    longest = max((d.definition_length for d in documents), default=0)
    for with_extra in (True, False):
        # JSON escapes character by character, so a document's size is its size without the
        # definition plus the definition paragraph's: each document is serialised once, and each
        # cap the search tries costs only the definitions it cuts
        without = sum(_size([d.as_json(0, with_extra)]) - 2 for d in documents)
        fixed = without + max(len(documents) - 1, 0) + 2   # the list's brackets and commas

        def fits(cap: int) -> bool:
            return fixed + sum(d.definition_bytes(cap) for d in documents) <= budget
        if not fits(0):
            continue
        low, high = 0, longest  # binary search: the largest cap whose index fits
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        return [d.as_json(low, with_extra) for d in documents]
    return [d.as_json(0, False) for d in documents]  # over budget even so: the smallest there is


def merge_index(material_index: dict, term_documents: list[dict]) -> dict:
    """Material's search index with the glossary's term documents in place of the term pages."""
    kept = [d for d in material_index.get("docs", [])
            if not d["location"].startswith(("terms/", "browse/"))]
    config = dict(material_index.get("config", {}))
    config["separator"] = SEPARATOR
    return {**material_index, "config": config, "docs": term_documents + kept}
