// Network mode: an nn.MLP training on a 2-D data set in the page, step by step.
import { showDot } from "./svg.js";
import { Diagram } from "./diagram.js";
import { drawBoundary, drawLoss } from "./plots.js";
import { format } from "./expression.js";

const CALL_MS = 120; // aim for training calls this long, so the page stays responsive
const MAPS_MS = 400; // redraw the maps at most this often while playing
const MAX_STEPS_PER_CALL = 25;

const $ = (id) => document.getElementById(id);
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export class NetworkMode {
  constructor(python, writeHash, showError) {
    this.python = python;
    this.writeHash = writeHash;
    this.showError = showError;
    this.state = null;
    this.csv = null; // the text of the user's CSV, while data=csv
    this.playing = false;
    this.losses = [];
    this.msPerStep = 50;
    for (const id of ["net-data", "net-act", "net-opt"]) $(id).addEventListener("change", () => this.edited());
    for (const id of ["net-layers", "net-seed"]) $(id).addEventListener("change", () => this.edited());
    $("net-lr").addEventListener("change", () => this.edited({ restart: false }));
    $("net-csv").addEventListener("change", () => this.readCsv());
    $("net-csv").addEventListener("cancel", () => this.setControls(this.state));
    $("net-play").addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    $("net-step").addEventListener("click", () => { this.pause(); this.train(1, true); });
    $("net-reset").addEventListener("click", () => this.open(this.state));
    $("net-export").addEventListener("click", () => this.exportModel());
    $("net-import-button").addEventListener("click", () => $("net-import").click());
    $("net-import").addEventListener("change", () => this.importModel());
  }

  open(state) {
    this.pause();
    if (state.data === "csv" && this.csv === null) {
      this.showError("data=csv: this link was made with a CSV file of its own: choose it with " +
        "\"your CSV…\"; showing moons meanwhile");
      state = { ...state, data: "moons" };
    }
    const overview = this.python.call("network_start", { state, csv: state.data === "csv" ? this.csv : null });
    if (overview.error) {
      if (state.data === "csv") this.csv = null;
      if (this.state) this.setControls(this.state);
      return this.showError(overview.error);
    }
    this.started(overview);
  }

  started(overview) {
    this.state = overview.state;
    this.setControls(this.state);
    this.writeHash(overview.hash);
    this.points = overview.points;
    this.labels = overview.labels;
    this.extent = overview.maps.extent;
    this.losses = [];
    this.diagram = new Diagram($("net-diagram"), overview.sizes, this.state.act,
      (layer, neuron, index) => this.showWeight(layer, neuron, index),
      (layer, neuron) => this.showNeuron(layer, neuron));
    this.draw(overview.maps);
    this.progress({ steps: 0, loss: null, accuracy: overview.accuracy });
    $("net-detail").hidden = true;
  }

  setControls(state) {
    $("net-data").value = state.data;
    $("net-layers").value = state.layers.join(",");
    $("net-act").value = state.act;
    $("net-opt").value = state.opt;
    $("net-lr").value = String(state.lr);
    $("net-seed").value = String(state.seed);
  }

  // The controls as a hash, read back by Python like any link: one set of checks.
  edited({ restart = true } = {}) {
    const data = $("net-data").value;
    if (data === "csv" && this.csv === null) return $("net-csv").click();
    if (data !== "csv") this.csv = null;
    const parts = { mode: "net", data, layers: $("net-layers").value, act: $("net-act").value,
      opt: $("net-opt").value, lr: $("net-lr").value, seed: $("net-seed").value };
    const hash = Object.entries(parts).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    const read = this.python.call("read_hash", { hash });
    if (read.error) return this.showError(read.error);
    this.showError("");
    if (restart) return this.open(read.state);
    this.state = read.state;
    this.writeHash(read.hash);
  }

  async readCsv() {
    const file = $("net-csv").files[0];
    $("net-csv").value = "";
    if (!file) return this.setControls(this.state);
    this.csv = await file.text();
    $("net-data").value = "csv";
    this.edited();
  }

  play() {
    this.playing = true;
    $("net-play").textContent = "❚❚ pause";
    this.loop();
  }

  pause() {
    this.playing = false;
    $("net-play").textContent = "▶ play";
  }

  async loop() {
    let drawn = 0;
    while (this.playing) {
      const count = Math.max(1, Math.min(MAX_STEPS_PER_CALL, Math.round(CALL_MS / this.msPerStep)));
      const maps = performance.now() - drawn > MAPS_MS;
      if (!this.train(count, maps)) break;
      if (maps) drawn = performance.now();
      await frame();
    }
  }

  train(count, maps) {
    const start = performance.now();
    const done = this.python.call("network_step", { count, lr: this.state.lr, maps });
    if (done.error) {
      this.pause();
      this.showError(done.error);
      return false;
    }
    this.msPerStep = 0.7 * this.msPerStep + 0.3 * ((performance.now() - start) / count);
    this.losses.push(...done.losses);
    drawLoss($("net-loss"), this.losses);
    if (done.maps) this.draw(done.maps);
    this.progress(done);
    if (!Number.isFinite(done.loss)) {
      this.pause();
      this.showError("the loss is no longer a finite number: lower the learning rate and reset");
      return false;
    }
    return true;
  }

  draw(maps) {
    this.diagram.update(maps, this.extent);
    drawBoundary($("net-boundary"), maps, this.points, this.labels);
  }

  progress({ steps, loss, accuracy }) {
    const line = $("net-progress");
    line.dataset.steps = String(steps);
    line.dataset.accuracy = String(accuracy);
    const shownLoss = loss === null || loss === undefined ? "–" : format(loss);
    line.textContent = `step ${steps} · loss ${shownLoss} · accuracy ${(100 * accuracy).toFixed(0)}%`;
  }

  async showWeight(layer, neuron, index) {
    this.pause();
    const isBias = index === this.diagram.sizes[layer];
    this.detail(`${isBias ? "bias" : "weight"} of neuron ${neuron + 1} in layer ${layer + 1}`, "computing…");
    await frame();
    const shown = this.python.call("network_weight", { layer, neuron, index, lang: $("net-lang").value });
    if (shown.error) return this.showError(shown.error);
    this.detail(`${shown.name}: ${isBias ? "a bias" : "a weight"}`,
      `value ${format(shown.value)} · ∂L/∂${shown.name} = ${format(shown.grad)} (L: the loss over every point)`,
      shown.derivation);
    $("net-detail-numbers").dataset.value = String(shown.value);
    $("net-detail-numbers").dataset.grad = String(shown.grad);
  }

  async showNeuron(layer, neuron) {
    this.pause();
    this.detail(`neuron ${neuron + 1} in layer ${layer + 1}`, "computing…");
    await frame();
    const shown = this.python.call("network_neuron", { layer, neuron });
    if (shown.error) return this.showError(shown.error);
    const [x1, x2] = shown.point.map(format);
    this.detail(`${shown.name}: gradient flow at the point the net is least sure of`,
      `the point (${x1}, ${x2}), label ${shown.label}: the net gives it class 1 with ` +
      `probability ${format(shown.probability)}. Its loss's gradient flows into the neuron's weights:`);
    showDot($("net-detail-graph"), this.python.renderDot, shown.dot);
  }

  detail(title, numbers, text = "") {
    $("net-detail").hidden = false;
    delete $("net-detail-numbers").dataset.value;
    delete $("net-detail-numbers").dataset.grad;
    $("net-detail-title").textContent = title;
    $("net-detail-numbers").textContent = numbers;
    $("net-detail-text").textContent = text;
    $("net-detail-text").hidden = !text;
    $("net-detail-graph").replaceChildren();
  }

  exportModel() {
    const shown = this.python.call("network_export", {});
    if (shown.error) return this.showError(shown.error);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([shown.file], { type: "application/json" }));
    link.download = "chainrule-model.json";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  async importModel() {
    const file = $("net-import").files[0];
    $("net-import").value = "";
    if (!file) return;
    this.pause();
    const overview = this.python.call("network_import", { file: await file.text(), state: this.state });
    if (overview.error) return this.showError(`${file.name}: ${overview.error}`);
    this.showError("");
    this.started(overview);
  }
}
