"""Model files: an MLP's architecture and weights as JSON, written atomically, read strictly.

    {"format": "chainrule.mlp", "version": 1,
     "architecture": {"nin": 2, "nouts": [16, 1], "activation": "relu",
                      "output_activation": "linear", "fused": false},
     "weights": [{"w": [[…2 numbers] × 16 rows], "b": [16 numbers]}, {"w": [[…16]], "b": [1]}]}

Row j of a layer's "w" holds neuron j's weights (the torch.nn.Linear layout).
save() writes a temporary file in the target's folder and renames it over
the target (through a symlink, over the link's target), so a crash mid-write
leaves the old file whole. read() checks every key, shape and number before
anything is built and names the first problem it finds. This module knows
the file, not the MLP class: `MLP.load` builds the model from what read() returns.
"""

import json
import math
import re
from numbers import Real

from autograd.files import write_atomically

from .init import ACTIVATIONS

FORMAT = "chainrule.mlp"
VERSION = 1
_TOP_KEYS = ("format", "version", "architecture", "weights")
_ARCH_KEYS = ("nin", "nouts", "activation", "output_activation", "fused")
_ARCH_DEFAULTS = {"output_activation": "linear"}  # files written before the key existed
_MAX_DEPTH = 5  # {} → "weights" [] → a layer {} → "w" [] → a row []
# A JSON string (skipped whole, so brackets inside names do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


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
        _check_depth(text)
        document = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_object_without_duplicates
        )
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path}: not valid JSON (corrupt or truncated): {error}") from None
    except ValueError as error:  # a ModelFileError from the checks above, too
        raise ModelFileError(f"{path}: {error}") from None
    try:
        _check_document(document)
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
    return document


def weights_state(document) -> dict[str, float]:
    """The document's weights as a state dict (`layers.0.neurons.3.w.1`: float)."""
    state = {}
    for i, layer in enumerate(document["weights"]):
        for j, (row, bias) in enumerate(zip(layer["w"], layer["b"])):
            prefix = f"layers.{i}.neurons.{j}."
            for k, weight in enumerate(row):
                state[f"{prefix}w.{k}"] = float(weight)
            state[prefix + "b"] = float(bias)
    return state


def load_weights(model, path) -> None:
    """Set model's weights from path; the file's architecture must equal the model's."""
    document = read(path)
    ours, theirs = model.architecture(), document["architecture"]
    for key in ("nin", "nouts", "activation", "output_activation"):
        if ours[key] != theirs[key]:
            raise ModelFileError(f"{path}: file has {key}={theirs[key]!r}, model has {ours[key]!r}")
    model.load_state_dict(weights_state(document))


def _check_depth(text):
    """Refuse nesting deeper than a model file has, before json recurses into it."""
    depth = deepest = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        bracket = match[0]
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in "]}":
            depth -= 1
    if deepest > _MAX_DEPTH:
        raise ModelFileError(f"nested {deepest} levels deep; a model file has at most {_MAX_DEPTH}")


def _object_without_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ModelFileError(f"duplicate key {key!r} in a JSON object")
        seen[key] = value
    return seen


_LARGEST_FLOAT = int(1.7976931348623157e308)


def _reject_constant(name):
    raise ValueError(f"{name} is not a finite number")


def _check_keys(where, mapping, expected, defaults=None):
    if not isinstance(mapping, dict):
        raise ModelFileError(f"{where} must be a JSON object, not {type(mapping).__name__}")
    for key, default in (defaults or {}).items():
        mapping.setdefault(key, default)
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
    if type(version) is not int or version != VERSION:
        raise ModelFileError(
            f"version {version!r} is not supported (this reads version {VERSION}, an integer)"
        )
    arch = document["architecture"]
    _check_keys("architecture", arch, _ARCH_KEYS, _ARCH_DEFAULTS)
    nin, nouts = arch["nin"], arch["nouts"]
    if not _is_count(nin):
        raise ModelFileError(f"architecture.nin must be a whole number ≥ 1, not {nin!r}")
    if not isinstance(nouts, list) or not nouts or not all(map(_is_count, nouts)):
        raise ModelFileError(f"architecture.nouts must be a list of whole numbers ≥ 1: {nouts!r}")
    for key in ("activation", "output_activation"):
        if not isinstance(arch[key], str) or arch[key] not in ACTIVATIONS:
            raise ModelFileError(f"architecture.{key} {arch[key]!r} is unknown")
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
        if isinstance(x, int) and abs(x) > _LARGEST_FLOAT:
            digits = len(str(abs(x)))
            raise ModelFileError(
                f"{where}[{k}] is an integer of {digits} digits, too large for a float"
            )
        if not math.isfinite(x):
            raise ModelFileError(f"{where}[{k}] is {x!r}, not a finite number")


def _shape(x):
    return f"found {len(x)}" if isinstance(x, list) else f"found {type(x).__name__}"


def _is_count(x):
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1
