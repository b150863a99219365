"""The backprop playground: chainrule itself running in the browser with Pyodide, offline.

`make playground` builds the static site (build.py); `python -m autograd playground`
serves it (serve.py). In the page, bridge.py is what JavaScript calls: expression
mode (expression.py) and network mode (network.py, datasets.py, pictures.py), with the state in
the URL hash (hashstate.py). Nothing is imported here: the page imports the bridge.
"""

DEFAULT_PORT = 8765  # python -m autograd playground serves on 127.0.0.1 at this port
