"""python -m autograd: derive, draw or step through the backward pass of an expression,
or serve the playground that does all three in the browser.

Each command is one entry in COMMANDS: its help, a function adding its own
arguments, and the function that runs it. They all run inside the error
boundary of `autograd.cli`, so a command raises UsageError for the user's
mistakes and does no other error handling.
"""

import argparse
import keyword
import math
import sys
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .cli import Parser, UsageError, run
from .parse import FUNCTIONS, parse, result_name

EXAMPLES = f"""\
examples:
  python -m autograd explain "tanh(w*x + b)" w=0.5 x=2 b=-1 --wrt w
  python -m autograd explain "(sigmoid(w*a + b) - y)**2" w=0.5 a=2 b=-1 y=1.5 --wrt w --format latex
  python -m autograd explain "x*y + x" x=3 y=4 --lang zh
  python -m autograd explain "x*x + sin(x)" x=2 --wrt x --group-by use
  python -m autograd draw "tanh(w*x + b)" w=0.5 x=2 b=-1 -o graph.svg
  python -m autograd html "tanh(w*x + b)" w=0.5 x=2 b=-1 -o steps.html
  python -m autograd playground --port 8000

EXPR uses numbers, names, + - * / ** and the functions {", ".join(sorted(FUNCTIONS))}.
It is parsed, never run as Python. Give every name a value: name=number.
Every error is one line on stderr, with exit status 2."""

DRAWN_SUFFIXES = (".svg", ".png")


@dataclass(frozen=True)
class Command:
    """A subcommand: `python -m autograd NAME ...` runs `run` on the parsed arguments."""

    help: str
    arguments: Callable  # (sub-parser) -> None: adds the command's own arguments
    run: Callable  # (parsed arguments) -> exit status


def main(argv=None) -> int:
    """Run one command line: status 0, or 2 after one line on stderr saying what failed."""
    return run(_parser(), argv)


def _explain_arguments(sub):
    _expression_arguments(sub)
    sub.add_argument("--wrt", metavar="NAME", help="derive with respect to this name only")
    sub.add_argument("--format", choices=["text", "md", "latex"], default="text")
    sub.add_argument("--lang", choices=["en", "zh"], default="en")
    sub.add_argument(
        "--chain",
        choices=["from_wrt", "from_root"],
        default="from_wrt",
        help="factor order: from the name up (∂z/∂w · ∂f/∂z, the default) or from the root",
    )
    sub.add_argument(
        "--group-by",
        choices=["merge", "use"],
        default="merge",
        help="with --wrt: list the paths, grouped where they merge when there are many "
        "(the default), or group them by each node that uses the name",
    )


def _drawing_arguments(sub):
    _expression_arguments(sub)
    sub.add_argument("-o", "--output", required=True, metavar="FILE")


def _expression_arguments(sub):
    sub.add_argument("expression", metavar="EXPR", help='e.g. "tanh(w*x + b)" or "-x*y"')
    sub.add_argument("values", metavar="NAME=VALUE", nargs="*", help="e.g. w=0.5 x=2 b=-1")


def _explain(args):
    from .explain import explain
    from .value import topological_order

    values = _values(args.values)
    root = parse(args.expression, values)
    if root._prev:  # name the result, so the derivation reads ∂f/∂w, not ∂(…)/∂w
        root.label = result_name(values)
    wrt = None
    if args.wrt is not None:
        name = _name(args.wrt)
        leaves = {n.label: n for n in topological_order(root) if n.label and not n._prev}
        if name not in leaves:
            known = ", ".join(sorted(leaves)) or "none"
            raise UsageError(f"--wrt {args.wrt}: not a name in the expression (names: {known})")
        wrt = leaves[name]
    if args.group_by != "merge" and wrt is None:
        raise UsageError(f"--group-by {args.group_by} needs --wrt NAME: it groups one name's paths")
    derivation = explain(root, wrt, lang=args.lang, chain=args.chain, group_by=args.group_by)
    shown = {"text": str, "md": type(derivation).markdown, "latex": type(derivation).latex}
    _print(shown[args.format](derivation))
    return 0


