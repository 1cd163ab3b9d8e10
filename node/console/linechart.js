// A line chart of time series, drawn as SVG with DOM calls (no markup parsed,
// no library): the overview's log growth and replication lag, from the
// history the node keeps (GET /jejak/v1/console/history).
//
//   lineChart({id, title, points: [[unixSeconds, value], ...], format, time})
//
// `format` writes a value (the y axis and the summary), `time` a Unix time
// (the x axis). The chart is an image with a text alternative: its title,
// the span it covers and the last value, and a <desc> screen readers read.

const NS = 'http://www.w3.org/2000/svg';
const W = 420;
const H = 180;
const PAD = { left: 64, right: 12, top: 12, bottom: 30 };

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Round steps for an axis from 0 to `max`: 1, 2 or 5 times a power of ten.
function ticks(max, count = 4) {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw);
  const out = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(v);
  return out;
}

export function lineChart({ id, title, points, format, time, empty }) {
  const figure = document.createElement('figure');
  figure.className = 'chart-box';
  figure.id = id;
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  figure.append(caption);
  if (!points.length) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = empty;
    figure.append(p);
    return figure;
  }
  const t0 = points[0][0];
  const t1 = Math.max(points[points.length - 1][0], t0 + 1);
  const yTicks = ticks(Math.max(...points.map((p) => p[1])));
  const yMax = yTicks[yTicks.length - 1] || 1;
  const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);

  const last = points[points.length - 1];
  const summary = `${title}: ${time(t0)} – ${time(last[0])}, ${format(last[1])}`;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': summary,
    class: 'chart line-chart',
    'data-points': points.length,
    'data-last': last[1],
  });
  svg.append(s('desc', {}, summary));
  for (const v of yTicks) {
    svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'chart-grid' }));
    svg.append(s('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'chart-label' }, format(v)));
  }
  svg.append(s('text', { x: PAD.left, y: H - 8, class: 'chart-label' }, time(t0)));
  svg.append(s('text', { x: W - PAD.right, y: H - 8, 'text-anchor': 'end', class: 'chart-label' }, time(t1)));
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  svg.append(s('path', { d, class: 'chart-line' }));
  if (points.length === 1) {
    svg.append(s('circle', { cx: x(last[0]), cy: y(last[1]), r: 3, class: 'chart-dot' }));
  }
  figure.append(svg);
  return figure;
}
