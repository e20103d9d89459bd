"""Rules for glossary data. Each rule is a function named after what it checks, whose
docstring is the rule in one line; each returns the problems it finds, and ``validate``
runs them all so that every problem is reported at once."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import fastjsonschema
import jsonschema

from . import derive
from .load import Document, Glossary
from .problems import Problem, kind_of, value_text

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "term.schema.json"
REF_RE = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
INVERSE = {
    "part-of": "has-part",
    "has-part": "part-of",
    "supersedes": "superseded-by",
    "superseded-by": "supersedes",
    "related": "related",
    "see-also": None,
}


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def canonical_order() -> list[str]:
    return list(schema()["properties"])


def _term_docs(glossary: Glossary) -> Iterator[tuple[str, Document, dict]]:
    for term_id, doc in glossary.terms.items():
        yield term_id, doc, doc.data


# The longest list the schema allows (components, maxItems 100). A longer one is reported once by the
# schema; the rules leave it alone, so that none floods the report or takes quadratic time over it.
MAX_LIST = 100


def _items(value) -> list:
    """A list from the data, or nothing when it is of the wrong type or runaway long (the schema reports both)."""
    return value if isinstance(value, list) and len(value) <= MAX_LIST else []


def walk_components(components, path=("components",)):
    """(path, part) for every part of a numbered slogan, at any depth, in document order."""
    for index, part in enumerate(_items(components)):
        if isinstance(part, dict):
            yield path + (index,), part
            yield from walk_components(part.get("components"), path + (index, "components"))


def headword_forms(data: dict) -> list[str]:
    """Headword and aliases as written (quote variants are derived from these)."""
    forms = [data.get("headword")] + _items(data.get("aliases"))
    return [f for f in forms if isinstance(f, str)]


# --- schema ---------------------------------------------------------------------------

def _unless_over_max_items(keyword: str) -> Callable:
    """A list keyword that skips a list already over its maxItems: that is reported once, not item by item
    (uniqueItems is quadratic on values that do not sort)."""
    original = jsonschema.Draft202012Validator.VALIDATORS[keyword]

    def check(validator, value, instance, subschema):
        if isinstance(instance, list) and len(instance) > subschema.get("maxItems", len(instance)):
            return
        yield from original(validator, value, instance, subschema)
    return check


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {key: _unless_over_max_items(key) for key in ("items", "uniqueItems")})


@lru_cache(maxsize=1)
def _fast_validator() -> Callable[[object], object]:
    """The schema compiled to Python by fastjsonschema: it only says whether an entry is valid.

    The schema uses no keyword whose meaning differs between draft 2020-12 and draft 7, the newest
    fastjsonschema knows (tests/test_validate.py compares the two verdicts on every fixture)."""
    return fastjsonschema.compile({**schema(), "$schema": "http://json-schema.org/draft-07/schema#"})


def schema_valid_fast(data: object) -> bool:
    try:
        _fast_validator()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_schema(glossary: Glossary) -> list[Problem]:
    """Every term file must match schema/term.schema.json (types, required keys, no unknown keys)."""
    validator = _Validator(schema())
    problems = []
    for doc in glossary.documents:  # all term files, also those without a usable id
        # most entries are valid: the compiled check clears them ~20x faster; jsonschema, which
        # names every error, reads only the others
        if not schema_valid_fast(doc.data):
            problems += _schema_problems(validator, doc)
    return problems


_TYPE_NAMES = {"array": "a list", "object": "a mapping", "string": "text", "integer": "a whole number",
               "number": "a number", "boolean": "true or false"}


def _schema_problems(validator: jsonschema.Validator, doc: Document, skip: int = 0) -> list[Problem]:
    """Schema errors as problems; ``skip`` leading path items (a list index) are left out of the name."""
    problems = []
    count_choices = schema()["$defs"]["count"]["oneOf"]
    date_choices = schema()["properties"]["first_seen"]["oneOf"]
    for error in validator.iter_errors(doc.data):
        path = tuple(error.absolute_path)
        where = ".".join(str(p) for p in path[skip:]) or "entry"
        line = doc.line(path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            problems.append(Problem(doc.file, line, f"{where} is missing a required key", missing))
        elif error.validator == "additionalProperties":
            known = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in known:
                    problems.append(Problem(doc.file, doc.line(path + (key,)), f"{where} has an unknown key", key))
        elif error.validator == "enum":
            choices = ", ".join(map(str, error.validator_value))
            problems.append(Problem(doc.file, line, f"{where} must be one of: {choices}", error.instance))
        elif error.validator == "type":
            names = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            expected = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
            problems.append(Problem(doc.file, line, f"{where} must be {expected}, not {kind_of(error.instance)}",
                                    error.instance))
        elif error.validator == "pattern" and (path[-1:] == ("id",) or path[:1] == ("former_ids",)):
            problems.append(Problem(doc.file, line,
                                    f"{where} must be a URL segment of lowercase ASCII letters, digits and hyphens",
                                    error.instance))
        elif error.validator == "pattern":
            problems.append(Problem(doc.file, line, f"{where} must match {error.validator_value}", error.instance))
        elif error.validator == "maxLength":
            problems.append(Problem(doc.file, line, f"{where} must be at most {error.validator_value} characters long",
                                    error.instance))
        elif error.validator == "minLength":
            problems.append(Problem(doc.file, line, f"{where} must not be empty", error.instance))
        elif error.validator == "maxItems":
            problems.append(Problem(doc.file, line, f"{where} must have at most {error.validator_value} items",
                                    len(error.instance)))
        elif error.validator == "minItems":
            problems.append(Problem(doc.file, line, f"{where} must not be empty"))
        elif error.validator == "uniqueItems":
            if path != ("aliases",):  # check_forms_unique names the repeated alias
                problems.append(_repeated_item(doc, path, where, error.instance))
        elif error.validator in ("minimum", "maximum"):
            bound = "at least" if error.validator == "minimum" else "at most"
            problems.append(Problem(doc.file, line, f"{where} must be {bound} {error.validator_value}",
                                    error.instance))
        elif error.validator == "oneOf" and error.validator_value == date_choices:
            problems.append(Problem(doc.file, line, f"{where} must be a year or a date YYYY[-MM[-DD]]",
                                    error.instance))
        elif error.validator == "oneOf" and error.validator_value == count_choices:
            low, high = count_choices[0]["minimum"], count_choices[0]["maximum"]
            problems.append(Problem(doc.file, line, f"{where} must be a whole number from {low} to {high}, or N",
                                    error.instance))
        else:
            message = error.message if len(error.message) <= 160 else error.message[:159] + "…"
            problems.append(Problem(doc.file, line, f"{where}: {message}"))
    return problems


def _repeated_item(doc: Document, path: tuple, where: str, items: list) -> Problem:
    seen: set[str] = set()
    for index, item in enumerate(items):
        text = value_text(item)
        if text in seen:
            return Problem(doc.file, doc.line(path + (index,)), f"{where} must not repeat an item", item)
        seen.add(text)
    return Problem(doc.file, doc.line(path), f"{where} must not repeat an item")


def check_key_order(glossary: Glossary) -> list[Problem]:
    """Keys must appear in the canonical order of the schema."""
    order = {key: i for i, key in enumerate(canonical_order())}
    problems = []
    for _, doc, data in _term_docs(glossary):
        keys = [k for k in data if k in order]
        for before, after in zip(keys, keys[1:]):
            if order[before] > order[after]:
                problems.append(Problem(doc.file, doc.line((after,)), f"key must come before '{before}'", after))
    return problems


def check_id_matches_file(glossary: Glossary) -> list[Problem]:
    """id must equal the file name without .yml."""
    problems = []
    for term_id, doc, _ in _term_docs(glossary):
        stem = Path(doc.file).name.removesuffix(".yml")
        if term_id != stem:
            problems.append(Problem(doc.file, doc.line(("id",)), f"id must match the file name '{stem}'", term_id))
    return problems


def _support_schemas() -> dict[str, dict]:
    """What the pages read from each entry of sources.yml, categories.yml and places.yml."""
    text = {"type": "string", "minLength": 1}
    bilingual = {"type": "object", "required": ["zh", "en"], "properties": {"zh": text, "en": text}}
    # no "type" on id: parse_glossary reports entries without a usable id
    entry_id = {"pattern": schema()["properties"]["id"]["pattern"]}
    label = {"required": ["zh", "en"], "properties": {"id": entry_id, "zh": text, "en": text}}
    source = {"required": ["title", "issuer", "date"],
              "properties": {"id": entry_id, "title": bilingual, "issuer": bilingual,
                             "date": {"oneOf": schema()["properties"]["first_seen"]["oneOf"]},
                             "note_count": {"type": "integer", "minimum": 0}}}
    return {"sources": {"items": source}, "categories": {"items": label}, "places": {"items": label}}


def check_support_files(glossary: Glossary) -> list[Problem]:
    """Entries of sources.yml, categories.yml and places.yml must have the fields the pages show."""
    problems = []
    for name, entries_schema in _support_schemas().items():
        doc = glossary.support.get(name)
        if doc is not None and isinstance(doc.data, list):
            problems += _schema_problems(_Validator(entries_schema), doc, skip=1)
    return problems


# --- references ---------------------------------------------------------------------------

def check_category(glossary: Glossary) -> list[Problem]:
    """category must name a category in glossary/categories.yml."""
    return [Problem(doc.file, doc.line(("category",)), "category must name a category in glossary/categories.yml",
                    data["category"])
            for _, doc, data in _term_docs(glossary)
            if isinstance(data.get("category"), str) and data["category"] not in glossary.categories
            and "categories" not in glossary.unreadable_support]


def check_place(glossary: Glossary) -> list[Problem]:
    """place must name a place in glossary/places.yml."""
    return [Problem(doc.file, doc.line(("place",)), "place must name a place in glossary/places.yml", data["place"])
            for _, doc, data in _term_docs(glossary)
            if isinstance(data.get("place"), str) and data["place"] not in glossary.places
            and "places" not in glossary.unreadable_support]


def check_sources(glossary: Glossary) -> list[Problem]:
    """sources must name documents in glossary/sources.yml, notes within the document's notes, each note cited once."""
    problems = []
    if "sources" in glossary.unreadable_support:
        return problems
    cited: dict[tuple[str, int], str] = {}
    for term_id, doc, data in _term_docs(glossary):
        for index, source in enumerate(_items(data.get("sources"))):
            if not isinstance(source, dict) or not isinstance(source.get("doc"), str):
                continue
            document = glossary.sources.get(source["doc"])
            if document is None:
                problems.append(Problem(doc.file, doc.line(("sources", index, "doc")),
                                        "sources must name a document in glossary/sources.yml", source["doc"]))
                continue
            note, note_count = source.get("note"), document.get("note_count", 0)
            if not all(isinstance(n, int) and not isinstance(n, bool) for n in (note, note_count)):
                continue  # the schemas report it
            if not 1 <= note <= note_count:
                problems.append(Problem(doc.file, doc.line(("sources", index, "note")),
                                        f"note must be a note of {source['doc']} (1–{note_count})", note))
            elif (source["doc"], note) in cited and cited[(source["doc"], note)] != term_id:
                problems.append(Problem(doc.file, doc.line(("sources", index, "note")),
                                        f"note is already cited as the definition of '{cited[(source['doc'], note)]}'",
                                        note))
            else:
                cited[(source["doc"], note)] = term_id
    return problems


