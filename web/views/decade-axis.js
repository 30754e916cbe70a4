// A Chart.js logarithmic axis in whole decades, shared by the race page's step
// chart and the train page's loss chart: it spans from the decade below the
// lowest value to the decade above the highest, ticks, labels and grid lines
// sit on powers of ten only (at most `maxLabels` of them, evenly skipped), and
// labels read 0.01 ... 1000 written out, other powers as 1e−6, 1e5. Chart.js's
// own log ticks (9 per decade, labelled 29.00, 27.00, 26.00 ...) say nothing a
// reader of a loss curve needs.

const isDecade = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

/** A power of ten as its label: 0.01 ... 1000 written out, others as 1e−6, 1e5. */
export function formatDecade(v) {
  const e = Math.round(Math.log10(v));
  return e >= -2 && e <= 3 ? String(10 ** e) : `1e${e}`.replace('-', '−');
}

/**
 * A decade axis. `options(title)` gives the Chart.js scale options;
 * `fit(scale, lo, hi)` sets the scale options' min and max to whole decades
 * around the positive values lo..hi (one decade when there are none).
 */
export function createDecadeAxis({ maxLabels = 8 } = {}) {
  let span = { lo: 0, hi: 1 }; // exponents of the axis ends

  const labelled = (v) => {
    if (!isDecade(v)) return false;
    const every = Math.ceil((span.hi - span.lo) / maxLabels);
    return (Math.round(Math.log10(v)) - span.lo) % every === 0;
  };

  return {
    options: (title) => ({
      type: 'logarithmic',
      title: { display: true, text: title },
      // Only the labelled decades keep their ticks (Chart.js makes 9 per decade).
      afterBuildTicks: (scale) => {
        scale.ticks = scale.ticks.filter((tick) => labelled(tick.value));
      },
      ticks: { autoSkip: false, callback: (v) => formatDecade(v) },
    }),
    fit(scale, lo, hi) {
      if (!(hi > 0 && lo > 0 && Number.isFinite(lo) && Number.isFinite(hi))) {
        span = { lo: 0, hi: 1 };
      } else {
        const low = Math.floor(Math.log10(lo));
        span = { lo: low, hi: Math.max(Math.ceil(Math.log10(hi)), low + 1) };
      }
      scale.min = 10 ** span.lo;
      scale.max = 10 ** span.hi;
    },
  };
}
