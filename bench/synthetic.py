"""Synthetic glossaries of any size, made from the real entries, for the benchmarks.

Copy k of an entry gets the id ``<id>-s<k>`` and headword and aliases with a suffix of
heavenly-stem characters (甲乙丙…, never numerals, so counts still match), and its references
point to copy k of their targets. Copy 0 is the real entry. Note numbers are dropped from copies
(each note may be cited once). Every synthetic glossary passes ``check``.

    python bench/synthetic.py 1000 /tmp/g1000     # a project copy with 1,000 terms
"""

from __future__ import annotations

import copy as copy_module
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary_core import derive  # noqa: E402
from glossary_core.validate import REF_RE  # noqa: E402

STEMS = "甲乙丙丁戊己庚辛壬癸"
PROJECT_FILES = ("build_glossary.py", "mkdocs.yml", "mkdocs.en.yml", "mkdocs.zh-Hant.yml")
PROJECT_DIRS = ("glossary_core", "docs", "overrides", "schema")


def suffix(copy: int) -> str:
    """A unique, numeral-free suffix for copy ``copy`` (0 → none)."""
    if copy == 0:
        return ""
    digits = []
    while copy:
        copy, digit = divmod(copy, 10)
        digits.append(STEMS[digit])
    return "".join(reversed(digits)) + "号"


def real_entries() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "glossary" / "terms").glob("*.yml"))]


def copy_entry(entry: dict, copy: int, included: set[str]) -> dict:
    """Copy ``copy`` of an entry; references to terms outside ``included`` are dropped."""
    tail = suffix(copy)

    def new_id(term_id: str) -> str:
        return term_id if copy == 0 else f"{term_id}-s{copy}"

    def keep(term_id: str) -> bool:
        return new_id(term_id) in included

    def refs(text: str) -> str:
        def replace(match: re.Match) -> str:
            target, display = match.group(1).strip(), match.group(2)
            if keep(target):
                return f"[[{new_id(target)}|{display}]]" if display is not None else f"[[{new_id(target)}]]"
            return display if display is not None else target
        return REF_RE.sub(replace, text)

    data = copy_module.deepcopy(entry)
    data["id"] = new_id(entry["id"])
    data["headword"] += tail
    if data.get("aliases"):
        data["aliases"] = [a + tail for a in data["aliases"]]
    if data.get("traditional"):
        data["traditional"] += tail
    if data.get("pinyin") and tail:
        data["pinyin"] += " " + derive.tone_pinyin(tail)
    for block in ("definition", "disambiguation", "notes"):
        if data.get(block):
            data[block] = {lang: refs(text) for lang, text in data[block].items()}
    if copy:
        # each copy's definition its own, as in a real glossary: no cache keyed by text can help
        data["definition"] = {"zh": data["definition"]["zh"] + f"（合成副本{tail}。）",
                              "en": data["definition"]["en"] + f" (Synthetic copy {copy}.)"}
        for source in data["sources"]:
            source.pop("note", None)
        data.pop("former_ids", None)
        data.pop("linking", None)

    def components(parts: list[dict]) -> None:
        for part in parts:
            if "term" in part:
                if keep(part["term"]):
                    part["term"] = new_id(part["term"])
                else:
                    del part["term"]
            components(part.get("components") or [])
    components(data.get("components") or [])
    if data.get("relations"):
        data["relations"] = [{**r, "term": new_id(r["term"])} for r in data["relations"] if keep(r["term"])]
        if not data["relations"]:
            del data["relations"]
    return data


def entries(count: int) -> list[dict]:
    """``count`` valid entries: whole copies of the real glossary, then part of one more."""
    real = real_entries()
    chosen = [(copy, entry) for copy in range(count // len(real) + 1) for entry in real][:count]
    included = {entry["id"] if copy == 0 else f"{entry['id']}-s{copy}" for copy, entry in chosen}
    return [copy_entry(entry, copy, included) for copy, entry in chosen]


def make_project(target: Path, count: int) -> Path:
    """A copy of the project whose glossary has ``count`` synthetic terms."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    glossary = target / "glossary"
    (glossary / "terms").mkdir(parents=True)
    for support in ("sources.yml", "categories.yml", "places.yml"):
        shutil.copy2(ROOT / "glossary" / support, glossary / support)
    header = "# yaml-language-server: $schema=../../schema/term.schema.json\n"
    for data in entries(count):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        (glossary / "terms" / f"{data['id']}.yml").write_text(header + text, encoding="utf-8")
    return target


if __name__ == "__main__":
    made = make_project(Path(sys.argv[2]), int(sys.argv[1]))
    print(f"{sys.argv[1]} terms in {made}")
