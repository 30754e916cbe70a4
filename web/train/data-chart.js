// The data panel: a Chart.js scatter of the samples (evenly thinned for large
// sets), the shown step's mini-batch highlighted, and each optimizer's current
// model: the fitted line y = w x + b, or for logistic regression the curve
// p = sigmoid(w x + b) with its decision boundary x = -b / w (where p = 1/2).
// Drawn only while near the screen (lazy-chart.js): on a phone it starts below the fold.

import { Chart, ScatterController, LineController, LineElement, PointElement, LinearScale, Tooltip } from 'chart.js';
import { createLazyChart } from '../views/lazy-chart.js';

Chart.register(ScatterController, LineController, LineElement, PointElement, LinearScale, Tooltip);

const CURVE_POINTS = 60;
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

/** Points of the model (w, b) across [x0, x1]: the line, or the logistic curve. */
export function modelPoints(model, w, b, x0, x1) {
  if (model === 'linear') return [{ x: x0, y: w * x0 + b }, { x: x1, y: w * x1 + b }];
  return Array.from({ length: CURVE_POINTS + 1 }, (_, k) => {
    const x = x0 + ((x1 - x0) * k) / CURVE_POINTS;
    return { x, y: sigmoid(w * x + b) };
  });
}

export function createDataChart(canvas) {
  let range = [0, 1];
  let model = 'linear';
  let shown = { samples: null, theme: null, models: [], batch: null }; // what setData and setModels gave
  let samplesSet = null; // the samples' dataset, made at the first draw after setData
  const chart = createLazyChart(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { type: 'linear', title: { display: true, text: 'x' } }, y: { type: 'linear', title: { display: true, text: 'y' } } },
    },
  }, (c) => {
    const { samples, theme, models, batch } = shown;
    if (!samples) return;
    if (!samplesSet) { // new data (or theme) since the last draw
      for (const axis of ['x', 'y']) {
        const s = c.options.scales[axis];
        s.grid = { color: theme.grid };
        s.ticks = { color: theme.inkMuted };
        s.title.color = theme.inkMuted;
      }
      c.options.scales.x.min = range[0];
      c.options.scales.x.max = range[1];
      samplesSet = {
        type: 'scatter', label: 'data', data: Array.from(samples.xs, (x, i) => ({ x, y: samples.ys[i] })),
        pointRadius: samples.xs.length > 500 ? 1.5 : 3, pointBackgroundColor: theme.dataPoint, borderWidth: 0, order: 3,
      };
    }
    c.data.datasets = [samplesSet, ...modelDatasets(models, batch, theme)];
  });

  // The mini-batch's samples and each model's curve (and boundary).
  function modelDatasets(models, batch, theme) {
    const datasets = [];
    if (batch) {
      datasets.push({
        type: 'scatter', label: 'mini-batch', data: Array.from(batch.xs, (x, i) => ({ x, y: batch.ys[i] })),
        pointRadius: 4, pointBackgroundColor: 'transparent', pointBorderColor: theme.batch, pointBorderWidth: 1.5, order: 2,
      });
    }
    for (const m of models) {
      if (!Number.isFinite(m.w) || !Number.isFinite(m.b)) continue;
      datasets.push({
        type: 'line', label: m.label, kind: 'model', data: modelPoints(model, m.w, m.b, range[0], range[1]),
        borderColor: m.colour, borderWidth: 2, pointRadius: 0, order: 1,
      });
      if (model === 'logistic' && m.w !== 0) {
        const x = -m.b / m.w;
        if (x >= range[0] && x <= range[1]) {
          datasets.push({
            type: 'line', label: `${m.label} boundary`, kind: 'boundary', data: [{ x, y: 0 }, { x, y: 1 }],
            borderColor: m.colour, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0, order: 1,
          });
        }
      }
    }
    return datasets;
  }

  return {
    /** Chart.js's chart (made and drawn now if the canvas has not neared the screen yet). */
    get chart() {
      return chart.chart;
    },
    /** The samples ({xs, ys}), the model kind, the theme. */
    setData(samples, kind, theme) {
      model = kind;
      let lo = Infinity;
      let hi = -Infinity;
      for (const x of samples.xs) { if (x < lo) lo = x; if (x > hi) hi = x; }
      const pad = (hi - lo) * 0.05 || 1;
      range = [lo - pad, hi + pad];
      shown = { samples, theme, models: [], batch: null };
      samplesSet = null;
      chart.draw();
    },
    /** Models [{w, b, colour, label}] at the step shown, and the shown batch's samples or null. */
    setModels(models, batch, theme) {
      shown = { ...shown, models, batch, theme };
      chart.draw();
    },
  };
}