def check_relations(glossary: Glossary) -> list[Problem]:
    """relations must name existing terms, not the entry itself, once, and not restate an inverse."""
    problems = []
    stated: dict[tuple[str, str, str], str] = {}
    for term_id, doc, data in _term_docs(glossary):
        for index, rel in enumerate(_items(data.get("relations"))):
            if not isinstance(rel, dict) or not isinstance(rel.get("term"), str) or not isinstance(rel.get("type"), str):
                continue
            target, kind = rel["term"], rel.get("type")
            line = doc.line(("relations", index, "term"))
            if target == term_id:
                problems.append(Problem(doc.file, line, "relations must not name the entry itself", target))
            elif not glossary.knows(target):
                problems.append(Problem(doc.file, line, "relations must name an existing term", target))
            elif (term_id, kind, target) in stated:
                problems.append(Problem(doc.file, line, "relation is stated twice", f"{kind} {target}"))
            else:
                stated[(term_id, kind, target)] = doc.file
    for (source, kind, target), file in sorted(stated.items()):
        inverse = INVERSE.get(kind)
        mirror = (target, inverse, source)
        # report a pair stated from both sides once, on the later of the two statements
        if inverse and mirror in stated and (source, kind, target) > mirror:
            doc = glossary.terms[source]
            index = next(i for i, r in enumerate(doc.data["relations"])
                         if isinstance(r, dict) and r.get("term") == target and r.get("type") == kind)
            problems.append(Problem(file, doc.line(("relations", index, "term")),
                                    f"relation is already stated as its inverse in {glossary.terms[target].file}",
                                    f"{kind} {target}"))
    return problems


