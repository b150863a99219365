"""python -m autograd: derive, draw or step through the backward pass of an expression."""

import argparse
import keyword
import math
import sys
from pathlib import Path

from .parse import FUNCTIONS, ExpressionError, parse

EXAMPLES = f"""\
examples:
  python -m autograd explain "tanh(w*x + b)" w=0.5 x=2 b=-1 --wrt w
  python -m autograd explain "(sigmoid(w*a + b) - y)**2" w=0.5 a=2 b=-1 y=1.5 --wrt w --format latex
  python -m autograd explain "x*y + x" x=3 y=4 --lang zh
  python -m autograd draw "tanh(w*x + b)" w=0.5 x=2 b=-1 -o graph.svg
  python -m autograd html "tanh(w*x + b)" w=0.5 x=2 b=-1 -o steps.html

EXPR uses numbers, names, + - * / ** and the functions {", ".join(sorted(FUNCTIONS))}.
It is parsed, never run as Python. Give every name a value: name=number.
Errors exit with status 2."""


class UsageError(Exception):
    """A bad command line: the message is shown, with exit status 2."""


def main(argv=None) -> int:
    args = _parser().parse_args(argv)  # argparse itself exits with 2 on unknown options
    try:
        values = _values(args.values)
        args.names = set(values)
        root = parse(args.expression, values)
        if args.command == "explain":
            return _explain(root, args)
        output = _output_path(args.output)
    except (ExpressionError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    root.backward()
    try:  # drawing and the viewer live in their own modules, with their own dependencies
        if args.command == "draw":
            from .draw import render

            render(root, output)
        else:
            from .viewer import save_html

            save_html(root, output)
    except ImportError as error:
        print(
            f"error: {args.command} needs a module that is not installed: {error}", file=sys.stderr
        )
        return 1
    print(f"wrote {output}")
    return 0


def _explain(root, args):
    from .explain import explain
    from .value import topological_order

    if root._prev:  # name the result, so the derivation reads ∂f/∂w, not ∂(…)/∂w
        root.label = "f" if "f" not in args.names else "out"
    wrt = None
    if args.wrt is not None:
        leaves = {n.label: n for n in topological_order(root) if n.label and not n._prev}
        if args.wrt not in leaves:
            known = ", ".join(sorted(leaves)) or "none"
            raise UsageError(f"--wrt {args.wrt}: not a name in the expression (names: {known})")
        wrt = leaves[args.wrt]
    derivation = explain(root, wrt, lang=args.lang, chain=args.chain)
    shown = {"text": str, "md": type(derivation).markdown, "latex": type(derivation).latex}
    _print(shown[args.format](derivation))
    return 0


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
        name, equals, text = pair.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier() or keyword.iskeyword(name):
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


def _output_path(output):
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"-o {output}: is a directory; give a file name")
    if not path.parent.is_dir():
        raise UsageError(f"-o {output}: the folder {str(path.parent)!r} does not exist")
    return path


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m autograd",
        description="Chain-rule derivations, drawings and step-through pages of an expression.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    helps = {
        "explain": "print the chain-rule derivation (all of backward, or --wrt one name)",
        "draw": "draw the graph with its gradients (SVG or PNG, by the file's extension)",
        "html": "write one HTML page that steps through backward()",
    }
    for name, text in helps.items():
        sub = commands.add_parser(name, help=text, description=text, epilog=EXAMPLES,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
        sub.add_argument("expression", metavar="EXPR", help='e.g. "tanh(w*x + b)"')
        sub.add_argument("values", metavar="NAME=VALUE", nargs="*", help="e.g. w=0.5 x=2 b=-1")
        if name == "explain":
            sub.add_argument("--wrt", metavar="NAME", help="derive with respect to this name only")
            sub.add_argument("--format", choices=["text", "md", "latex"], default="text")
            sub.add_argument("--lang", choices=["en", "zh"], default="en")
            sub.add_argument(
                "--chain",
                choices=["from_wrt", "from_root"],
                default="from_wrt",
                help="factor order: from the name up (∂z/∂w · ∂f/∂z, the default) or from the root",
            )
        else:
            sub.add_argument("-o", "--output", required=True, metavar="FILE")
    return parser


if __name__ == "__main__":
    sys.exit(main())
