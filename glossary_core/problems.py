"""Problems found in glossary data, reported as ``file:line: rule 'value'``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule at one place. Sorts by file, then line."""

    file: str
    line: int  # 0 when the problem has no line (an empty file, a missing file)
    rule: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        shown = "" if self.value is None else f" {quote_value(self.value)}"
        return f"{where}: {self.rule}{shown}"


def quote_value(value: object, limit: int = 80) -> str:
    """Show a bad value on one line, shortened, in single quotes."""
    text = str(value).replace("\\", "\\\\").replace("\n", "\\n").replace("'", "\\'")
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
