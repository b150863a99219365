"""The command line's error boundary: every failure is one line on stderr and exit status 2.

`run(parser, argv)` parses the arguments and calls the chosen command's
function (`args.run`). Whatever goes wrong, from a mistyped option to an
exception deep in the engine, is printed as one line starting "error: ", with
no traceback, and the status is 2. A command needs no error handling of its
own: it raises UsageError with a message for the user's mistakes, and anything
else it raises is reported the same way. Warnings are one line each too.

Output is flushed inside the boundary, so a reader that stops early
(`| head -1`) ends the run quietly, with status 2, rather than with a
BrokenPipeError as the interpreter exits.
"""

import argparse
import os
import sys
import warnings

from .labels import shown

__all__ = ["Parser", "UsageError", "one_line", "run"]

EXIT_ERROR = 2


class UsageError(Exception):
    """A mistake on the command line: its message is the whole error line."""


class Parser(argparse.ArgumentParser):
    """argparse whose errors are UsageErrors, and where an unknown "-…" is an argument."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")

    def _parse_optional(self, arg_string):
        # An expression may start with "-" ("-x*y", "-h*x"), which argparse would take for
        # an option: here only an option's exact spelling (or --option=value) is one.
        name = arg_string.partition("=")[0] if arg_string.startswith("--") else arg_string
        if name not in self._option_string_actions:
            return None
        return super()._parse_optional(arg_string)


def run(parser, argv=None) -> int:
    """Parse argv, run the chosen command, and turn any failure into one line and status 2."""
    with warnings.catch_warnings():
        warnings.showwarning = _warning_line
        try:
            args = parser.parse_args(argv)
            status = args.run(args)
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
            return status
        except BrokenPipeError:
            _discard_stdout()
            return EXIT_ERROR
        except KeyboardInterrupt:
            print("error: interrupted", file=sys.stderr)
            return EXIT_ERROR
        except Exception as error:
            print(f"error: {one_line(describe(error))}", file=sys.stderr)
            return EXIT_ERROR


def describe(error) -> str:
    """The message of an error; a Python error (not one of chainrule's) keeps its type name."""
    message = str(error)
    if type(error).__module__.split(".")[0] in ("autograd", "nn") and message:
        return message
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def one_line(text: str) -> str:
    """text on one line: line breaks become spaces, other control characters escapes."""
    return shown(" ".join(text.splitlines()))


def _warning_line(message, category, filename, lineno, file=None, line=None):
    print(f"warning: {one_line(str(message))}", file=sys.stderr)


def _discard_stdout():
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is not a file (under a test)
        pass
