"""Problems found in glossary data, reported as ``file:line: rule 'value'``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass


@functools.total_ordering
@dataclass(frozen=True)
class Problem:
    """One broken rule at one place. Sorts by file, then line."""

    file: str
    line: int  # 0 when the problem has no line (an empty file, a missing file)
    rule: str
    value: str | None = None  # any other value is stored as its text, so that problems hash and sort

    def __post_init__(self) -> None:
        if self.value is not None and not isinstance(self.value, str):
            object.__setattr__(self, "value", value_text(self.value))

    def _key(self) -> tuple:
        return self.file, self.line, self.rule, self.value is not None, self.value or ""

    def __lt__(self, other: Problem) -> bool:
        return self._key() < other._key()

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        shown = "" if self.value is None else f" {quote_value(self.value)}"
        return f"{where}: {self.rule}{shown}"


def value_text(value: object) -> str:
    """A YAML value as an editor would write it: true, 2020, [1, 2], {"zh": "…"}."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, list, dict)) or value is None:
        try:
            return json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError, RecursionError):
            pass
    return str(value)


def kind_of(value: object) -> str:
    """What a YAML value is, in an editor's words: a mapping, a list, text, a number …"""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def quote_value(value: object, limit: int = 80) -> str:
    """Show a bad value on one line, shortened, in single quotes."""
    text = str(value)[: limit * 2]  # escaping only lengthens it: enough to show `limit` characters
    for char, escaped in (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("'", "\\'")):
        text = text.replace(char, escaped)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


class GlossaryError(Exception):
    """Raised when the glossary has problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found in the glossary")
        return "\n".join(lines)
