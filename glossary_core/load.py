"""Parse glossary files into plain data, remembering the line of every value.

Pure: takes file contents (bytes by path), never touches the disk. ``read_glossary_dir``
at the bottom is the one function that does I/O.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .problems import Problem

# libyaml's parser when PyYAML has it (it does in the pinned wheel): about ten times faster
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple  # a path into parsed data: ("components", 0, "zh")

TERMS_DIR = "glossary/terms"
SUPPORT_FILES = {
    "sources": "glossary/sources.yml",
    "categories": "glossary/categories.yml",
    "places": "glossary/places.yml",
}


@dataclass
class Document:
    """One parsed YAML file: its data and the line on which each value starts."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_ = ()) -> int:
        """The line of the value at ``path``, or of its nearest parent that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


@dataclass
class Glossary:
    """All parsed glossary data. Terms are keyed by id, in file-name order."""

    terms: dict[str, Document]
    documents: list[Document]
    sources: dict[str, dict]
    categories: dict[str, dict]
    places: dict[str, dict]
    support: dict[str, Document]
    # ids of term files that could not be parsed: references to them are not reported again
    unreadable: set[str] = field(default_factory=set)

    def knows(self, term_id: str) -> bool:
        """Whether a reference to ``term_id`` can be resolved (or its file is already reported)."""
        return term_id in self.terms or term_id in self.unreadable


def parse_yaml(raw: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse one YAML file. Returns (None, problems) when it cannot be read."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(file, 1, "file must be UTF-8 without a byte-order mark")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, "file must be UTF-8 text", raw[exc.start : exc.start + 4].hex(" "))]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return None, [Problem(file, 0, "file is empty")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "cannot be parsed"
        if exc.context and "quoted scalar" in exc.context and exc.context_mark:
            mark, reason = exc.context_mark, "unclosed quotation mark"
        line = mark.line + 1 if mark else 0
        if "\t" in text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else False:
            reason = "tabs are not allowed for indentation"
        return None, [Problem(file, line, f"invalid YAML: {reason}")]
    except yaml.YAMLError as exc:  # e.g. a reader error on control characters
        return None, [Problem(file, 0, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    doc = Document(file, _plain(data))
    problems: list[Problem] = []
    _record_lines(node, (), doc.lines, problems, file)
    return doc, problems


def _plain(value: Any) -> Any:
    """Dates become ISO strings, so that data is what JSON Schema expects."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _record_lines(node: yaml.Node, path: Path_, lines: dict, problems: list, file: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(Problem(file, key_node.start_mark.line + 1, "duplicate key", key))
            seen.add(key)
            _record_lines(value_node, path + (key,), lines, problems, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, problems, file)


def parse_glossary(files: Mapping[str, bytes]) -> tuple[Glossary, list[Problem]]:
    """Parse every glossary file given as {path: content}. Term files are glossary/terms/*.yml."""
    problems: list[Problem] = []
    support: dict[str, Document] = {}
    tables: dict[str, dict[str, dict]] = {}
    for name, path in SUPPORT_FILES.items():
        table: dict[str, dict] = {}
        if path not in files:
            problems.append(Problem(path, 0, "required file is missing"))
        else:
            doc, found = parse_yaml(files[path], path)
            problems += found
            if doc is not None:
                support[name] = doc
                if not isinstance(doc.data, list):
                    problems.append(Problem(path, doc.line(), "must be a list of entries with an id"))
                else:
                    for index, item in enumerate(doc.data):
                        item_id = item.get("id") if isinstance(item, dict) else None
                        if not isinstance(item_id, str):
                            problems.append(Problem(path, doc.line((index,)), "entry must have an id", item))
                        elif item_id in table:
                            problems.append(Problem(path, doc.line((index, "id")), "duplicate id", item_id))
                        else:
                            table[item_id] = item
        tables[name] = table

    terms: dict[str, Document] = {}
    documents: list[Document] = []
    unreadable: set[str] = set()
    seen_folded: dict[str, str] = {}
    term_paths = sorted(p for p in files if p.startswith(TERMS_DIR + "/"))
    for path in term_paths:
        if not path.endswith(".yml"):
            problems.append(Problem(path, 0, "term files must end in .yml", Path(path).name))
            continue
        doc, found = parse_yaml(files[path], path)
        problems += found
        if doc is None:
            unreadable.add(Path(path).name.removesuffix(".yml"))
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(path, doc.line(), "a term file must be a mapping of keys to values",
                                    type(doc.data).__name__))
            continue
        documents.append(doc)
        term_id = doc.data.get("id")
        if not isinstance(term_id, str):
            continue  # reported by the schema check
        folded = term_id.casefold()
        if folded in seen_folded:
            other = seen_folded[folded]
            problems.append(Problem(path, doc.line(("id",)), f"duplicate id (also in {other})", term_id))
            continue
        seen_folded[folded] = path
        terms[term_id] = doc
    if not term_paths:
        problems.append(Problem(TERMS_DIR, 0, "the glossary has no terms"))
    return Glossary(terms, documents, tables["sources"], tables["categories"], tables["places"], support, unreadable), problems


def read_glossary_dir(root: Path) -> dict[str, bytes]:
    """Read the glossary files under ``root`` (the project directory) as {relative path: bytes}."""
    files: dict[str, bytes] = {}
    for path in SUPPORT_FILES.values():
        full = root / path
        if full.is_file():
            files[path] = full.read_bytes()
    terms = root / TERMS_DIR
    if terms.is_dir():
        for full in sorted(terms.iterdir()):
            if full.is_file() and not full.name.startswith("."):
                files[f"{TERMS_DIR}/{full.name}"] = full.read_bytes()
    return files
