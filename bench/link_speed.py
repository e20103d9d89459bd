"""Benchmark: the article linker (glossary_core/linker.py) on a ~1 MB Markdown article.

Links the same article against the real glossary and against a synthetic glossary of 10,000
terms, each with the Aho–Corasick matcher and with a baseline doing the same job with one regular
expression: the alternation of every form, longest first. Reports the time to build each matcher,
the time to link, the throughput and the ratio baseline / Aho–Corasick, and whether the two
produced the same output.

    .venv/bin/python bench/link_speed.py [--size-mb 1.0] [--terms 10000] [--runs 3]

A baseline that would take more than 5 s is run once rather than --runs times; one that would take
longer than --baseline-budget seconds is measured on a fiftieth of the article and scaled (marked ~).
Numbers are machine-dependent; the ratio is what to compare across machines.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
sys.path.insert(0, str(ROOT))

from glossary_core import derive, load_checked  # noqa: E402
from glossary_core.linker import Linker, Mention, TermForms, link_markdown  # noqa: E402

CJK_RE = re.compile(r"[\u4e00-\u9fff]{3,}")


def seed_paragraphs() -> list[str]:
    """The non-empty lines of the seed documents, in file order."""
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        paragraphs += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return paragraphs


def build_article(paragraphs: list[str], size_bytes: int, seed: int = 1) -> str:
    """A deterministic Markdown article of about ``size_bytes`` UTF-8 bytes made of seed paragraphs,
    with the constructs the linker must step around: headings, lists, code, links, HTML, quotes."""
    rng = random.Random(seed)
    parts = ["---\ntitle: 安居区政策文件选段\n---\n\n"]
    size = len(parts[0].encode("utf-8"))
    section = 0
    while size < size_bytes:
        if section % 12 == 0:
            block = f"## 第{section // 12 + 1}部分 {rng.choice(paragraphs)[:12]}\n\n"
        else:
            paragraph = rng.choice(paragraphs)
            kind = rng.randrange(10)
            if kind == 0:
                block = f"- {paragraph}\n- {rng.choice(paragraphs)}\n\n"
            elif kind == 1:
                block = f"```text\n{paragraph}\n```\n\n"
            elif kind == 2:
                cut = len(paragraph) // 2
                block = f"{paragraph[:cut]}`{paragraph[cut:cut + 6]}`{paragraph[cut + 6:]}\n\n"
            elif kind == 3:
                cut = len(paragraph) // 3
                link = f"[{paragraph[cut:cut + 8]}](https://example.org/a/{section})"
                block = f"{paragraph[:cut]}{link}{paragraph[cut + 8:]}\n\n"
            elif kind == 4:
                block = f"> {paragraph}\n\n"
            elif kind == 5:
                block = f'<span title="{paragraph[:10]}">{paragraph}</span>\n\n'
            else:
                block = paragraph + "\n\n"
        parts.append(block)
        size += len(block.encode("utf-8"))
        section += 1
    return "".join(parts)


def synthetic_terms(paragraphs: list[str], count: int, seed: int = 7) -> list[TermForms]:
    """``count`` deterministic fake entries: a third are phrases of the seed text (so they occur),
    the rest random strings of its characters; some quoted, some numbered, some with aliases,
    excludes or short forms."""
    rng = random.Random(seed)
    text = "".join(paragraphs)
    runs = CJK_RE.findall(text)
    alphabet = sorted({c for run in runs for c in run})
    seen: set[str] = set()

    def fresh(make: Callable[[], str]) -> str:
        while True:
            form = make()
            if derive.strip_quotes(form) not in seen:
                seen.add(derive.strip_quotes(form))
                return form

    def phrase() -> str:
        run = rng.choice(runs)
        length = min(len(run), rng.randint(3, 6))
        start = rng.randrange(len(run) - length + 1)
        return run[start:start + length]

    def invented() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 7)))

    terms = []
    for index in range(count):
        headword = fresh(phrase if index % 3 == 0 else invented)
        if index % 10 == 1:
            headword = f"“{rng.randint(1, 999)}”{headword}"
        elif index % 10 == 2:
            headword = f"“{headword[:2]}”{headword[2:]}"
        aliases = (fresh(invented),) if index % 4 == 0 else ()
        excludes = (derive.strip_quotes(headword) + rng.choice(alphabet),) if index % 25 == 0 else ()
        if index % 50 == 0:
            aliases += (fresh(lambda: "".join(rng.choice(alphabet) for _ in range(2))),)
        terms.append(TermForms(f"synthetic-{index:05d}", (headword,), aliases, excludes, index % 50 == 0))
    return terms


class RegexLinker(Linker):
    """The baseline: the same forms and rules, found with one alternation, longest form first."""

    def _build_matcher(self) -> None:
        self._pid = {p.text: pid for pid, p in enumerate(self.patterns)}
        self._check = [self._needs_check(p) for p in self.patterns]
        forms = sorted(self._pid, key=lambda form: (-len(form), form))
        self._regex = re.compile("|".join(map(re.escape, forms))) if forms else None

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        end = len(text) if end is None else end
        if self._regex is None:
            return []
        found = []
        for match in self._regex.finditer(text, start, end):
            pid = self._pid[match.group()]
            pattern = self.patterns[pid]
            owners = pattern.owners
            if self._check[pid]:
                owners = self._accept(text, match.start(), match.end(), pid, start, end)
                if not owners:
                    continue
            found.append(Mention(match.start(), match.end(), pattern.text, pattern.choose(owners), owners))
        return found


def timed(function: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``runs`` calls, and the last result.

    CPU time is this process's alone: on a busy machine it is the steadier of the two.
    """
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def build(cls: type[Linker], terms: list[TermForms], runs: int) -> tuple[float, float, Linker]:
    """Median seconds (wall, CPU) to build a matcher from scratch, OpenCC's cache emptied each time."""
    def fresh() -> Linker:
        derive.to_traditional.cache_clear()
        return cls(terms)
    return timed(fresh, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-budget", type=float, default=60.0,
                        help="seconds a single baseline run may take before it is measured on a prefix")
    args = parser.parse_args()

    paragraphs = seed_paragraphs()
    article = build_article(paragraphs, int(args.size_mb * 1_000_000))
    megabytes = len(article.encode("utf-8")) / 1_000_000
    glossary = load_checked(ROOT)
    real = [TermForms.from_entry(term_id, doc.data) for term_id, doc in glossary.terms.items()]
    synthetic = synthetic_terms(paragraphs, args.terms)
    print(f"article: {megabytes:.2f} MB UTF-8, {len(article):,} characters; runs: {args.runs} (median)")

    rows = []
    for name, terms in ((f"real ({len(real)} terms)", real), (f"synthetic ({len(synthetic):,} terms)", synthetic)):
        ac_build, ac_build_cpu, ac = build(Linker, terms, args.runs)
        re_build, _, baseline = build(RegexLinker, terms, 1)
        ac_time, ac_cpu, (ac_text, ac_report) = timed(lambda: link_markdown(article, ac, every=True), args.runs)
        # the baseline on a prefix first, to see whether a whole run fits the budget
        probe = article[: max(1, len(article) // 50)]
        probe_time, _, _ = timed(lambda: link_markdown(probe, baseline, every=True), 1)
        if probe_time * 50 <= args.baseline_budget:
            runs = args.runs if probe_time * 50 < 5 else 1     # a slow baseline once, not a median
            re_time, _, (re_text, _) = timed(lambda: link_markdown(article, baseline, every=True), runs)
            estimated, same = False, "yes" if re_text == ac_text else "NO"
        else:
            re_time, estimated = probe_time * len(article) / len(probe), True
            _, _, (ac_probe, _) = timed(lambda: link_markdown(probe, ac, every=True), 1)
            _, _, (re_probe, _) = timed(lambda: link_markdown(probe, baseline, every=True), 1)
            same = "yes (on the prefix)" if ac_probe == re_probe else "NO (on the prefix)"
        rows.append((name, len(ac.patterns), ac_build, re_build, ac_time, re_time, estimated,
                     len(ac_report["links"]), same, ac_build_cpu + ac_cpu))

    print()
    print("| glossary | forms | build AC s | build regex s | link AC s | AC MB/s | link regex s | regex MB/s "
          "| regex/AC | links | same output |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, forms, ac_build, re_build, ac_time, re_time, estimated, links, same, _ in rows:
        mark = "~" if estimated else ""
        print(f"| {name} | {forms:,} | {ac_build:.3f} | {re_build:.3f} | {ac_time:.3f} | {megabytes / ac_time:.2f} "
              f"| {mark}{re_time:.2f} | {mark}{megabytes / re_time:.3f} | {mark}{re_time / ac_time:.0f}× "
              f"| {links:,} | {same} |")
    print()
    print("link = link_markdown(every=True) on the whole article: Markdown scan + matching + splicing;")
    print("AC = the Aho–Corasick linker, regex = the baseline. Build AC and link AC are medians of the runs.")
    for name, _, ac_build, _, ac_time, re_time, _, _, _, cpu in rows:
        if "synthetic" in name:
            total = ac_build + ac_time
            print(f"targets, {name}: build + link {total:.2f} s wall, {cpu:.2f} s CPU "
                  f"(< 1 s: {'met' if total < 1 else 'MISSED'}); "
                  f"baseline/AC {re_time / ac_time:.0f}× (≥ 10×: {'met' if re_time / ac_time >= 10 else 'MISSED'})")

if __name__ == "__main__":
    main()
