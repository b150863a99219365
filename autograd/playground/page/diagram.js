// The network as an SVG: a column per layer, each neuron showing its own output
// over the plane, a line per weight (blue positive, orange negative, wider for
// larger) and a small square per bias. Weights, biases and neurons are clickable.
import { mapCanvas, scaled } from "./plots.js";

const NS = "http://www.w3.org/2000/svg";
const COLUMN = 150; // px between layers
const TOP = 22;

function element(name, attributes, parent) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (parent) parent.append(node);
  return node;
}

export class Diagram {
  // sizes: [2, hidden…, 1]; onWeight(layer, neuron, index), onNeuron(layer, neuron).
  constructor(svg, sizes, activation, onWeight, onNeuron) {
    this.svg = svg;
    this.activation = activation;
    const tallest = Math.max(...sizes);
    this.box = tallest > 10 ? 30 : tallest > 6 ? 38 : 46;
    this.gap = this.box + 10;
    const height = TOP + tallest * this.gap + 10;
    const width = (sizes.length - 1) * COLUMN + this.box + 40;
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.sizes = sizes;
    this.centres = sizes.map((count, layer) => Array.from({ length: count }, (_, j) => ({
      x: 20 + layer * COLUMN + this.box / 2,
      y: TOP + (height - TOP - count * this.gap) / 2 + j * this.gap + this.box / 2,
    })));
    const lines = element("g", {}, svg);
    const nodes = element("g", {}, svg);
    this.weights = []; // [layer][neuron][input] -> visible line
    this.images = []; // [layer][neuron] -> <image>
    for (let layer = 1; layer < sizes.length; layer++) {
      this.weights.push(this.centres[layer].map((to, j) => this.centres[layer - 1].map((from, i) => {
        const ends = { x1: from.x + this.box / 2, y1: from.y, x2: to.x - this.box / 2, y2: to.y };
        const hit = element("line", { ...ends, class: "hit" }, lines);
        const line = element("line", { ...ends, class: "weight", stroke: "#bbb" }, lines);
        hit.addEventListener("click", () => { this.choose(line); onWeight(layer - 1, j, i); });
        return line;
      })));
    }
    sizes.forEach((count, layer) => {
      const column = [];
      const name = layer === 0 ? "input" : layer === sizes.length - 1 ? "output" : `hidden ${layer}`;
      element("text", { x: this.centres[layer][0].x - this.box / 2, y: 12 }, nodes).textContent = name;
      this.centres[layer].forEach(({ x, y }, j) => {
        const group = element("g", { class: layer ? "neuron" : "input" }, nodes);
        const corner = { x: x - this.box / 2, y: y - this.box / 2 };
        column.push(element("image", { ...corner, width: this.box, height: this.box, preserveAspectRatio: "none" }, group));
        element("rect", { ...corner, width: this.box, height: this.box, class: "frame" }, group);
        if (layer === 0) {
          element("text", { x: corner.x - 16, y: y + 4 }, group).textContent = `x${j + 1}`;
          return;
        }
        group.dataset.layer = String(layer - 1);
        group.dataset.neuron = String(j);
        group.addEventListener("click", () => { this.choose(group); onNeuron(layer - 1, j); });
        const bias = element("rect", { x: corner.x - 7, y: corner.y + this.box - 7, width: 7, height: 7, class: "bias" }, nodes);
        bias.addEventListener("click", (event) => {
          event.stopPropagation();
          this.choose(bias);
          onWeight(layer - 1, j, sizes[layer - 1]);
        });
        (this.biases ??= []).push({ layer: layer - 1, neuron: j, rect: bias });
      });
      this.images.push(column);
    });
  }

  choose(node) {
    for (const chosen of this.svg.querySelectorAll(".chosen")) chosen.classList.remove("chosen");
    node.classList.add("chosen");
  }

  // maps: from Session.maps(); weights: [layer][neuron] -> [w…, b].
  update(maps, extent) {
    const res = maps.resolution;
    const [x0, x1, y0, y1] = extent;
    const inputs = [0, 1].map((axis) => Array.from({ length: res * res }, (_, k) => {
      const col = k % res, row = Math.floor(k / res);
      const x = x0 + ((x1 - x0) * (col + 0.5)) / res, y = y1 - ((y1 - y0) * (row + 0.5)) / res;
      return (axis ? y : x) / Math.max(Math.abs(x0), Math.abs(x1), Math.abs(y0), Math.abs(y1));
    }));
    const layers = [inputs, ...maps.hidden.map((layer) => layer.map((v) => scaled(v, this.activation))),
      [scaled(maps.output, "logit")]];
    layers.forEach((column, layer) => column.forEach((values, j) => {
      this.images[layer][j].setAttribute("href", mapCanvas(values, res).toDataURL());
    }));
    const largest = Math.max(1e-9, ...maps.weights.flat(2).map(Math.abs));
    maps.weights.forEach((layer, l) => layer.forEach((row, j) => {
      row.slice(0, -1).forEach((w, i) => style(this.weights[l][j][i], w, largest));
    }));
    for (const { layer, neuron, rect } of this.biases || []) {
      const b = maps.weights[layer][neuron].at(-1);
      rect.setAttribute("fill", b >= 0 ? "#0877bd" : "#f59322");
      rect.setAttribute("fill-opacity", String(0.25 + 0.75 * Math.min(1, Math.abs(b) / largest)));
    }
  }
}

function style(line, w, largest) {
  line.setAttribute("stroke", w >= 0 ? "#0877bd" : "#f59322");
  line.setAttribute("stroke-width", String(0.5 + 5 * Math.sqrt(Math.abs(w) / largest)));
  line.setAttribute("stroke-opacity", "0.8");
}
