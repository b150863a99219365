// Start Pyodide and Graphviz (both from this site's own files), install the wheels
// the build put in wheels/ straight into site-packages (no package index, no
// dependency resolution), and hand back the Python bridge.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
import { Graphviz } from "./vendor/graphviz/index.js";

const BUILD = JSON.parse(document.getElementById("build").textContent);

export async function start(progress) {
  progress(`loading Python (Pyodide ${BUILD.pyodide}) and Graphviz…`);
  const [pyodide, graphviz] = await Promise.all([
    loadPyodide({ indexURL: new URL("vendor/pyodide/", document.baseURI).href }),
    Graphviz.load(),
  ]);
  progress("installing chainrule…");
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  for (const name of BUILD.wheels) {
    const response = await fetch(new URL("wheels/" + name, document.baseURI));
    if (!response.ok) throw new Error(`wheels/${name}: ${response.status} ${response.statusText}`);
    pyodide.unpackArchive(await response.arrayBuffer(), "wheel", { extractDir: sitePackages });
  }
  progress("importing chainrule…");
  const module = pyodide.pyimport("autograd.playground.bridge");
  const renderDot = (source) => graphviz.dot(source);
  module.set_renderer(renderDot);
  return { call: (name, args) => call(module, name, args), renderDot, versions: BUILD };
}

// bridge.name(JSON) -> the parsed answer; {"error": …} for what the user gave.
function call(module, name, args) {
  try {
    return JSON.parse(module[name](JSON.stringify(args)));
  } catch (error) {
    // A Python traceback: its last line says what went wrong.
    const lines = String(error.message || error).trim().split("\n");
    return { error: "internal error in " + name + ": " + lines[lines.length - 1] };
  }
}
