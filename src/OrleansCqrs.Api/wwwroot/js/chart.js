// A small line chart drawn as SVG with DOM calls (no library, no inline style: colours come from classes in app.css).
const ns = 'http://www.w3.org/2000/svg';
const width = 720;
const height = 240;
const pad = { left: 76, right: 12, top: 14, bottom: 30 };

function svgElement(tag, attributes, text) {
  const node = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Draws `series` ([{ name, points: [{ x: number, y: number }] }]) into `svg`, replacing what was there.
 * `formatX`/`formatY` label the axes' ends; `step` draws a balance as the staircase it is.
 */
export function drawLines(svg, series, { formatX = String, formatY = String, step = false, legend = false } = {}) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const points = series.flatMap((s) => s.points);
  svg.dataset.points = String(points.length);
  if (points.length === 0) {
    svg.append(svgElement('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'label' }, 'No data yet'));
    return;
  }

  let [minX, maxX] = [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
  let [minY, maxY] = [Math.min(0, ...points.map((p) => p.y)), Math.max(...points.map((p) => p.y))];
  if (maxX === minX) maxX = minX + 1;
  if (maxY === minY) maxY = minY + 1;
  const sx = (x) => pad.left + ((x - minX) / (maxX - minX)) * (width - pad.left - pad.right);
  const sy = (y) => height - pad.bottom - ((y - minY) / (maxY - minY)) * (height - pad.top - pad.bottom);

  svg.append(
    svgElement('line', { x1: pad.left, y1: sy(minY), x2: width - pad.right, y2: sy(minY), class: 'axis' }),
    svgElement('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'axis' }),
    svgElement('text', { x: pad.left - 6, y: sy(maxY) + 4, 'text-anchor': 'end', class: 'label' }, formatY(maxY)),
    svgElement('text', { x: pad.left - 6, y: sy(minY), 'text-anchor': 'end', class: 'label' }, formatY(minY)),
    svgElement('text', { x: pad.left, y: height - 8, class: 'label' }, formatX(minX)),
    svgElement('text', { x: width - pad.right, y: height - 8, 'text-anchor': 'end', class: 'label' }, formatX(maxX)),
  );

  series.forEach((s, index) => {
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const coordinates = [];
    sorted.forEach((p, i) => {
      if (step && i > 0) coordinates.push(`${sx(p.x)},${sy(sorted[i - 1].y)}`);
      coordinates.push(`${sx(p.x)},${sy(p.y)}`);
    });
    const line = svgElement('polyline', { points: coordinates.join(' '), class: `series s${index % 5}` });
    line.append(svgElement('title', {}, s.name));
    svg.append(line);
    if (sorted.length === 1) svg.append(svgElement('circle', { cx: sx(sorted[0].x), cy: sy(sorted[0].y), r: 3, class: 'dot' }));
    if (legend) {
      const y = pad.top + 4 + index * 14;
      svg.append(
        svgElement('rect', { x: width - pad.right - 170, y: y - 8, width: 10, height: 10, class: `legend s${index % 5}` }),
        svgElement('text', { x: width - pad.right - 155, y: y + 1, class: 'label' }, s.name),
      );
    }
  });
}
