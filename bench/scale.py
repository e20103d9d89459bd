"""Scale benchmark: synthetic glossaries of 100, 1,000 and 10,000 terms, side by side in one run.

For each size and variant it builds the site and reports:
  - check time; MkDocs build time; the glossary's own time in it: load + validate, pages, exports
    (open-data files, hover cards' data), search documents; its share of the build, with and
    without the exports and search documents; per-page build time; peak memory of the build
  - total site size and the largest page
  - search: bytes the browser downloads before the first search (index + worker + language
    files; raw and gzip), and in headless Chromium the time from typing to results, for the
    glossary's compact index and for Material's own index of whole pages (GLOSSARY_SEARCH=material)

    .venv/bin/python bench/scale.py                 # 100, 1000, 10000
    .venv/bin/python bench/scale.py 100 1000        # chosen sizes
    .venv/bin/python bench/scale.py --no-material   # skip the Material-index comparison builds

Not a test: timings depend on the machine; read them as ratios within one run.
"""

from __future__ import annotations

import argparse
import functools
import json
import gzip
import http.server
import os
import re
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import make_project  # noqa: E402

from glossary_core.variants import VARIANTS  # noqa: E402

CONFIGS = {"zh-Hans": "mkdocs.yml", "en": "mkdocs.en.yml", "zh-Hant": "mkdocs.zh-Hant.yml"}
# Each finds terms that are among the first 100 (the smallest glossary)
QUERIES = {"zh-Hans": ["六稳", "liu wen", "枫桥", "2+2+1", "stability"],
           "en": ["six stabilities", "liuwen", "river chief", "1223", "六稳"],
           "zh-Hant": ["六穩", "fang guan fu", "楓橋", "122+N", "stability"]}


def run_measured(command: list[str], cwd: Path, env: dict) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak resident memory (MiB) and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{output[-3000:]}")
    return took, usage.ru_maxrss // 1024, output


