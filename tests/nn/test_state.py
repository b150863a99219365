"""Model files: exact round trips, strict validation, atomic writes that never harm the old file."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nn import MLP, ModelFileError, state


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    nin=st.integers(1, 5),
    nouts=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
    fused=st.booleans(),
    seed=st.integers(0, 2**32),
    x=st.floats(-5, 5),
)
def test_save_then_load_gives_the_same_model_exactly(
    tmp_path, nin, nouts, activation, fused, seed, x
):
    model = MLP(nin, nouts, activation=activation, seed=seed, fused=fused)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert loaded.architecture() == model.architecture()
    assert loaded.state_dict() == model.state_dict()
    out, again = model([x] * nin), loaded([x] * nin)
    outs = out if isinstance(out, list) else [out]
    agains = again if isinstance(again, list) else [again]
    assert [o.data for o in outs] == [a.data for a in agains]


def test_the_file_is_json_with_version_architecture_and_torch_shaped_weights(tmp_path):
    model = MLP(3, [2, 1], activation="tanh", seed=0)
    model.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["format"] == "chainrule.mlp" and document["version"] == 1
    assert document["architecture"] == {
        "nin": 3,
        "nouts": [2, 1],
        "activation": "tanh",
        "output_activation": "linear",
        "fused": False,
    }
    first = document["weights"][0]
    assert [len(row) for row in first["w"]] == [3, 3] and len(first["b"]) == 2
    assert first["w"][1][2] == model.layers[0].neurons[1].w[2].data


def saved(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    return path, json.loads(path.read_text())


def corrupt(document, change):
    change(document)
    return json.dumps(document)


CORRUPTIONS = [
    (lambda d: d.update(format="keras"), "format is 'keras'"),
    (lambda d: d.update(version=2), "version 2 is not supported"),
    (lambda d: d.pop("weights"), "the file is missing key.*weights"),
    (lambda d: d.update(extra=1), "the file has unexpected key.*extra"),
    (lambda d: d["architecture"].pop("nin"), "architecture is missing key.*nin"),
    (lambda d: d["architecture"].update(depth=3), "architecture has unexpected key.*depth"),
    (lambda d: d["architecture"].update(nin=0), "architecture.nin must be"),
    (lambda d: d["architecture"].update(nouts=[3, "1"]), "architecture.nouts must be"),
    (lambda d: d["architecture"].update(activation="gelu"), "activation 'gelu' is unknown"),
    (lambda d: d["architecture"].update(fused="no"), "fused must be true or false"),
    (lambda d: d["architecture"].update(output_activation="gelu"), "'gelu' is unknown"),
    (lambda d: d["architecture"].update(output_activation=[1]), r"\[1\] is unknown"),
    (lambda d: d["weights"].pop(), "weights must list 2 layer"),
    (lambda d: d["weights"][0].pop("b"), r"weights\[0\] is missing key.*b"),
    (lambda d: d["weights"][0]["w"].pop(), r"weights\[0\].w must have 3 rows.*found 2"),
    (lambda d: d["weights"][1]["w"][0].append(0.5), r"weights\[1\].w\[0\] must have 3 numbers"),
    (lambda d: d["weights"][1].update(b=[]), r"weights\[1\].b must have 1 numbers"),
    (
        lambda d: d["weights"][0]["w"][2].__setitem__(1, "0.5"),
        r"w\[2\]\[1\] is '0.5', not a number",
    ),
    (lambda d: d["weights"][0]["b"].__setitem__(0, True), r"b\[0\] is True, not a number"),
]


@pytest.mark.parametrize(("change", "message"), CORRUPTIONS)
def test_corrupt_files_are_refused_with_the_problem_named(tmp_path, change, message):
    path, document = saved(tmp_path)
    path.write_text(corrupt(document, change))
    with pytest.raises(ModelFileError, match=message) as error:
        MLP.load(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(tmp_path, constant):
    path, document = saved(tmp_path)
    text = json.dumps(document).replace(json.dumps(document["weights"][1]["b"][0]), constant, 1)
    path.write_text(text)
    with pytest.raises(ModelFileError, match="not a finite number"):
        MLP.load(path)


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.9, "all but the last brace"])
def test_truncated_files_are_refused(tmp_path, keep):
    path, _ = saved(tmp_path)
    text = path.read_text().rstrip()
    path.write_text(text[:-1] if isinstance(keep, str) else text[: int(len(text) * keep)])
    with pytest.raises(ModelFileError, match="not valid JSON"):
        MLP.load(path)


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ModelFileError, match="not a text file"):
        MLP.load(path)


def test_load_weights_changes_the_model_only_when_the_file_is_good(tmp_path):
    path, document = saved(tmp_path)
    model = MLP(2, [3, 1], seed=9)
    before = model.state_dict()
    path.write_text(corrupt(document, lambda d: d["weights"][1]["b"].__setitem__(0, "x")))
    with pytest.raises(ModelFileError):
        model.load_weights(path)
    assert model.state_dict() == before
    MLP(2, [3, 1], seed=0).save(path)
    model.load_weights(path)
    assert model.state_dict() == MLP(2, [3, 1], seed=0).state_dict()


def test_load_weights_refuses_another_architecture(tmp_path):
    path, _ = saved(tmp_path)
    model = MLP(2, [4, 1], seed=9)
    before = model.state_dict()
    with pytest.raises(ModelFileError, match=r"file has nouts=\[3, 1\], model has \[4, 1\]"):
        model.load_weights(path)
    assert model.state_dict() == before


def test_a_crash_mid_write_leaves_the_old_file_whole_and_no_temp_file(tmp_path, monkeypatch):
    path, _ = saved(tmp_path)
    old = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        MLP(2, [3, 1], seed=5).save(path)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["model.json"]


def test_a_model_with_a_nan_weight_is_not_saved_and_the_old_file_survives(tmp_path):
    path, _ = saved(tmp_path)
    old = path.read_bytes()
    model = MLP(2, [3, 1], seed=5)
    model.layers[0].neurons[0].b.data = float("nan")
    with pytest.raises(ValueError, match="NaN or infinite weight"):
        model.save(path)
    assert path.read_bytes() == old


def test_saving_replaces_the_file_by_rename(tmp_path, monkeypatch):
    path, _ = saved(tmp_path)
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: renames.append((a, b)) or real_replace(a, b))
    MLP(2, [3, 1], seed=5).save(path)
    ((temp, target),) = renames
    assert os.path.dirname(temp) == str(tmp_path) and str(target) == str(path)
    assert MLP.load(path).state_dict() == MLP(2, [3, 1], seed=5).state_dict()


def test_to_document_and_read_agree(tmp_path):
    model = MLP(1, [2], seed=3)
    path = tmp_path / "m.json"
    model.save(path)
    assert state.read(path) == json.loads(json.dumps(state.to_document(model)))


def test_a_new_file_is_world_readable_and_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "model.json"
    MLP(1, [1], seed=0).save(path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    MLP(1, [1], seed=1).save(path)
    assert path.stat().st_mode & 0o777 == 0o600


def hostile(document):
    """Files that break Python's json module or float() unless read with care."""
    text = json.dumps(document)
    first_weight = json.dumps(document["weights"][0]["w"][0][0])
    return {
        "brackets": ("[" * 100_000, "nested 100000 levels deep"),
        "deep weight": (
            text.replace(first_weight, "[" * 10_000 + "0.5" + "]" * 10_000, 1),
            "nested 10005 levels deep",
        ),
        "huge integer": (
            text.replace(first_weight, "9" * 400, 1),
            r"w\[0\]\[0\] is an integer of 400 digits, too large for a float",
        ),
        "float version": (text.replace('"version": 1', '"version": 1.0'), "version 1.0"),
        "duplicate key": (
            text.replace('"format": "chainrule.mlp"', '"format": "x", "format": "chainrule.mlp"'),
            "duplicate key 'format'",
        ),
        "duplicate nested key": (
            text.replace('"nin": 2', '"nin": 2, "nin": 2'),
            "duplicate key 'nin'",
        ),
    }


