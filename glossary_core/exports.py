"""The glossary as open data: JSON, CSV, TBX, SKOS (Turtle) and schema.org JSON-LD.

Pure: every function takes a validated glossary and the site root URL and returns text; nothing
is written anywhere. The canonical key order comes from the entry schema, which validation has
already loaded. Every output is deterministic (no timestamps, no set or hash order), so that two
builds of the same data give byte-identical files.

Every term has one URI, the page of the Simplified Chinese variant: ``<root>terms/<id>/``; the
glossary as a whole (SKOS concept scheme, schema.org DefinedTermSet) is ``<root>``.

TBX administrativeStatus: a Chinese headword (simplified or traditional) is preferredTerm-admn-sts,
an alias admittedTerm-admn-sts. An English rendering maps by its status: official →
preferredTerm-admn-sts; common → admittedTerm-admn-sts; glossary (this glossary's own rendering) →
admittedTerm-admn-sts plus a <note> saying so (TBX_GLOSSARY_NOTE). The glossary's own preference is kept
as order: the first English <tig> is the rendering the site marks as preferred, whatever its status.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

import orjson
from lxml import etree as ET  # the ElementTree API; serialises in C
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from . import derive
from .load import Glossary
from .render import computed_relations, term_view
from .validate import REF_RE, schema
from .variants import SITE_NAME, VARIANTS

FORMAT_VERSION = 1
# Scripts of the exported Chinese text, as BCP 47 tags (the site variants' codes)
HANS, HANT, EN = "zh-Hans", "zh-Hant", "en"
LIST_SEPARATOR = " | "  # joins several values in one CSV cell

TBX_PREFERRED = "preferredTerm-admn-sts"
TBX_ADMITTED = "admittedTerm-admn-sts"
# TBX administrativeStatus of an English rendering: attested renderings keep their standing;
# this glossary's own rendering is admitted (usable) and a note says whose it is.
TBX_STATUS = {"official": TBX_PREFERRED, "common": TBX_ADMITTED, "glossary": TBX_ADMITTED}
TBX_GLOSSARY_NOTE = "Rendering proposed by this glossary (status: glossary), not an official or common one."

# part-of/has-part become SKOS hierarchy, supersedes/superseded-by Dublin Core replacement
SKOS_RELATION = {
    "part-of": SKOS.broader,
    "has-part": SKOS.narrower,
    "related": SKOS.related,
    "see-also": SKOS.related,
    "supersedes": DCTERMS.replaces,
    "superseded-by": DCTERMS.isReplacedBy,
}
SCHEMA_ORG = "https://schema.org/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters XML 1.0 cannot carry at all, even escaped
_XML_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

CSV_COLUMNS = [
    "id", "headword", "traditional", "pinyin", "pinyin_toneless", "aliases",
    "english", "english_status", "english_other", "definition_zh", "definition_en",
    "category", "level", "place", "first_seen", "url", "url_en", "url_zh_hant",
]


# --- shared derivations ----------------------------------------------------------------------

def normalized_root(site_root: str) -> str:
    """The site root as an absolute http(s) URL ending in '/'; exports need absolute URIs."""
    parts = urlsplit(site_root)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"site root must be an absolute http(s) URL, not {site_root!r}")
    return site_root.rstrip("/") + "/"


def term_urls(site_root: str, term_id: str) -> dict[str, str]:
    """The permalink of a term in every site variant, keyed by variant code."""
    root = normalized_root(site_root)
    return {code: f"{root}{variant.prefix}terms/{term_id}/" for code, variant in VARIANTS.items()}


def term_uri(site_root: str, term_id: str) -> str:
    """The one identifier of a term: its Simplified Chinese page (its URL in term_urls)."""
    return f"{normalized_root(site_root)}{VARIANTS[HANS].prefix}terms/{term_id}/"


def plain_text(glossary: Glossary, text: str, script: str) -> str:
    """Entry text with [[id]] / [[id|text]] resolved to display text, in zh-Hans, zh-Hant or en."""
    # every export and the hover cards ask for the same texts
    return glossary.kept(("plain_text", text, script), lambda: _plain_text(glossary, text, script))


def _plain_text(glossary: Glossary, text: str, script: str) -> str:
    convert = derive.to_traditional if script == HANT else (lambda s: s)
    pieces, last = [], 0
    for match in REF_RE.finditer(text):
        pieces.append(convert(text[last:match.start()]))
        display = match.group(2)
        if display is not None:
            pieces.append(convert(display))
        else:
            view = term_view(glossary, match.group(1).strip(), VARIANTS[HANS])
            pieces.append({HANS: view.headword, HANT: view.traditional, EN: view.english}[script])
        last = match.end()
    pieces.append(convert(text[last:]))
    return "".join(pieces)


def traditional_aliases(data: dict) -> list[str]:
    """The aliases in Traditional characters (OpenCC, as the zh-Hant site shows them)."""
    return [derive.to_traditional(alias) for alias in data.get("aliases") or []]


def _in_schema_order(value: Any, node: dict, defs: dict) -> Any:
    """A copy of entry data with every mapping's keys in the order the schema lists them."""
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    # only mappings and lists are copied: most values are strings, kept as they are without a call
    if isinstance(value, dict):
        properties = node.get("properties", {})
        keys = [k for k in properties if k in value]
        if len(keys) < len(value):   # keys the schema does not list (derived values) come last, sorted
            keys += sorted(value.keys() - properties.keys())
        return {k: _in_schema_order(value[k], properties.get(k, {}), defs) if isinstance(value[k], (dict, list))
                else value[k] for k in keys}
    if isinstance(value, list):
        items = node.get("items", {})
        return [_in_schema_order(item, items, defs) if isinstance(item, (dict, list)) else item for item in value]
    return value


