// A Chart.js chart made, and redrawn, only while its canvas is near the screen
// (tasks.js's watchNearScreen): a chart below the fold on a phone costs the
// page's start nothing (Chart.js's first layout is one of a start's dearest
// parts), and a chart scrolled out of sight costs a playing run nothing.
//
// The view keeps what its chart shows and writes it into the chart in
// `prepare(chart)`, which runs just before each draw. `draw()` draws now when
// the canvas is near and says so; otherwise the chart draws when it comes near.
// Before the chart is made, `data` and `options` are the config's own objects;
// after, Chart.js's.

import { Chart } from 'chart.js';
import { watchNearScreen } from '../tasks.js';

export function createLazyChart(canvas, config, prepare = () => {}) {
  let chart = null;
  let stale = true; // shown inputs changed since the chart last drew
  const drawNow = () => {
    chart ??= new Chart(canvas, config);
    prepare(chart);
    chart.update('none');
    stale = false;
  };
  const screen = watchNearScreen(canvas, () => { if (stale) drawNow(); });
  return {
    /** Chart.js's chart, made and brought up to date now if it is not (for tests and exports). */
    get chart() {
      if (stale || !chart) drawNow();
      return chart;
    },
    get data() {
      return chart ? chart.data : config.data;
    },
    get options() {
      return chart ? chart.options : config.options;
    },
    /** Draws now if the canvas is near the screen (returns true), else when it comes near. */
    draw() {
      stale = true;
      if (!screen.near()) return false;
      drawNow();
      return true;
    },
    destroy() {
      screen.stop();
      chart?.destroy();
      chart = null;
    },
  };
}
