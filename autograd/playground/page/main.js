// The page: start Python, then show the mode the URL hash asks for. The hash is
// read by Python (hashstate.py) as data; what it cannot read is shown as text.
import { start } from "./python.js";
import { ExpressionMode } from "./expression.js";
import { NetworkMode } from "./network.js";

const status = document.getElementById("status");
const errorLine = document.getElementById("error");
const sections = { expr: document.getElementById("expr"), net: document.getElementById("net") };
const tabs = { expr: document.getElementById("to-expr"), net: document.getElementById("to-net") };

export function showError(message) {
  errorLine.textContent = message || "";
  errorLine.hidden = !message;
}

// The progress line while Python starts: the step, and the seconds so far (ticking).
let step = "starting…";
const steps = [];
function progress(text) {
  if (text !== step) steps.push(text);
  step = text;
  status.textContent = `${step} (${(performance.now() / 1000).toFixed(1)} s)`;
  status.dataset.steps = steps.join("\n"); // what the line has said, for tests
}
const ticking = setInterval(() => progress(step), 250);

let python = null;
let modes = null;
let current = null;
const lastHash = { expr: null, net: "mode=net" };

// Set the hash without adding a history entry or triggering hashchange.
function writeHash(mode, hash) {
  lastHash[mode] = hash;
  if (location.hash.slice(1) !== hash) history.replaceState(null, "", "#" + hash);
}

function show(mode) {
  current = mode;
  for (const [name, section] of Object.entries(sections)) section.hidden = name !== mode;
  for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-pressed", String(name === mode));
  if (mode !== "net") modes.net.pause();
}

let routed = 0;

function route() {
  showHash();
  document.body.dataset.routed = String(++routed); // for tests: this hash is shown
}

function showHash() {
  const read = python.call("read_hash", { hash: location.hash });
  if (read.error) {
    showError("The link's hash cannot be used: " + read.error);
    const fallback = python.call("read_hash", { hash: "" });
    show("expr");
    modes.expr.open(fallback.state, { keepError: true });
    return;
  }
  showError("");
  const mode = read.state.mode;
  show(mode);
  modes[mode].open(read.state);
}

async function main() {
  try {
    python = await start(progress);
  } catch (error) {
    clearInterval(ticking);
    status.dataset.state = "failed";
    status.textContent = "Could not start Python: " + (error.message || error);
    return;
  }
  clearInterval(ticking);
  modes = {
    expr: new ExpressionMode(python, (hash) => writeHash("expr", hash), showError),
    net: new NetworkMode(python, (hash) => writeHash("net", hash), showError),
  };
  tabs.expr.addEventListener("click", () => {
    if (current !== "expr") location.hash = lastHash.expr || "";
  });
  tabs.net.addEventListener("click", () => {
    if (current !== "net") location.hash = lastHash.net;
  });
  window.addEventListener("hashchange", route);
  route();
  const ms = Math.round(performance.now());
  status.dataset.state = "ready";
  status.dataset.ms = String(ms);
  status.textContent = `ready in ${(ms / 1000).toFixed(1)} s`;
  document.getElementById("about-pyodide").textContent = `Pyodide ${python.versions.pyodide}`;
}

main();