def check_component_terms(glossary: Glossary) -> list[Problem]:
    """components' term must name an existing term other than the entry itself."""
    problems = []
    for term_id, doc, data in _term_docs(glossary):
        for path, part in walk_components(data.get("components")):
            target = part.get("term")
            if not isinstance(target, str):
                continue
            if target == term_id:
                problems.append(Problem(doc.file, doc.line(path + ("term",)),
                                        "components must not name the entry itself", target))
            elif not glossary.knows(target):
                problems.append(Problem(doc.file, doc.line(path + ("term",)),
                                        "components must name an existing term", target))
    return problems


def inline_references(text: str) -> list[tuple[str, str | None]]:
    """[[id]] and [[id|display]] references in a definition."""
    return [(m.group(1).strip(), m.group(2)) for m in REF_RE.finditer(text)]


def check_inline_references(glossary: Glossary) -> list[Problem]:
    """[[id]] references in definitions and notes must name existing terms."""
    problems = []
    for term_id, doc, data in _term_docs(glossary):
        for field in ("definition", "notes", "disambiguation"):
            texts = data.get(field)
            if not isinstance(texts, dict):
                continue
            for lang, text in texts.items():
                if not isinstance(text, str):
                    continue
                for target, _ in inline_references(text):
                    if not glossary.knows(target):
                        problems.append(Problem(doc.file, doc.line((field, lang)),
                                                f"{field}.{lang} must refer to an existing term", target))
                    elif target == term_id:
                        problems.append(Problem(doc.file, doc.line((field, lang)),
                                                f"{field}.{lang} must not refer to the entry itself", target))
    return problems


