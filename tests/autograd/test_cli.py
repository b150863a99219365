"""The CLI's error boundary: whatever fails, one line on stderr, exit status 2, no file left."""

import io
import os
import subprocess
import sys
import tempfile
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.__main__ import main
from autograd.cli import Parser, UsageError, run

ROOT = Path(__file__).parents[2]


def call(entry, argv):
    """(status, stdout, stderr) of entry(argv); any exception escaping fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = entry(argv)
    return status, out.getvalue(), err.getvalue()


def failed_in_one_line(status, out, err):
    return status == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1


def plugged_in(command):
    """A parser with one extra command, registered the way __main__ registers its own."""
    parser = Parser(prog="tool")
    sub = parser.add_subparsers(dest="command", required=True).add_parser("new")
    sub.add_argument("word")
    sub.set_defaults(run=command)
    return lambda argv: run(parser, argv)


def test_a_new_command_needs_no_error_handling_of_its_own():
    def command(args):
        if args.word == "typo":
            raise UsageError(f"{args.word!r}: not a word I know")
        if args.word == "bug":
            raise ZeroDivisionError("float division by zero\nsecond line")
        if args.word == "warn":
            warnings.warn("careful:\tthis\nspans lines", stacklevel=1)
        print(args.word)
        return 0

    tool = plugged_in(command)
    assert call(tool, ["new", "typo"]) == (2, "", "error: 'typo': not a word I know\n")
    assert call(tool, ["new", "bug"]) == (
        2, "", "error: ZeroDivisionError: float division by zero second line\n"
    )  # fmt: skip
    assert call(tool, ["new", "warn"]) == (0, "warn\n", "warning: careful:\\tthis spans lines\n")
    assert call(tool, ["new"]) == (
        2, "", "error: the following arguments are required: word (see tool new --help)\n"
    )  # fmt: skip


def test_an_interrupt_is_one_line_too():
    def command(args):
        raise KeyboardInterrupt

    assert call(plugged_in(command), ["new", "x"]) == (2, "", "error: interrupted\n")


@pytest.mark.parametrize(
    "argv",
    [
        ["explain", "x**y", "x=-2", "y=2"],
        ["explain", "x**-1", "x=1e-300"],
        ["explain", "x**y", "x=0", "y=0"],
        ["explain", "x**y", "x=-8", "y=0.5", "--wrt", "y"],
        ["html", "x**y", "x=-2", "y=2", "-o", "OUT/steps.html"],
    ],
)
def test_an_engine_error_never_escapes_as_a_traceback(tmp_path, argv):
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    status, out, err = call(main, argv)
    assert (status == 0 and err == "") or failed_in_one_line(status, out, err)


def test_an_unexpected_error_is_one_line_naming_its_type(monkeypatch):
    def broken(*args, **options):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(sys.modules["autograd.explain"], "explain", broken)
    status, out, err = call(main, ["explain", "x*2", "x=1"])
    assert (status, out) == (2, "")
    assert err == "error: RecursionError: maximum recursion depth exceeded\n"


def cli(*argv, **options):
    return subprocess.run(
        [sys.executable, "-m", "autograd", *argv],
        stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT, **options,
    )  # fmt: skip


def test_a_syntax_warning_never_reaches_stderr():
    done = cli("explain", "7if x", "x=1", stdout=subprocess.PIPE)
    assert done.returncode == 2 and done.stdout == ""
    reason = "not a valid expression (invalid decimal literal)"
    assert done.stderr == f"error: line 1, column 1: {reason}\n"


def test_a_reader_that_stops_early_ends_the_run_quietly():
    read, write = os.pipe()
    os.close(read)  # like `| head -1` having read its line and gone
    try:
        done = cli("explain", "tanh(w*x + b)", "w=0.5", "x=2", "b=-1", stdout=write)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (2, "")


EXPRESSIONS = [
    "x**y", "x**-1", "x**0.5", "0**x", "x**y**2", "log(x)", "sqrt(x)", "x/y", "-x*y", "-h*x",
    "7if x", "ℌ*2", "f*out", "tanh(x)*exp(y)", "x" + "+x" * 350, "__import__('os')", "",
]  # fmt: skip
VALUES = [
    "x=-2", "x=0", "x=1e-300", "x=1e308", "x=2", "y=2", "y=0", "y=-1", "y=0.5", "h=1", "ℌ=1",
    "H=3", "f=1", "out=2", "x=abc", "x=inf", "x", "=1", "if=1",
]  # fmt: skip
OPTIONS = ["--wrt", "x", "y", "out", "--format", "md", "latex", "--lang", "zh", "--chain",
           "from_root", "--group-by", "use", "-o", "--", "--frob", "-x"]  # fmt: skip
OUTPUTS = ["OUT/g.svg", "OUT/g.png", "OUT/g.txt", "OUT/g.pdf", "OUT/steps.html", "OUT",
           "OUT/no/g.svg"]  # fmt: skip
PIECES = ["x", "y", "2", "0.5", "-", "+", "*", "/", "**", "(", ")", "log", "sqrt", "exp", "."]


@st.composite
def command_lines(draw):
    """Mostly well-formed command lines with hostile parts, sometimes any words at all."""
    expression = st.one_of(
        st.sampled_from(EXPRESSIONS),
        st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
        st.text(max_size=8),
    )
    if draw(st.integers(0, 4)) == 0:
        words = st.one_of(st.sampled_from(OPTIONS + VALUES + OUTPUTS), expression)
        return draw(st.lists(words, max_size=7))
    command = draw(st.sampled_from(["explain", "draw", "html"]))
    argv = [command, draw(expression), *draw(st.lists(st.sampled_from(VALUES), max_size=3))]
    if command == "explain":
        return argv + draw(st.lists(st.sampled_from(OPTIONS), max_size=3))
    return [*argv, "-o", draw(st.sampled_from(OUTPUTS))]


@given(command_lines())
def test_no_command_line_ends_in_a_traceback(argv):
    with tempfile.TemporaryDirectory() as folder:
        argv = [a.replace("OUT", folder) for a in argv]
        status, out, err = call(main, argv)  # an exception escaping main fails here
        written = sorted(p.name for p in Path(folder).rglob("*"))
    if status == 0:
        assert err == "" and out
    else:
        assert failed_in_one_line(status, out, err), (status, out, err)
        assert written == []  # no partial file
