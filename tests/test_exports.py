"""The open-data exports, each read back with the library a consumer would use and compared with the YAML."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from collections import Counter

import pytest
import rdflib
from lxml import etree
from rdflib import RDF, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from translate.storage import tbx

from conftest import FIXTURES, ROOT
from glossary_core import check_files, derive, exports, load_checked, read_glossary_dir
from glossary_core.load import Glossary
from glossary_core.validate import canonical_order

SITE = "https://glossary.example.org/"
# rdflib 7.6's own JSON-LD parser builds a ConjunctiveGraph and warns about it; nothing to act on here
RDFLIB_JSONLD_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
SDO = Namespace("https://schema.org/")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_checked(ROOT)


def stated(glossary: Glossary, kind: str) -> list[tuple[str, str]]:
    """(term, target) for every relation of one type as written in the YAML."""
    return [(tid, rel["term"]) for tid, doc in glossary.terms.items()
            for rel in doc.data.get("relations") or [] if rel["type"] == kind]


def traditional(data: dict) -> str:
    return data.get("traditional") or derive.to_traditional(data["headword"])


def uri(term_id: str) -> URIRef:
    return URIRef(f"{SITE}terms/{term_id}/")


# --- JSON -------------------------------------------------------------------------------------

def test_terms_json_carries_every_entry_as_in_the_yaml(glossary: Glossary) -> None:
    document = json.loads(exports.terms_json(glossary, SITE))
    assert document["term_count"] == len(glossary.terms) == len(document["terms"])
    assert [t["id"] for t in document["terms"]] == sorted(glossary.terms)
    order = canonical_order()
    for record in document["terms"]:
        data = glossary.terms[record["id"]].data
        yaml_part = {k: v for k, v in record.items() if k != "derived"}
        assert yaml_part == data
        assert list(yaml_part) == [k for k in order if k in data]  # canonical key order
        derived = record["derived"]
        assert derived["traditional"] == traditional(data)
        pinyin = data.get("pinyin") or derive.tone_pinyin(data["headword"])
        assert derived["pinyin"] == pinyin
        assert derived["pinyin_toneless"] == derive.toneless(pinyin)
        assert derived["urls"] == {"zh-Hans": f"{SITE}terms/{record['id']}/",
                                   "en": f"{SITE}en/terms/{record['id']}/",
                                   "zh-Hant": f"{SITE}zh-Hant/terms/{record['id']}/"}
        for text in derived["definition_plain"].values():
            assert "[[" not in text
    assert {c["id"] for c in document["categories"]} == set(glossary.categories)
    assert {s["id"] for s in document["sources"]} == set(glossary.sources)


def test_terms_json_derives_the_inverse_of_every_stated_relation(glossary: Glossary) -> None:
    records = {t["id"]: t for t in json.loads(exports.terms_json(glossary, SITE))["terms"]}
    inverse = {"part-of": "has-part", "has-part": "part-of", "supersedes": "superseded-by",
               "superseded-by": "supersedes", "related": "related"}
    checked = 0
    for kind, opposite in inverse.items():
        for source, target in stated(glossary, kind):
            assert {"type": kind, "term": target} in records[source]["derived"]["relations"]
            assert {"type": opposite, "term": source} in records[target]["derived"]["relations"]
            checked += 1
    assert checked > 0


def test_liu_wen_definition_references_become_their_display_text(glossary: Glossary) -> None:
    record = json.loads(exports.term_json(glossary, "liu-wen", SITE))
    plain = record["derived"]["definition_plain"]["en"]
    assert "paired with the six securities (六保), and the two are cited together as 六稳六保." in plain
    assert "[[liu-bao" in record["definition"]["en"]  # the YAML text itself is kept as written


def test_term_json_is_the_entry_of_terms_json(glossary: Glossary) -> None:
    records = {t["id"]: t for t in json.loads(exports.terms_json(glossary, SITE))["terms"]}
    for term_id in glossary.terms:
        assert json.loads(exports.term_json(glossary, term_id, SITE)) == records[term_id]


def test_export_files_lists_every_file_with_the_functions_output(glossary: Glossary) -> None:
    files = exports.export_files(glossary, SITE)
    expected = {"data/terms.json", "data/terms.csv", "data/terms.tbx", "data/terms.ttl", "data/terms.jsonld"}
    expected |= {f"data/terms/{tid}.json" for tid in glossary.terms}
    assert set(files) == expected
    assert files["data/terms.json"] == exports.terms_json(glossary, SITE)
    assert files["data/terms.csv"] == exports.terms_csv(glossary, SITE)
    assert files["data/terms.tbx"] == exports.terms_tbx(glossary, SITE)
    assert files["data/terms.ttl"] == exports.terms_skos_turtle(glossary, SITE)
    assert files["data/terms.jsonld"] == exports.defined_term_set_jsonld(glossary, SITE)
    assert files["data/terms/strategy-1336.json"] == exports.term_json(glossary, "strategy-1336", SITE)


def test_site_root_is_normalised_and_must_be_absolute(glossary: Glossary) -> None:
    assert exports.terms_csv(glossary, SITE.rstrip("/")) == exports.terms_csv(glossary, SITE)
    for bad in ("", "/", "glossary.example.org", "ftp://glossary.example.org/"):
        with pytest.raises(ValueError):
            exports.terms_json(glossary, bad)


# --- CSV --------------------------------------------------------------------------------------

def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_term_with_the_yaml_values(glossary: Glossary) -> None:
    text = exports.terms_csv(glossary, SITE)
    rows = read_csv(text)
    assert text.startswith(",".join(exports.CSV_COLUMNS) + "\r\n")
    assert [r["id"] for r in rows] == sorted(glossary.terms)
    for row in rows:
        data = glossary.terms[row["id"]].data
        assert row["headword"] == data["headword"]
        assert row["traditional"] == traditional(data)
        assert row["aliases"].split(exports.LIST_SEPARATOR) == (data.get("aliases") or [""])
        assert row["english"] == data["english"][0]["text"]
        assert row["english_status"] == data["english"][0]["status"]
        others = [r["text"] for r in data["english"][1:]]
        assert (row["english_other"].split(exports.LIST_SEPARATOR) if row["english_other"] else []) == others
        assert row["definition_zh"] == exports.plain_text(glossary, data["definition"]["zh"], "zh-Hans")
        assert row["definition_en"] == exports.plain_text(glossary, data["definition"]["en"], "en")
        assert "[[" not in row["definition_zh"] + row["definition_en"]
        assert (row["category"], row["level"], row["place"]) == (data["category"], data["level"], data["place"])
        assert row["first_seen"] == str(data["first_seen"])
        assert row["url"] == f"{SITE}terms/{row['id']}/"
        assert row["url_en"] == f"{SITE}en/terms/{row['id']}/"


def test_csv_resolves_references_without_changing_other_text(glossary: Glossary) -> None:
    row = next(r for r in read_csv(exports.terms_csv(glossary, SITE)) if r["id"] == "liu-wen")
    assert row["definition_en"].endswith("paired with the six securities (六保), and the two are cited "
                                         "together as 六稳六保.")
    assert row["definition_zh"] == glossary.terms["liu-wen"].data["definition"]["zh"]


# --- TBX --------------------------------------------------------------------------------------

def test_tbx_read_by_translate_toolkit_matches_the_glossary(glossary: Glossary) -> None:
    store = tbx.tbxfile.parsestring(exports.terms_tbx(glossary, SITE).encode("utf-8"))
    units = {unit.getid(): unit for unit in store.units}
    assert len(store.units) == len(units) == len(glossary.terms)
    assert set(units) == set(glossary.terms)
    for term_id, unit in units.items():
        data = glossary.terms[term_id].data
        aliases = data.get("aliases") or []
        # the langSet order makes zh-Hans → en the pair a tool sees by default
        assert unit.source == data["headword"]
        assert unit.target == data["english"][0]["text"]
        source_terms = unit.get_source_terms()
        assert [t.text for t in source_terms] == [data["headword"], *aliases]
        assert [t.administrative_status for t in source_terms] == \
            ["preferredTerm-admn-sts"] + ["admittedTerm-admn-sts"] * len(aliases)
        english = unit.get_target_terms("en")
        assert [t.text for t in english] == [r["text"] for r in data["english"]]
        assert [t.administrative_status for t in english] == \
            [exports.TBX_STATUS[r["status"]] for r in data["english"]]
        hant = unit.get_target_terms("zh-Hant")
        assert [t.text for t in hant] == list(dict.fromkeys(
            [traditional(data)] + [derive.to_traditional(a) for a in aliases]))
        definitions = {n.text for n in source_terms[0].notes if n.category == "definition"}
        assert definitions == {exports.plain_text(glossary, data["definition"]["zh"], "zh-Hans")}
        definitions = {n.text for n in english[0].notes if n.category == "definition"}
        assert definitions == {exports.plain_text(glossary, data["definition"]["en"], "en")}


def test_tbx_administrative_status_follows_the_rendering_status(glossary: Glossary) -> None:
    root = etree.fromstring(exports.terms_tbx(glossary, SITE).encode("utf-8"))
    seen: Counter = Counter()
    for entry in root.iter("termEntry"):
        data = glossary.terms[entry.get("id")].data
        english = next(ls for ls in entry.iter("langSet") if ls.get(XML_LANG) == "en")
        tigs = english.findall("tig")
        assert len(tigs) == len(data["english"])
        for tig, rendering in zip(tigs, data["english"]):
            status = tig.find("termNote[@type='administrativeStatus']").text
            expected = {"official": "preferredTerm-admn-sts", "common": "admittedTerm-admn-sts",
                        "glossary": "admittedTerm-admn-sts"}[rendering["status"]]
            assert status == expected
            notes = [n.text for n in tig.findall("note")]
            assert notes == ([exports.TBX_GLOSSARY_NOTE] if rendering["status"] == "glossary" else [])
            source = tig.find("admin[@type='source']")
            assert (source.text if source is not None else None) == rendering.get("source")
            seen[rendering["status"]] += 1
        assert entry.find("xref[@type='externalCrossReference']").get("target") == f"{SITE}terms/{entry.get('id')}/"
    assert set(seen) == {"official", "common", "glossary"}  # every branch of the mapping is exercised
    assert root.get(XML_LANG) == "zh-Hans" and root.get("type") == "TBX-Basic"


def test_tbx_cross_references_point_to_term_entries(glossary: Glossary) -> None:
    root = etree.fromstring(exports.terms_tbx(glossary, SITE).encode("utf-8"))
    ids = {entry.get("id") for entry in root.iter("termEntry")}
    refs = [(entry.get("id"), ref.get("target")) for entry in root.iter("termEntry")
            for ref in entry.findall("ref[@type='crossReference']")]
    for source, target in stated(glossary, "part-of") + stated(glossary, "related"):
        assert (source, target) in refs and (target, source) in refs
    assert all(target in ids for _, target in refs)


# --- SKOS -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def skos(glossary: Glossary) -> rdflib.Graph:
    return rdflib.Graph().parse(data=exports.terms_skos_turtle(glossary, SITE), format="turtle")


def test_turtle_is_the_graph_rdflib_builds(glossary: Glossary, skos: rdflib.Graph) -> None:
    """The Turtle is laid out by hand for speed; rdflib reads back exactly the graph it would build."""
    from rdflib.compare import isomorphic

    expected = exports.skos_graph(glossary, SITE)
    assert len(skos) == len(expected) > 15 * len(glossary.terms)
    assert isomorphic(skos, expected)


def labels(graph: rdflib.Graph, subject: URIRef, predicate: URIRef, lang: str) -> set[str]:
    return {str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang}


def test_skos_has_one_concept_per_term_with_its_labels(glossary: Glossary, skos: rdflib.Graph) -> None:
    concepts = set(skos.subjects(RDF.type, SKOS.Concept))
    assert concepts == {uri(tid) for tid in glossary.terms}
    scheme = URIRef(SITE)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in skos
    for term_id, doc in glossary.terms.items():
        data, concept = doc.data, uri(term_id)
        assert labels(skos, concept, SKOS.prefLabel, "zh-Hans") == {data["headword"]}
        assert labels(skos, concept, SKOS.prefLabel, "zh-Hant") == {traditional(data)}
        assert labels(skos, concept, SKOS.prefLabel, "en") == {data["english"][0]["text"]}
        assert labels(skos, concept, SKOS.altLabel, "zh-Hans") == set(data.get("aliases") or [])
        assert labels(skos, concept, SKOS.altLabel, "en") == {r["text"] for r in data["english"][1:]}
        assert labels(skos, concept, SKOS.definition, "en") == \
            {exports.plain_text(glossary, data["definition"]["en"], "en")}
        assert labels(skos, concept, SKOS.definition, "zh-Hans") == \
            {exports.plain_text(glossary, data["definition"]["zh"], "zh-Hans")}
        assert list(skos.objects(concept, SKOS.notation)) == [Literal(term_id)]
        assert list(skos.objects(concept, SKOS.inScheme)) == [scheme]


def test_skos_hierarchy_and_links_follow_the_relations(glossary: Glossary, skos: rdflib.Graph) -> None:
    part_of, has_part = stated(glossary, "part-of"), stated(glossary, "has-part")
    hierarchy = {(uri(a), uri(b)) for a, b in part_of} | {(uri(b), uri(a)) for a, b in has_part}
    assert set(skos.subject_objects(SKOS.broader)) == hierarchy
    assert set(skos.subject_objects(SKOS.narrower)) == {(b, a) for a, b in hierarchy}
    assert len(list(skos.triples((None, SKOS.broader, None)))) == len(part_of) + len(has_part)
    related = stated(glossary, "related") + stated(glossary, "see-also")
    assert set(skos.subject_objects(SKOS.related)) == \
        {(uri(a), uri(b)) for a, b in related} | {(uri(b), uri(a)) for a, b in related}
    replaces = {(uri(a), uri(b)) for a, b in stated(glossary, "supersedes")} | \
        {(uri(b), uri(a)) for a, b in stated(glossary, "superseded-by")}
    assert replaces and set(skos.subject_objects(DCTERMS.replaces)) == replaces
    assert set(skos.subject_objects(DCTERMS.isReplacedBy)) == {(b, a) for a, b in replaces}
    tops = set(skos.objects(URIRef(SITE), SKOS.hasTopConcept))
    assert tops == {uri(t) for t in glossary.terms} - {a for a, _ in hierarchy}


# --- schema.org JSON-LD ------------------------------------------------------------------------

@pytest.mark.filterwarnings(RDFLIB_JSONLD_WARNING)
def test_defined_term_set_parses_offline_with_every_term(glossary: Glossary) -> None:
    graph = rdflib.Graph().parse(data=exports.defined_term_set_jsonld(glossary, SITE), format="json-ld")
    scheme = URIRef(SITE)
    assert (scheme, RDF.type, SDO.DefinedTermSet) in graph
    terms = set(graph.subjects(RDF.type, SDO.DefinedTerm))
    assert terms == {uri(tid) for tid in glossary.terms}
    assert set(graph.objects(scheme, SDO.hasDefinedTerm)) == terms
    for term_id, doc in glossary.terms.items():
        data, term = doc.data, uri(term_id)
        assert labels(graph, term, SDO.name, "zh-Hans") == {data["headword"]}
        assert str(graph.value(term, SDO.termCode)) == term_id
        assert graph.value(term, SDO.url) == term  # an IRI, not a string
        assert graph.value(term, SDO.inDefinedTermSet) == scheme
        assert labels(graph, term, SDO.alternateName, "en") == {r["text"] for r in data["english"]}
        assert labels(graph, term, SDO.description, "en") == \
            {exports.plain_text(glossary, data["definition"]["en"], "en")}


# --- determinism --------------------------------------------------------------------------------

def test_every_export_is_the_same_when_made_twice(glossary: Glossary) -> None:
    first = exports.export_files(glossary, SITE)
    second = exports.export_files(glossary, SITE)
    assert first.keys() == second.keys()
    for path in first:
        assert first[path] == second[path], path


_DIGEST_SCRIPT = """
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from glossary_core import load_checked, exports
files = exports.export_files(load_checked(Path(sys.argv[1])), sys.argv[2])
print(json.dumps({p: hashlib.sha256(t.encode()).hexdigest() for p, t in sorted(files.items())}))
"""


def test_every_export_is_byte_identical_across_processes(glossary: Glossary) -> None:
    digests = []
    for seed in ("1", "2"):  # different hash seeds would expose any set or dict-of-hash ordering
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", _DIGEST_SCRIPT, str(ROOT), SITE],
                                capture_output=True, text=True, env=env, check=True)
        digests.append(json.loads(result.stdout))
    assert digests[0] == digests[1]
    here = exports.export_files(glossary, SITE)
    assert digests[0]["data/terms.ttl"] == hashlib.sha256(here["data/terms.ttl"].encode()).hexdigest()


# --- hostile text -------------------------------------------------------------------------------

HOSTILE = ('Hostile <script>alert(1)</script> "quoted", & ampersand, ]]> cdata end\n'
           'second line, with a comma\r\nthird line\ttab, backslash \\ and """ ending in a quote"')
