"""A net that reads a window of one-hot symbols: NETtalk's letters, Qian–Sejnowski's residues.

A window of `width` symbols, each one-hot over `symbols`, feeds `hidden`
tanh units and then one linear score per output class. The first layer is an
nn.Layer over width×len(symbols) inputs, read sparsely: a window switches on
exactly `width` of each unit's inputs, so the unit sums those weights and its
bias as one fused node (the dense product's number and gradient, with
len(symbols) times fewer inputs per node).
"""


class WindowNet:
    """window (a sequence of symbols) → tanh hidden units → one score per class."""

    def __init__(self, symbols, width, hidden, n_outputs, seed):
        import nn
        from autograd import Value

        self.symbols = symbols
        self.width = width
        self._index = {s: i for i, s in enumerate(symbols)}
        self.model = nn.MLP(width * len(symbols), [hidden, n_outputs], "tanh", seed, fused=True)
        self._ones = [Value(1.0) for _ in range(width)]

    def parameters(self):
        return self.model.parameters()

    def one_hot(self, window):
        """The dense input the sparse first layer stands for."""
        return [float(c == s) for c in window for s in self.symbols]

    def encode(self, windows):
        """Windows as a (B, width·symbols) one-hot array: the dense inputs, for compile."""
        import numpy as np

        rows = np.zeros((len(windows), self.width * len(self.symbols)))
        for b, window in enumerate(windows):
            rows[b, self.active(window)] = 1.0
        return rows

    def active(self, window):
        """The index of the one input each window position switches on."""
        n = len(self.symbols)
        return [i * n + self._index[c] for i, c in enumerate(window)]

    def hidden(self, window):
        from autograd import linear

        active = self.active(window)
        return [
            linear([n.w[k] for k in active], self._ones, n.b).tanh()
            for n in self.model.layers[0].neurons
        ]

    def __call__(self, window):
        return self.model.layers[1](self.hidden(window))
