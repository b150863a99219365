"""make playground: the static site in site/ that runs chainrule in the browser, offline.

The site holds the page, this project's wheel (built here), the Pyodide runtime and
Graphviz compiled to wasm (npm tarballs fetched with `npm pack`), and the graphviz
wheel (fetched with `pip download`). The downloads are pinned in pins.json to exact
versions and sha256 checksums, kept in a cache folder and checked on every build,
so a second build needs no network. Only this build needs npm.

The page's Content-Security-Policy is written here: every request stays on the
page's own origin; wasm may be compiled ('wasm-unsafe-eval'); the only inline
script allowed is the step-through viewer's, by its hash, in its <iframe srcdoc>.

python -m autograd.playground.build [--site DIR] [--cache DIR]
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the source checkout: pyproject.toml, autograd/, nn/
PAGE = HERE / "page"
PINS = HERE / "pins.json"
SITE = ROOT / "site"
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chainrule" / "playground"
)
# What the page loads from each tarball (the rest, docs and source maps, stays out).
VENDOR = {
    "pyodide": (
        "pyodide",
        [
            "pyodide.mjs",
            "pyodide.asm.mjs",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "pyodide-lock.json",
            "package.json",
        ],
    ),
    "@hpcc-js/wasm-graphviz": ("graphviz", ["dist/index.js", "LICENSE", "package.json"]),
}
STAMPED = ("autograd", "nn")  # the packages whose sources the wheel is built from
WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE", *STAMPED)  # what pip wheel reads
NO_PROXY_HINT = "check the network or fill the cache folder by hand"


class BuildError(RuntimeError):
    """The site cannot be built: a tool is missing, a download failed or does not match."""


def build(site=SITE, cache=CACHE, log=print) -> Path:
    """Build the site into `site` (replacing it whole); return its path."""
    site, cache = Path(site), Path(cache)
    pins = json.loads(PINS.read_text(encoding="utf-8"))
    cache.mkdir(parents=True, exist_ok=True)
    tarballs = {name: fetch_npm(name, pin, cache, log) for name, pin in pins["npm"].items()}
    wheels = [fetch_pypi(name, pin, cache, log) for name, pin in pins["pypi"].items()]
    with tempfile.TemporaryDirectory(prefix="playground-") as scratch:
        scratch = Path(scratch)
        wheels.insert(0, project_wheel(scratch / "dist", log))
        staged = scratch / "site"
        for name, (folder, files) in VENDOR.items():
            _unpack(tarballs[name], files, staged / "vendor" / folder)
        (staged / "wheels").mkdir(parents=True)
        for wheel in wheels:
            shutil.copy2(wheel, staged / "wheels" / wheel.name)
        info = {
            "wheels": [wheel.name for wheel in wheels],
            "versions": {
                name: pin["version"] for kind in pins.values() for name, pin in kind.items()
            },
            "sources": source_stamp(),
        }
        _copy_page(staged, info)
        (staged / "build.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        _replace(staged, site)
    serve = "python -m autograd playground" if site == SITE else "any static web server"
    log(f"built {site} ({_size(site) / 1e6:.1f} MB): serve it with {serve}")
    return site


def fetch_npm(name, pin, cache, log=print) -> Path:
    """The pinned npm tarball from the cache, or from `npm pack` into it; checked."""
    path = cache / pin["tarball"]
    if not _matches(path, pin["sha256"]):
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(
                f"{name} {pin['version']} is not in {cache} and npm is not installed: "
                "install Node.js with npm (e.g. `apt install npm`) to build the playground"
            )
        log(f"npm pack {name}@{pin['version']}")
        _run([npm, "pack", f"{name}@{pin['version']}", "--pack-destination", str(cache)], name)
    return _verified(path, pin, name)


def fetch_pypi(name, pin, cache, log=print) -> Path:
    """The pinned wheel from the cache, or from `pip download` into it; checked."""
    path = cache / pin["wheel"]
    if not _matches(path, pin["sha256"]):
        log(f"pip download {name}=={pin['version']}")
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        command += ["--only-binary=:all:", "-d", str(cache), f"{name}=={pin['version']}"]
        _run(command, name)
    return _verified(path, pin, name)


def project_wheel(folder, log=print) -> Path:
    """This project's wheel (pure Python: autograd and nn), built by pip from the checkout.

    It is built from a fresh copy of the sources: setuptools would otherwise pack
    whatever an earlier build left in the checkout's build/ folder.
    """
    log("pip wheel . (chainrule)")
    folder = Path(folder)
    source = folder / "source"
    for name in WHEEL_SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(folder)]
    _run([*command, str(source)], "the chainrule wheel")
    (wheel,) = folder.glob("chainrule-*.whl")
    if not wheel.name.endswith("-py3-none-any.whl"):
        raise BuildError(f"{wheel.name} is not a pure-Python wheel; Pyodide needs one")
    return wheel


def source_stamp() -> str:
    """A hash of everything the site is built from, to tell when site/ is out of date."""
    digest = hashlib.sha256()
    files = [PINS, ROOT / "pyproject.toml", ROOT / "LICENSE", *sorted(PAGE.rglob("*"))]
    for package in STAMPED:
        files += sorted(p for p in (ROOT / package).rglob("*") if p.suffix in (".py", ".html"))
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_stale(site=SITE) -> bool:
    """Whether site/ was built from other sources than the checkout's (or not built)."""
    try:
        info = json.loads((Path(site) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return info.get("sources") != source_stamp()


def content_security_policy() -> str:
    """The page's CSP: its own origin only; wasm allowed; the viewer's inline script by hash."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'wasm-unsafe-eval' {viewer_script_hash()}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def viewer_script_hash() -> str:
    """'sha256-…' of the step-through viewer's one inline script (its data is JSON, not run)."""
    template = (ROOT / "autograd" / "viewer_template.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", template, flags=re.S)
    if len(scripts) != 1:
        raise BuildError(f"viewer_template.html has {len(scripts)} inline scripts; expected 1")
    digest = hashlib.sha256(scripts[0].encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _copy_page(staged, info):
    for path in PAGE.iterdir():
        if path.suffix in (".js", ".css"):
            shutil.copy2(path, staged / path.name)
    data = json.dumps(info["versions"] | {"wheels": info["wheels"]})
    page = (PAGE / "index.html").read_text(encoding="utf-8")
    page = page.replace("__CSP__", content_security_policy())
    page = page.replace("__BUILD__", data.replace("<", "\\u003c"))
    (staged / "index.html").write_text(page, encoding="utf-8")


def _unpack(tarball, files, folder):
    folder.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        for name in files:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"{tarball.name} has no file package/{name}")
            (folder / Path(name).name).write_bytes(member.read())


def _replace(staged, site):
    """Move the staged site into place; the old one is removed only once the new one is whole."""
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    shutil.move(str(staged), str(site))
    shutil.rmtree(old, ignore_errors=True)


def _matches(path, sha256):
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def _verified(path, pin, name):
    if not path.is_file():
        raise BuildError(f"{name}: expected {path} after the download; {NO_PROXY_HINT}")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != pin["sha256"]:
        path.unlink()
        raise BuildError(
            f"{name} {pin['version']}: {path.name} has sha256 {actual}, but pins.json "
            f"records {pin['sha256']}; the file was removed"
        )
    return path


def _run(command, what):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BuildError(f"fetching {what} failed ({' '.join(command[:3])}…): " + " ".join(tail))


def _size(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograd.playground.build", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--site", type=Path, default=SITE, help=f"output folder (default {SITE})")
    parser.add_argument(
        "--cache", type=Path, default=CACHE, help=f"download cache (default {CACHE})"
    )
    args = parser.parse_args(argv)
    try:
        build(args.site, args.cache)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
