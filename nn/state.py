"""Model files: an MLP's architecture and weights as JSON, written atomically, read strictly.

    {"format": "chainrule.mlp", "version": 1,
     "architecture": {"nin": 2, "nouts": [16, 1], "activation": "relu", "fused": false},
     "weights": [{"w": [[…2 numbers] × 16 rows], "b": [16 numbers]}, {"w": [[…16]], "b": [1]}]}

Row j of a layer's "w" holds neuron j's weights (the torch.nn.Linear layout).
save() writes a temporary file in the target's folder and renames it over
the target, so a crash mid-write leaves the old file whole. load() checks
every key, shape and number before building anything and names the first
problem it finds.
"""

import json
import math
from numbers import Real

from autograd.files import write_atomically

from .init import ACTIVATIONS

FORMAT = "chainrule.mlp"
VERSION = 1
_TOP_KEYS = ("format", "version", "architecture", "weights")
_ARCH_KEYS = ("nin", "nouts", "activation", "fused")


class ModelFileError(ValueError):
    """A model file that cannot be read: corrupt, truncated or not matching."""


def to_document(model) -> dict:
    """The JSON document for an MLP."""
    weights = [
        {
            "w": [[w.data for w in n.w] for n in layer.neurons],
            "b": [n.b.data for n in layer.neurons],
        }
        for layer in model.layers
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "architecture": model.architecture(),
        "weights": weights,
    }


def save(model, path) -> None:
    """Write model to path atomically (temp file in the same folder, then os.replace)."""
    try:
        text = _dumps(to_document(model))
    except ValueError:
        raise ValueError(f"cannot save {path}: the model has a NaN or infinite weight") from None
    write_atomically(path, text.encode("utf-8"))


def _dumps(document):
    """JSON with one line per key and per layer, so a small model file reads easily."""
    head = [
        f"  {json.dumps(k)}: {json.dumps(document[k], allow_nan=False)}," for k in _TOP_KEYS[:3]
    ]
    layers = ",\n".join(
        "    " + json.dumps(layer, allow_nan=False) for layer in document["weights"]
    )
    return "\n".join(["{", *head, '  "weights": [', layers, "  ]", "}"]) + "\n"


def read(path) -> dict:
    """The validated document in path; ModelFileError names what is wrong."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except UnicodeDecodeError:
        raise ModelFileError(f"{path}: not a text file") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path}: not valid JSON (corrupt or truncated): {error}") from None
    except ValueError as error:
        raise ModelFileError(f"{path}: {error}") from None
    try:
        _check_document(document)
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
    return document


def load(path):
    """A new MLP built from the file at path."""
    from .layers import MLP

    document = read(path)
    model = MLP(**document["architecture"], seed=0)
    model.load_state_dict(_state(document))
    return model


def load_weights(model, path) -> None:
    """Set model's weights from path; the file's architecture must equal the model's."""
    document = read(path)
    ours, theirs = model.architecture(), dict(document["architecture"])
    for key in ("nin", "nouts", "activation"):
        if ours[key] != theirs[key]:
            raise ModelFileError(f"{path}: file has {key}={theirs[key]!r}, model has {ours[key]!r}")
    model.load_state_dict(_state(document))


def _state(document):
    state = {}
    for i, layer in enumerate(document["weights"]):
        for j, (row, bias) in enumerate(zip(layer["w"], layer["b"])):
            prefix = f"layers.{i}.neurons.{j}."
            for k, weight in enumerate(row):
                state[f"{prefix}w.{k}"] = float(weight)
            state[prefix + "b"] = float(bias)
    return state


def _reject_constant(name):
    raise ValueError(f"{name} is not a finite number")


def _check_keys(where, mapping, expected):
    if not isinstance(mapping, dict):
        raise ModelFileError(f"{where} must be a JSON object, not {type(mapping).__name__}")
    missing = [k for k in expected if k not in mapping]
    extra = [k for k in mapping if k not in expected]
    if missing:
        raise ModelFileError(f"{where} is missing key(s): {', '.join(missing)}")
    if extra:
        raise ModelFileError(f"{where} has unexpected key(s): {', '.join(map(str, extra))}")


def _check_document(document):
    _check_keys("the file", document, _TOP_KEYS)
    if document["format"] != FORMAT:
        raise ModelFileError(f"format is {document['format']!r}, expected {FORMAT!r}")
    version = document["version"]
    if version != VERSION or isinstance(version, bool):
        raise ModelFileError(f"version {version!r} is not supported (this reads {VERSION})")
    arch = document["architecture"]
    _check_keys("architecture", arch, _ARCH_KEYS)
    nin, nouts = arch["nin"], arch["nouts"]
    if not _is_count(nin):
        raise ModelFileError(f"architecture.nin must be a whole number ≥ 1, not {nin!r}")
    if not isinstance(nouts, list) or not nouts or not all(map(_is_count, nouts)):
        raise ModelFileError(f"architecture.nouts must be a list of whole numbers ≥ 1: {nouts!r}")
    if arch["activation"] not in ACTIVATIONS:
        raise ModelFileError(f"architecture.activation {arch['activation']!r} is unknown")
    if not isinstance(arch["fused"], bool):
        raise ModelFileError(f"architecture.fused must be true or false, not {arch['fused']!r}")
    _check_weights(document["weights"], [nin, *nouts])


def _check_weights(weights, sizes):
    if not isinstance(weights, list) or len(weights) != len(sizes) - 1:
        count = len(weights) if isinstance(weights, list) else type(weights).__name__
        raise ModelFileError(f"weights must list {len(sizes) - 1} layer(s), found {count}")
    for i, layer in enumerate(weights):
        where = f"weights[{i}]"
        _check_keys(where, layer, ("w", "b"))
        nin, nout = sizes[i], sizes[i + 1]
        w, b = layer["w"], layer["b"]
        if not isinstance(w, list) or len(w) != nout:
            raise ModelFileError(f"{where}.w must have {nout} rows (one per neuron): {_shape(w)}")
        for j, row in enumerate(w):
            if not isinstance(row, list) or len(row) != nin:
                raise ModelFileError(f"{where}.w[{j}] must have {nin} numbers: {_shape(row)}")
            _check_numbers(f"{where}.w[{j}]", row)
        if not isinstance(b, list) or len(b) != nout:
            raise ModelFileError(f"{where}.b must have {nout} numbers: {_shape(b)}")
        _check_numbers(f"{where}.b", b)


def _check_numbers(where, numbers):
    for k, x in enumerate(numbers):
        if isinstance(x, bool) or not isinstance(x, Real):
            raise ModelFileError(f"{where}[{k}] is {x!r}, not a number")
        if not math.isfinite(x):
            raise ModelFileError(f"{where}[{k}] is {x!r}, not a finite number")


def _shape(x):
    return f"found {len(x)}" if isinstance(x, list) else f"found {type(x).__name__}"


def _is_count(x):
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1
