"""The playground's state in the URL hash, so a link opens the page as it was shared.

    #expr=x*y%20%2B%20sin(x)&x=1.5&y=-2
        expression mode: the expression, then a value for each name in it;
    #mode=net&data=moons&layers=8,8&act=tanh&opt=adam&lr=0.03&seed=0
        network mode; a missing key takes its default.

Each `key=value` part is percent-decoded on its own (a `+` stays a plus, as
typed in an expression); `expr` and `mode` are keys, so they cannot be names in
a link. The hash is only read as data: anything unknown or malformed is a
HashError whose message the page shows as text.
"""

import keyword
import math
from urllib.parse import quote, unquote

MAX_LENGTH = 20_000  # characters of hash
DATASETS = ("moons", "circles", "xor", "spiral", "csv")  # csv: the user's own file
ACTIVATIONS = ("tanh", "relu", "sigmoid")
OPTIMIZERS = ("gd", "momentum", "adam")
MAX_LAYERS = 4  # hidden layers, and neurons in each: what stays interactive
MAX_WIDTH = 16
MAX_LR = 10.0
NETWORK_DEFAULTS = {
    "data": "moons",
    "layers": [8, 8],
    "act": "tanh",
    "opt": "adam",
    "lr": 0.03,
    "seed": 0,
}
EXPRESSION_DEFAULT = {  # the neuron of the "building micrograd" lecture
    "mode": "expr",
    "expr": "tanh(x1*w1 + x2*w2 + b)",
    "values": {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432},
}
_URI_SAFE = "-_.!~*'()"  # what JavaScript's encodeURIComponent leaves as it is


class HashError(ValueError):
    """The URL hash cannot be read; the message says which part and why."""


def read(text: str) -> dict:
    """The state a hash describes: {"mode": "expr", "expr", "values"} or {"mode": "net", …}."""
    if not isinstance(text, str):
        raise HashError(f"the hash must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise HashError(f"the link's hash is {len(text)} characters long; at most {MAX_LENGTH}")
    pairs = _pairs(text.removeprefix("#"))
    if not pairs:
        return {**EXPRESSION_DEFAULT, "values": dict(EXPRESSION_DEFAULT["values"])}
    mode = pairs.pop("mode", "expr")
    if mode == "net":
        return _network(pairs)
    if mode != "expr":
        raise HashError(f"mode={_show(mode)}: the modes are expr and net")
    if "expr" not in pairs:
        raise HashError("the link has no expr=… (expression mode) and no mode=net")
    return _expression(pairs)


def write(state: dict) -> str:
    """The hash for a state read() returns (without the leading #)."""
    if state["mode"] == "net":
        layers = ",".join(str(width) for width in state["layers"])
        parts = [("mode", "net"), ("data", state["data"]), ("layers", layers)]
        parts += [("act", state["act"]), ("opt", state["opt"]), ("lr", _number(state["lr"]))]
        parts.append(("seed", str(state["seed"])))
    else:
        parts = [("expr", state["expr"])]
        parts += [(name, _number(x)) for name, x in state["values"].items()]
    return "&".join(
        f"{quote(key, _URI_SAFE)}={quote(value, _URI_SAFE + ',')}" for key, value in parts
    )


def _pairs(text):
    """{key: value} from key=value&…; a repeated key or a part without = is an error."""
    pairs = {}
    for part in text.split("&"):
        if not part:
            continue
        key, equals, value = part.partition("=")
        key, value = unquote(key, errors="replace"), unquote(value, errors="replace")
        if not equals:
            raise HashError(f"{_show(key)} in the link has no =value")
        if key in pairs:
            raise HashError(f"{_show(key)} is given twice in the link")
        pairs[key] = value
    return pairs


def _expression(pairs):
    values = {}
    for name, text in pairs.items():
        if name == "expr":
            continue
        if not name.isidentifier() or keyword.iskeyword(name):
            raise HashError(f"{_show(name)} is not a name an expression can use")
        values[name] = _finite(name, text)
    return {"mode": "expr", "expr": pairs["expr"], "values": values}


def _network(pairs):
    unknown = [key for key in pairs if key not in NETWORK_DEFAULTS]
    if unknown:
        known = ", ".join(NETWORK_DEFAULTS)
        raise HashError(f"{_show(unknown[0])} is not a network setting (known: {known})")
    state = {"mode": "net", **NETWORK_DEFAULTS}
    for key, choices in (("data", DATASETS), ("act", ACTIVATIONS), ("opt", OPTIMIZERS)):
        if key in pairs:
            if pairs[key] not in choices:
                raise HashError(f"{key}={_show(pairs[key])}: choose one of {', '.join(choices)}")
            state[key] = pairs[key]
    if "layers" in pairs:
        state["layers"] = _layers(pairs["layers"])
    if "lr" in pairs:
        lr = _finite("lr", pairs["lr"])
        if not 0 < lr <= MAX_LR:
            raise HashError(
                f"lr={_show(pairs['lr'])}: the learning rate must be in (0, {MAX_LR:g}]"
            )
        state["lr"] = lr
    if "seed" in pairs:
        text = pairs["seed"]
        if not (text.isascii() and text.isdigit()) or int(text) >= 2**32:
            raise HashError(f"seed={_show(text)}: the seed must be a whole number from 0 to 2³²−1")
        state["seed"] = int(text)
    return state


def _layers(text):
    """Hidden layer widths from "8,8" ("" is no hidden layer)."""
    if not text.strip():
        return []
    widths = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit()) or not 1 <= int(part) <= MAX_WIDTH:
            raise HashError(
                f"layers={_show(text)}: each hidden layer is a width from 1 to {MAX_WIDTH}, "
                "separated by commas, e.g. layers=8,8"
            )
        widths.append(int(part))
    if len(widths) > MAX_LAYERS:
        raise HashError(f"layers={_show(text)}: at most {MAX_LAYERS} hidden layers")
    return widths


def _finite(name, text):
    try:
        x = float(text)
    except ValueError:
        raise HashError(f"{name}={_show(text)} is not a number") from None
    if not math.isfinite(x):
        raise HashError(f"{name}={_show(text)} is not a finite number")
    return x


def _number(x):
    """The shortest text that reads back as the same float: 2 for 2.0, 0.03, 6.881373587019543."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e16 else repr(x)


def _show(text):
    """A user's text in a message: quoted, escapes visible, cut at 60 characters."""
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "…'"