HOSTILE_EN = 'steady <b>"&]]>\nnext'
HOSTILE_ALIAS = '稳字<i>"&]]>'
BETA = "glossary/terms/beta-term.yml"


def fixture_with(definition: str, english: str, alias: str) -> tuple[Glossary, list]:
    """The good fixture with beta-term's definitions, first rendering and an alias replaced."""
    files = read_glossary_dir(FIXTURES / "good")
    text = files[BETA].decode("utf-8")
    start, end = text.index("definition:\n"), text.index("category:")
    # a JSON string is a YAML double-quoted scalar: every character gets in exactly
    text = text[:start] + f"definition:\n  zh: {json.dumps(definition)}\n  en: {json.dumps(definition)}\n" + text[end:]
    text = text.replace("  - text: steadiness", f"  - text: {json.dumps(english)}")
    text = text.replace("headword: 稳字\n", f"headword: 稳字\naliases:\n  - {json.dumps(alias)}\n")
    files[BETA] = text.encode("utf-8")
    return check_files(files)


@pytest.fixture(scope="module")
def hostile() -> Glossary:
    return fixture_with(HOSTILE, HOSTILE_EN, HOSTILE_ALIAS)[0]


def test_hostile_fixture_holds_the_text_and_fails_only_the_markup_rule() -> None:
    glossary, problems = fixture_with(HOSTILE, HOSTILE_EN, HOSTILE_ALIAS)
    # the validator refuses the tags; the exports must keep such text as text all the same
    assert problems and {p.rule for p in problems} == {"text must not contain HTML tags"}
    data = glossary.terms["beta-term"].data
    assert data["definition"] == {"zh": HOSTILE, "en": HOSTILE}
    assert data["english"][0]["text"] == HOSTILE_EN and data["aliases"] == [HOSTILE_ALIAS]