def build_variants(project: Path, site: Path, search_mode: str) -> dict[str, dict]:
    """``build`` as users run it (one check, then the three MkDocs runs), one variant at a time."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "GLOSSARY_SEARCH": search_mode}
    script = ("import json, resource, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
              "import build_glossary as b; t = b.build_site(Path(sys.argv[1]), Path(sys.argv[2]), quiet=True, "
              "parallel=False); t['peak_mib'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024; "
              "print(json.dumps(t))")
    _, _, output = run_measured([sys.executable, "-c", script, str(project), str(site)], project, env)
    return json.loads(output.strip().splitlines()[-1])


def site_sizes(site: Path, code: str) -> dict:
    base = site / VARIANTS[code].prefix
    others = [site / v.prefix for v in VARIANTS.values() if v.prefix and v.code != code]
    files = [p for p in base.rglob("*") if p.is_file() and not any(o in p.parents for o in others)]
    pages = [p for p in files if p.name == "index.html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"total": sum(p.stat().st_size for p in files), "pages": len(pages),
            "largest_page": largest.stat().st_size, "largest_name": str(largest.relative_to(site))}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def search_in_browser(browser, site: Path, code: str) -> dict:
    """Bytes fetched for search before the first result, and typing-to-results times."""
    handler = functools.partial(_Quiet, directory=str(site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{VARIANTS[code].prefix}"
        page = browser.new_page()
        fetched: dict[str, int] = {}

        def on_response(response) -> None:
            if re.search(r"/search/|/workers/|/lunr/", response.url):
                try:
                    fetched[response.url] = len(response.body())
                except Exception:  # noqa: BLE001 - a response without a body adds nothing
                    pass
        page.on("response", on_response)
        page.goto(url, wait_until="load")
        timings = []
        for query in QUERIES[code]:
            timings.append(page.evaluate(_TYPE_AND_WAIT, query))
        page.wait_for_timeout(200)
        page.close()
        server.shutdown()
    index_file = site / VARIANTS[code].prefix / "search" / "search_index.json"
    return {"download": sum(fetched.values()), "index": index_file.stat().st_size,
            "index_gzip": len(gzip.compress(index_file.read_bytes(), 6)),
            "first_ms": timings[0], "next_ms": statistics.median(timings[1:])}


# Types a query into Material's search box and resolves with the milliseconds until results show.
_TYPE_AND_WAIT = """async (query) => {
  const input = document.querySelector('input.md-search__input');
  input.focus();
  const list = document.querySelector('.md-search-result__list');
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true}));
  return await new Promise((resolve, reject) => {
    const done = () => { if (list.children.length) { observer.disconnect(); resolve(performance.now() - started); } };
    const observer = new MutationObserver(done);
    observer.observe(list, {childList: true, subtree: true});
    const retry = setInterval(() => input.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true})), 100);
    setTimeout(() => { clearInterval(retry); observer.disconnect(); reject(new Error('no results for ' + query)); }, 120000);
    new MutationObserver(() => clearInterval(retry)).observe(list, {childList: true});
  });
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 10000])
    parser.add_argument("--no-material", action="store_true", help="skip the builds with Material's own index")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows, search_rows = [], []
    with tempfile.TemporaryDirectory(prefix="glossary-scale-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for size in args.sizes:
            project = make_project(Path(tmp) / f"g{size}", size)
            check_s, check_mib, _ = run_measured([sys.executable, "build_glossary.py", "check"], project, dict(os.environ))
            modes = ["glossary"] + ([] if args.no_material else ["material"])
            for mode in modes:
                site = Path(tmp) / f"site-{size}-{mode}"
                built = build_variants(project, site, mode)
                for code in VARIANTS:
                    sizes = site_sizes(site, code)
                    if mode == "glossary":
                        rows.append((size, code, check_s, built, sizes))
                    search_rows.append((size, code, mode, search_in_browser(browser, site, code)))
                # the rows so far, in case a long run is cut short
                print(f"built {size} terms ({mode} index):", json.dumps({"build": built, "search": search_rows[-3:]}),
                      file=sys.stderr, flush=True)
        browser.close()

    print("\n## Build (glossary index)\n")
    print("`check` is the command alone; `build` checks once and prepares what every variant needs (\"check in")
    print("build\": load, validate, term views, linker, pinyin, card entries, search tokenizer), then forks its")
    print("three MkDocs runs, each of which renders its variant: pages, exports (the open-data files, only in")
    print("zh-Hans, and the hover cards' data) and search documents. Share = glossary code / MkDocs build.\n")
    print("| terms | variant | check s | MkDocs build s | pages s | exports s | search s | share | per page ms "
          "| site MB | largest page KB |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, code, check_s, built, s in rows:
        r = built[code]
        print(f"| {size} | {code} | {check_s:.2f} | {r['total']:.1f} | {r['pages']:.2f} | {r['exports']:.2f} | "
              f"{r['search']:.2f} | {100 * r['glossary'] / r['total']:.1f}% | {1000 * r['total'] / s['pages']:.1f} | "
              f"{s['total'] / 1e6:.1f} | {s['largest_page'] / 1e3:.0f} ({s['largest_name']}) |")
    print("\nAll three builds together, with what the check in build prepared for each part. \"load + validate +")
    print("render\" counts the check proper and the pages; \"all\" adds the exports and the search documents.\n")
    print("| terms | check in build s | load + validate s | pages s | exports s | search s | all MkDocs builds s "
          "| share: load + validate + render | share: all glossary code | peak memory MiB |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, code, check_s, built, s in rows:
        if code != "zh-Hans":
            continue
        check = built["check"]
        parts = {name: check[name] + sum(built[c][name] for c in VARIANTS) for name in ("pages", "exports", "search")}
        own = check["total"] + sum(built[c]["glossary"] for c in VARIANTS)
        total = sum(built[c]["total"] for c in VARIANTS)
        print(f"| {size} | {check['total']:.2f} | {check['load_validate']:.2f} | {parts['pages']:.2f} | "
              f"{parts['exports']:.2f} | {parts['search']:.2f} | {total:.1f} | "
              f"{100 * (check['load_validate'] + parts['pages']) / total:.1f}% | {100 * own / total:.1f}% | "
              f"{built['peak_mib']} |")
    print("\n## Search: what the browser fetches before the first result, and typing-to-results time\n")
    print("| terms | variant | index | index MB | index gzip MB | fetched for search MB | first search ms | next searches ms (median) |")
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for size, code, mode, r in search_rows:
        print(f"| {size} | {code} | {mode} | {r['index'] / 1e6:.2f} | {r['index_gzip'] / 1e6:.2f} | "
              f"{r['download'] / 1e6:.2f} | {r['first_ms']:.0f} | {r['next_ms']:.0f} |")


if __name__ == "__main__":
    main()
