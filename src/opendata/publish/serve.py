"""Previewing the static site on localhost."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from pathlib import Path

from opendata.exceptions import NotBuilt
from opendata.paths import Project

HOST = "127.0.0.1"  # a preview is for this machine only


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site folder, logging nothing per request."""

    # http.server's documented way to add types: a class attribute of the handler.
    extensions_map = {  # noqa: RUF012
       **SimpleHTTPRequestHandler.extensions_map, ".jsonld": "application/ld+json",
                      ".ttl": "text/turtle", ".sqlite": "application/vnd.sqlite3",
                      ".bib": "application/x-bibtex", ".ris": "application/x-research-info-systems"}

    def guess_type(self, path: str | PathLike[str]) -> str:
        """The media type, with ``charset=utf-8`` for text: the site writes only UTF-8, and
        a browser left to guess shows Chinese text as mojibake."""
        media_type = super().guess_type(path)
        if _textual(media_type):
            return f"{media_type}; charset=utf-8"
        return media_type

    def log_message(self, format: str, *args: object) -> None:
        pass


def _textual(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type in TEXT_TYPES


TEXT_TYPES = {"application/json", "application/ld+json", "application/javascript",
              "image/svg+xml", "application/xml", "application/x-bibtex",
              "application/x-research-info-systems"}


def server(site: Path, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for ``site`` on 127.0.0.1 (port 0 picks a free one)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    return ThreadingHTTPServer((HOST, port), handler)


def serve_project(project: Project, port: int, announce: Callable[[Path, str], None]) -> None:
    """Serve the project's published site; raises NotBuilt when there is none yet."""
    if not (project.site / "index.html").is_file():
        raise NotBuilt(f"{project.site} has no site yet; run `opendata publish` first")
    serve(project.site, port, lambda url: announce(project.site, url))


def serve(site: Path, port: int, announce: Callable[[str], None]) -> None:
    with server(site, port) as httpd:
        announce(f"http://{HOST}:{httpd.server_address[1]}/")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