HOSTILE = ["brackets", "deep weight", "huge integer", "float version", "duplicate key"]


@pytest.mark.parametrize("case", [*HOSTILE, "duplicate nested key"])
def test_hostile_files_are_refused_with_the_problem_named_and_the_model_untouched(tmp_path, case):
    path, document = saved(tmp_path)
    text, message = hostile(document)[case]
    path.write_text(text)
    with pytest.raises(ModelFileError, match=message) as error:
        MLP.load(path)
    assert str(path) in str(error.value)
    model = MLP(2, [3, 1], seed=9)
    before = model.state_dict()
    with pytest.raises(ModelFileError, match=message):
        model.load_weights(path)
    assert model.state_dict() == before


def test_saving_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "models" / "best.json"
    target.parent.mkdir()
    link = tmp_path / "current.json"
    link.symlink_to(target)
    MLP(2, [3, 1], seed=1).save(link)
    MLP(2, [3, 1], seed=2).save(link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert MLP.load(target).state_dict() == MLP(2, [3, 1], seed=2).state_dict()


def test_a_file_without_output_activation_is_read_as_a_linear_output(tmp_path):
    path, document = saved(tmp_path)
    del document["architecture"]["output_activation"]  # as files were written before it
    path.write_text(json.dumps(document))
    assert MLP.load(path).architecture()["output_activation"] == "linear"
    assert MLP.load(path).state_dict() == MLP(2, [3, 1], seed=0).state_dict()


def test_the_lecture_network_round_trips_with_its_tanh_output(tmp_path):
    model = MLP.lecture(3, [4, 4, 1], seed=2)
    model.save(tmp_path / "lecture.json")
    loaded = MLP.load(tmp_path / "lecture.json")
    assert [layer.activation for layer in loaded.layers] == ["tanh"] * 3
    assert loaded([1.0, -2.0, 0.5]).data == model([1.0, -2.0, 0.5]).data
    with pytest.raises(ModelFileError, match="output_activation='tanh', model has 'linear'"):
        MLP(3, [4, 4, 1], activation="tanh").load_weights(tmp_path / "lecture.json")
