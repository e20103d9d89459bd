"""Crawl the served site with LinkChecker, in subprocesses, and read back what it found.

LinkChecker waits 0.1-0.6 s between two requests to one host unless the server answers with a
``LinkChecker`` header, its documented way of allowing a faster crawl of one's own server. The
crawls therefore go through a small proxy in front of the ``site_url`` server that adds that header
and changes nothing else.
"""

from __future__ import annotations

import csv
import http.client
import http.server
import re
import socketserver
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
# Columns of LinkChecker's csv output; leaving out "intro" and "outro" leaves out its comment lines.
CSV_PARTS = ("urlname", "parentname", "result", "warningstring", "infostring", "valid", "url")


@contextmanager
def unthrottled(upstream: str) -> Iterator[str]:
    """An HTTP proxy in front of ``upstream`` ("http://host:port") whose answers carry ``LinkChecker``."""
    target = urllib.parse.urlsplit(upstream)

    class Relay(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._relay("GET")

        def do_HEAD(self) -> None:
            self._relay("HEAD")

        def _relay(self, method: str) -> None:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                connection.request(method, self.path)
                answer = connection.getresponse()
                body = answer.read()
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "server", "date"):
                    self.send_header(name, value)
            self.send_header("LinkChecker", "allow")
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True

    with Server(("127.0.0.1", 0), Relay) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


@dataclass
class Crawl:
    """One LinkChecker run: what it was started on, and one row per URL it logged."""

    name: str
    start: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    returncode: int = 0
    stderr: str = ""

    @property
    def errors(self) -> list[dict[str, str]]:
        return [row for row in self.rows if row["valid"] != "True"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [row for row in self.rows if row["warningstring"]]

    @property
    def anchors_checked(self) -> int:
        return sum(1 for row in self.rows if "#" in row["url"] and row["result"].startswith("200"))


def write_config(path: Path, *, anchors: bool, no_follow: list[str]) -> Path:
    """A linkcheckerrc: intern URLs only, csv rows without comments, AnchorCheck if ``anchors``."""
    lines = [
        "[checking]",
        "threads=4",
        "timeout=60",
        "maxrequestspersecond=1000",
        "[filtering]",
        # external URLs (and the public address of the site, which is not this server) are not
        # fetched: LinkChecker only checks their syntax
        "checkextern=0",
    ]
    if anchors:
        # AnchorCheck fetches a page once per anchor linked to; the page itself (reached without an
        # anchor) is crawled once, so "page#anchor" needs checking, not crawling again. ("#" would
        # start a comment line in the configuration file: the regex is "\#".)
        no_follow = [*no_follow, r"\#"]
    if no_follow:
        lines.append("nofollow=")
        lines += [f"  {pattern}" for pattern in no_follow]
    lines += ["[csv]", "parts=" + ",".join(CSV_PARTS)]
    if anchors:
        lines.append("[AnchorCheck]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(crawl: Crawl, config: Path) -> subprocess.Popen:
    """Start LinkChecker on ``crawl.start`` (verbose: every URL gets a csv row), output beside ``config``.

    The output goes to files, not pipes: a crawl must not wait for its reader while others run.
    """
    command = [str(LINKCHECKER), "--config", str(config), "--no-status", "--verbose",
               "--output", "csv/utf-8", *crawl.start]
    with config.with_suffix(".csv").open("wb") as stdout, config.with_suffix(".log").open("wb") as stderr:
        return subprocess.Popen(command, stdout=stdout, stderr=stderr)


def finish(crawl: Crawl, process: subprocess.Popen, config: Path, timeout: float) -> Crawl:
    crawl.returncode = process.wait(timeout=timeout)
    crawl.stderr = config.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    with config.with_suffix(".csv").open(encoding="utf-8", newline="") as rows:
        crawl.rows = list(csv.DictReader(rows, delimiter=";"))
    return crawl


def variant_no_follow(proxy: str, prefixes: dict[str, str], code: str) -> list[str]:
    """Patterns of the other variants' URLs: checked from this variant's pages, not crawled."""
    host = re.escape(proxy.rstrip("/")) + "/"
    others = [re.escape(prefix) for other, prefix in prefixes.items() if other != code and prefix]
    if prefixes[code]:
        return [f"^{host}(?!{re.escape(prefixes[code])})"]
    return [f"^{host}(?:{'|'.join(others)})"]
