"""Command line of the article linker: link mentions of glossary terms in a Markdown or HTML file.

    build_glossary.py link [FILE|-] [--html] [--base-url URL] [--variant zh-Hans|en|zh-Hant]
                           [--every] [--report json] [--report-file PATH] [-o OUT]

Reads FILE (or standard input when FILE is '-' or missing) as UTF-8 and writes the linked text to
OUT (or standard output), byte for byte the input except for the links inserted. ``--report json``
writes the report (each link made, each homograph met) as JSON to standard error; with
``--report-file PATH`` to that file instead. Exit status: 0 done, 1 the glossary has problems
(listed on standard error), 2 bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from . import GlossaryError, load_checked
from .linker import Linker, link_html, link_markdown, term_url
from .variants import VARIANTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def build_parser(prog: str = "build_glossary.py link") -> argparse.ArgumentParser:
    """The argument parser of the link command."""
    parser = argparse.ArgumentParser(
        prog=prog, description="Link mentions of glossary terms in a Markdown (or HTML) article.",
        epilog="Exit status: 0 done, 1 the glossary has problems, 2 bad arguments or unreadable input.")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE|-",
                        help="the article, UTF-8 (default: standard input)")
    parser.add_argument("--html", action="store_true", help="the article is HTML, not Markdown")
    parser.add_argument("--base-url", default="", metavar="URL",
                        help="site root the links start with (default: none: links read terms/<id>/, "
                             "en/terms/<id>/ …)")
    parser.add_argument("--variant", choices=list(VARIANTS), default="zh-Hans",
                        help="which variant's term pages to link to (default: zh-Hans)")
    parser.add_argument("--every", action="store_true", help="link every mention, not only the first of each term")
    parser.add_argument("--report", choices=["json"], help="write the report as JSON to standard error")
    parser.add_argument("--report-file", metavar="PATH", help="write the JSON report to PATH instead")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="write the linked article here (default: standard output)")
    parser.add_argument("--root", help="project directory holding glossary/ "
                                       "(default: the caller's root, else this checkout)")
    return parser


def main(argv: list[str] | None = None, *, root: Path | None = None, stdin: BinaryIO | None = None,
         stdout: BinaryIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the link command with ``argv`` (without the command name); return the exit status."""
    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout if stdout is not None else sys.stdout.buffer
    stderr = stderr if stderr is not None else sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:       # --help, or a usage error argparse has already explained
        return int(exit_.code or 0)
    project = Path(args.root) if args.root else (root if root is not None else PROJECT_ROOT)
    try:
        term_url(args.base_url, args.variant, "")
    except ValueError as error:
        print(f"link: --base-url: {error}", file=stderr)
        return 2

    try:
        raw = stdin.read() if args.file == "-" else Path(args.file).read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        print(f"link: cannot read {args.file}: {error.strerror or error}", file=stderr)
        return 2
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        print(f"link: {args.file}:{line}: the input must be UTF-8 text", file=stderr)
        return 2

    try:
        linker = Linker.from_glossary(load_checked(project))
    except GlossaryError as error:
        print(error.report(), file=stderr)
        return 1

    link = link_html if args.html else link_markdown
    linked, report = link(text, linker, args.base_url, args.variant, every=args.every)

    output = linked.encode("utf-8")
    try:
        if args.output:
            Path(args.output).write_bytes(output)
        else:
            stdout.write(output)
            stdout.flush()
        if args.report or args.report_file:
            report_text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
            if args.report_file:
                Path(args.report_file).write_text(report_text, encoding="utf-8")
            else:
                stderr.write(report_text)
    except OSError as error:
        print(f"link: cannot write: {error.strerror or error}", file=stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
