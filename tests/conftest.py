"""Shared fixtures: the project root, fixture glossaries, and one real build of the site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(ROOT))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files in tests/golden from the current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_project(target: Path) -> Path:
    """A copy of the project (code, config, docs, glossary) to build in isolation."""
    for name in ("build_glossary.py", "mkdocs.yml", "mkdocs.en.yml", "mkdocs.zh-Hant.yml"):
        shutil.copy2(ROOT / name, target / name)
    for name in ("glossary_core", "glossary", "docs", "overrides", "schema"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real glossary built once, all three variants, strictly."""
    import build_glossary

    site = tmp_path_factory.mktemp("site") / "site"
    build_glossary.build_site(ROOT, site, quiet=True)
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """``directory`` served over HTTP on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served over HTTP on a free localhost port."""
    with serve_directory(built_site) as url:
        yield url


def type_search(page, query: str) -> None:
    """Type ``query`` into Material's search box and wait until its results for it are shown."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.fill(query)
    box.press("End")  # Material searches on keyup
    page.wait_for_function(
        """(query) => {
             const meta = document.querySelector('.md-search-result__meta');
             const input = document.querySelector('input.md-search__input');
             return input.value === query && meta && !/^(Type|键入|鍵入|输入|輸入)/.test(meta.textContent)
                    && document.querySelectorAll('.md-search-result__item').length > 0;
           }""", arg=query, timeout=15_000)
    page.wait_for_timeout(100)  # let a late result for the previous keystroke settle


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()
