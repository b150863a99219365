"""Refuse to run mixed with HIPS autograd, which is imported by the same name.

HIPS autograd (PyPI `autograd`) also installs a top-level package called
`autograd`. pip puts both into one site-packages folder, where their files
merge silently and whichever was installed last owns `__init__.py`. This
module notices the case where chainrule's `__init__.py` won: the folder
also holds files that only HIPS autograd has. (Where HIPS's `__init__.py`
won, or its package comes first on sys.path, `import nn` says so instead.)
"""

from pathlib import Path

HIPS_ONLY = ("tracer.py", "wrap_util.py", "differential_operators.py")
FIX = (
    "The two packages cannot share one environment: keep HIPS autograd in a separate virtual "
    "environment, and here run `pip uninstall autograd` and then "
    "`pip install --force-reinstall chainrule` (HIPS's files may have replaced chainrule's)."
)


def refuse_merged_folder(package_dirs) -> None:
    """ImportError if a folder of this package also holds HIPS autograd's files."""
    for folder in map(Path, package_dirs):
        foreign = [name for name in HIPS_ONLY if (folder / name).exists()]
        if foreign:
            raise ImportError(
                f"HIPS autograd (PyPI `autograd`) is installed into the same folder as "
                f"chainrule's `autograd` package, {folder} (it holds {', '.join(foreign)}): "
                f"both use the import name `autograd`, and their files have merged. {FIX}"
            )
