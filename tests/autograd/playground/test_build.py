"""make playground: pinned, checked downloads; a site assembled whole; a CSP that keeps
every request on the page's origin and lets exactly the viewer's inline script run."""

import base64
import hashlib
import io
import json
import re
import tarfile
import zipfile

import pytest

from autograd.playground import build
from autograd.viewer import page
from demos.lecture import build as lecture


def test_the_pins_are_exact_versions_with_checksums():
    pins = json.loads(build.PINS.read_text(encoding="utf-8"))
    assert set(pins) == {"npm", "pypi"} and set(pins["npm"]) == set(build.VENDOR)
    for kind in pins.values():
        for pin in kind.values():
            assert re.fullmatch(r"\d+(\.\d+)+", pin["version"])
            assert re.fullmatch(r"[0-9a-f]{64}", pin["sha256"])


def test_the_csp_allows_only_the_pages_own_origin():
    policy = dict(d.split(" ", 1) for d in build.content_security_policy().split("; "))
    assert policy["default-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert policy["script-src"].split()[:2] == ["'self'", "'wasm-unsafe-eval'"]
    sources = " ".join(policy.values())
    assert "http" not in sources and "*" not in sources and "'unsafe-eval'" not in sources
    assert "'unsafe-inline'" not in policy["script-src"]


def test_the_csp_lets_the_step_through_pages_script_run_and_nothing_else():
    root, _ = lecture()
    root.backward()
    shown = page(root, svg=lambda dot: "<svg></svg>")
    scripts = re.findall(r"<script>(.*?)</script>", shown, flags=re.S)  # not type=application/json
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert build.viewer_script_hash() == f"'sha256-{digest}'"
    assert f"'sha256-{digest}'" in build.content_security_policy()


def tarball(path, files):
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def pin_for(path, version="1.0.0"):
    return {
        "version": version,
        "tarball": path.name,
        "wheel": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def test_a_cached_download_with_the_pinned_checksum_is_used_without_npm(tmp_path, monkeypatch):
    path = tarball(tmp_path / "thing-1.0.0.tgz", {"dist/index.js": b"x"})
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    assert build.fetch_npm("thing", pin_for(path), tmp_path) == path


def test_a_download_that_does_not_match_its_pin_is_refused_and_removed(tmp_path, monkeypatch):
    pin = pin_for(tarball(tmp_path / "good.tgz", {"a": b"1"}))
    pin["tarball"] = "thing-1.0.0.tgz"
    monkeypatch.setattr(build.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(
        build, "_run", lambda command, what: tarball(tmp_path / pin["tarball"], {"a": b"2"})
    )
    with pytest.raises(build.BuildError, match=r"has sha256 [0-9a-f]{64}, but pins.json records"):
        build.fetch_npm("thing", pin, tmp_path)
    assert not (tmp_path / "thing-1.0.0.tgz").exists()


def test_without_npm_and_without_the_download_the_build_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    pin = {"version": "1.0.0", "tarball": "absent.tgz", "sha256": "0" * 64}
    with pytest.raises(build.BuildError, match=r"npm is not installed: install Node.js with npm"):
        build.fetch_npm("thing", pin, tmp_path)


def test_the_site_is_assembled_whole(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    vendor = {
        "pyodide": tarball(cache / "p.tgz", {n: n.encode() for n in build.VENDOR["pyodide"][1]}),
        "@hpcc-js/wasm-graphviz": tarball(
            cache / "g.tgz", {n: b"g" for n in build.VENDOR["@hpcc-js/wasm-graphviz"][1]}
        ),
    }
    wheel = cache / "graphviz-0.0-py3-none-any.whl"
    wheel.write_bytes(b"wheel")
    ours = tmp_path / "chainrule-0.1.0-py3-none-any.whl"
    ours.write_bytes(b"ours")
    monkeypatch.setattr(build, "fetch_npm", lambda name, pin, cache, log: vendor[name])
    monkeypatch.setattr(build, "fetch_pypi", lambda name, pin, cache, log: wheel)
    monkeypatch.setattr(build, "project_wheel", lambda folder, log: ours)
    site = tmp_path / "site"
    (site / "stale").mkdir(parents=True)  # an old build is replaced, not merged
    assert build.build(site, cache, log=lambda text: None) == site
    assert not (site / "stale").exists()
    assert (site / "vendor" / "pyodide" / "pyodide.asm.wasm").read_bytes() == b"pyodide.asm.wasm"
    assert (site / "vendor" / "graphviz" / "index.js").read_bytes() == b"g"
    assert sorted(p.name for p in (site / "wheels").iterdir()) == [ours.name, wheel.name]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "__" not in index and build.content_security_policy() in index
    data = json.loads(re.search(r'id="build">(.*?)</script>', index)[1])
    assert data["wheels"] == [ours.name, wheel.name] and data["pyodide"]
    assert {p.name for p in build.PAGE.iterdir() if p.suffix in (".js", ".css")} <= {
        p.name for p in site.iterdir()
    }
    assert not build.is_stale(site)


def test_the_stamp_follows_the_sources(tmp_path, monkeypatch):
    for name in ["pyproject.toml", "pins.json", "page/index.html", "autograd/a.py", "nn/b.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "PAGE", tmp_path / "page")
    monkeypatch.setattr(build, "PINS", tmp_path / "pins.json")
    before = build.source_stamp()
    (tmp_path / "autograd" / "__pycache__").mkdir()
    (tmp_path / "autograd" / "__pycache__" / "a.pyc").write_text("compiled")
    (tmp_path / "autograd" / "notes.txt").write_text("not built from")
    assert build.source_stamp() == before
    (tmp_path / "nn" / "b.py").write_text("changed")
    assert build.source_stamp() != before


def test_a_site_without_its_build_record_is_stale(tmp_path):
    assert build.is_stale(tmp_path)
    (tmp_path / "build.json").write_text('{"sources": "old"}')
    assert build.is_stale(tmp_path)


def test_the_built_sites_wheel_holds_autograd_and_nn_only():
    if not (build.SITE / "build.json").is_file() or build.is_stale(build.SITE):
        pytest.skip("no up-to-date site/: `make playground` (needs npm) builds it")
    (wheel,) = (build.SITE / "wheels").glob("chainrule-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        sources = {n for n in archive.namelist() if n.startswith("autograd/playground/")}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"autograd", "nn"}
    assert "autograd/playground/bridge.py" in sources  # what the page imports
    assert not any("__pycache__" in name for name in sources)
