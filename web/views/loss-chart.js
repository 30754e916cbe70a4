// The step chart: Chart.js line chart of one quantity against step, one series
// per optimizer in its path colour, log y axis. The quantity (METRICS) is the
// loss, the distance to the nearest known minimum, the step length, or the
// effective learning rate per coordinate |Δθᵢ / gᵢ| (two series per optimizer:
// x solid, y dashed). Hovering reports the step under the pointer through
// `onHover(k)` (-1 when the pointer leaves). Animation is off and decimation
// ours (frame/series.js: at most 2 * MAX_BUCKETS points, about one per pixel
// column, so a frame costs O(new rows); Chart.js's own decimation would add
// nothing and swap the datasets' arrays, which draw() rewrites in place);
// series grow incrementally from the trajectories each frame, and while the
// animation plays the chart redraws at most every REDRAW_MS (the surface view
// is the live picture; redrawing Chart.js every frame would cost most of it).
//
// A log axis cannot show zero, negative or non-finite losses, so only finite
// positive values are plotted (a diverged run simply stops). The axis spans
// whole decades: its floor is 1e-16 (below that a curve leaves the chart,
// converged to rounding level), its ceiling 1,000 times the highest start, so
// a diverging run shoots off the top instead of squashing the other curves.
//
// The chart is drawn only while its canvas is near the screen (lazy-chart.js):
// on a phone it starts below the fold. The series grow all the same (they are
// the text alternative), so it draws the whole run when it comes near.

import {
  Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip,
} from 'chart.js';
import { formatValue, formatCount } from '../format.js';
import { createDecadeAxis } from './decade-axis.js';
import { METRICS, Series, appendRows } from '../frame/series.js';
import { createLazyChart } from './lazy-chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip);

const FLOOR = 1e-16;
const CEILING_DECADES = 3;
const REDRAW_MS = 100;


