"""The URL hash: the issue's links read as written, every state written reads back, and
anything unknown is a HashError whose message quotes it as data."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.playground.hashstate import (
    ACTIVATIONS,
    DATASETS,
    EXPRESSION_DEFAULT,
    MAX_LAYERS,
    MAX_WIDTH,
    NETWORK_DEFAULTS,
    OPTIMIZERS,
    HashError,
    read,
    write,
)


def test_the_expression_link_reads_as_written():
    state = read("#expr=x*y%20%2B%20sin(x)&x=1.5&y=-2")
    assert state == {"mode": "expr", "expr": "x*y + sin(x)", "values": {"x": 1.5, "y": -2.0}}
    assert write(state) == "expr=x*y%20%2B%20sin(x)&x=1.5&y=-2"  # as encodeURIComponent writes


def test_the_network_link_reads_as_written():
    text = "mode=net&data=moons&layers=8,8&act=tanh&opt=adam&lr=0.03&seed=0"
    state = read("#" + text)
    assert state == {
        "mode": "net",
        "data": "moons",
        "layers": [8, 8],
        "act": "tanh",
        "opt": "adam",
        "lr": 0.03,
        "seed": 0,
    }
    assert write(state) == text


def test_a_plus_typed_into_a_link_stays_a_plus():
    assert read("#expr=x+y&x=1&y=2")["expr"] == "x+y"


def test_missing_network_settings_take_their_defaults():
    assert read("#mode=net") == {"mode": "net", **NETWORK_DEFAULTS}
    assert read("#mode=net&layers=")["layers"] == []  # no hidden layer: a linear model
    assert read("#mode=net&layers=%204%2C%202")["layers"] == [4, 2]


def test_an_empty_hash_opens_the_lecture_neuron():
    assert read("") == read("#") == EXPRESSION_DEFAULT
    assert read("") is not EXPRESSION_DEFAULT  # a copy: the page cannot change the default


@pytest.mark.parametrize(
    "text, words",
    [
        ("#expr=x&<img src=x onerror=alert(1)>=1", "'<img src' is not a name"),
        (
            "#expr=x&%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1",
            "'<img src=x onerror=alert(1)>' is not",
        ),
        ("#expr=x&x=1&x=2", "'x' is given twice"),
        ("#expr=x&x", "'x' in the link has no =value"),
        ("#expr=x&x=abc", "x='abc' is not a number"),
        ("#expr=x&x=inf", "x='inf' is not a finite number"),
        ("#expr=x&import=1", "'import' is not a name"),
        ("#x=1", "no expr="),
        ("#mode=sql&expr=x", "mode='sql': the modes are expr and net"),
        ("#mode=net&data=%3Cscript%3E", "data='<script>': choose one of moons, circles"),
        ("#mode=net&layers=8,x", "layers='8,x': each hidden layer is a width from 1 to 16"),
        ("#mode=net&layers=0", "from 1 to 16"),
        (f"#mode=net&layers={MAX_WIDTH + 1}", "from 1 to 16"),
        ("#mode=net&layers=" + ",".join(["2"] * (MAX_LAYERS + 1)), "at most 4 hidden layers"),
        ("#mode=net&lr=0", "lr='0': the learning rate must be in (0, 10]"),
        ("#mode=net&lr=nan", "lr='nan' is not a finite number"),
        ("#mode=net&seed=-1", "seed='-1': the seed must be a whole number"),
        ("#mode=net&seed=%C2%B2", "seed='²'"),  # a digit to str.isdigit, not to int()
        ("#mode=net&onload=alert(1)", "'onload' is not a network setting"),
        ("#expr=x&" + "x" * 30_000 + "=1", "characters long; at most 20000"),
    ],
)
def test_what_cannot_be_read_is_a_hash_error_quoting_it(text, words):
    with pytest.raises(HashError) as error:
        read(text)
    assert words in str(error.value)


def test_a_long_value_is_cut_in_the_message():
    with pytest.raises(HashError) as error:
        read("#mode=net&data=" + "a" * 500)
    assert len(str(error.value)) < 200 and str(error.value).count("a") < 80


names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: (
        n not in ("expr", "mode") and n.isidentifier() and not __import__("keyword").iskeyword(n)
    )
)
finite = st.floats(allow_nan=False, allow_infinity=False)


@given(
    expr=st.text(max_size=40),
    values=st.dictionaries(names, finite, max_size=4),
)
def test_every_expression_state_reads_back_from_its_hash(expr, values):
    state = {"mode": "expr", "expr": expr, "values": values}
    assert read("#" + write(state)) == state


@given(
    data=st.sampled_from(DATASETS),
    layers=st.lists(st.integers(1, MAX_WIDTH), max_size=MAX_LAYERS),
    act=st.sampled_from(ACTIVATIONS),
    opt=st.sampled_from(OPTIMIZERS),
    lr=st.floats(min_value=1e-6, max_value=10.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_network_state_reads_back_from_its_hash(data, layers, act, opt, lr, seed):
    state = {
        "mode": "net",
        "data": data,
        "layers": layers,
        "act": act,
        "opt": opt,
        "lr": lr,
        "seed": seed,
    }
    assert read("#" + write(state)) == state


@given(st.text(max_size=80))
def test_any_text_either_reads_or_is_a_hash_error(text):
    try:
        state = read(quote(text, safe="=&#"))
    except HashError:
        return
    assert state["mode"] in ("expr", "net")
