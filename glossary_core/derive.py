"""Values derived from an entry: traditional form, pinyin, spelling variants, numerals."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import Style, pinyin

# Chinese quotation marks the sources use, and their ASCII stand-ins from text extraction.
QUOTES = "“”\"‘’'「」『』"
_QUOTE_RE = re.compile(f"[{re.escape(QUOTES)}]")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


# The text caches are unbounded: each variant's pages, search documents and exports ask for the
# same texts again, and a bound (65,536 texts, which a glossary of 20,000 terms exceeds) would
# evict them before they come round again.
@lru_cache(maxsize=None)
def to_traditional(text: str) -> str:
    """Simplified → Traditional Chinese (OpenCC's standard s2t, no regional vocabulary)."""
    return _s2t().convert(text)


def strip_quotes(text: str) -> str:
    return _QUOTE_RE.sub("", text)


def spelling_variants(form: str) -> list[str]:
    """The ways the documents write one form: with “”, with ASCII "", and without quotes."""
    bare = strip_quotes(form)
    ascii_quoted = form.replace("“", '"').replace("”", '"')
    variants = [form, ascii_quoted, bare]
    return list(dict.fromkeys(v for v in variants if v))


@lru_cache(maxsize=None)
def tone_pinyin(text: str) -> str:
    """Pinyin with tone marks, one syllable per Chinese character, other runs kept as they are."""
    parts: list[str] = []
    for chunk in pinyin(strip_quotes(text), style=Style.TONE, errors=lambda s: [s]):
        syllable = chunk[0].strip()
        if not syllable:
            continue
        # errors= returns runs of non-Chinese text: drop punctuation, keep digits, letters and '+'
        parts += re.findall(r"[\w+]+", syllable)
    return " ".join(parts)


@lru_cache(maxsize=None)
def toneless(pinyin_text: str) -> str:
    """liù wěn → liu wen; lüè → lue (search-friendly)."""
    decomposed = unicodedata.normalize("NFD", pinyin_text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).replace("ü", "u").replace("Ü", "U").lower()


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_RE = re.compile(r"[0-9]+|N|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]")
_ASCII_SLOGAN_RE = re.compile(r"[0-9]+(?:\+(?:[0-9]+|N))*|N")
FULL_WIDTH_NUMBER_RE = re.compile(r"[０-９＋]")


def _chinese_number(token: str) -> int:
    if "十" not in token:
        return _CN_DIGITS[token]
    tens, _, units = token.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def ascii_slogan(headword: str) -> str | None:
    """The ASCII number of a numbered slogan: “2+2+1”现代工业产业体系 → '2+2+1'."""
    match = re.search(r"[0-9]+(?:\+(?:[0-9]+|N))*", headword)
    return match.group(0) if match else None


def numerals(headword: str) -> list[int | str]:
    """The numerals in a headword, in order: 两降三升四提高 → [2, 3, 4]; “122+N” → [122, 'N']."""
    found: list[int | str] = []
    for token in _NUMERAL_RE.findall(headword):
        if token == "N":
            found.append("N")
        elif token.isdigit():
            found.append(int(token))
        else:
            found.append(_chinese_number(token))
    return found


def counts_string(counts: list[int | str]) -> str:
    return "".join(str(c) for c in counts)
