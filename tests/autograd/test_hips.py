"""HIPS autograd's files merged into this package's folder: a clear ImportError, not a mystery.

The clash is simulated in a temporary site folder: pip would leave the same
files there if chainrule and HIPS autograd (PyPI `autograd`) were installed
into one environment, chainrule last.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
from autograd._hips import HIPS_ONLY, refuse_merged_folder

OURS = Path(autograd.__file__).parent


def run(code, site: Path):
    """code in a fresh interpreter that finds packages in site first."""
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=site.parent, env=env, capture_output=True, text=True
    )


def test_chainrule_installed_over_hips_autograd_refuses_to_import(tmp_path, hips_autograd):
    site = tmp_path / "site"
    hips_autograd(site / "autograd")
    shutil.copytree(OURS, site / "autograd", dirs_exist_ok=True)  # ours last: our __init__ wins
    done = run("import autograd", site)
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: HIPS autograd (PyPI `autograd`) is installed into")
    assert str(site / "autograd") in last and "tracer.py" in last
    assert "separate virtual environment" in last and "pip uninstall autograd" in last


def test_a_clean_folder_imports(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(OURS, site / "autograd")
    done = run("import autograd; print(autograd.Value(2.0) * 3)", site)
    assert done.returncode == 0, done.stderr
    assert "6.0" in done.stdout


def test_the_check_fires_on_any_of_hips_own_modules(tmp_path):
    refuse_merged_folder([tmp_path])  # nothing foreign: no error
    for name in HIPS_ONLY:
        (tmp_path / name).write_text("")
        with pytest.raises(ImportError, match=name):
            refuse_merged_folder([tmp_path])
        (tmp_path / name).unlink()
