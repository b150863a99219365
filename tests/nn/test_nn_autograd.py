"""nn where another package answers to `import autograd` (HIPS autograd): a clear ImportError.

Simulated in a temporary site folder, in a fresh interpreter: HIPS autograd's
package first on the path (it shadows chainrule's), or its files merged into
chainrule's folder with its own __init__.py installed last.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
import nn

OURS = {"autograd": Path(autograd.__file__).parent, "nn": Path(nn.__file__).parent}


@pytest.mark.parametrize("how", ["shadowed", "merged, HIPS installed last"])
def test_import_nn_names_hips_autograd_and_the_fix(tmp_path, how, hips_autograd):
    site = tmp_path / "site"
    shutil.copytree(OURS["nn"], site / "nn")
    if how == "merged, HIPS installed last":
        shutil.copytree(OURS["autograd"], site / "autograd")
    hips_autograd(site / "autograd")
    done = subprocess.run(
        [sys.executable, "-c", "import nn"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: nn needs chainrule's `autograd` package")
    assert str(site / "autograd" / "__init__.py") in last
    assert "HIPS autograd (PyPI `autograd`)" in last and "separate virtual environment" in last
    assert "cannot import name" not in done.stderr
