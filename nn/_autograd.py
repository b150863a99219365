"""The autograd nn builds on must be chainrule's: anything else is a clear ImportError.

HIPS autograd (PyPI `autograd`) is imported by the same name. Where its
package comes first on sys.path, or its `__init__.py` replaced chainrule's
in a merged folder, `from autograd import Value` would fail with a message
that names neither package; this says what happened and what to do.
"""

import autograd

if not hasattr(autograd, "Value"):
    raise ImportError(
        "nn needs chainrule's `autograd` package, but `import autograd` found another one, "
        f"{getattr(autograd, '__file__', None) or autograd!r}: most likely HIPS autograd "
        "(PyPI `autograd`), which uses the same import name. The two cannot share one "
        "environment: keep HIPS autograd in a separate virtual environment, and here run "
        "`pip uninstall autograd` and then `pip install --force-reinstall chainrule` "
        "(HIPS's files may have replaced chainrule's)."
    )
