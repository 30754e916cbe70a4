// Training loss against step: per optimizer the full-data loss (solid), the
// mini-batch loss each step saw (thin, faded: the noise), and the mean loss
// of each completed epoch (dots at the epoch's last step). Log y axis; only
// finite positive values are drawn. Drawn only while near the screen
// (lazy-chart.js): on a phone it starts below the fold.

import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip } from 'chart.js';
import { createDecadeAxis } from '../views/decade-axis.js';
import { createLazyChart } from '../views/lazy-chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

const positive = (v) => Number.isFinite(v) && v > 0;

export function createTrainLossChart(canvas) {
  const yAxis = createDecadeAxis();
  let shown = null; // update's arguments
  const chart = createLazyChart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      elements: { point: { radius: 0 }, line: { tension: 0 } },
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'step' } },
        y: yAxis.options('loss'),
      },
    },
  }, (c) => {
    if (!shown) return;
    const { runs, stepsPerEpoch, budget, theme } = shown;
    for (const axis of ['x', 'y']) {
      const s = c.options.scales[axis];
      s.grid = { color: theme.grid };
      s.ticks = { ...(s.ticks ?? {}), color: theme.inkMuted };
      s.title.color = theme.inkMuted;
    }
    c.options.scales.x.max = Math.max(1, budget);
    const datasets = [];
    let lo = Infinity;
    let hi = 0;
    for (const run of runs) {
      const full = [];
      const batch = [];
      for (let k = 0; k <= run.upTo; ++k) {
        const f = run.trajectory[3 * k + 2];
        if (positive(f)) full.push({ x: k, y: f });
        if (positive(run.estimated[k])) batch.push({ x: k, y: run.estimated[k] });
      }
      const epochs = [];
      // With one step per epoch the epoch mean is the full-data curve itself.
      if (stepsPerEpoch > 1) run.epochs.forEach((loss, e) => {
        const k = (e + 1) * stepsPerEpoch;
        if (k <= run.upTo && positive(loss)) epochs.push({ x: k, y: loss });
      });
      for (const points of [full, batch, epochs]) {
        for (const { y } of points) {
          if (y < lo) lo = y;
          if (y > hi) hi = y;
        }
      }
      datasets.push(
        { label: `${run.label} mini-batch`, data: batch, borderColor: fade(run.colour), borderWidth: 1, order: 3 },
        { label: `${run.label} full data`, data: full, borderColor: run.colour, borderWidth: 2.5, order: 2 },
        { label: `${run.label} epoch`, data: epochs, borderColor: run.colour, backgroundColor: theme.surface,
          showLine: false, pointRadius: 4, pointBorderWidth: 2, order: 1 },
      );
    }
    c.data.datasets = datasets;
    yAxis.fit(c.options.scales.y, lo, hi);
  });

  return {
    /** Chart.js's chart (made and drawn now if the canvas has not neared the screen yet). */
    get chart() {
      return chart.chart;
    },
    /**
     * runs: [{trajectory, estimated, epochs, colour, upTo}] (upTo: the last step
     * drawn, the step shown or the divergence step), steps per epoch, budget, theme.
     */
    update(runs, stepsPerEpoch, budget, theme) {
      shown = { runs, stepsPerEpoch, budget, theme };
      chart.draw();
    },
  };
}

// A hex colour at 40% opacity.
function fade(hex) {
  return /^#[0-9a-f]{6}$/i.test(hex) ? `${hex}66` : hex;
}
