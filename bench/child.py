"""Run one measurement in this (fresh) process and print it as JSON.

stdin: {"engine": ..., "workload": ..., "kwargs": {...}}. The workload runs in
a thread with a large stack, so engines that recurse once per node (micrograd,
given a raised recursion limit) can finish instead of overflowing the C stack.
"""

import json
import sys
import threading

from . import compiled, workloads
from .engines import load

STACK_BYTES = 1 << 30


def main():
    request = json.load(sys.stdin)
    engine = load(request["engine"])
    if engine.recursion_limit and request.get("raise_recursion_limit", True):
        sys.setrecursionlimit(engine.recursion_limit)
    run = getattr(workloads, request["workload"], None) or getattr(compiled, request["workload"])
    outcome = {}

    def target():
        try:
            outcome["result"] = run(engine, **request["kwargs"])
        except RecursionError:
            outcome["error"] = "RecursionError"

    threading.stack_size(STACK_BYTES)
    worker = threading.Thread(target=target)
    worker.start()
    worker.join()
    json.dump(outcome, sys.stdout)


if __name__ == "__main__":
    main()
