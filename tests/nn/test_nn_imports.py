"""nn's modules import one another one way: no circle, counting imports inside functions."""

import ast
from pathlib import Path

import nn

PACKAGE = Path(nn.__file__).parent


def imports_within_nn(path: Path) -> set[str]:
    """The nn modules a file imports anywhere in it (top level or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from .state import save
                found.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import state
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("nn."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("nn."))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {m: imports_within_nn(PACKAGE / f"{m}.py") & modules for m in modules}


def find_circle(graph):
    """One import circle as a list of modules, or None."""
    state = {}

    def visit(module, path):
        state[module] = "open"
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state and (circle := visit(imported, [*path, imported])):
                return circle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module, [module])):
            return circle
    return None


def test_nn_modules_import_each_other_one_way():
    assert find_circle(import_graph()) is None


def test_the_circle_finder_fires_on_a_circle():
    assert find_circle({"layers": {"state"}, "state": {"layers"}}) == ["layers", "state", "layers"]
    assert find_circle({"layers": {"state", "init"}, "state": {"init"}, "init": set()}) is None


def test_the_model_file_module_sits_below_the_layers():
    graph = import_graph()
    assert "state" in graph["layers"] and "layers" not in graph["state"]