def _relations_of(relations: dict[str, list[tuple[str, str]]], term_id: str) -> list[dict[str, str]]:
    """A term's stated and computed relations as JSON objects, sorted."""
    return [{"type": kind, "term": target} for kind, target in sorted(relations.get(term_id, []))]


# --- JSON ------------------------------------------------------------------------------------

def _term_record(glossary: Glossary, term_id: str, root: str,
                 relations: dict[str, list[tuple[str, str]]]) -> dict:
    """One entry: the YAML data in canonical order plus a ``derived`` object of computed values."""
    entry_schema = schema()
    data = glossary.terms[term_id].data
    view = term_view(glossary, term_id, VARIANTS[HANS])
    record = _in_schema_order(data, entry_schema, entry_schema.get("$defs", {}))
    # derived values live apart: 'traditional' and 'pinyin' are also (optional) YAML keys
    record["derived"] = {
        "traditional": view.traditional,
        "traditional_aliases": traditional_aliases(data),
        "pinyin": view.pinyin,
        "pinyin_toneless": derive.toneless(view.pinyin),
        "definition_plain": {script: plain_text(glossary, data["definition"][lang], script)
                             for script, lang in ((HANS, "zh"), (HANT, "zh"), (EN, "en"))},
        "relations": _relations_of(relations, term_id),
        "urls": term_urls(root, term_id),
    }
    return record


def _dump_json(value: Any, sort_keys: bool = False) -> str:
    """JSON text as the files carry it: UTF-8 characters, two-space indent, final newline.

    orjson writes the same text as ``json.dumps(indent=2, ensure_ascii=False)`` many times faster
    (the standard library's indented output is pure Python); json takes over for what orjson
    refuses, such as integers beyond 64 bits."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 | (orjson.OPT_SORT_KEYS if sort_keys else 0)).decode() \
            + "\n"
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"


def _term_records(glossary: Glossary, root: str) -> dict[str, dict]:
    """Every entry's JSON record, by id, in id order."""
    relations = computed_relations(glossary)
    return {tid: _term_record(glossary, tid, root, relations) for tid in sorted(glossary.terms)}


