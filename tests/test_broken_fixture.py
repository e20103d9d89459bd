"""The deliberately broken glossary produces exactly the expected error lines."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES, ROOT

BROKEN = FIXTURES / "broken"


def test_check_reports_every_problem_exactly() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build_glossary.py"), "--root", str(BROKEN), "check"],
                            capture_output=True, text=True)
    expected = (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.stdout.splitlines() == expected
    assert result.stderr.strip() == f"{len(expected)} problems found in the glossary"
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_good_fixture_is_clean() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build_glossary.py"), "--root", str(FIXTURES / "good"),
                             "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("glossary OK: 3 terms")
