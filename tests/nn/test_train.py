"""fit(): it learns, records history, shuffles reproducibly, calls back, stays quiet off a TTY."""

import os

import pytest

from nn import MLP, SGD, Adam, StepLR, fit, losses, metrics

XOR = [([0.0, 0.0], -1.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], -1.0)]


def test_fit_learns_xor_and_records_loss_and_metrics_per_epoch():
    model = MLP(2, [8, 1], activation="tanh", seed=1, fused=True)
    history = fit(
        model,
        XOR,
        losses.mse,
        Adam(model.parameters(), lr=0.05),
        epochs=150,
        metrics={"accuracy": metrics.accuracy},
    )
    assert len(history.loss) == len(history.metrics["accuracy"]) == 150
    assert history.loss[-1] < 0.01 < history.loss[0]
    assert history.metrics["accuracy"][-1] == 1.0
    assert all((model(x).data > 0) == (y > 0) for x, y in XOR)


def test_epoch_loss_is_the_mean_over_examples_before_each_step():
    model = MLP(2, [1], seed=0)
    expected = losses.mse([model(x) for x, _ in XOR], [y for _, y in XOR]).data
    history = fit(model, XOR, losses.mse, SGD(model.parameters(), lr=0.0), batch_size=3)
    assert history.loss == pytest.approx([expected])


def test_full_batch_takes_one_step_per_epoch_and_mini_batches_more():
    steps = []

    class CountingSGD(SGD):
        def step(self):
            steps.append(1)
            super().step()

    model = MLP(2, [2, 1], seed=0)
    fit(model, XOR, losses.mse, CountingSGD(model.parameters(), lr=0.01), epochs=3)
    assert len(steps) == 3
    fit(model, XOR, losses.mse, CountingSGD(model.parameters(), lr=0.01), epochs=3, batch_size=3)
    assert len(steps) == 3 + 3 * 2


def train_with(seed, shuffle=True):
    model = MLP(2, [4, 1], seed=0)
    fit(
        model,
        XOR,
        losses.mse,
        SGD(model.parameters(), lr=0.1),
        epochs=3,
        batch_size=1,
        seed=seed,
        shuffle=shuffle,
    )
    return model.state_dict()


def test_shuffling_is_seeded():
    assert train_with(seed=1) == train_with(seed=1)
    assert train_with(seed=1) != train_with(seed=2)
    assert train_with(seed=1, shuffle=False) == train_with(seed=2, shuffle=False)


def test_callback_sees_each_epoch_and_can_stop_training():
    model = MLP(2, [1], seed=0)
    seen = []

    def callback(epoch, history):
        seen.append((epoch, len(history.loss)))
        return epoch == 2

    history = fit(
        model, XOR, losses.mse, SGD(model.parameters(), lr=0.01), epochs=10, callback=callback
    )
    assert seen == [(0, 1), (1, 2), (2, 3)]
    assert len(history.loss) == 3


def test_history_records_the_lr_a_schedule_set():
    model = MLP(2, [1], seed=0)
    optimizer = SGD(model.parameters(), lr=1.0)
    schedule = StepLR(optimizer, step_size=1, gamma=0.5)

    def step_schedule(epoch, history):
        schedule.step()

    history = fit(model, XOR, losses.mse, optimizer, epochs=3, callback=step_schedule)
    assert history.lr == [1.0, 0.5, 0.25]


def test_no_progress_bar_off_a_terminal_and_one_when_asked(capsys):
    model = MLP(2, [1], seed=0)
    fit(model, XOR, losses.mse, SGD(model.parameters(), lr=0.01), epochs=2)
    assert capsys.readouterr().err == ""  # pytest's stderr is not a TTY
    fit(model, XOR, losses.mse, SGD(model.parameters(), lr=0.01), epochs=2, progress=True)
    assert "2/2" in capsys.readouterr().err


