// Pictures on canvases: output maps (orange for class 0, blue for class 1), the
// data points, and the loss curve.

const ORANGE = [245, 147, 34];
const BLUE = [8, 119, 189];
const WHITE = [255, 255, 255];

// A colour for v in [-1, 1]: orange at -1, white at 0, blue at 1 (paler by strength < 1).
export function colour(v, strength = 1) {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const end = t < 0 ? ORANGE : BLUE;
  const a = Math.abs(t) * strength;
  return WHITE.map((w, i) => Math.round(w + (end[i] - w) * a));
}

// A map of values scaled into [-1, 1] for its colours, by what produced them.
export function scaled(values, kind) {
  if (kind === "logit") return values.map((z) => 2 / (1 + Math.exp(-z)) - 1);
  if (kind === "sigmoid") return values.map((s) => 2 * s - 1);
  if (kind === "tanh") return values;
  const top = Math.max(1e-9, ...values.map(Math.abs)); // relu, linear: by the largest
  return values.map((v) => v / top);
}

// The map as a canvas of resolution² pixels (draw it scaled up, smoothed).
export function mapCanvas(values, resolution, strength = 1) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = resolution;
  const context = canvas.getContext("2d");
  const image = context.createImageData(resolution, resolution);
  values.forEach((v, i) => {
    const [r, g, b] = colour(v, strength);
    image.data.set([r, g, b, 255], 4 * i);
  });
  context.putImageData(image, 0, 0);
  return canvas;
}

export function drawBoundary(canvas, maps, points, labels) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  context.imageSmoothingEnabled = true;
  const map = mapCanvas(scaled(maps.output, "logit"), maps.resolution, 0.55);
  context.drawImage(map, 0, 0, width, height);
  const [x0, x1, y0, y1] = maps.extent;
  points.forEach(([x, y], i) => {
    const [r, g, b] = labels[i] ? BLUE : ORANGE;
    context.beginPath();
    context.arc(((x - x0) / (x1 - x0)) * width, ((y1 - y) / (y1 - y0)) * height, 3.5, 0, 2 * Math.PI);
    context.fillStyle = `rgb(${r},${g},${b})`;
    context.fill();
    context.strokeStyle = "#333";
    context.lineWidth = 0.8;
    context.stroke();
  });
}

export function drawLoss(canvas, losses) {
  const context = canvas.getContext("2d");
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const finite = losses.filter(Number.isFinite);
  if (finite.length < 2) return;
  const top = Math.max(...finite) || 1;
  context.beginPath();
  losses.forEach((loss, i) => {
    const x = (i / (losses.length - 1)) * (width - 4) + 2;
    const y = height - 4 - ((Number.isFinite(loss) ? loss : top) / top) * (height - 8);
    if (i === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  });
  context.strokeStyle = "#333";
  context.lineWidth = 1.5;
  context.stroke();
  context.fillStyle = "#555";
  context.font = "11px system-ui, sans-serif";
  context.fillText(`max ${top.toPrecision(3)}`, width - 70, 12);
}