def test_hostile_text_round_trips_through_json(hostile: Glossary) -> None:
    record = json.loads(exports.term_json(hostile, "beta-term", SITE))
    assert record["definition"] == {"zh": HOSTILE, "en": HOSTILE}
    assert record["derived"]["definition_plain"]["en"] == HOSTILE
    assert record["english"][0]["text"] == HOSTILE_EN and record["aliases"] == [HOSTILE_ALIAS]
    alpha = next(t for t in json.loads(exports.terms_json(hostile, SITE))["terms"] if t["id"] == "alpha-slogan")
    assert f"and {HOSTILE_EN} references" in alpha["derived"]["definition_plain"]["en"]


def test_hostile_text_round_trips_through_csv(hostile: Glossary) -> None:
    rows = read_csv(exports.terms_csv(hostile, SITE))
    assert len(rows) == len(hostile.terms)
    row = next(r for r in rows if r["id"] == "beta-term")
    assert row["definition_zh"] == HOSTILE and row["definition_en"] == HOSTILE
    assert row["english"] == HOSTILE_EN and row["aliases"] == HOSTILE_ALIAS


def test_hostile_text_round_trips_through_tbx(hostile: Glossary) -> None:
    text = exports.terms_tbx(hostile, SITE)
    assert "<script>" not in text and "<b>" not in text
    store = tbx.tbxfile.parsestring(text.encode("utf-8"))
    unit = next(u for u in store.units if u.getid() == "beta-term")
    source_terms = unit.get_source_terms()
    assert [t.text for t in source_terms] == ["稳字", HOSTILE_ALIAS]
    assert {n.text for n in source_terms[0].notes if n.category == "definition"} == {HOSTILE}
    english = unit.get_target_terms("en")
    assert english[0].text == HOSTILE_EN
    assert {n.text for n in english[0].notes if n.category == "definition"} == {HOSTILE}
    hant = unit.get_target_terms("zh-Hant")
    assert {n.text for n in hant[0].notes if n.category == "definition"} == {derive.to_traditional(HOSTILE)}