def terms_json(glossary: Glossary, site_root: str, records: dict[str, dict] | None = None) -> str:
    """All entries, with the support tables they refer to, as one JSON document."""
    root = normalized_root(site_root)
    if records is None:
        records = _term_records(glossary, root)
    document = {
        "format_version": FORMAT_VERSION,
        "generated_from": "glossary/terms/*.yml, glossary/sources.yml, glossary/categories.yml, glossary/places.yml",
        "name": dict(SITE_NAME),
        "site": root,
        "term_count": len(glossary.terms),
        "terms": list(records.values()),
        "categories": list(glossary.categories.values()),
        "places": list(glossary.places.values()),
        "sources": list(glossary.sources.values()),
    }
    return _dump_json(document)


def term_json(glossary: Glossary, term_id: str, site_root: str) -> str:
    """One entry, in the same shape as in terms.json."""
    root = normalized_root(site_root)
    return _dump_json(_term_record(glossary, term_id, root, computed_relations(glossary)))


# --- CSV -------------------------------------------------------------------------------------

def terms_csv(glossary: Glossary, site_root: str) -> str:
    """One row per term (RFC 4180: CRLF rows, quoted fields); definitions with references resolved."""
    root = normalized_root(site_root)
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for term_id in sorted(glossary.terms):
        data = glossary.terms[term_id].data
        view = term_view(glossary, term_id, VARIANTS[HANS])
        urls = term_urls(root, term_id)
        writer.writerow({
            "id": term_id,
            "headword": view.headword,
            "traditional": view.traditional,
            "pinyin": view.pinyin,
            "pinyin_toneless": derive.toneless(view.pinyin),
            "aliases": LIST_SEPARATOR.join(data.get("aliases") or []),
            "english": data["english"][0]["text"],
            "english_status": data["english"][0]["status"],
            "english_other": LIST_SEPARATOR.join(r["text"] for r in data["english"][1:]),
            "definition_zh": plain_text(glossary, data["definition"]["zh"], HANS),
            "definition_en": plain_text(glossary, data["definition"]["en"], EN),
            "category": data["category"],
            "level": data["level"],
            "place": data["place"],
            "first_seen": str(data["first_seen"]),
            "url": urls[HANS],
            "url_en": urls[EN],
            "url_zh_hant": urls[HANT],
        })
    return out.getvalue()


# --- TBX -------------------------------------------------------------------------------------

def _xml_text(text: str, where: str) -> str:
    """Text for an XML element; refuses characters that XML 1.0 cannot represent."""
    bad = _XML_ILLEGAL_RE.search(text)
    if bad:
        raise ValueError(f"{where}: character U+{ord(bad.group()):04X} cannot be written to XML")
    return text


def _sub(parent: ET.Element, tag: str, text: str | None = None, where: str = "", **attrs: str) -> ET.Element:
    """A new child element; ``where`` names the value in an error about unwritable characters."""
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _xml_text(text, where)
    return element


def _tig(lang_set: ET.Element, term: str, status: str, where: str) -> ET.Element:
    """A term with its administrativeStatus."""
    tig = _sub(lang_set, "tig")
    _sub(tig, "term", term, where)
    _sub(tig, "termNote", status, type="administrativeStatus")
    return tig


def _chinese_lang_set(entry: ET.Element, lang: str, headword: str, aliases: Iterable[str],
                      definition: str, where: str) -> None:
    """A Chinese langSet: definition, the headword (preferred), then the aliases (admitted)."""
    lang_set = _sub(entry, "langSet", **{XML_LANG: lang})
    _sub(lang_set, "descrip", definition, f"{where} definition", type="definition")
    _tig(lang_set, headword, TBX_PREFERRED, f"{where} headword")
    for alias in dict.fromkeys(a for a in aliases if a != headword):
        _tig(lang_set, alias, TBX_ADMITTED, f"{where} alias")


