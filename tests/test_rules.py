"""Each validation rule, on a small in-memory glossary: one edit, one expected error line."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT
from glossary_core import check_files, read_glossary_dir
from glossary_core.problems import Problem

GOOD = read_glossary_dir(FIXTURES / "good")
ALPHA = "glossary/terms/alpha-slogan.yml"
BETA = "glossary/terms/beta-term.yml"
GAMMA = "glossary/terms/gamma-old.yml"


def edited(path: str, old: str, new: str) -> dict[str, bytes]:
    files = dict(GOOD)
    text = files[path].decode("utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    files[path] = text.replace(old, new, 1).encode("utf-8")
    return files


def problems(files: dict[str, bytes]) -> list[str]:
    return [str(p) for p in check_files(files)[1]]


def test_good_fixture_has_no_problems() -> None:
    assert problems(GOOD) == []


CASES = [
    # (file, old text, new text, the full expected error line)
    (ALPHA, "counts: [2, 1]", "counts: [2, 2]",
     "glossary/terms/alpha-slogan.yml:17: counts must match the numerals of the headword [2, 1] '22'"),
    (ALPHA, "headword: “2+1”示范体系", 'headword: "“2+1”示范体系',
     "glossary/terms/alpha-slogan.yml:3: invalid YAML: unclosed quotation mark"),
    (ALPHA, "  - 二加一体系", "\t- 二加一体系",
     "glossary/terms/alpha-slogan.yml:5: invalid YAML: tabs are not allowed for indentation"),
    (ALPHA, "      - zh: 乙\n        en: part B\n", "",
     "glossary/terms/alpha-slogan.yml:22: components must number 2 as the part's count says '1'"),
    (ALPHA, "    count: 1\n    term: beta-term", "    count: 3\n    term: beta-term",
     "glossary/terms/alpha-slogan.yml:27: component count must be 1 as counts say '3'"),
    (ALPHA, "    term: beta-term", "    term: beta-trem",
     "glossary/terms/alpha-slogan.yml:30: components must name an existing term 'beta-trem'"),
    (ALPHA, "[[beta-term|支撑]]", "[[beta-trem|支撑]]",
     "glossary/terms/alpha-slogan.yml:13: definition.zh must refer to an existing term 'beta-trem'"),
    (ALPHA, "    term: gamma-old", "    term: gamma-gone",
     "glossary/terms/alpha-slogan.yml:41: relations must name an existing term 'gamma-gone'"),
    (ALPHA, "    term: gamma-old", "    term: alpha-slogan",
     "glossary/terms/alpha-slogan.yml:41: relations must not name the entry itself 'alpha-slogan'"),
    (ALPHA, "category: industry", "category: Industry",
     "glossary/terms/alpha-slogan.yml:31: category must name a category in glossary/categories.yml 'Industry'"),
    (ALPHA, "place: anju", "place: mars",
     "glossary/terms/alpha-slogan.yml:33: place must name a place in glossary/places.yml 'mars'"),
    (ALPHA, "level: district", "level: county",
     "glossary/terms/alpha-slogan.yml:32: level must be one of: central, provincial, municipal, district 'county'"),
    (ALPHA, "first_seen: 2020", "first_seen: 2021",
     "glossary/terms/alpha-slogan.yml:34: first_seen must not be later than the earliest source (2020) '2021'"),
    (ALPHA, "first_seen: 2020", "first_seen: spring",
     "glossary/terms/alpha-slogan.yml:34: first_seen must be a year or a date YYYY[-MM[-DD]] 'spring'"),
    (ALPHA, "    note: 11", "    note: 38",
     "glossary/terms/alpha-slogan.yml:37: note must be a note of anju-work-report-2020 (1–37) '38'"),
    (ALPHA, "  - doc: anju-work-report-2020", "  - doc: anju-report",
     "glossary/terms/alpha-slogan.yml:36: sources must name a document in glossary/sources.yml 'anju-report'"),
    (ALPHA, "    source: Fixture press, 2020\n", "",
     "glossary/terms/alpha-slogan.yml:9: official and common renderings must have a source 'two-plus-one system'"),
    (ALPHA, "id: alpha-slogan", "id: alpha-slogan\ncolour: red",
     "glossary/terms/alpha-slogan.yml:3: entry has an unknown key 'colour'"),
    (ALPHA, "id: alpha-slogan\nheadword: “2+1”示范体系", "headword: “2+1”示范体系\nid: alpha-slogan",
     "glossary/terms/alpha-slogan.yml:3: key must come before 'headword' 'id'"),
    (ALPHA, "  - 二加一体系", "  - 旧体系",
     "glossary/terms/gamma-old.yml:3: headword or alias is also used by 'alpha-slogan' (give both a disambiguation) "
     "'旧体系'"),
    (ALPHA, "headword: “2+1”示范体系", "headword: “２+１”示范体系",
     "glossary/terms/alpha-slogan.yml:3: numbers must use ASCII digits and '+', not full-width '“２+１”示范体系'"),
    (BETA, "    term: alpha-slogan", "    term: alpha-slogan\n  - type: has-part\n    term: gamma-old",
     None),
    (GAMMA, "notes:\n", "relations:\n  - type: superseded-by\n    term: alpha-slogan\nnotes:\n",
     "glossary/terms/gamma-old.yml:21: relation is already stated as its inverse in glossary/terms/alpha-slogan.yml "
     "'superseded-by alpha-slogan'"),
    (GAMMA, "  - gamma-legacy", "  - beta-term",
     "glossary/terms/gamma-old.yml:23: former_ids must not be a current term id 'beta-term'"),
    (BETA, "quote: 做好“稳字”工作", "quote: 做好<img src=x onerror=alert(1)>",
     "glossary/terms/beta-term.yml:19: text must not contain HTML tags '做好<img src=x onerror=alert(1)>'"),
    (BETA, "    an asterisk * that is not emphasis.", "    an asterisk and [a link](javascript:alert(1)).",
     "glossary/terms/beta-term.yml:10: links must be http(s) URLs or [[id]] references 'javascript:alert(1'"),
    (GAMMA, "notes:\n", "linking:\n  exclude: [新体系]\nnotes:\n",
     "glossary/terms/gamma-old.yml:20: linking.exclude must contain the headword or an alias '新体系'"),
]


@pytest.mark.parametrize("path, old, new, expected", CASES, ids=[c[3] or "valid-edit" for c in CASES])
def test_rule(path: str, old: str, new: str, expected: str | None) -> None:
    found = problems(edited(path, old, new))
    assert found == ([expected] if expected else [])


def _term_files() -> list[tuple[str, bytes]]:
    """Every term file the tests know: the real glossary, the fixtures and the broken corpus."""
    roots = [ROOT, FIXTURES / "good", FIXTURES / "broken", *sorted((ROOT / "tests" / "broken_corpus").iterdir())]
    found = []
    for root in roots:
        for path in sorted((root / "glossary" / "terms").glob("*.yml")) if (root / "glossary").is_dir() else []:
            found.append((str(path.relative_to(ROOT)), path.read_bytes()))
    return found


def test_compiled_schema_check_agrees_with_jsonschema_on_every_term_file() -> None:
    """check_schema trusts the compiled validator's 'valid': it must never pass what jsonschema fails."""
    from glossary_core.load import parse_yaml
    from glossary_core.validate import _Validator, schema, schema_valid_fast

    validator = _Validator(schema())
    verdicts = {"valid": 0, "invalid": 0}
    data_items: list[object] = []
    for name, raw in _term_files():
        doc, _ = parse_yaml(raw, name)
        if doc is not None:
            data_items.append(doc.data)
    # values that draft 7 and 2020-12 validators have been known to treat differently
    base = data_items[0]
    assert isinstance(base, dict)
    data_items += [{**base, "aliases": [1, True]}, {**base, "counts": [1, 1.0]}, {**base, "counts": [True]},
                   {**base, "aliases": ["a", "a"]}, {**base, "first_seen": 2020.0}, {**base, "extra": None}]
    for data in data_items:
        expected = not any(True for _ in validator.iter_errors(data))
        assert schema_valid_fast(data) == expected, data
        verdicts["valid" if expected else "invalid"] += 1
    assert verdicts["valid"] > 150 and verdicts["invalid"] > 20, verdicts


