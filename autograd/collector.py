"""The cyclic garbage collector, paused while backward() runs.

backward() makes no reference cycles, so a collection during it would only
walk the whole graph for nothing. The pause is shared: passes in several
threads count themselves in under a lock, and the collector is restored as
it was before the first began, so an application's own gc.disable() holds.
(A change the application makes while a pass runs in another thread cannot
be told from the pause, and is undone when the last pass ends.)
"""

import gc
import threading

_pause_lock = threading.Lock()
_pause = {"passes": 0, "was_enabled": False}


class collector_paused:
    """`with collector_paused():` the collector is off inside, for every thread."""

    __slots__ = ()

    def __enter__(self):
        with _pause_lock:
            if _pause["passes"] == 0:
                _pause["was_enabled"] = gc.isenabled()
                gc.disable()
            _pause["passes"] += 1

    def __exit__(self, *exc):
        with _pause_lock:
            _pause["passes"] -= 1
            if _pause["passes"] == 0 and _pause["was_enabled"]:
                gc.enable()
