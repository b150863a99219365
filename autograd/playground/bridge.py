"""What the page calls in Pyodide: JSON text in, JSON text out, errors as messages.

Every function takes and returns a JSON string, so no Python object crosses into
JavaScript. A mistake in what the user typed or linked (an expression, a hash, a
CSV or model file) comes back as {"error": message}; the page shows the message
as text. The network session lives here, one per page.
"""

import json
import math

from ..parse import ExpressionError
from . import datasets, expression, hashstate, network

# What bad input raises: ExpressionError, HashError, DataError, ModelFileError and
# GraphTooLargeError are ValueErrors; an index names a layer, neuron or weight.
_EXPECTED = (ValueError, IndexError, TypeError, ArithmeticError)
MAX_STEPS = 1000  # training steps in one call: the page asks for a few, to stay responsive
_session = None
_render_svg = None  # DOT -> SVG, given by the page (Graphviz compiled to wasm)


def set_renderer(render_svg) -> None:
    """Use render_svg(dot) -> svg text for the step-through page."""
    global _render_svg
    _render_svg = render_svg


def read_hash(text: str) -> str:
    """The state a URL hash describes, and its canonical hash text."""

    def run(args):
        state = hashstate.read(args["hash"])
        return {"state": state, "hash": hashstate.write(state)}

    return _call(run, text)


def expression_mode(text: str) -> str:
    """expression.evaluate for {"expr", "values", "wrt", "lang"}; the values kept and the hash."""

    def run(args):
        values = expression.values_for(args["expr"], args.get("values") or {})
        wrt = args.get("wrt") or None
        if wrt not in values:
            wrt = None
        state = {"mode": "expr", "expr": args["expr"], "values": values}
        shown = {"values": values, "hash": hashstate.write(state), "wrt": wrt}
        try:
            shown |= expression.evaluate(
                args["expr"], values, wrt=wrt, lang=args.get("lang", "en"), svg=_render_svg
            )
        except ExpressionError as error:
            shown["error"] = str(error)  # the fields for the names still come back
        return shown

    return _call(run, text)


def network_start(text: str) -> str:
    """A new session from {"state": network hash state, "csv": text or absent}."""

    def run(args):
        global _session
        state = args["state"]
        if args.get("csv") is not None:
            points, labels = datasets.read_csv(args["csv"])
        else:
            points, labels = datasets.make(state["data"], state["seed"])
        settings = {key: state[key] for key in ("layers", "act", "opt", "lr", "seed")}
        _session = network.Session(points, labels, **settings)
        return _overview(state)

    return _call(run, text)


def network_step(text: str) -> str:
    """{"count", "lr", "maps"}: train count steps; the loss curve's new points and the maps."""

    def run(args):
        session = _need_session()
        session.set_lr(args["lr"])
        count = args["count"]
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_STEPS:
            raise ValueError(f"steps per call: a whole number from 1 to {MAX_STEPS}, not {count!r}")
        before = len(session.losses)
        shown = session.step(count)
        shown["losses"] = session.losses[before:]
        if args.get("maps"):
            shown["maps"] = session.maps()
        return shown

    return _call(run, text)


def network_weight(text: str) -> str:
    """{"layer", "neuron", "index", "lang"}: a weight's value, grad and derivation."""
    return _call(
        lambda a: _need_session().weight(a["layer"], a["neuron"], a["index"], a.get("lang", "en")),
        text,
    )


def network_neuron(text: str) -> str:
    """{"layer", "neuron"}: the neuron's gradient flow at the least-sure point, as DOT."""
    return _call(lambda a: _need_session().neuron_flow(a["layer"], a["neuron"]), text)


def network_export(text: str) -> str:
    return _call(lambda a: {"file": _need_session().export()}, text)


def network_import(text: str) -> str:
    """{"file", "state"}: train the model in an nn model file; the new state and overview."""

    def run(args):
        session = _need_session()
        shape = session.load(args["file"], args["state"]["lr"])
        return _overview(args["state"] | shape)

    return _call(run, text)


def _overview(state):
    session = _need_session()
    hidden = session.model.nouts[:-1]
    state = state | {"layers": hidden, "act": session.model.activation}
    return {
        "state": state,
        "hash": hashstate.write(state),
        "points": session.points,
        "labels": session.labels,
        "sizes": [2, *hidden, 1],
        "accuracy": session.accuracy(),
        "maps": session.maps(),
    }


def _need_session():
    if _session is None:
        raise ValueError("no network yet: choose a data set first")
    return _session


def _call(function, text):
    try:
        args = json.loads(text)
        if not isinstance(args, dict):
            raise TypeError("the page sent something that is not a JSON object")
        result = function(args)
    except _EXPECTED as error:
        result = {"error": str(error) or type(error).__name__}
    except KeyError as error:
        result = {"error": f"the page sent no {error}"}
    try:
        return json.dumps(result, allow_nan=False)
    except ValueError:  # a diverged loss or weight: the page reads null
        return json.dumps(_finite_only(result))


def _finite_only(x):
    """x with every NaN or infinite float replaced by None."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {key: _finite_only(value) for key, value in x.items()}
    if isinstance(x, list | tuple):
        return [_finite_only(value) for value in x]
    return x
