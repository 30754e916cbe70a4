// A small learning-rate-against-step curve for one instance (Chart.js): its
// schedule's rates over the step budget (engine.scheduleRates, from the core),
// with the step shown marked, and a sentence describing it for screen readers
// (the canvas's aria-label). Views never import the engine: the panel hands
// the rates in.

import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale } from 'chart.js';
import { formatValue, formatCount } from '../format.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale);

/** A sentence on a schedule's rates (rates[t - 1] for step t). */
export function describeRates(rates) {
  if (!rates.length) return 'No steps to show.';
  let lo = 0;
  let hi = 0;
  rates.forEach((r, i) => {
    if (r < rates[lo]) lo = i;
    if (r > rates[hi]) hi = i;
  });
  const last = rates.length;
  return `Learning rate ${formatValue(rates[0], 3)} at step 1, highest ${formatValue(rates[hi], 3)} at step ${formatCount(hi + 1)}, `
    + `lowest ${formatValue(rates[lo], 3)} at step ${formatCount(lo + 1)}, ${formatValue(rates[last - 1], 3)} at step ${formatCount(last)}.`;
}

/** A curve in `canvas` in `colour`; returns { set(rates), destroy() }. */
export function createRateCurve(canvas, colour) {
  canvas.setAttribute('role', 'img');
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ data: [], borderColor: colour, borderWidth: 1.5, pointRadius: 0, tension: 0 }] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      events: [],
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: {
        x: { type: 'linear', min: 1, ticks: { maxTicksLimit: 4, callback: (v) => formatCount(v) } },
        y: { type: 'linear', ticks: { maxTicksLimit: 3, callback: (v) => formatValue(v, 2) } },
      },
    },
  });
  return {
    set(rates) {
      chart.data.datasets[0].data = Array.from(rates, (y, i) => ({ x: i + 1, y }));
      chart.options.scales.x.max = Math.max(2, rates.length);
      chart.update('none');
      canvas.setAttribute('aria-label', describeRates(rates));
    },
    destroy() {
      chart.destroy();
    },
  };
}
