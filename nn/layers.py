"""Neuron, Layer and MLP: micrograd's modules, seeded, scoped and optionally fused.

A neuron computes act(b + Σ wᵢ·xᵢ). Expanded (the default), that is one `*`
and one `+` node per input, as drawn in the lecture; fused, it is a single
`linear` node (Σwx+b) whose local derivatives are xᵢ, wᵢ and 1: far fewer
nodes, the same numbers and gradients. Expanded is the default because the
graph is what people come to see; pass `fused=True` to train faster.

The nodes a call makes carry `_scope` paths like ("layers.0", "neurons.3")
for drawings to cluster: an MLP runs each layer inside `autograd.scope(...)`,
and a layer tags each neuron's nodes with the enclosing path plus the
neuron's name, as `scope()` would, without entering a scope per neuron
(which costs more than a whole fused neuron).
"""

from autograd import Value, linear, scope
from autograd.mode import current as current_mode

from . import state
from .init import check_activation, check_init, initial_parameters, make_rng
from .module import Module


class Neuron(Module):
    """act(b + Σ wᵢ·xᵢ) for nin inputs; nonlin=False makes it linear.

    Options come in the same order as Layer's: activation, nonlin, seed,
    fused. micrograd's `Neuron(nin, False)` (a bool where the activation
    goes) still means nonlin. init="uniform" draws weights and bias from
    (−1, 1) as the lecture does; the default scales weights to the fan-in.
    """

    def __init__(
        self, nin, activation="relu", nonlin=True, seed=None, fused=False, fan_out=1, init="scaled"
    ):
        if isinstance(nin, bool) or not isinstance(nin, int) or nin < 1:
            raise ValueError(f"Neuron needs a positive whole number of inputs, not {nin!r}")
        activation, nonlin = _activation_and_nonlin(activation, nonlin)
        self.activation = check_activation(activation) if nonlin else "linear"
        weights, bias = initial_parameters(make_rng(seed), init, self.activation, nin, fan_out)
        self.w = [Value(w) for w in weights]
        self.b = Value(bias)
        self.nin = nin
        self.fused = fused
        self.nonlin = self.activation != "linear"

    def __call__(self, x):
        xs = _inputs(x, self.nin, "Neuron")
        return self._forward(xs)

    def _forward(self, xs, path=None):
        """The output for a list of Values; path, if given, becomes every new node's _scope."""
        w, b = self.w, self.b
        if self.fused:
            out = linear(w, xs, b)
            out._scope = path or out._scope
        elif path is None:
            out = sum(map(Value.__mul__, w, xs), b)
        else:
            out = b
            for wi, xi in zip(w, xs):
                product = wi * xi
                out = out + product
                product._scope = out._scope = path
        activation = self.activation
        if activation == "linear":
            return out
        if activation == "relu":
            out = out.relu()
        elif activation == "tanh":
            out = out.tanh()
        else:
            out = out.sigmoid()
        out._scope = path or out._scope
        return out

    def __repr__(self):
        return f"Neuron({self.nin}, activation={self.activation!r})"


class Layer(Module):
    """nout neurons reading the same nin inputs; one output comes back as a Value."""

    def __init__(
        self, nin, nout, activation="relu", nonlin=True, seed=None, fused=False, init="scaled"
    ):
        if isinstance(nout, bool) or not isinstance(nout, int) or nout < 1:
            raise ValueError(f"Layer needs a positive whole number of outputs, not {nout!r}")
        activation, nonlin = _activation_and_nonlin(activation, nonlin)
        rng = make_rng(seed)
        self.neurons = []
        for j in range(nout):
            with scope(f"neurons.{j}"):
                neuron = Neuron(nin, activation, nonlin, rng, fused, fan_out=nout, init=init)
            self.neurons.append(neuron)
        self.nin = nin
        self.activation = self.neurons[0].activation
        self._names = [f"neurons.{j}" for j in range(nout)]
        self._paths = {}  # enclosing scope -> each neuron's scope path

    @property
    def fused(self) -> bool:
        """Whether each neuron is one Σwx+b node; settable at any time."""
        return self.neurons[0].fused

    @fused.setter
    def fused(self, fused):
        for neuron in self.neurons:
            neuron.fused = bool(fused)

    def __call__(self, x):
        xs = _inputs(x, self.nin, "Layer")
        outs = [n._forward(xs, path) for n, path in zip(self.neurons, self._scope_paths())]
        return outs[0] if len(outs) == 1 else outs

    def _scope_paths(self):
        """Each neuron's scope path inside the scope this call runs in."""
        outer = current_mode().scope or ()
        paths = self._paths.get(outer)
        if paths is None:
            if len(self._paths) > 100:
                self._paths.clear()
            paths = self._paths[outer] = [(*outer, name) for name in self._names]
        return paths

    def __repr__(self):
        return f"Layer({self.nin}, {len(self.neurons)}, activation={self.activation!r})"


