// Expression mode: an expression and its values; the grads, the graph with its
// gradient flow, the derivation and the step-through page, from chainrule itself.
import { showDot } from "./svg.js";

const DELAY_MS = 150; // re-render this long after the last keystroke

export class ExpressionMode {
  constructor(python, writeHash, showError) {
    this.python = python;
    this.writeHash = writeHash;
    this.showError = showError;
    this.values = {}; // name -> the text in its field
    this.timer = null;
    this.text = document.getElementById("expr-text");
    this.fields = document.getElementById("expr-values");
    this.wrt = document.getElementById("expr-wrt");
    this.lang = document.getElementById("expr-lang");
    this.outputs = ["expr-grads", "expr-graph", "expr-derivation", "expr-steps"].map((id) =>
      document.getElementById(id));
    this.text.addEventListener("input", () => this.later());
    this.fields.addEventListener("input", (event) => {
      this.values[event.target.dataset.name] = event.target.value;
      this.later();
    });
    this.wrt.addEventListener("change", () => this.render());
    this.lang.addEventListener("change", () => this.render());
    // The step-through loads after render returns; data-loaded says when its page is live.
    this.steps = document.getElementById("expr-steps");
    this.steps.addEventListener("load", () => (this.steps.dataset.loaded = "true"));
  }

  open(state, { keepError = false } = {}) {
    this.text.value = state.expr;
    this.values = Object.fromEntries(Object.entries(state.values).map(([k, v]) => [k, String(v)]));
    this.render({ keepError });
  }

  later() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.render(), DELAY_MS);
  }

  render({ keepError = false } = {}) {
    const values = {};
    let bad = null;
    for (const [name, text] of Object.entries(this.values)) {
      const x = Number(text);
      if (text.trim() === "" || !Number.isFinite(x)) bad = bad || `${name} = ${JSON.stringify(text)} is not a number`;
      else values[name] = x;
    }
    const shown = this.python.call("expression_mode", {
      expr: this.text.value, values, wrt: this.wrt.value || null, lang: this.lang.value,
    });
    if (shown.error && !shown.values) return this.fail(shown.error);
    this.layOutFields(shown.values, values);
    if (bad) return this.fail(bad); // the link keeps the last values that were numbers
    this.writeHash(shown.hash);
    if (shown.error) return this.fail(shown.error);
    if (!keepError) this.showError("");
    this.outputs.forEach((element) => element.classList.remove("stale"));
    this.showGrads(shown);
    this.showWrt(Object.keys(shown.values), shown.wrt);
    document.getElementById("expr-derivation").textContent = shown.derivation;
    const graph = document.getElementById("expr-graph");
    if (shown.dot) {
      showDot(graph, this.python.renderDot, shown.dot);
      this.showSteps(shown.steps);
      this.steps.style.height = shown.steps_height + "px";
    } else {
      graph.textContent = shown.too_large;
      this.showSteps("");
    }
  }

  showSteps(page) {
    if (this.steps.srcdoc === page) return; // a new name or language: keep the step shown
    this.steps.dataset.loaded = "false";
    this.steps.srcdoc = page;
  }

  fail(message) {
    this.showError(message);
    this.outputs.forEach((element) => element.classList.add("stale"));
  }

  // One field per name in the expression, keeping what was typed in the others.
  layOutFields(names, numbers) {
    const wanted = Object.keys(names);
    const have = Array.from(this.fields.querySelectorAll("input"), (input) => input.dataset.name);
    const kept = {};
    for (const name of wanted) kept[name] = name in this.values ? this.values[name] : String(names[name]);
    this.values = kept;
    if (wanted.join("\n") === have.join("\n")) return;
    this.fields.replaceChildren();
    for (const name of wanted) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "text";
      input.inputMode = "decimal";
      input.dataset.name = name;
      input.value = kept[name];
      input.setAttribute("aria-label", name);
      label.append(document.createTextNode(name + " = "), input);
      this.fields.append(label);
    }
    for (const input of this.fields.querySelectorAll("input")) {
      input.classList.toggle("bad", !(input.dataset.name in numbers));
    }
  }

  showGrads(shown) {
    const body = document.querySelector("#expr-grads tbody");
    body.replaceChildren();
    const row = (name, value, grad) => {
      const tr = document.createElement("tr");
      tr.dataset.name = name;
      for (const [text, exact] of [[name, null], [format(value), value], [format(grad), grad]]) {
        const td = document.createElement("td");
        td.textContent = text;
        if (exact !== null) {
          td.className = "number";
          td.dataset.exact = String(exact);
        }
        tr.append(td);
      }
      body.append(tr);
    };
    for (const [name, value] of Object.entries(shown.values)) row(name, value, shown.grads[name]);
    row(shown.root || "f", shown.value, 1);
    body.lastChild.classList.add("root");
    document.querySelector("#expr-grads th:last-child").textContent = `∂${shown.root || "f"}/∂name`;
  }

  showWrt(names, chosen) {
    const options = [["", "all of backward()"], ...names.map((n) => [n, n])];
    const same = options.length === this.wrt.options.length &&
      options.every(([value], i) => this.wrt.options[i].value === value);
    if (!same) {
      this.wrt.replaceChildren(...options.map(([value, text]) => new Option(text, value)));
    }
    this.wrt.value = chosen || "";
  }
}

export function format(x) {
  if (x === null || x === undefined) return "–";
  return Number.isInteger(x) ? x.toFixed(1) : Number(x.toPrecision(6)).toString();
}