def test_hostile_text_round_trips_through_turtle(hostile: Glossary) -> None:
    graph = rdflib.Graph().parse(data=exports.terms_skos_turtle(hostile, SITE), format="turtle")
    from rdflib.compare import isomorphic
    assert isomorphic(graph, exports.skos_graph(hostile, SITE))
    concept = uri("beta-term")
    assert labels(graph, concept, SKOS.definition, "en") == {HOSTILE}
    assert labels(graph, concept, SKOS.definition, "zh-Hans") == {HOSTILE}
    assert labels(graph, concept, SKOS.prefLabel, "en") == {HOSTILE_EN}
    assert labels(graph, concept, SKOS.altLabel, "zh-Hans") == {HOSTILE_ALIAS}


@pytest.mark.filterwarnings(RDFLIB_JSONLD_WARNING)
def test_hostile_text_round_trips_through_json_ld(hostile: Glossary) -> None:
    graph = rdflib.Graph().parse(data=exports.defined_term_set_jsonld(hostile, SITE), format="json-ld")
    term = uri("beta-term")
    assert labels(graph, term, SDO.description, "en") == {HOSTILE}
    assert labels(graph, term, SDO.alternateName, "en") == {HOSTILE_EN}
    assert labels(graph, term, SDO.alternateName, "zh-Hans") == {HOSTILE_ALIAS}


def test_tbx_refuses_characters_xml_cannot_carry() -> None:
    glossary, problems = fixture_with("a vertical tab \x0b cannot be written to XML 1.0, even escaped", "steady", "稳")
    assert problems == [] and "\x0b" in glossary.terms["beta-term"].data["definition"]["en"]
    with pytest.raises(ValueError, match="U\\+000B"):
        exports.terms_tbx(glossary, SITE)
    assert "\\u000b" in exports.term_json(glossary, "beta-term", SITE)  # JSON escapes it instead


@pytest.mark.parametrize("text", ['plain', 'a "quoted" word', 'ends with a quote"', 'ends with a backslash\\',
                                  'three """ quotes', 'line\nbreak\r\nand CR', '\\n is not a line break',
                                  "tab\tand 'single'", "六稳“六保”", ""])
def test_turtle_literals_read_back_as_the_text(text: str) -> None:
    """turtle_literal writes what rdflib's Turtle parser reads back as the same string and language."""
    for lang in ("zh-Hans", "en", None):
        document = f"<http://x/s> <http://x/p> {exports.turtle_literal(text, lang)} ."
        (value,) = rdflib.Graph().parse(data=document, format="turtle").objects()
        assert value == rdflib.Literal(text, lang=lang)
