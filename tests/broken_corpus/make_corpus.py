"""Recreate the broken-glossary corpus: one directory per case, each tests/fixtures/good/glossary
with ONE thing broken, plus the expected.txt that tests/test_broken_corpus.py compares with.

    .venv/bin/python tests/broken_corpus/make_corpus.py            # rewrite every case's glossary/
    .venv/bin/python tests/broken_corpus/make_corpus.py NAME ...    # only these cases

expected.txt is not written here: after adding or changing a case run
``.venv/bin/python -m pytest tests/test_broken_corpus.py --update-golden`` and review every line.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
GOOD = HERE.parent / "fixtures" / "good" / "glossary"

ALPHA = "terms/alpha-slogan.yml"
BETA = "terms/beta-term.yml"
GAMMA = "terms/gamma-old.yml"
SOURCES = "sources.yml"

Files = dict[str, bytes]  # path inside glossary/ → content

# A valid fourth entry, for the cases that add a file: only its id (and file name) is broken.
DELTA = """\
# yaml-language-server: $schema=../../../../../schema/term.schema.json
id: {id}
headword: 德尔塔工作法
english:
  - text: delta working method
    status: glossary
definition:
  zh: 用于测试的工作方法。
  en: >-
    A fixture working method, added to test how the check reports an id that cannot be a URL segment.
category: government-work
level: district
place: anju
first_seen: 2020
sources:
  - doc: anju-work-report-2020
    quote: 德尔塔工作法
