"""Command line and MkDocs hook of the glossary (the one module that knows about MkDocs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from glossary_core import check_files, read_glossary_dir  # noqa: E402


def cmd_check(args: argparse.Namespace) -> int:
    glossary, problems = check_files(read_glossary_dir(Path(args.root)))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found in the glossary", file=sys.stderr)
        return 1
    print(f"glossary OK: {len(glossary.terms)} terms, {len(glossary.sources)} sources, "
          f"{len(glossary.categories)} categories")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_glossary.py", description=__doc__)
    parser.add_argument("--root", default=str(ROOT), help="project directory (default: this file's)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the glossary and report every problem")
    args = parser.parse_args(argv)
    return {"check": cmd_check}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