def terms_tbx(glossary: Glossary, site_root: str) -> str:
    """TBX-Basic (TBX v2): a termEntry per term, langSets zh-Hans, en, zh-Hant; statuses as TBX_STATUS."""
    root = normalized_root(site_root)
    relations = computed_relations(glossary)
    martif = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: HANS})
    header = _sub(martif, "martifHeader")
    file_desc = _sub(header, "fileDesc")
    _sub(_sub(file_desc, "titleStmt"), "title", f"{SITE_NAME['zh']} / {SITE_NAME['en']}")
    _sub(_sub(file_desc, "sourceDesc"), "p", f"Generated from the glossary's YAML entries; site {root}")
    _sub(_sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = _sub(_sub(martif, "text"), "body")
    for term_id in sorted(glossary.terms):
        data = glossary.terms[term_id].data
        view = term_view(glossary, term_id, VARIANTS[HANS])
        entry = _sub(body, "termEntry", id=term_id)
        category = glossary.categories[data["category"]]["en"]
        _sub(entry, "descrip", category, f"{term_id} category", type="subjectField")
        for target in sorted({target for _, target in relations.get(term_id, [])}):
            _sub(entry, "ref", glossary.terms[target].data["headword"], f"{term_id} relation",
                 type="crossReference", target=target)
        url = term_uri(root, term_id)
        _sub(entry, "xref", url, f"{term_id} url", type="externalCrossReference", target=url)
        _chinese_lang_set(entry, HANS, view.headword, data.get("aliases") or [],
                          plain_text(glossary, data["definition"]["zh"], HANS), term_id)
        english = _sub(entry, "langSet", **{XML_LANG: EN})
        _sub(english, "descrip", plain_text(glossary, data["definition"]["en"], EN), f"{term_id} definition",
             type="definition")
        for rendering in data["english"]:
            tig = _tig(english, rendering["text"], TBX_STATUS[rendering["status"]], f"{term_id} english")
            if rendering.get("source"):
                _sub(tig, "admin", rendering["source"], f"{term_id} english source", type="source")
            if rendering["status"] == "glossary":
                _sub(tig, "note", TBX_GLOSSARY_NOTE)
        _chinese_lang_set(entry, HANT, view.traditional, traditional_aliases(data),
                          plain_text(glossary, data["definition"]["zh"], HANT), term_id)
    ET.indent(martif)
    # lxml writes a carriage return in text as &#13;, which XML parsers read back as it was
    xml = ET.tostring(martif, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n' + xml + "\n")


# --- SKOS ------------------------------------------------------------------------------------

Triple = tuple[URIRef, URIRef, Any]
# What a literal is made as: an rdflib Literal for the graph, Turtle text for the Turtle file
MakeLiteral = Callable[[str, "str | None"], Any]


def _rdflib_literal(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang)


def turtle_literal(text: str, lang: str | None = None) -> str:
    """A literal as Turtle text (STRING_LITERAL_QUOTE: all but " \\ LF CR as they are, those four
    escaped), without making an rdflib Literal for each label and definition. A plain str: the
    IRIs beside it are URIRefs. The tests parse it back with rdflib."""
    # str.replace scans in C; str.translate looks up every character of Chinese text in a dict
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _label_triples(subject: URIRef, predicate: URIRef, texts: Iterable[str], lang: str,
                   exclude: str | None, literal: MakeLiteral) -> Iterator[Triple]:
    """Language-tagged labels, each once, leaving out ``exclude`` (the preferred label)."""
    for text in dict.fromkeys(texts):
        if text != exclude:  # SKOS: a label is either preferred or alternative, never both
            yield subject, predicate, literal(text, lang)


# rdflib looks a namespace's terms up on every attribute access: the SKOS terms used, looked up once
_CONCEPT_SCHEME, _CONCEPT, _IN_SCHEME, _NOTATION = SKOS.ConceptScheme, SKOS.Concept, SKOS.inScheme, SKOS.notation
_PREF_LABEL, _ALT_LABEL, _RELATED = SKOS.prefLabel, SKOS.altLabel, SKOS.related
_HAS_TOP_CONCEPT, _TOP_CONCEPT_OF = SKOS.hasTopConcept, SKOS.topConceptOf
_NOTE_FIELDS = (("definition", SKOS.definition), ("disambiguation", SKOS.scopeNote),
                ("notes", SKOS.editorialNote))


def skos_triples(glossary: Glossary, site_root: str, literal: MakeLiteral = _rdflib_literal) -> Iterator[Triple]:
    """The glossary as a SKOS concept scheme, triple by triple; ``literal(text, lang)`` makes the literals."""
    root = normalized_root(site_root)
    scheme = URIRef(root)
    yield scheme, RDF.type, _CONCEPT_SCHEME
    yield scheme, _PREF_LABEL, literal(SITE_NAME["zh"], HANS)
    yield scheme, _PREF_LABEL, literal(derive.to_traditional(SITE_NAME["zh"]), HANT)
    yield scheme, _PREF_LABEL, literal(SITE_NAME["en"], EN)
    relations = computed_relations(glossary)
    concepts = {term_id: URIRef(term_uri(root, term_id)) for term_id in sorted(glossary.terms)}
    for term_id, concept in concepts.items():
        data = glossary.terms[term_id].data
        view = term_view(glossary, term_id, VARIANTS[HANS])
        yield concept, RDF.type, _CONCEPT
        yield concept, _IN_SCHEME, scheme
        yield concept, _NOTATION, literal(term_id, None)
        yield concept, _PREF_LABEL, literal(view.headword, HANS)
        yield concept, _PREF_LABEL, literal(view.traditional, HANT)
        yield concept, _PREF_LABEL, literal(view.english, EN)
        yield from _label_triples(concept, _ALT_LABEL, data.get("aliases") or [], HANS, view.headword, literal)
        yield from _label_triples(concept, _ALT_LABEL, traditional_aliases(data), HANT, view.traditional, literal)
        yield from _label_triples(concept, _ALT_LABEL, [r["text"] for r in data["english"][1:]], EN,
                                  view.english, literal)
        for field, predicate in _NOTE_FIELDS:
            if data.get(field):
                for script, lang in ((HANS, "zh"), (HANT, "zh"), (EN, "en")):
                    yield concept, predicate, literal(plain_text(glossary, data[field][lang], script), script)
        # computed relations carry both directions, so each concept states its own side
        top = True
        for kind, target in relations.get(term_id, []):
            yield concept, SKOS_RELATION[kind], concepts[target]
            if kind == "see-also":  # skos:related is symmetric; see-also is stated one way only
                yield concepts[target], _RELATED, concept
            top = top and kind != "part-of"
        if top:
            yield scheme, _HAS_TOP_CONCEPT, concept
            yield concept, _TOP_CONCEPT_OF, scheme


def skos_graph(glossary: Glossary, site_root: str) -> Graph:
    """The glossary as a SKOS concept scheme (rdflib graph)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in TURTLE_PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in skos_triples(glossary, site_root):
        graph.add(triple)
    return graph


TURTLE_PREFIXES = {"dcterms": DCTERMS, "rdf": RDF, "skos": SKOS}


@functools.lru_cache(maxsize=256)
def _turtle_predicate(predicate: URIRef) -> str:
    for prefix, namespace in TURTLE_PREFIXES.items():
        if predicate.startswith(str(namespace)):
            return "a" if predicate == RDF.type else f"{prefix}:{predicate[len(str(namespace)):]}"
    return predicate.n3()


_SKOS = str(SKOS)


def _turtle_object(value: URIRef | str) -> str:
    if type(value) is str:   # already Turtle (turtle_literal)
        return value
    return _turtle_predicate(value) if value.startswith(_SKOS) else value.n3()


def terms_skos_turtle(glossary: Glossary, site_root: str) -> str:
    """The SKOS concept scheme in Turtle: subjects, predicates and objects sorted, one block per subject.

    rdflib writes the IRIs (``n3()``), turtle_literal the literals; the layout is done here, because
    rdflib's Turtle serializer takes seconds on a few thousand terms. The tests parse the text back
    with rdflib and compare it with ``skos_graph``."""
    by_subject: dict[URIRef, dict[str, set[str]]] = {}
    for subject, predicate, value in skos_triples(glossary, site_root, turtle_literal):
        by_subject.setdefault(subject, {}).setdefault(_turtle_predicate(predicate), set()).add(_turtle_object(value))
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in TURTLE_PREFIXES.items()] + [""]
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        order = sorted(predicates, key=lambda p: (p != "a", p))
        lines.append(subject.n3())
        for number, predicate in enumerate(order):
            objects = sorted(predicates[predicate])
            end = " ." if number == len(order) - 1 else " ;"
            lines.append(f"    {predicate} " + (",\n        ".join(objects)) + end)
        lines.append("")
    return "\n".join(lines)


# --- schema.org JSON-LD ----------------------------------------------------------------------

def _tagged(texts: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """JSON-LD language-tagged values from (text, lang) pairs, duplicates dropped."""
    return [{"@value": text, "@language": lang} for text, lang in dict.fromkeys(texts)]


def defined_term_set_jsonld(glossary: Glossary, site_root: str) -> str:
    """A schema.org DefinedTermSet with every DefinedTerm; the context is inline, so no fetch is needed."""
    root = normalized_root(site_root)
    context = {
        "@vocab": SCHEMA_ORG,
        "url": {"@type": "@id"},
        "inDefinedTermSet": {"@type": "@id"},
    }
    terms = []
    for term_id in sorted(glossary.terms):
        data = glossary.terms[term_id].data
        view = term_view(glossary, term_id, VARIANTS[HANS])
        alternate = [(view.traditional, HANT)] + [(a, HANS) for a in data.get("aliases") or []] \
            + [(a, HANT) for a in traditional_aliases(data)] + [(r["text"], EN) for r in data["english"]]
        uri = term_uri(root, term_id)
        terms.append({
            "@id": uri,
            "@type": "DefinedTerm",
            "termCode": term_id,
            "name": _tagged([(view.headword, HANS)]),
            "alternateName": _tagged(pair for pair in alternate if pair != (view.headword, HANS)),
            "description": _tagged((plain_text(glossary, data["definition"][lang], script), script)
                                   for script, lang in ((HANS, "zh"), (HANT, "zh"), (EN, "en"))),
            "url": uri,
            "inDefinedTermSet": root,
        })
    document = {
        "@context": context,
        "@id": root,
        "@type": "DefinedTermSet",
        "name": _tagged([(SITE_NAME["zh"], HANS), (derive.to_traditional(SITE_NAME["zh"]), HANT),
                         (SITE_NAME["en"], EN)]),
        "url": root,
        "hasDefinedTerm": terms,
    }
    return _dump_json(document, sort_keys=True)


# --- all files -------------------------------------------------------------------------------

def export_files(glossary: Glossary, site_root: str) -> dict[str, str]:
    """Every export as {site-relative path: text}."""
    root = normalized_root(site_root)
    records = _term_records(glossary, root)
    files = {
        "data/terms.json": terms_json(glossary, root, records),
        "data/terms.csv": terms_csv(glossary, root),
        "data/terms.tbx": terms_tbx(glossary, root),
        "data/terms.ttl": terms_skos_turtle(glossary, root),
        "data/terms.jsonld": defined_term_set_jsonld(glossary, root),
    }
    for term_id, record in records.items():
        files[f"data/terms/{term_id}.json"] = _dump_json(record)
    return files