def _read_all(cases: list[tuple[str, bytes]]) -> list:
    """What parse_yaml makes of each file: (data, lines, problems), or the problems alone."""
    from glossary_core import load

    results = []
    for name, raw in cases:
        doc, problems = load.parse_yaml(raw, name)
        results.append((doc.data, doc.lines, problems) if doc is not None else problems)
    return results


def test_one_walk_builds_what_pyyaml_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_yaml builds the data, lines and duplicate keys in one walk over libyaml's nodes; PyYAML's
    constructor after _record_lines (the path it falls back to) must give the same on every file."""
    from glossary_core import load

    cases = [*_term_files(),
             ("types.yml", b"id: x\nn: 12\nf: 1.5\nb: true\nz: null\nd: 2020-02-01\n2020-01-01: k\n3: v\nl: [1, a]\n"),
             ("bad-date.yml", b"id: x\nfirst_seen: 2020-02-30\n"), ("dup.yml", b"id: x\nid: y\n"),
             ("merge.yml", b"id: x\n<<: {a: 1}\nb: 2\n"), ("key.yml", b"id: x\n? [a, b]\n: c\n"),
             ("deep-after-bad.yml", b"d: 2020-02-30\n" + "".join(" " * i + f"k{i}:\n" for i in range(25)).encode()
              + b" " * 25 + b"x: 1\n")]

    one_walk = _read_all(cases)

    def not_plain(self, node, path):
        raise load._NotPlain
    monkeypatch.setattr(load._Builder, "build", not_plain)
    assert one_walk == _read_all(cases)
    types, bad_date, dup, merge, key, deep = one_walk[-6:]
    assert types[0] == {"id": "x", "n": 12, "f": 1.5, "b": True, "z": None, "d": "2020-02-01",
                        __import__("datetime").date(2020, 1, 1): "k", 3: "v", "l": [1, "a"]}
    assert bad_date == [Problem("bad-date.yml", 2, "dates must be real calendar dates", "2020-02-30")]
    assert dup[2] == [Problem("dup.yml", 2, "duplicate key", "id")]
    assert merge[0] == {"id": "x", "a": 1, "b": 2}
    assert key[0].rule.startswith("invalid YAML")
    assert deep == [Problem("deep-after-bad.yml", 22, "values must not be nested more than 20 levels deep")]


def test_the_loaders_resolver_tags_values_as_pyyamls_does() -> None:
    """_StrictLoader's shorter resolver gives every scalar the tag PyYAML's SafeLoader gives it,
    plain or quoted, and the default tags to lists and mappings."""
    import yaml

    from glossary_core import load

    values = ["", "~", "null", "Null", "NULL", "true", "True", "yes", "No", "on", "OFF", "y", "n", "0", "12",
              "-3", "+4", "0o17", "017", "0x1F", "0b101", "1_000", "190:20:30", "1.5", "-.5", "1e3", "1.0e+3",
              ".inf", "-.Inf", ".nan", ".NaN", "2020-02-01", "2020-2-1", "2020-02-01T10:00:00Z",
              "2020-02-30", "=", "<<", "!x", "&a", "*a", "六稳", "“1336”发展战略", "2+2+1", "122+N",
              "liu wen", "1336", "１３３６", "3.", "-", "+", "."]
    theirs, ours = yaml.SafeLoader(""), load._StrictLoader("")
    for value in values:
        for implicit in ((True, False), (False, True), (False, False)):
            assert ours.resolve(yaml.ScalarNode, value, implicit) == theirs.resolve(yaml.ScalarNode, value, implicit), \
                (value, implicit)
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert ours.resolve(kind, None, (False, False)) == theirs.resolve(kind, None, (False, False))
    assert not load._StrictLoader.yaml_path_resolvers   # what the shorter resolver leaves out
    ours.dispose()


def test_files_read_without_the_events_pass_give_what_it_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_yaml builds plain files (few structure characters, no tags, anchors or document markers)
    without reading them as events first; data, lines and problems must be the same either way."""
    from glossary_core import load

    deep = "".join(" " * i + f"k{i}:\n" for i in range(25)) + " " * 25 + "x: 1\n"   # 26 levels, block style
    cases = [*_term_files(), ("deep.yml", deep.encode()), ("quote.yml", b"id: 'unclosed\nheadword: x\n"),
             ("key.yml", b"id: x\n? [a, b]\n: c\n"), ("dup.yml", b"id: x\nid: y\n")]

    plain = _read_all(cases)
    monkeypatch.setattr(load, "_FEW_STRUCTURE_CHARS", 0)   # every file through the events pass
    assert plain == _read_all(cases)
    assert plain[-4] == [Problem("deep.yml", 21, "values must not be nested more than 20 levels deep")]
    assert plain[-3][0].rule == "invalid YAML: unclosed quotation mark" and plain[-1][2][0].rule == "duplicate key"
