"""python -m autograd playground: serve the built site on 127.0.0.1 and open it in a browser.

The site is static: any web server (or static host) serves it as well. This one only
adds the MIME types Pyodide needs (.mjs, .wasm) and listens on the loopback address.
"""

import functools
import shutil
import sys
import webbrowser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from . import DEFAULT_PORT, build

HOST = "127.0.0.1"


class PlaygroundError(RuntimeError):
    """The playground cannot be served: not built and not buildable, or the port is taken."""


class Handler(SimpleHTTPRequestHandler):
    """Static files with the right types, no caching between builds, and no request log."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/zip",
        ".zip": "application/zip",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def make_server(site, port=0) -> ThreadingHTTPServer:
    """A server for the folder site on 127.0.0.1 (port 0: a free one), not yet serving."""
    handler = functools.partial(Handler, directory=str(site))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise PlaygroundError(
            f"cannot listen on {HOST}:{port} ({error.strerror or error}): "
            "choose another port with --port N (0 picks a free one)"
        ) from None


def ensure_built(site, log=print) -> Path:
    """site, built first if it has no index.html (which needs npm and a source checkout)."""
    site = Path(site)
    if (site / "index.html").is_file():
        if _in_checkout(site) and build.is_stale(site):
            log(f"note: {site} was built from older sources; `make playground` rebuilds it")
        return site
    if not _in_checkout(site):
        raise PlaygroundError(
            f"no playground at {site}: it is built from a source checkout of chainrule "
            "with `make playground` (needs npm); or pass --site with a built site"
        )
    if shutil.which("npm") is None:
        raise PlaygroundError(
            f"{site} is not built yet, and building it needs npm: install Node.js with npm "
            "(e.g. `apt install npm`), then run `make playground`"
        )
    log(f"{site} is not built yet: building it (make playground)")
    try:
        return build.build(site, log=log)
    except build.BuildError as error:
        raise PlaygroundError(str(error)) from None


def serve(site=build.SITE, port=DEFAULT_PORT, *, browser=True, log=print) -> None:
    """Serve site until Ctrl-C, printing its URL (and opening it unless browser=False)."""
    site = ensure_built(site, log)
    server = make_server(site, port)
    url = f"http://{HOST}:{server.server_port}/"
    log(f"serving the playground at {url}  (Ctrl-C stops)")
    sys.stdout.flush()
    if browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log("stopped")
    finally:
        server.server_close()


def _in_checkout(site):
    """Whether site is the checkout's own site/ folder (so it can be built and checked)."""
    return site.resolve() == build.SITE.resolve() and (build.ROOT / "pyproject.toml").is_file()
