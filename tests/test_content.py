"""The real glossary's content, held to the sources: every 名词解释 note has its entry with the
verbatim definition, every quoted passage is really in its document, and the data is clean."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import ROOT
from glossary_core import check_files, load_checked, read_glossary_dir

SEEDS = ROOT.parent / "shared" / "seeds"
GLOSSARY = load_checked(ROOT) if not check_files(read_glossary_dir(ROOT))[1] else None


def comparable(text: str) -> str:
    """Text without spaces, punctuation and quotation marks: what 'verbatim' is checked on,
    since the extracted seeds carry stray spaces and ASCII punctuation."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if not unicodedata.category(c)[0] in "PZC" and c not in "\"'")


@lru_cache(maxsize=None)
def seed_text(file: str) -> str:
    path = SEEDS / file
    assert path.is_file(), f"source document {path} is missing: the content tests need ../shared/seeds"
    return path.read_text(encoding="utf-8")


def notes_of(file: str) -> dict[int, str]:
    """The 名词解释 notes at the end of a report, by number, joined across page breaks."""
    text = seed_text(file)
    start = max(text.rfind("名词解释"), 0)
    notes: dict[int, str] = {}
    pattern = re.compile(r"^\s*-?\s*[〔\[](\d+)[〕\]]\s*(.*)$")
    current = None
    for line in text[start:].splitlines():
        match = pattern.match(line)
        if match:
            current = int(match.group(1))
            notes[current] = match.group(2)
        elif current is not None and line.strip():
            notes[current] += line.strip()
    return notes


NOTED = {"anju-plan-2025": ("001_69e9af5951af5f27.txt", 40), "anju-work-report-2020": ("003_43bf186627ac320a.txt", 37)}


def test_glossary_checks_clean() -> None:
    _, problems = check_files(read_glossary_dir(ROOT))
    assert [str(p) for p in problems] == []


def test_size_and_mix() -> None:
    assert GLOSSARY is not None
    terms = GLOSSARY.terms.values()
    from_notes = [d for d in terms if any(s.get("note") for s in d.data["sources"])]
    assert len(GLOSSARY.terms) >= 100
    assert len(from_notes) == 77
    assert len(GLOSSARY.terms) - len(from_notes) >= 25


@pytest.mark.parametrize("doc_id", list(NOTED))
def test_every_note_has_its_entry_verbatim(doc_id: str) -> None:
    assert GLOSSARY is not None
    file, count = NOTED[doc_id]
    notes = notes_of(file)
    assert sorted(notes) == list(range(1, count + 1))
    entries = {s["note"]: (tid, s) for tid, d in GLOSSARY.terms.items() for s in d.data["sources"]
               if s["doc"] == doc_id and s.get("note")}
    assert sorted(entries) == list(range(1, count + 1)), "notes without an entry"
    mismatches = []
    for number, note in notes.items():
        term_id, source = entries[number]
        definition = GLOSSARY.terms[term_id].data["definition"]["zh"]
        if comparable(source.get("quote", "")) != comparable(note):
            mismatches.append(f"{term_id}: quote is not note {number}")
        if not comparable(note).endswith(comparable(definition)) or len(comparable(definition)) < 4:
            mismatches.append(f"{term_id}: definition.zh is not the text of note {number}")
    assert mismatches == []


def test_every_quote_is_in_its_document() -> None:
    assert GLOSSARY is not None
    missing = []
    for term_id, doc in GLOSSARY.terms.items():
        for source in doc.data["sources"]:
            quote = source.get("quote")
            if quote and comparable(quote) not in comparable(seed_text(GLOSSARY.sources[source["doc"]]["file"])):
                missing.append(f"{term_id}: {quote[:40]}")
    assert missing == []


def test_numbered_slogans_have_parts() -> None:
    assert GLOSSARY is not None
    from glossary_core.derive import ascii_slogan
    without = [tid for tid, d in GLOSSARY.terms.items()
               if ascii_slogan(d.data["headword"]) and not d.data.get("components")
               and not d.data.get("notes")]  # a slogan whose parts the sources do not give says so in notes
    assert without == []


def test_required_examples_present() -> None:
    assert GLOSSARY is not None
    for term_id in ("liu-wen", "liu-bao", "liu-wen-liu-bao", "strategy-1336", "leading-industries-3-2",
                    "industry-system-2-2-1", "river-chief-1223", "river-chief-122-n"):
        assert term_id in GLOSSARY.terms
    assert ("supersedes", "leading-industries-3-2") in [
        (r["type"], r["term"]) for r in GLOSSARY.terms["industry-system-2-2-1"].data["relations"]]
    assert ("supersedes", "river-chief-1223") in [
        (r["type"], r["term"]) for r in GLOSSARY.terms["river-chief-122-n"].data.get("relations", [])]
