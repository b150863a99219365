"""Each package's modules import one another one way: no circle, counting
imports inside functions (where a circle hides until the code runs)."""

import ast
from pathlib import Path

import pytest

import autograd
import nn


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name (within the package) -> file, subpackages included."""
    found = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(package: Path, name: str, path: Path, known) -> set[str]:
    """The package's modules that the file imports anywhere in it."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1] if node.level > 1 else here
                stem = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == package.name:
                stem = node.module.split(".")[1:]
            else:
                continue
            targets = [[*stem, alias.name] for alias in node.names] + [stem]
            found.update(".".join(t) for t in targets if ".".join(t) in known)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package.name and ".".join(parts[1:]) in known:
                    found.add(".".join(parts[1:]))
    found.discard(name)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    known = modules(package)
    graph = {name: imported(package, name, path, known) for name, path in known.items()}
    for name in graph:  # an __init__ re-exporting its own modules points down, not round
        graph[name] = {m for m in graph[name] if not m.startswith(f"{name}.") or name == ""}
    graph.pop("", None)
    return graph


def find_circle(graph):
    """One import circle as a list of modules, or None."""
    state = {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (circle := visit(target, [*path, target])):
                return circle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module, [module])):
            return circle
    return None


@pytest.mark.parametrize("package", [autograd, nn], ids=lambda p: p.__name__)
def test_modules_import_each_other_one_way(package):
    graph = import_graph(Path(package.__file__).parent)
    assert len(graph) > 5
    assert find_circle(graph) is None


def test_the_circle_finder_fires_on_a_circle():
    assert find_circle({"layers": {"state"}, "state": {"layers"}}) == ["layers", "state", "layers"]
    assert find_circle({"layers": {"state", "init"}, "state": {"init"}, "init": set()}) is None


def test_the_graph_sees_an_import_made_inside_a_function(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from .high import g\n")
    (package / "high.py").write_text("from . import low\n")
    assert find_circle(import_graph(package)) == ["high", "low", "high"]
