"""The glossary's pure core: load → validate → render. Knows nothing of MkDocs."""

from __future__ import annotations

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


def prepare_shared(glossary: Glossary) -> None:
    """Make once what every variant's pages, search documents and hover cards ask for: the term
    views of all variants (pinyin, traditional forms), the pinyin of every alias, relations,
    backlinks, the linker, the card entries and the search tokenizer. A process that builds the
    variants side by side calls this first, so that each build starts with them instead of making
    them again."""
    from . import derive
    from .cards import card_entries
    from .render import Renderer
    from .search import simplified_forms, tokenizer
    from .variants import VARIANTS

    for variant in VARIANTS.values():
        Renderer(glossary, variant)
    for term_id in glossary.terms:
        for alias in simplified_forms(glossary, term_id)[1:]:
            derive.tone_pinyin(alias)   # kept by derive's cache
    card_entries(glossary)
    tokenizer(glossary)
