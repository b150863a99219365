"""python -m autograd playground's server: loopback only, the types Pyodide needs, and a
clear message where the site is missing or the port is taken."""

import threading
import urllib.request

import pytest

from autograd.playground import build, serve


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>t</title>")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "pyodide.asm.mjs").write_text("export {}")
    (tmp_path / "vendor" / "pyodide.asm.wasm").write_bytes(b"\0asm")
    return tmp_path


@pytest.fixture
def running(site):
    server = serve.make_server(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/", "text/html"),
        ("/vendor/pyodide.asm.mjs", "text/javascript"),
        ("/vendor/pyodide.asm.wasm", "application/wasm"),
    ],
)
def test_files_are_served_with_the_types_the_browser_needs(running, path, kind):
    with urllib.request.urlopen(running + path) as response:
        assert response.headers["Content-Type"].split(";")[0] == kind
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_server_listens_on_the_loopback_address_only(site):
    server = serve.make_server(site)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_a_taken_port_is_a_clear_error(site):
    server = serve.make_server(site)
    try:
        with pytest.raises(serve.PlaygroundError, match="choose another port with --port N"):
            serve.make_server(site, server.server_port)
    finally:
        server.server_close()


def test_serve_prints_the_url_and_stops_on_ctrl_c(site, monkeypatch):
    said, opened = [], []

    class Interrupted:
        server_port = 8123

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            said.append("closed")

    monkeypatch.setattr(serve, "make_server", lambda site, port: Interrupted())
    monkeypatch.setattr(serve.webbrowser, "open", opened.append)
    serve.serve(site, 8123, browser=True, log=said.append)
    assert said[0] == "serving the playground at http://127.0.0.1:8123/  (Ctrl-C stops)"
    assert said[1:] == ["stopped", "closed"] and opened == ["http://127.0.0.1:8123/"]


def test_a_missing_site_elsewhere_is_not_built(tmp_path):
    with pytest.raises(serve.PlaygroundError, match=r"no playground at .*make playground"):
        serve.ensure_built(tmp_path / "nowhere")


def test_the_checkouts_site_needs_npm_to_be_built(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "SITE", tmp_path / "site")
    monkeypatch.setattr(serve.shutil, "which", lambda name: None)
    with pytest.raises(serve.PlaygroundError, match=r"building it needs npm: install Node.js"):
        serve.ensure_built(tmp_path / "site")


def test_the_checkouts_missing_site_is_built_first(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr(build, "SITE", tmp_path / "site")
    monkeypatch.setattr(serve.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(build, "build", lambda site, log: built.append(site) or site)
    assert serve.ensure_built(tmp_path / "site", log=lambda text: None) == tmp_path / "site"
    assert built == [tmp_path / "site"]


def test_a_stale_site_is_served_with_a_note(site, monkeypatch):
    monkeypatch.setattr(build, "SITE", site)
    said = []
    assert serve.ensure_built(site, log=said.append) == site
    assert said == [f"note: {site} was built from older sources; `make playground` rebuilds it"]
