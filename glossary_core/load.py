"""Parse glossary files into plain data, remembering the line of every value.

Pure: takes file contents (bytes by path), never touches the disk. ``read_glossary_dir``
at the bottom is the one function that does I/O.

Bad input is reported, never raised: a file that cannot be decoded or parsed becomes one problem
with its line. Limits keep a hostile or mangled file cheap to reject: files over ``MAX_FILE_BYTES``
are not parsed, YAML aliases (the "billion laughs" expansion) and tags are refused, and nesting is
cut off at ``MAX_DEPTH`` (and a file at ``MAX_VALUES``) before anything recursive sees the data.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from .problems import Problem, kind_of

# libyaml's parser when PyYAML has it (it does in the pinned wheel): about ten times faster
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple  # a path into parsed data: ("components", 0, "zh")

TERMS_DIR = "glossary/terms"
SUPPORT_FILES = {
    "sources": "glossary/sources.yml",
    "categories": "glossary/categories.yml",
    "places": "glossary/places.yml",
}
# The largest real term file is about 6 KB; no entry comes near this.
MAX_FILE_BYTES = 256 * 1024
# Containers (mappings and lists) one inside another; a real entry goes 5 deep, the schema about 10.
MAX_DEPTH = 20
# Values (keys, texts, numbers, lists, mappings) in one file; a real entry has a few hundred. Keeps the
# time to reject a file of a hundred thousand tiny values well under a second.
MAX_VALUES = 20_000
# Characters that every level of nesting and every value but the first needs one of (a line break,
# '-', ':', '?', '[', '{'). A file with fewer cannot hold more than about three values per such
# character, nor nest deeper: no need to read it as events first (see parse_yaml).
_STRUCTURE_CHARS = "\n-:?[{"
_FEW_STRUCTURE_CHARS = 500
# Without these a file has no tag, anchor, alias or document marker (the events pass looks for them).
_EVENT_CHARS_RE = re.compile(r"[!&*]|^(?:---|\.\.\.|%)", re.MULTILINE)


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
    # names (file stems) of term files already reported as unusable: unreadable, not a mapping,
    # without an id or with an id other than the file name. References to them are not reported again.
    unreadable: set[str] = field(default_factory=set)
    # support files ("sources", ...) that are missing or unreadable: references into them are not checked
    unreadable_support: set[str] = field(default_factory=set)
    # values derived from the checked data, computed once per process (see kept)
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def kept(self, key: tuple, make: Callable[[], Any]) -> Any:
        """A value derived from the glossary, made once: pages, search documents, hover-card data and
        exports ask for the same views, relations and texts. Keys start with a kind ("view",
        "linker", "plain_text" …); callers must not change the value."""
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    def knows(self, term_id: str) -> bool:
        """Whether a reference to ``term_id`` can be resolved (or its file is already reported)."""
        return term_id in self.terms or term_id in self.unreadable


# --- one file ---------------------------------------------------------------------------------

# Characters YAML does not allow in a file (C0/C1 controls other than tab and line breaks, DEL,
# non-characters): they come in with text pasted from PDFs and word processors.
_NOT_PRINTABLE_RE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a new line

# libyaml's phrases for the usual editing mistakes, in an editor's terms
_YAML_REASONS = {
    "mapping values are not allowed in this context":
        "unexpected ':' (check the indentation, or put a value containing ': ' in quotation marks)",
    "did not find expected key": "this line does not line up with the keys above it (check the indentation)",
    "did not find expected '-' indicator":
        "this line does not line up with the list items above it (check the indentation)",
    "could not find expected ':'": "a key is missing its ':' (check the indentation)",
    "block sequence entries are not allowed in this context":
        "a list item '- ' cannot start here (put the list on the lines below its key)",
    "found character that cannot start any token":
        "a value cannot start with this character (put the value in quotation marks)",
    "found unknown escape character":
        "unknown \\ escape in a double-quoted value (use single quotation marks, or write \\\\)",
    "did not find expected ',' or ']'": "a [ ] list is not closed, or lacks a comma",
    "did not find expected ',' or '}'": "a { } mapping is not closed, or lacks a comma",
    "did not find expected node content": "a value is missing or cannot start here",
    "did not find expected comment or line break":
        "unexpected text after a value (put the whole value in quotation marks)",
}
# a line whose value opens with a quotation mark: key: "…, - "…, - key: '…
_OPENING_QUOTE_RE = re.compile(r"\s*(?:-\s+)*(?:[^\s'\"#][^#]*?:\s+)?(['\"])")
_CLOSED_QUOTE_RE = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}


class _ValueProblem(Exception):
    """A YAML value that is well-formed but cannot be held (2020-02-30, a 5,000-digit number)."""

    def __init__(self, rule: str, node: yaml.Node):
        super().__init__(rule)
        self.rule, self.line, self.value = rule, node.start_mark.line + 1, node.value


def _reported(rule: str, constructor):
    def construct(loader, node):
        try:
            return constructor(loader, node)
        except ValueError:
            raise _ValueProblem(rule, node) from None
    return construct


class _StrictLoader(_Loader):
    """The safe loader, reporting impossible dates and over-long numbers instead of raising ValueError.

    Its resolver is PyYAML's, less path resolvers (the glossary has none): libyaml asks it for the
    tag of every value, and PyYAML's own builds a list of candidate patterns on each call.
    """

    # the implicit resolvers for a value's first character ('' for the empty value), wildcards last
    _IMPLICIT = {first: tuple(resolvers + _Loader.yaml_implicit_resolvers.get(None, []))
                 for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}
    _WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in self._IMPLICIT.get(value[:1], self._WILDCARD):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _reported(
    "dates must be real calendar dates", yaml.constructor.SafeConstructor.construct_yaml_timestamp))
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _reported(
    f"numbers must have at most {sys.get_int_max_str_digits()} digits",
    yaml.constructor.SafeConstructor.construct_yaml_int))


def parse_yaml(raw: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Decode and parse one YAML file. Returns (None, problems) when it cannot be read."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(file, 0, f"file must not be larger than {MAX_FILE_BYTES // 1024} KB")]
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
    bad = _NOT_PRINTABLE_RE.search(text)
    if bad:
        line = len(_LINE_BREAK_RE.findall(text, 0, bad.start())) + 1
        return None, [Problem(file, line, "file must not contain control characters", f"U+{ord(bad.group()):04X}")]
    # A file with tags, anchors, document markers or much structure is read as events first, which
    # refuses those before anything is built; the others (all real entries) are built straight away.
    plain = (_EVENT_CHARS_RE.search(text) is None
             and sum(text.count(char) for char in _STRUCTURE_CHARS) < _FEW_STRUCTURE_CHARS)
    if not plain:
        refused = _refuse_events(text, file)
        if refused:
            return None, [refused]
    loader = _StrictLoader(text)
    lines: dict = {}
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        data = None
        if node is not None:
            builder = _Builder(loader, file, lines, problems)
            try:
                data = builder.build(node, ())
            except _NotPlain:  # a merge key or a key that is a list: PyYAML builds (or reports) it
                lines.clear()
                problems.clear()
                too_deep = _record_lines(node, (), lines, problems, file)
                if too_deep:
                    return None, [too_deep]
                data = _plain(loader.construct_document(node))
            if builder.too_deep:
                return None, [builder.too_deep]
            if builder.value_problem:
                raise builder.value_problem
    except _ValueProblem as exc:
        return None, [Problem(file, exc.line, exc.rule, exc.value)]
    except yaml.MarkedYAMLError as exc:  # e.g. a key that is a list
        # the events pass reports whatever comes first in the file, as for any other file
        refused = _refuse_events(text, file) if plain else None
        return None, [refused or _syntax_problem(exc, text, file)]
    finally:
        loader.dispose()
    doc = Document(file, data)
    doc.lines.update(lines)
    return doc, problems


def _refuse_events(text: str, file: str) -> Problem | None:
    """Read the file as a stream of YAML events, without building anything, and stop at the first
    syntax error, alias, tag, second document, container nested more than MAX_DEPTH deep or
    value past MAX_VALUES."""
    loader = _Loader(text)
    depth = documents = values = 0
    try:
        while True:
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, yaml.AliasEvent):
                return Problem(file, line, "YAML aliases are not allowed: write the value out", f"*{event.anchor}")
            if getattr(event, "tag", None) is not None:
                return Problem(file, line, "YAML tags are not allowed: write the plain value",
                               event.tag.replace("tag:yaml.org,2002:", "!!"))
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                values += 1
                if values > MAX_VALUES:
                    return Problem(file, line, f"file must not hold more than {MAX_VALUES} values")
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return Problem(file, line, "a file must hold one YAML document: remove the '---' line")
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(file, line, f"values must not be nested more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, text, file)
    except yaml.YAMLError as exc:
        return Problem(file, 0, f"invalid YAML: {(str(exc).splitlines() or ['cannot be parsed'])[0]}")
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """The line and an editor's reason for a YAML syntax error (tab, unclosed quote, indentation …)."""
    lines = _LINE_BREAK_RE.split(text)
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0  # 0-based here
    if exc.context and "quoted scalar" in exc.context and exc.context_mark:
        return Problem(file, exc.context_mark.line + 1, "invalid YAML: unclosed quotation mark")
    if mark and line < len(lines) and "\t" in lines[line]:
        return Problem(file, line + 1, "invalid YAML: tabs are not allowed for indentation")
    for number, text_line in enumerate(lines[: line + 1]):
        opening = _OPENING_QUOTE_RE.match(text_line)
        if opening and not _CLOSED_QUOTE_RE[opening.group(1)].match(text_line, opening.start(1)):
            return Problem(file, number + 1, "invalid YAML: unclosed quotation mark")
    problem = exc.problem or exc.context or "cannot be parsed"
    return Problem(file, line + 1 if mark else 0, f"invalid YAML: {_YAML_REASONS.get(problem, problem)}")


