"""Adding many contributions into rows that may repeat, fast, for the numpy backend."""

import numpy as np


class Scatter:
    """Adds values, one per entry of an index, into those rows of a target.

    Where no row repeats, one indexed `+=`; where rows repeat (one value read
    by many nodes: an input in many sums, a shared kernel weight), the values
    are summed per row first, through an order sorted once, here.
    """

    def __init__(self, index):
        index = np.asarray(index).ravel()
        order = np.argsort(index, kind="stable")
        ordered = index[order]
        firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        if len(firsts) == len(index):
            self.rows, self.order = index, None
            if len(index) and (np.diff(index) == 1).all():
                self.rows = slice(int(index[0]), int(index[0]) + len(index))
        else:
            self.rows, self.order, self.firsts = ordered[firsts], order, firsts

    @property
    def unique(self):
        return self.order is None

    def add(self, target, values):
        """target[index[i]] += values[i] for every i, repeated rows summed."""
        if self.order is None:
            target[self.rows] += values
        else:
            target[self.rows] += np.add.reduceat(values[self.order], self.firsts, axis=0)