def check_former_ids(glossary: Glossary) -> list[Problem]:
    """former_ids must not be the id of a current term or another entry's former id."""
    problems = []
    claimed: dict[str, str] = {}
    for term_id, doc, data in _term_docs(glossary):
        for index, old in enumerate(_items(data.get("former_ids"))):
            line = doc.line(("former_ids", index))
            if not isinstance(old, str):
                continue
            if old in glossary.terms:
                problems.append(Problem(doc.file, line, "former_ids must not be a current term id", old))
            elif old in claimed:
                problems.append(Problem(doc.file, line, f"former_ids already claimed by '{claimed[old]}'", old))
            else:
                claimed[old] = term_id
    return problems


# --- forms and numbers ---------------------------------------------------------------------

def check_forms_unique(glossary: Glossary) -> list[Problem]:
    """A headword or alias may belong to two entries only if both have a disambiguation."""
    problems = []
    owner: dict[str, str] = {}
    for term_id, doc, data in _term_docs(glossary):
        local: set[str] = set()
        for index, form in enumerate(headword_forms(data)):
            key = derive.strip_quotes(form)
            path = ("headword",) if index == 0 else ("aliases", index - 1)
            if key in local:
                problems.append(Problem(doc.file, doc.line(path), "alias repeats the headword or another alias", form))
                continue
            local.add(key)
            other = owner.get(key)
            if other is None:
                owner[key] = term_id
            elif not (data.get("disambiguation") and glossary.terms[other].data.get("disambiguation")):
                problems.append(Problem(doc.file, doc.line(path),
                                        f"headword or alias is also used by '{other}' (give both a disambiguation)",
                                        form))
    return problems