def _plain(value: Any) -> Any:
    """Dates become ISO strings, so that data is what JSON Schema expects."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class _NotPlain(Exception):
    """The node tree has what only PyYAML's constructor handles: a merge key, a list or mapping as a key."""


class _Builder:
    """Builds the data of a node tree in one walk, noting the line of every value and duplicate
    keys, as _record_lines and PyYAML's constructor do in two (and dates become ISO strings).

    Stops descending at a container nested more than MAX_DEPTH deep (``too_deep``); a value that
    cannot be held is kept in ``value_problem`` (the first one), so that the depth problem, found
    by a whole walk, wins as it does with _record_lines first.
    """

    def __init__(self, loader: Any, file: str, lines: dict, problems: list):
        self.loader, self.file, self.lines, self.problems = loader, file, lines, problems
        self.too_deep: Problem | None = None
        self.value_problem: _ValueProblem | None = None

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if self.too_deep:
            return None
        if len(path) >= MAX_DEPTH:
            self.too_deep = Problem(self.file, node.start_mark.line + 1,
                                    f"values must not be nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            data: dict = {}
            seen: set = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                    raise _NotPlain
                name = key_node.value
                if name in seen:
                    self.problems.append(Problem(self.file, key_node.start_mark.line + 1, "duplicate key", name))
                seen.add(name)
                key = name if key_node.tag == _STR else self.scalar(key_node, as_key=True)
                data[key] = self.build(value_node, path + (name,))
                self.lines[path + (name,)] = key_node.start_mark.line + 1
            return data
        raise _NotPlain

    def scalar(self, node: yaml.ScalarNode, as_key: bool = False) -> Any:
        try:
            value = self.loader.construct_object(node)
        except _ValueProblem as problem:
            self.value_problem = self.value_problem or problem
            return None
        # dates as ISO strings, as JSON Schema expects them (keys stay what PyYAML makes of them)
        return value.isoformat() if isinstance(value, datetime.date) and not as_key else value


def _record_lines(node: yaml.Node, path: Path_, lines: dict, problems: list, file: str) -> Problem | None:
    """Note the line of every value and report duplicate keys; stop at a container nested more than
    MAX_DEPTH deep, returning that problem (as the events pass reports it)."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and len(path) >= MAX_DEPTH:
        return Problem(file, node.start_mark.line + 1, f"values must not be nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue   # a list or mapping as a key: building the data reports it
            key = key_node.value
            if key in seen:
                problems.append(Problem(file, key_node.start_mark.line + 1, "duplicate key", key))
            seen.add(key)
            too_deep = _record_lines(value_node, path + (key,), lines, problems, file)
            if too_deep:
                return too_deep
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            too_deep = _record_lines(item, path + (index,), lines, problems, file)
            if too_deep:
                return too_deep
    return None


# --- the glossary -----------------------------------------------------------------------------

def _parse_support(path: str, raw: bytes | None) -> tuple[Document | None, dict[str, dict], list[Problem]]:
    """One of sources.yml, categories.yml, places.yml: a list of entries, each with a unique id."""
    if raw is None:
        return None, {}, [Problem(path, 0, "required file is missing")]
    doc, problems = parse_yaml(raw, path)
    table: dict[str, dict] = {}
    if doc is None:
        return None, table, problems
    if not isinstance(doc.data, list):
        return None, table, problems + [Problem(path, doc.line(),
                                                f"must be a list of entries with an id, not {kind_of(doc.data)}")]
    for index, item in enumerate(doc.data):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item, dict):
            problems.append(Problem(path, doc.line((index,)), f"entry must be a mapping with an id, not {kind_of(item)}"))
        elif not isinstance(item_id, str):
            problems.append(Problem(path, doc.line((index,)), "entry must have an id", item_id))
        elif item_id in table:
            problems.append(Problem(path, doc.line((index, "id")), "duplicate id", item_id))
        else:
            table[item_id] = item
    return doc, table, problems


def parse_glossary(files: Mapping[str, bytes]) -> tuple[Glossary, list[Problem]]:
    """Parse every glossary file given as {path: content}. Term files are glossary/terms/*.yml."""
    problems: list[Problem] = []
    support: dict[str, Document] = {}
    tables: dict[str, dict[str, dict]] = {}
    unreadable_support: set[str] = set()
    for name, path in SUPPORT_FILES.items():
        doc, tables[name], found = _parse_support(path, files.get(path))
        problems += found
        if doc is None:
            unreadable_support.add(name)
        else:
            support[name] = doc

    documents: list[Document] = []
    unreadable: set[str] = set()
    term_paths = sorted(p for p in files if p.startswith(TERMS_DIR + "/"))
    for path in term_paths:
        stem = Path(path).name.removesuffix(".yml")
        if not path.endswith(".yml"):
            problems.append(Problem(path, 0, "term files must end in .yml", Path(path).name))
            unreadable.add(Path(path).stem)
            continue
        doc, found = parse_yaml(files[path], path)
        problems += found
        if doc is None:
            unreadable.add(stem)
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(path, doc.line(),
                                    f"a term file must be a mapping of keys to values, not {kind_of(doc.data)}"))
            unreadable.add(stem)
            continue
        documents.append(doc)
    if not term_paths:
        problems.append(Problem(TERMS_DIR, 0, "the glossary has no terms"))

    # Who owns an id that two files claim (also differing only in case): a file named after it,
    # then a lowercase id, then the first file by name. The other file is the one reported.
    def claim_order(doc: Document) -> tuple:
        term_id = doc.data.get("id")
        return term_id != Path(doc.file).name.removesuffix(".yml"), term_id != str(term_id).lower(), doc.file

    claimed: dict[str, Document] = {}
    seen_folded: dict[str, str] = {}
    for doc in sorted(documents, key=claim_order):
        term_id, stem = doc.data.get("id"), Path(doc.file).name.removesuffix(".yml")
        if term_id != stem:
            unreadable.add(stem)  # the schema or check_id_matches_file reports it
        if not isinstance(term_id, str):
            continue
        folded = term_id.casefold()
        if folded in seen_folded:
            problems.append(Problem(doc.file, doc.line(("id",)), f"duplicate id (also in {seen_folded[folded]})",
                                    term_id))
            continue
        seen_folded[folded] = doc.file
        claimed[term_id] = doc
    terms = dict(sorted(claimed.items(), key=lambda item: item[1].file))
    return Glossary(terms, documents, tables["sources"], tables["categories"], tables["places"], support,
                    unreadable, unreadable_support), problems


def read_glossary_dir(root: Path) -> dict[str, bytes]:
    """Read the glossary files under ``root`` (the project directory) as {relative path: bytes}.

    A file larger than MAX_FILE_BYTES is read only to just past the limit: parse_yaml rejects it
    by its length, and a runaway file is never loaded whole."""
    files: dict[str, bytes] = {}
    for path in SUPPORT_FILES.values():
        full = root / path
        if full.is_file():
            files[path] = _read_limited(full)
    terms = root / TERMS_DIR
    if terms.is_dir():
        for full in sorted(terms.iterdir()):
            if full.is_file() and not full.name.startswith("."):
                files[f"{TERMS_DIR}/{full.name}"] = _read_limited(full)
    return files


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)