def _draw(args):
    output = _output_path(args.output, DRAWN_SUFFIXES)
    root = _drawable(args)
    from .draw import render  # importable: _drawable imported it

    with _writing(args.output):
        render(root, output)
    print(f"wrote {output}")
    return 0


def _html(args):
    output = _output_path(args.output)
    root = _drawable(args)
    with _needs("html"):
        from .viewer import save_html
    with _writing(args.output):
        save_html(root, output)
    print(f"wrote {output}")
    return 0


def _playground_arguments(sub):
    from .playground import DEFAULT_PORT  # not .serve: its http.server loads slowly

    where = f"the port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)"
    sub.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="N", help=where)
    sub.add_argument("--no-browser", action="store_true", help="print the URL, open no browser")


def _playground(args):
    from .playground.serve import serve  # builds site/ first where it is missing (needs npm)

    serve(port=args.port, browser=not args.no_browser)
    return 0


def _port(text):
    if not (text.isascii() and text.isdigit() and int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"give a port number from 0 to 65535, not {text!r}")
    return int(text)


COMMANDS = {
    "explain": Command(
        "print the chain-rule derivation (all of backward, or --wrt one name)",
        _explain_arguments,
        _explain,
    ),
    "draw": Command(
        "draw the graph with its gradients (SVG or PNG, by the file's extension)",
        _drawing_arguments,
        _draw,
    ),
    "html": Command("write one HTML page that steps through backward()", _drawing_arguments, _html),
    "playground": Command(
        "serve the browser playground (chainrule itself, in Pyodide) on 127.0.0.1",
        _playground_arguments,
        _playground,
    ),
}


def _drawable(args):
    """The expression's graph after backward(), within the drawing budget."""
    root = parse(args.expression, _values(args.values))
    with _needs(args.command):
        from .draw import MAX_NODES
    from .value import topological_order

    size = len(topological_order(root))
    if size > MAX_NODES:
        raise UsageError(
            f"the expression makes a graph of {size} nodes; {args.command} shows at most "
            f"{MAX_NODES}: give a shorter expression"
        )
    root.backward()
    return root


def _print(text):
    """print(), falling back to escapes on a terminal that cannot show ∂ or σ."""
    try:
        print(text)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        print(text.encode(encoding, errors="backslashreplace").decode(encoding))


def _values(pairs):
    """{"w": 0.5, …} from ["w=0.5", …]; every problem is a UsageError."""
    values = {}
    for pair in pairs:
        typed, equals, text = pair.partition("=")
        name = _name(typed)
        if not equals or not typed.strip().isidentifier() or keyword.iskeyword(name):
            if pair.startswith("-"):
                raise UsageError(f"{pair!r}: neither an option nor a value as name=number")
            raise UsageError(f"{pair!r}: give each value as name=number, e.g. x=0.5")
        if name in values:
            raise UsageError(f"{name} is given twice")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"{pair!r}: {text.strip()!r} is not a number") from None
        if not math.isfinite(value):
            raise UsageError(f"{pair!r}: {text.strip()!r} is not a finite number")
        values[name] = value
    return values


def _name(typed):
    """A name as Python reads it in the expression: NFKC-normalised (ℌ is H)."""
    return unicodedata.normalize("NFKC", typed.strip())


def _output_path(output, suffixes=None):
    path = Path(output)
    if suffixes and path.suffix.lower() not in suffixes:
        raise UsageError(f"-o {output}: give a file name ending in {' or '.join(suffixes)}")
    if path.is_dir():
        raise UsageError(f"-o {output}: is a directory; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"-o {output}: the folder {str(path.parent)!r} does not exist")
    return path


@contextmanager
def _needs(command):
    try:
        yield
    except ImportError as error:
        raise UsageError(f"{command} needs a module that is not installed: {error}") from None


@contextmanager
def _writing(output):
    try:
        yield
    except OSError as error:
        raise UsageError(f"-o {output}: cannot write it: {error.strerror or error}") from None


def _parser():
    layout = {"epilog": EXAMPLES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    description = "Chain-rule derivations, drawings and step-through pages of an expression."
    parser = Parser(prog="python -m autograd", description=description, **layout)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.help, description=command.help, **layout)
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


if __name__ == "__main__":
    sys.exit(main())
