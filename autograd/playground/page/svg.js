// Graphviz's SVG text into the page as an element: parsed as XML, never as HTML,
// with anything that could run or fetch removed (the page's CSP forbids both anyway).

const ACTIVE = "script, foreignObject, iframe, object, embed, use, image, animate, set";

export function svgElement(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg" || doc.getElementsByTagName("parsererror").length) {
    throw new Error("Graphviz did not return an SVG picture");
  }
  for (const element of svg.querySelectorAll(ACTIVE)) element.remove();
  for (const element of [svg, ...svg.querySelectorAll("*")]) {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on") || (name.endsWith("href") && !attribute.value.startsWith("#"))) {
        element.removeAttribute(attribute.name);
      }
    }
  }
  return document.importNode(svg, true);
}

const SMALLEST = 0.6; // a wide picture shrinks to fit, but not below this scale: then it scrolls

// Draw DOT into a container, replacing what it showed.
export function showDot(container, renderDot, source) {
  const svg = svgElement(renderDot(source));
  container.replaceChildren(svg);
  const natural = (parseFloat(svg.getAttribute("width")) * 4) / 3; // Graphviz sizes in pt
  const room = container.clientWidth;
  if (natural > room && room > 0) {
    svg.style.width = `${Math.max(room, natural * SMALLEST)}px`;
    svg.style.maxWidth = "none";
  }
}
