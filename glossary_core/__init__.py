"""The glossary's pure core: load → validate → render. Knows nothing of MkDocs."""

from __future__ import annotations

import time
from pathlib import Path

from .load import Glossary, parse_glossary, read_glossary_dir
from .problems import GlossaryError, Problem
from .validate import validate


def check_files(files: dict[str, bytes]) -> tuple[Glossary, list[Problem]]:
    """Parse and validate glossary files given as {path: bytes}; return all problems."""
    glossary, problems = parse_glossary(files)
    problems = sorted(set(problems + validate(glossary)))
    return glossary, problems


def load_checked(root: Path) -> Glossary:
    """Load the glossary under ``root`` (the project directory); raise GlossaryError listing every problem."""
    glossary, problems = check_files(read_glossary_dir(root))
    if problems:
        raise GlossaryError(problems)
    return glossary


def prepare_shared(glossary: Glossary) -> dict[str, float]:
    """Make once what every variant's pages, search documents and hover cards ask for: the term
    views of all variants (pinyin, traditional forms), relations, backlinks and the linker (the
    pages); the pinyin of every alias and the search tokenizer (the search documents); the card
    entries (the hover cards' data). A process that builds the variants side by side calls this
    first, so that each build starts with them instead of making them again. Returns the seconds
    spent for each of the three, under the names of the build's parts (pages, search, exports)."""
    from . import derive
    from .cards import card_entries
    from .render import Renderer
    from .search import simplified_forms, tokenizer
    from .variants import VARIANTS

    took: dict[str, float] = {}
    started = time.perf_counter()
    for variant in VARIANTS.values():
        Renderer(glossary, variant)
    took["pages"] = time.perf_counter() - started
    started = time.perf_counter()
    for term_id in glossary.terms:
        for alias in simplified_forms(glossary, term_id)[1:]:
            derive.tone_pinyin(alias)   # kept by derive's cache
    tokenizer(glossary)
    took["search"] = time.perf_counter() - started
    started = time.perf_counter()
    card_entries(glossary)
    took["exports"] = time.perf_counter() - started
    return took