class MLP(Module):
    """Layers of sizes nouts after nin inputs; hidden layers use activation, the last is linear.

    `seed` makes the initial weights the same on every run (None: drawn from
    the global `random` state, as micrograd does). `output_activation` is
    the last layer's activation and `init` how weights start (see nn.init);
    `MLP.lecture(...)` is the network of the micrograd lecture.
    """

    def __init__(
        self,
        nin,
        nouts,
        activation="relu",
        seed=None,
        fused=False,
        output_activation="linear",
        init="scaled",
    ):
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP needs at least one layer size in nouts")
        check_activation(activation)
        check_activation(output_activation)
        check_init(init)
        rng = make_rng(seed)
        sizes = [nin, *nouts]
        self.layers = []
        for i in range(len(nouts)):
            act = output_activation if i == len(nouts) - 1 else activation
            with scope(f"layers.{i}"):
                layer = Layer(sizes[i], sizes[i + 1], act, seed=rng, fused=fused, init=init)
            self.layers.append(layer)
        self.nin = nin
        self.nouts = nouts
        self.activation = activation
        self.output_activation = output_activation
        self._names = [f"layers.{i}" for i in range(len(nouts))]

    @classmethod
    def lecture(cls, nin, nouts, seed=None, fused=False) -> "MLP":
        """The micrograd lecture's network: tanh in every neuron, the output's too,
        and every weight and bias drawn uniformly from (−1, 1)."""
        return cls(nin, nouts, "tanh", seed, fused, output_activation="tanh", init="uniform")

    @property
    def fused(self) -> bool:
        """Whether neurons are single Σwx+b nodes: set it to train fused, draw expanded."""
        return self.layers[0].fused

    @fused.setter
    def fused(self, fused):
        for layer in self.layers:
            layer.fused = fused

    def __call__(self, x):
        for name, layer in zip(self._names, self.layers):
            with scope(name):
                x = layer(x)
        return x

    def architecture(self) -> dict:
        """The arguments that rebuild this MLP (without its weights)."""
        return {
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "fused": self.fused,
        }

    def save(self, path) -> None:
        """Write architecture and weights to a JSON file, atomically."""
        state.save(self, path)

    @classmethod
    def load(cls, path) -> "MLP":
        """A new MLP from a file written by save(); a bad file raises ModelFileError."""
        document = state.read(path)
        model = cls(**document["architecture"], seed=0)
        model.load_state_dict(state.weights_state(document))
        return model

    def load_weights(self, path) -> None:
        """Set this MLP's weights from a file of the same architecture, or change nothing."""
        state.load_weights(self, path)

    def __repr__(self):
        output = self.output_activation
        output = f", output_activation={output!r}" if output != "linear" else ""
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}{output}, "
            f"fused={self.fused})"
        )


def _activation_and_nonlin(activation, nonlin):
    """micrograd's Neuron(nin, False): a bool in the activation's place is nonlin."""
    if isinstance(activation, bool):
        return "relu", activation
    return activation, nonlin


def _inputs(x, nin, who):
    """x as a list of Values: numbers are wrapped once here, not in every neuron."""
    if isinstance(x, Value) or not hasattr(x, "__len__"):
        x = [x]
    if len(x) != nin:
        raise ValueError(f"{who} expects {nin} input(s), got {len(x)}")
    return [xi if isinstance(xi, Value) else Value(xi) for xi in x]
