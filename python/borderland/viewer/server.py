"""The viewer's HTTP server: the built page (viewer/dist) and the JSON API of viewer/README.md.

Standard library only (http.server), bound to 127.0.0.1 by default: the page and
everything it loads come from here, so it works with no network at all.
"""
from __future__ import annotations

import json
import mimetypes
import os
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import numpy as np

from ..io import AnalysisInputError
from .catalog import Catalog

# The API version the page checks (viewer/README.md); bump on an incompatible change.
API_VERSION = 1
DEFAULT_WINDOW_DAYS = 30  # count series are drawn as trailing 30-day sums, as `analysis plot` does
DEFAULT_LEVEL = 0.9       # the comparison's interval, as `analysis compare` defaults to


class BadRequest(Exception):
    """A query the API cannot answer (a missing or malformed parameter): HTTP 400 with the message."""


def _one(query: dict, key: str, default: str | None = None) -> str:
    values = query.get(key)
    if not values:
        if default is None:
            raise BadRequest(f"query parameter '{key}' is missing")
        return default
    return values[0]


def _int(query: dict, key: str, default: int | None = None) -> int:
    text = _one(query, key, None if default is None else str(default))
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f"query parameter '{key}' must be an integer, got '{text}'") from None


def _level(query: dict) -> float:
    text = _one(query, "level", str(DEFAULT_LEVEL))
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1:
        raise BadRequest(f"query parameter 'level' must lie between 0 and 1, got '{text}'")
    return value


def _since(query: dict) -> str | None:
    text = _one(query, "since", "")
    if not text:
        return None
    try:
        np.datetime64(text, "D")
    except ValueError:
        raise BadRequest(f"query parameter 'since' must be a date YYYY-MM-DD, got '{text}'") from None
    return text


def routes(catalog: Catalog):
    """Path -> function(query) returning a JSON-ready dict."""
    return {
        "/api/catalog": lambda q: {"api_version": API_VERSION, **catalog.catalog()},
        "/api/map": lambda q: catalog.map(),
        "/api/events": lambda q: catalog.events(_one(q, "scenario"), _int(q, "run", 0)),
        "/api/snapshots": lambda q: catalog.snapshots(_one(q, "scenario"), _int(q, "run", 0), _one(q, "field")),
        "/api/series": lambda q: catalog.series(_one(q, "scenario"), _one(q, "spec"),
                                                _int(q, "window", DEFAULT_WINDOW_DAYS)),
        "/api/compare": lambda q: catalog.compare(_one(q, "baseline"),
                                                  [s for s in _one(q, "scenarios").split(",") if s],
                                                  _since(q), _level(q)),
        "/api/provenance": lambda q: catalog.provenance(_one(q, "scenario")),
    }


def make_handler(catalog: Catalog, static_dir: str, quiet: bool):
    api = routes(catalog)
    static_root = os.path.realpath(static_dir)

    class Handler(BaseHTTPRequestHandler):
        server_version = "borderland-view"

        def log_message(self, fmt, *args):  # one line per request on stderr unless quiet
            if not quiet:
                sys.stderr.write("view: %s\n" % (fmt % args))

        def _send(self, status: int, body: bytes, content_type: str):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, payload: dict):
            self._send(status, json.dumps(payload, allow_nan=False).encode(), "application/json")

        def do_GET(self):  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            if url.path.startswith("/api/"):
                handler = api.get(url.path)
                if handler is None:
                    return self._json(404, {"error": f"no API endpoint {url.path}"})
                try:
                    return self._json(200, handler(parse_qs(url.query)))
                except (BadRequest, AnalysisInputError) as exc:
                    return self._json(400, {"error": str(exc)})
                except Exception as exc:  # a bug: say so on the page and in the terminal
                    traceback.print_exc()
                    return self._json(500, {"error": f"internal error: {exc}"})
            self._static(url.path)

        def _static(self, path: str):
            relative = path.lstrip("/") or "index.html"
            target = os.path.realpath(os.path.join(static_root, relative))
            if not target.startswith(static_root + os.sep) or not os.path.isfile(target):
                return self._send(HTTPStatus.NOT_FOUND, f"not found: {path}\n".encode(), "text/plain")
            with open(target, "rb") as fh:
                body = fh.read()
            kind = mimetypes.guess_type(target)[0] or "application/octet-stream"
            self._send(200, body, kind)

    return Handler


def serve(catalog: Catalog, static_dir: str, host: str, port: int, quiet: bool = False) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(catalog, static_dir, quiet))
    server.daemon_threads = True
    return server
