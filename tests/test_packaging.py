"""The wheel: only autograd and nn at the top, an SPDX license with its file, py.typed markers.

The wheel is built from a copy of the sources with the build backend that is
installed (no download, no build isolation), so it runs offline in a second.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "autograd", "nn", "demos"]
BUILD = "from setuptools import build_meta; build_meta.build_wheel('dist')"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """(the wheel's members by name, the build backend's stderr)."""
    setuptools = pytest.importorskip("setuptools", reason="the build backend is not installed")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"setuptools {setuptools.__version__} predates SPDX license strings (77)")
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            skip = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    done = subprocess.run(
        [sys.executable, "-c", BUILD], cwd=source, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    (path,) = (source / "dist").glob("chainrule-*.whl")
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}, done.stderr


def test_the_wheel_holds_autograd_and_nn_and_no_demos(wheel):
    members, _ = wheel
    top = {name.split("/")[0] for name in members}
    assert {name for name in top if not name.endswith(".dist-info")} == {"autograd", "nn"}
    assert "autograd/viewer_template.html" in members


def test_the_license_is_an_spdx_string_shipped_with_its_file(wheel):
    members, stderr = wheel
    metadata = next(members[n] for n in members if n.endswith(".dist-info/METADATA")).decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    (license_file,) = [n for n in members if n.endswith(".dist-info/licenses/LICENSE")]
    assert members[license_file].startswith(b"MIT License")
    assert "deprecated" not in stderr.lower(), stderr


def test_both_packages_say_they_are_typed(wheel):
    members, _ = wheel
    assert {"autograd/py.typed", "nn/py.typed"} <= set(members)