def check_full_width_numbers(glossary: Glossary) -> list[Problem]:
    """Numbers in headwords and aliases must use ASCII digits and '+', not full-width ones."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        for index, form in enumerate(headword_forms(data)):
            if derive.FULL_WIDTH_NUMBER_RE.search(form):
                path = ("headword",) if index == 0 else ("aliases", index - 1)
                problems.append(Problem(doc.file, doc.line(path),
                                        "numbers must use ASCII digits and '+', not full-width", form))
    return problems


def check_counts(glossary: Glossary) -> list[Problem]:
    """counts must match the numerals of the headword, and the components must add up to them."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        headword = data.get("headword")
        counts = data.get("counts")
        components = data.get("components")
        if not isinstance(headword, str) or derive.FULL_WIDTH_NUMBER_RE.search(headword):
            continue  # full-width numbers are reported by check_full_width_numbers
        slogan = derive.ascii_slogan(headword)
        if counts is None:
            if slogan and isinstance(components, list):
                problems.append(Problem(doc.file, doc.line(("components",)),
                                        "a numbered slogan with components must declare counts", slogan))
            continue
        if not isinstance(counts, list) or not all(_is_count(c) for c in counts):
            continue  # the schema reports counts that are not numbers
        numerals = derive.numerals(headword)
        exact = slogan is not None and derive.counts_string(counts) == slogan.replace("+", "")
        if not exact and not _is_subsequence(counts, numerals):
            problems.append(Problem(doc.file, doc.line(("counts",)),
                                    f"counts must match the numerals of the headword {numerals}",
                                    derive.counts_string(counts)))
            continue
        if not isinstance(components, list):
            problems.append(Problem(doc.file, doc.line(("counts",)), "counts need components", len(counts)))
            continue
        problems += _check_component_tree(doc, counts, components)
    return problems


def _is_count(value) -> bool:
    return value == "N" or (isinstance(value, int) and not isinstance(value, bool))


def _is_subsequence(needle: list, haystack: list) -> bool:
    items = iter(haystack)
    return all(any(n == h for h in items) for n in needle)


def _count_matches(expected, actual: int) -> bool:
    return actual >= 1 if expected == "N" else actual == expected


def _check_component_tree(doc: Document, counts: list, components: list) -> list[Problem]:
    problems = []
    if len(counts) == 1:
        if not _count_matches(counts[0], len(components)):
            problems.append(Problem(doc.file, doc.line(("components",)),
                                    f"components must number {counts[0]} as counts say", len(components)))
    elif len(components) != len(counts):
        problems.append(Problem(doc.file, doc.line(("components",)),
                                f"components must have one part per count ({len(counts)})", len(components)))
    else:
        for index, (expected, part) in enumerate(zip(counts, components)):
            if isinstance(part, dict) and part.get("count") != expected:
                problems.append(Problem(doc.file, doc.line(("components", index)),
                                        f"component count must be {expected} as counts say", part.get("count")))
    for path, part in walk_components(components):
        count, children = part.get("count"), part.get("components")
        if count is not None and isinstance(children, list) and not _count_matches(count, len(children)):
            problems.append(Problem(doc.file, doc.line(path + ("components",)),
                                    f"components must number {count} as the part's count says", len(children)))
    return problems


def check_component_counts_agree(glossary: Glossary) -> list[Problem]:
    """A counted part that points to an entry must agree with that entry's own single count."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        for path, part in walk_components(data.get("components")):
            target = glossary.terms.get(part.get("term")) if isinstance(part.get("term"), str) else None
            if target is None or part.get("count") is None:
                continue
            their = target.data.get("counts")
            if isinstance(their, list) and len(their) == 1 and their[0] != part["count"]:
                problems.append(Problem(doc.file, doc.line(path + ("count",)),
                                        f"count disagrees with counts of '{part['term']}' ({their[0]})", part["count"]))
    return problems


# --- content -------------------------------------------------------------------------------

def check_rendering_sources(glossary: Glossary) -> list[Problem]:
    """An official or common English rendering must say where it is used (source)."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        for index, rendering in enumerate(_items(data.get("english"))):
            if isinstance(rendering, dict) and rendering.get("status") in ("official", "common") \
                    and not rendering.get("source"):
                problems.append(Problem(doc.file, doc.line(("english", index)),
                                        "official and common renderings must have a source", rendering.get("text")))
    return problems