"""


def replace(path: str, old: str, new: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        text = files[path].decode("utf-8")
        assert text.count(old) == 1, f"{path} must contain {old!r} exactly once"
        files[path] = text.replace(old, new).encode("utf-8")
    return edit


def put(path: str, content: str | bytes) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[path] = content.encode("utf-8") if isinstance(content, str) else content
    return edit


def transform(path: str, change: Callable[[str], str | bytes]) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        changed = change(files[path].decode("utf-8"))
        files[path] = changed.encode("utf-8") if isinstance(changed, str) else changed
    return edit


def remove(prefix: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        for path in [p for p in files if p == prefix or p.startswith(prefix + "/")]:
            del files[path]
    return edit


def rename(old: str, new: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        files[new] = files.pop(old)
    return edit


def _billion_laughs(text: str) -> str:
    rows = ["lol:", "  - &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for name, previous in zip("bcdefghi", "abcdefgh"):
        rows.append(f"  - &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return text + "\n".join(rows) + "\n"


def _nested_components(text: str) -> str:
    old = "    components:\n      - zh: 甲\n        en: part A\n      - zh: 乙\n        en: part B\n"
    assert old in text
    nested, indent = "", "    "
    for level in range(12):
        nested += f"{indent}components:\n{indent}  - zh: 第{level + 1}层\n{indent}    en: level {level + 1}\n"
        indent += "    "
    return text.replace(old, nested)


# name → (what is broken, how)
CASES: dict[str, tuple[str, Callable[[Files], None]]] = {
    # --- the file cannot be read as YAML ---
    "yaml-tab-indentation": ("a list item indented with a tab",
                             replace(ALPHA, "  - 二加一体系", "\t- 二加一体系")),
    "yaml-indentation-key": ("a key indented less than its siblings",
                             replace(ALPHA, "  en: >-", " en: >-")),
    "yaml-indentation-list": ("a key of a list item indented one space short",
                              replace(ALPHA, "    note: 11", "   note: 11")),
    "yaml-unclosed-quote": ("a value opens a quotation mark and never closes it",
                            replace(BETA, "headword: 稳字", 'headword: "稳字')),
    "yaml-duplicate-key": ("a key given twice",
                           replace(GAMMA, "level: district\n", "level: district\nlevel: municipal\n")),
    "yaml-two-documents": ("a '---' line starts a second YAML document",
                           replace(GAMMA, "notes:\n", "---\nnotes:\n")),
    "yaml-alias-bomb": ("a 'billion laughs' tree of anchors and aliases (9^9 items when expanded)",
                        transform(ALPHA, _billion_laughs)),
    "yaml-tag": ("a YAML tag that asks for a Python object",
                 replace(GAMMA, "level: district", "level: !!python/object/apply:os.system [echo]")),
    "not-utf8-gbk": ("the file is saved in GBK, not UTF-8",
                     transform(ALPHA, lambda text: text.encode("gbk"))),
    "byte-order-mark": ("the file starts with a UTF-8 byte-order mark",
                        transform(BETA, lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"))),
    "control-character": ("a form feed pasted into a quote",
                          replace(BETA, "quote: 做好“稳字”工作", "quote: 做好“稳字”\x0c工作")),
    "empty-file": ("a term file with nothing in it", put(GAMMA, b"")),
    "file-is-a-list": ("a whole term file written as a list",
                       transform(GAMMA, lambda text: "".join(
                           f"- {line}\n" for line in text.splitlines() if line and not line.startswith((" ", "#"))))),
    "file-is-plain-text": ("a term file holding a sentence, not keys and values",
                           put(GAMMA, "旧体系是已被取代的旧提法。\n")),
    # --- keys and types ---
    "definition-is-a-list": ("definition written as a list instead of zh/en keys",
                             replace(ALPHA, "  zh: 指两个主体和一个[[beta-term|支撑]]。\n  en: >-",
                                     "  - 指两个主体和一个[[beta-term|支撑]]。\n  - >-")),
    "counts-is-text": ("counts written as text", replace(ALPHA, "counts: [2, 1]", 'counts: "2+1"')),
    "first-seen-is-a-list": ("first_seen written as a list", replace(GAMMA, "first_seen: 2019", "first_seen: [2019]")),
    "aliases-is-a-number": ("aliases given a number", replace(ALPHA, "aliases:\n  - 二加一体系", "aliases: 21")),
    "empty-value": ("a required key left without a value",
                    replace(BETA, "category: macro-policy", "category:")),
    "missing-required-key": ("the level key left out", replace(ALPHA, "level: district\n", "")),
    "unknown-key": ("a key the schema does not know", replace(BETA, "level: central\n", "level: central\ncolour: red\n")),
    "misspelt-key": ("definition spelt defintion", replace(GAMMA, "definition:", "defintion:")),
    "former-ids-item-is-a-list": ("a former id written as a list", replace(GAMMA, "  - gamma-legacy", "  - [gamma-legacy]")),
    "rendering-text-is-a-number": ("an English rendering given a number",
                                   replace(GAMMA, "  - text: old system", "  - text: 1949")),
    "source-doc-is-a-list": ("sources.doc written as a list",
                             replace(GAMMA, "doc: anju-work-report-2020", "doc: [anju-work-report-2020]")),
    "impossible-date": ("first_seen on a day that does not exist",
                        replace(GAMMA, "first_seen: 2019", "first_seen: 2019-02-30")),
    "number-too-long": ("a count of 5,000 digits", replace(ALPHA, "counts: [2, 1]", f"counts: [{'9' * 5000}, 1]")),
    # --- ids and file names ---
    "duplicate-id-two-files": ("a second file with the same id",
                               lambda files: files.__setitem__("terms/alpha-copy.yml", files[ALPHA])),
    "duplicate-id-differing-case": ("Beta-term.yml beside beta-term.yml",
                                    lambda files: files.__setitem__("terms/Beta-term.yml", files[BETA].replace(
                                        b"id: beta-term", b"id: Beta-term"))),
    "id-with-space": ("an id with a space", put("terms/delta term.yml", DELTA.format(id="delta term"))),
    "id-with-slash": ("an id with a slash", put("terms/delta.yml", DELTA.format(id="delta/term"))),
    "id-uppercase": ("an id with capital letters", put("terms/Delta.yml", DELTA.format(id="Delta"))),
    "id-chinese": ("an id in Chinese characters", put("terms/德尔塔.yml", DELTA.format(id="德尔塔"))),
    "id-dot-dot": ("the id '..'", put("terms/delta.yml", DELTA.format(id='".."'))),
    "wrong-extension": ("a term file named .yaml", rename(GAMMA, "terms/gamma-old.yaml")),
    # --- references between entries ---
    "same-alias-two-entries": ("an alias of one entry given to another",
                               replace(GAMMA, "headword: 旧体系\n", "headword: 旧体系\naliases:\n  - 二加一体系\n")),
    "dangling-relation": ("relations naming a term that does not exist",
                          replace(ALPHA, "    term: gamma-old", "    term: gamma-olde")),
    "dangling-component-term": ("a component naming a term that does not exist",
                                replace(ALPHA, "    term: beta-term", "    term: beta-trem")),
    "dangling-inline-reference": ("[[id]] in a definition naming a term that does not exist",
                                  replace(BETA, "that is not emphasis.", "that is not emphasis; see [[omega-term]].")),
    "dangling-source-doc": ("sources naming a document that is not in sources.yml",
                            replace(GAMMA, "doc: anju-work-report-2020", "doc: anju-work-report-2021")),
    "dangling-category": ("a category that is not in categories.yml",
                          replace(GAMMA, "category: industry", "category: industries")),
    "dangling-place": ("a place that is not in places.yml", replace(BETA, "place: china", "place: prc")),
    "former-id-is-live-id": ("former_ids naming another entry's current id",
                             replace(GAMMA, "  - gamma-legacy", "  - beta-term")),
    # --- numbers ---
    "component-count-contradicts-headword": ("the “1” part of “2+1” given count 2",
                                             replace(ALPHA, "    count: 1\n", "    count: 2\n")),
    "full-width-digits": ("the headword's numbers in full-width digits",
                          replace(ALPHA, "headword: “2+1”示范体系", "headword: “２+１”示范体系")),
    "full-width-plus": ("an alias with a full-width plus sign", replace(ALPHA, "  - 二加一体系", "  - “2＋1”体系")),
    "full-width-counts": ("counts in full-width digits", replace(ALPHA, "counts: [2, 1]", "counts: [２, １]")),
    # --- too big ---
    "enormous-file": ("a definition of 1 MB",
                      replace(ALPHA, "    A fixture slogan", "    " + "A definition that never ends. " * 35000
                              + "A fixture slogan")),
    "long-definition": ("a definition of 200,000 characters",
                        replace(BETA, "    A central fixture term", "    " + "Steady. " * 25000 + "A central fixture term")),
    "enormous-alias-list": ("10,000 aliases",
                            replace(GAMMA, "headword: 旧体系\n", "headword: 旧体系\naliases:\n"
                                    + "".join(f"  - 旧体系别名{n:05}\n" for n in range(10000)))),
    "deep-nesting": ("a value nested 100,000 lists deep",
                     replace(GAMMA, "  zh: 已被取代的旧提法。", "  zh: " + "[" * 100000 + "]" * 100000)),
    "deep-nesting-components": ("components nested twelve levels deep", transform(ALPHA, _nested_components)),
    # --- the glossary as a whole ---
    "empty-glossary": ("glossary/terms/ holds no term files",
                       lambda files: (remove("terms")(files), files.__setitem__("terms/.gitkeep", b""))),
    "terms-directory-missing": ("no glossary/terms/ folder", remove("terms")),
    "sources-missing": ("glossary/sources.yml is missing", remove(SOURCES)),
    "sources-unclosed-quote": ("a title in sources.yml opens a quotation mark that the next entry closes",
                               replace(SOURCES, "    en: 2020 Government Work Report of Anju District",
                                       '    en: "2020 Government Work Report of Anju District')),
    "sources-not-a-list": ("sources.yml written as a mapping of ids",
                           transform(SOURCES, lambda text: "documents:\n" + "".join(
                               f"  {line}\n" for line in text.splitlines() if not line.startswith("#")))),
    "sources-entry-incomplete": ("a document in sources.yml without its issuer",
                                 replace(SOURCES, "  issuer:\n    zh: 遂宁市安居区人民政府（区长吴军，在安居区第四届人民代表大会第五次会议上）\n"
                                         "    en: People's Government of Anju District, Suining (delivered by District Head "
                                         "Wu Jun to the 5th session of the 4th District People's Congress)\n", "")),
    "sources-entry-without-id": ("a document in sources.yml whose id key is misspelt",
                                 replace(SOURCES, "- id: anju-feature-2025", "- ident: anju-feature-2025")),
    "sources-note-count-is-text": ("note_count in sources.yml written in words",
                                  replace(SOURCES, "note_count: 37", "note_count: thirty-seven")),
    "places-empty-file": ("glossary/places.yml is empty", put("places.yml", b"")),
}


def good_files() -> Files:
    return {str(p.relative_to(GOOD)): p.read_bytes() for p in sorted(GOOD.rglob("*")) if p.is_file()}


def write_case(name: str) -> Path:
    _, edit = CASES[name]
    files = good_files()
    edit(files)
    target = HERE / name / "glossary"
    if target.exists():
        shutil.rmtree(target)
    for path, content in files.items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(content)
    return target


if __name__ == "__main__":
    for case in sys.argv[1:] or CASES:
        write_case(case)
        print(f"{case}: {CASES[case][0]}")
