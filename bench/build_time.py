"""Benchmark: build time of the three variants for the real glossary, and the share of it
spent in the glossary's own code (load + validate + render), measured in the same runs.

    .venv/bin/python bench/build_time.py [--runs 3]

Numbers are machine-dependent: compare the share, not the seconds, across machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build_glossary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    walls, per_variant = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            started = time.perf_counter()
            report = build_glossary.build_site(ROOT, Path(tmp) / "site", quiet=True)
            walls.append(time.perf_counter() - started)
            for code, timing in report.items():
                per_variant.setdefault(code, []).append(timing)
    print(f"runs: {args.runs}; whole build (3 variants side by side): median {statistics.median(walls):.2f} s")
    print(f"{'variant':8} {'mkdocs build s':>15} {'glossary code s':>16} {'share':>7}")
    totals = {code: statistics.median(t["total"] for t in timings) for code, timings in per_variant.items()}
    owns = {code: statistics.median(t["glossary"] for t in timings) for code, timings in per_variant.items()}
    for code in totals:
        if code != "check":
            print(f"{code:8} {totals[code]:15.2f} {owns[code]:16.3f} {owns[code] / totals[code]:7.1%}")
    builds = sum(total for code, total in totals.items() if code != "check")
    print(f"check and preparation before the builds: {owns['check']:.3f} s; "
          f"all glossary code against all three builds: {sum(owns.values()) / builds:.1%}")


if __name__ == "__main__":
    main()