def check_first_seen(glossary: Glossary) -> list[Problem]:
    """first_seen must not be later than the earliest cited source."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        first = data.get("first_seen")
        if first is None or not re.fullmatch(r"\d{4}(-\d\d){0,2}", str(first)):
            continue  # absent or malformed: the schema reports it
        dates = [str(glossary.sources[s["doc"]].get("date"))
                 for s in _items(data.get("sources"))
                 if isinstance(s, dict) and isinstance(s.get("doc"), str) and s["doc"] in glossary.sources]
        dates = [d for d in dates if re.fullmatch(r"\d{4}(-\d\d){0,2}", d)]
        if not dates:
            continue
        earliest = min(dates)
        # compare only as precisely as both are known: 2025 is not later than 2025-03-26
        width = min(len(str(first)), len(earliest))
        if str(first)[:width] > earliest[:width]:
            problems.append(Problem(doc.file, doc.line(("first_seen",)),
                                    f"first_seen must not be later than the earliest source ({earliest})", first))
    return problems


def check_definition_says_more(glossary: Glossary) -> list[Problem]:
    """definition.en must explain, not merely repeat the English rendering."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        definition = data.get("definition")
        english = data.get("english")
        if not (isinstance(definition, dict) and isinstance(definition.get("en"), str) and _items(english)):
            continue
        text = REF_RE.sub(lambda m: m.group(2) or m.group(1), definition["en"]).strip().rstrip(".").casefold()
        renderings = {r["text"].casefold() for r in english if isinstance(r, dict) and isinstance(r.get("text"), str)}
        if text in renderings or len(text) < 40:
            problems.append(Problem(doc.file, doc.line(("definition", "en")),
                                    "definition.en must explain the term, not repeat its rendering", definition["en"]))
    return problems


_RAW_HTML_RE = re.compile(r"<\s*[A-Za-z!/?]")
_LINK_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
# [label]: target, a reference definition: what [text][label] and [label] link to
_REF_TARGET_RE = re.compile(r"\[[^\[\]]*\]:\s*<?([^\s>]*)")


def check_markup(glossary: Glossary) -> list[Problem]:
    """Text must not carry raw HTML, and Markdown links must be http(s) or [[id]] references."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        for path, text in _strings(data):
            if _RAW_HTML_RE.search(text):
                problems.append(Problem(doc.file, doc.line(path), "text must not contain HTML tags", text))
            for target in _LINK_TARGET_RE.findall(text) + _REF_TARGET_RE.findall(text):
                if not re.match(r"https?://", target):
                    problems.append(Problem(doc.file, doc.line(path),
                                            "links must be http(s) URLs or [[id]] references", target))
    return problems


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def check_linking_excludes(glossary: Glossary) -> list[Problem]:
    """linking.exclude entries must contain a form of the term (else they exclude nothing)."""
    problems = []
    for _, doc, data in _term_docs(glossary):
        linking = data.get("linking")
        if not isinstance(linking, dict):
            continue
        forms = {derive.strip_quotes(f) for f in headword_forms(data)}
        for index, context in enumerate(_items(linking.get("exclude"))):
            if isinstance(context, str) and not any(f and f in derive.strip_quotes(context) for f in forms):
                problems.append(Problem(doc.file, doc.line(("linking", "exclude", index)),
                                        "linking.exclude must contain the headword or an alias", context))
    return problems


RULES: list[Callable[[Glossary], list[Problem]]] = [
    check_schema,
    check_key_order,
    check_id_matches_file,
    check_support_files,
    check_category,
    check_place,
    check_sources,
    check_relations,
    check_component_terms,
    check_inline_references,
    check_former_ids,
    check_forms_unique,
    check_full_width_numbers,
    check_counts,
    check_component_counts_agree,
    check_rendering_sources,
    check_first_seen,
    check_definition_says_more,
    check_markup,
    check_linking_excludes,
]


def validate(glossary: Glossary) -> list[Problem]:
    """Run every rule; return all problems, sorted by file and line."""
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(glossary)
    return sorted(set(problems))