export function createLossChart(canvas, { onHover = () => {} } = {}) {
  let offset = 0; // the loss chart shows f - offset (see setRuns)
  let metric = 'loss';
  let context = { offset: 0, title: 'loss f(x, y)', minima: [] };
  let runInfo = []; // [{ label, colour }] of setRuns
  let series = []; // per dataset: a Series
  let pointsOf = []; // per dataset: the point objects its Series last wrote (reused)
  let extent = { lo: Infinity, hi: 0, startHi: 0 }; // of all plotted losses
  let lastDraw = 0;
  const yAxis = createDecadeAxis();
  const options = {
    animation: false,
    parsing: false,
    normalized: true,
    spanGaps: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    onHover: (event, elements, { scales }) => {
      const scale = scales.x;
      if (event.type === 'mouseout' || !scale) return onHover(-1);
      const k = Math.round(scale.getValueForPixel(event.x));
      onHover(event.x >= scale.left && event.x <= scale.right && k >= 0 ? k : -1);
    },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 2, tension: 0 } },
    plugins: {
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? `step ${formatCount(items[0].parsed.x)}` : ''),
          label: (item) => ` ${item.dataset.label}: ${formatValue(item.parsed.y + (metric === 'loss' ? offset : 0))}`,
        },
      },
    },
    scales: {
      x: {
        type: 'linear',
        min: 0,
        suggestedMax: 10,
        title: { display: true, text: 'step' },
        ticks: { maxTicksLimit: 6, callback: (v) => formatCount(v) },
      },
      y: yAxis.options('loss f(x, y)'),
    },
  };
  const chart = createLazyChart(canvas, { type: 'line', data: { datasets: [] }, options }, () => {
    // Each dataset keeps its array, rewritten in place: a new array per redraw
    // makes Chart.js unhook the old one and hook the new (it patches push and
    // splice to follow them), which was a large part of a redraw. Its array
    // is a plain copy of the points: pushing onto the hooked one would run
    // Chart.js's element insertion per point.
    series.forEach((s, d) => {
      const drawn = chart.data.datasets[d].data;
      const points = s.points(pointsOf[d] ??= []);
      for (let i = 0; i < points.length; ++i) drawn[i] = points[i];
      drawn.length = points.length;
    });
    fitAxis();
  });

  canvas.addEventListener('mouseleave', () => onHover(-1));

  // Whole decades from the lowest loss (not below FLOOR) to the highest, at
  // most CEILING_DECADES above the highest start.
  function fitAxis() {
    const { lo, hi, startHi } = extent;
    const ceiling = hi > 0 ? 10 ** (Math.ceil(Math.log10(startHi)) + CEILING_DECADES) : 0;
    yAxis.fit(chart.options.scales.y, Math.max(lo, FLOOR), Math.min(hi, ceiling));
  }

  // New, empty series for runInfo and the metric.
  function rebuild() {
    const { perCoordinate } = METRICS[metric];
    const coordinates = perCoordinate ? [0, 1] : [0];
    series = [];
    pointsOf = [];
    chart.data.datasets = [];
    runInfo.forEach((run, i) => {
      for (const coordinate of coordinates) {
        series.push(new Series(i, coordinate));
        chart.data.datasets.push({
          label: perCoordinate ? `${run.label} (${coordinate ? 'y' : 'x'})` : run.label,
          data: [],
          borderColor: run.colour,
          backgroundColor: run.colour,
          borderDash: coordinate ? [5, 4] : [],
        });
      }
    });
    extent = { lo: Infinity, hi: 0, startHi: 0 };
    chart.options.scales.y.title.text = METRICS[metric].title(context);
    draw();
  }

  // Redraws the chart now, or once it nears the screen; returns whether it drew now.
  function draw() {
    const drawn = chart.draw();
    if (drawn) lastDraw = performance.now();
    return drawn;
  }

  return {
    /** Chart.js's chart (made and drawn now if the canvas has not neared the screen yet). */
    get chart() {
      return chart.chart;
    },
    /**
     * Starts new, empty series. runs: [{ label, colour }]; baseline: what the
     * y axis measures, { value, title }: f - value is plotted, e.g. the gap to
     * the surface's global minimum.
     */
    setRuns(runs, baseline = { value: 0, title: 'loss f(x, y)' }, minima = []) {
      offset = baseline.value;
      context = { offset, title: baseline.title, minima };
      runInfo = runs;
      rebuild();
    },
    /** Switches the quantity shown (a METRICS key); the series are recomputed on the next update. */
    setMetric(next) {
      if (!(next in METRICS) || next === metric) return;
      metric = next;
      rebuild();
    },
    get metric() {
      return metric;
    },
    /**
     * Appends the trajectory rows (x, y, f) not yet plotted; redraws unless
     * `throttle` is set and the last redraw was less than REDRAW_MS ago.
     * Returns whether it redrew.
     */
    update(runs, { throttle = false } = {}) {
      series.forEach((s, d) => {
        const run = runs[s.run];
        if (!run) return;
        if (chart.data.datasets[d]) chart.data.datasets[d].hidden = Boolean(run.hidden);
        appendRows(s, run, METRICS[metric].values, context, extent);
      });
      if (throttle && performance.now() - lastDraw < REDRAW_MS) return false;
      return draw();
    },
    /** What the chart shows, in words: the quantity and each series' last value (its text alternative). */
    summary() {
      const parts = series.map((s, d) => {
        const last = s.last();
        const label = chart.data.datasets[d]?.label ?? '';
        return last ? `${label} ${formatValue(last.y)} at step ${formatCount(last.x)}` : `${label} nothing plotted`;
      });
      return `${chart.options.scales.y.title.text} against step, log scale${parts.length ? ': ' : ''}${parts.join('; ')}.`;
    },
    /** New colours for the current series (after a theme change). */
    setColours(colours) {
      chart.data.datasets.forEach((ds, d) => {
        ds.borderColor = ds.backgroundColor = colours[series[d].run];
      });
      draw();
    },
    setTheme(theme) {
      chart.options.color = theme.inkMuted;
      chart.options.font = { family: theme.font };
      for (const axis of ['x', 'y']) {
        const scale = chart.options.scales[axis];
        scale.ticks.color = theme.inkMuted;
        scale.title.color = theme.inkMuted;
        scale.border = { color: theme.grid };
        scale.grid = { color: theme.grid };
      }
      draw();
    },
    /** The full (undecimated) plotted points per dataset up to the step shown (per run, or per run and coordinate for lr). */
    series: () => series.map((s) => s.all()),
    /** Stops drawing and frees Chart.js's chart. */
    destroy: () => chart.destroy(),
  };
}
