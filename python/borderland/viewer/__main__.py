"""borderland view PATH [--port N]: serve the interactive viewer of the results under PATH.

PATH is a run file, a sweep file, or a folder (every *.h5 below it, e.g. the main job's
output). Run by `borderland view` (app/cmd_view.cpp) as
`/usr/bin/python3 -m borderland.viewer PATH ...`. Exit codes as the engine's: 0 ok (stopped
with Ctrl-C), 1 the page is not built, 2 bad input (the message names the file or the flag).
"""
from __future__ import annotations

import argparse
import errno
import os
import signal
import sys

from ..io import AnalysisInputError
from .catalog import REPO_ROOT, Catalog
from .server import serve

EXIT_NOT_BUILT = 1
EXIT_BAD_INPUT = 2
DEFAULT_STATIC = os.path.join(REPO_ROOT, "viewer", "dist")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number 0..65535, got '{text}'") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0..65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="borderland view", description=__doc__.splitlines()[0])
    parser.add_argument("path", metavar="PATH", help="a run file, a sweep file, or a folder of them")
    parser.add_argument("--port", type=_port, default=8050, help="TCP port (0: any free port; default 8050)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--static", default=DEFAULT_STATIC, help="the built page (default viewer/dist)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no line per request")
    return parser


class _Stop(Exception):
    pass


def main(argv=None) -> int:
    parser = build_parser()
    parser.exit = lambda status=0, message=None: (  # argparse's usage errors are bad input: exit 2
        sys.stderr.write(message or ""), sys.exit(EXIT_BAD_INPUT if status else 0))
    args = parser.parse_args(argv)
    if not os.path.isfile(os.path.join(args.static, "index.html")):
        print(f"borderland view: error: the page is not built ({args.static}/index.html is missing); "
              "run scripts/setup.sh, or 'npm ci && npm run build' in viewer/", file=sys.stderr)
        return EXIT_NOT_BUILT
    try:
        catalog = Catalog(args.path)
        catalog.catalog()  # read every file's header now, so bad input fails here and not in the page
    except AnalysisInputError as exc:
        print(f"borderland view: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        server = serve(catalog, args.static, args.host, args.port, args.quiet)
    except OSError as exc:
        reason = "address in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        print(f"borderland view: error: --port {args.port}: cannot listen on {args.host} ({reason})",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    for message in catalog.skipped:
        print(f"borderland view: skipped: {message}", file=sys.stderr)
    host, port = server.server_address[:2]
    names = ", ".join(f"{n} ({e.replicas})" for n, e in catalog.ensembles.items())
    print(f"borderland view: {args.path}: {names}", flush=True)
    print(f"borderland view: open http://{host}:{port}/ in a browser (Ctrl-C stops)", flush=True)

    def stop(signum, frame):
        raise _Stop()

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        print("borderland view: stopped", flush=True)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