FIT_XOR = """
import nn
from nn import MLP, losses
XOR = [([0.0, 0.0], -1.0), ([0.0, 1.0], 1.0), ([1.0, 0.0], 1.0), ([1.0, 1.0], -1.0)]
model = MLP(2, [1], seed=0)
history = nn.fit(model, XOR, losses.mse, nn.SGD(model.parameters(), lr=0.01), epochs=3)
"""


def test_in_a_jupyter_kernel_the_bar_is_a_notebook_widget(jupyter):
    pytest.importorskip("ipywidgets", reason="tqdm draws a notebook bar with ipywidgets")
    ((bar,),) = jupyter(FIT_XOR)  # one output: no text bar on stderr, no warning
    assert bar["output_type"] == "display_data"
    assert "application/vnd.jupyter.widget-view+json" in bar["data"]
    assert "/3" in bar["data"]["text/plain"] and "epoch" in bar["data"]["text/plain"]


def test_in_a_terminal_the_bar_is_text(tmp_path):
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    main, terminal = pty.openpty()  # stderr is a TTY, as in a terminal of 24 × 80
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    script = tmp_path / "fit.py"
    script.write_text(FIT_XOR, encoding="utf-8")
    with subprocess.Popen([sys.executable, script], stderr=terminal, stdout=subprocess.PIPE) as run:
        os.close(terminal)
        shown = b""
        while chunk := _read(main):
            shown += chunk
        assert run.wait(timeout=120) == 0
    os.close(main)
    text = shown.decode()
    assert "3/3" in text and "epoch" in text and "\r" in text  # redrawn in place
    assert "widget" not in text.lower()


def _read(fd):
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO once the child has closed the terminal
        return b""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"epochs": -1}, "epochs must be"),
        ({"batch_size": 0}, "batch_size must be"),
        ({"data": []}, "no data"),
    ],
)
def test_bad_arguments_are_named(options, message):
    model = MLP(2, [1], seed=0)
    arguments = {"data": XOR, **options}
    data = arguments.pop("data")
    with pytest.raises(ValueError, match=message):
        fit(model, data, losses.mse, SGD(model.parameters(), lr=0.01), **arguments)


def test_a_loss_that_returns_a_number_is_named():
    model = MLP(2, [1], seed=0)
    with pytest.raises(TypeError, match="loss must return a Value, not float"):
        fit(model, XOR, lambda p, y: 0.5, SGD(model.parameters(), lr=0.01))


# ---- compile=True: the same training, traced once and replayed per batch ----


@pytest.mark.parametrize("backend", [True, "python"])
@pytest.mark.parametrize(
    "loss, data, outputs",
    [
        (losses.max_margin, XOR, 1),
        (losses.mse, XOR, 1),
        (losses.binary_cross_entropy, [(x, (y + 1) / 2) for x, y in XOR], 1),
        (losses.softmax_cross_entropy, [(x, int(y > 0)) for x, y in XOR], 2),
    ],
    ids=["max_margin", "mse", "binary_cross_entropy", "softmax_cross_entropy"],
)
def test_compiled_fit_trains_as_the_scalar_fit_does(backend, loss, data, outputs):
    histories, weights = [], []
    for compile in (False, backend):
        model = MLP(2, [4, outputs], activation="tanh", seed=3, fused=compile is False)
        history = fit(
            model, data, loss, Adam(model.parameters(), lr=0.05), epochs=5, batch_size=3,
            metrics={"accuracy": metrics.accuracy}, compile=compile,
        )  # fmt: skip
        histories.append(history)
        weights.append([p.data for p in model.parameters()])
    assert histories[1].loss == pytest.approx(histories[0].loss, rel=1e-9)
    assert histories[1].metrics == histories[0].metrics
    assert weights[1] == pytest.approx(weights[0], rel=1e-9, abs=1e-12)


def test_compiled_fit_needs_a_loss_with_a_one_example_form():
    model = MLP(2, [1], seed=0)

    def my_loss(preds, targets):
        return losses.mse(preds, targets)

    with pytest.raises(ValueError, match="my_loss has none"):
        fit(model, XOR, my_loss, SGD(model.parameters(), lr=0.1), compile=True)
