"""Bad input: every case in tests/broken_corpus/ (the good fixture with one thing broken) is reported
exactly as its expected.txt says — by the core, by `check` and by `build` — never with a traceback,
and a failed build leaves the previous site exactly as it was.

After an intended change of a message: pytest tests/test_broken_corpus.py --update-golden, then review
every changed line of expected.txt (it must read as a clear instruction to the person editing the file).
How the cases are made: tests/broken_corpus/make_corpus.py.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from glossary_core import check_files, read_glossary_dir

CORPUS = Path(__file__).resolve().parent / "broken_corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def expected_lines(case: str) -> list[str]:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def assert_same_lines(actual: list[str], expected: list[str], what: str) -> None:
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected, actual, "expected.txt", what, lineterm=""))
        pytest.fail(f"{what} does not give the lines of expected.txt:\n{diff}", pytrace=False)


def summary(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''} found in the glossary"


@pytest.fixture
def project(tmp_path: Path, case: str) -> Path:
    """A copy of the project whose glossary/ is the case's."""
    root = tmp_path / "project"
    root.mkdir()
    copy_project(root)
    shutil.rmtree(root / "glossary")
    shutil.copytree(CORPUS / case / "glossary", root / "glossary")
    return root


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(project / "build_glossary.py"), "--root", str(project), *args],
                          capture_output=True, text=True, timeout=120)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` by relative path, files with a hash of their content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        assert (CORPUS / case / "glossary").is_dir(), f"{case} has no glossary/"


@pytest.mark.parametrize("case", CASES)
def test_core_reports_exactly_the_expected_lines(case: str, update_golden: bool) -> None:
    lines = [str(problem) for problem in check_files(read_glossary_dir(CORPUS / case))[1]]
    assert lines, f"{case}: the broken glossary passes the check"
    if update_golden:
        (CORPUS / case / "expected.txt").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert_same_lines(lines, expected_lines(case), f"check_files({case})")


@pytest.mark.parametrize("case", CASES)
def test_check_command_prints_the_expected_lines(case: str, project: Path) -> None:
    expected = expected_lines(case)
    result = run(project, "check")
    assert "Traceback" not in result.stderr, result.stderr
    assert_same_lines(result.stdout.splitlines(), expected, "build_glossary.py check")
    assert result.stderr.strip() == summary(len(expected))
    assert result.returncode == 1


@pytest.mark.parametrize("case", CASES)
def test_build_fails_and_leaves_the_previous_site(case: str, project: Path, tmp_path: Path) -> None:
    expected = expected_lines(case)
    out = tmp_path / "out"
    site = out / "site"
    for path, content in {"index.html": "<h1>术语</h1>", "en/index.html": "<h1>Glossary</h1>",
                          "search/search_index.json": '{"docs": []}', "assets/site.css": "body {}"}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(content, encoding="utf-8")
    before = tree_digest(site)

    result = run(project, "build", "--site-dir", str(site))

    assert "Traceback" not in result.stderr, result.stderr
    assert_same_lines(result.stderr.splitlines(), expected + [summary(len(expected))], "build_glossary.py build")
    assert result.returncode == 1
    assert tree_digest(site) == before, "the failed build changed the previous site"
    assert sorted(p.name for p in out.iterdir()) == ["site"], "the failed build left files beside the site"
