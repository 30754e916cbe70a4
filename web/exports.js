// Exports: what the page hands out as files. DOM-free except where a browser
// API is the point (canvas, MediaRecorder, the download anchor). The caller
// (the widget) collects the data and picks the canvas; this module only turns
// them into a CSV string or a Blob.
//
//   trajectoryCsv({ surface, runs, upTo })  -> string
//       Every instance's trajectory, gradient and optimizer state per step.
//   csvBlob(text)                           -> Blob (text/csv)
//   pngBlob(canvas)                         -> Promise<Blob> (image/png)
//   withLegend(map, { title, rows, theme }) -> a canvas: the map with a legend under it
//   recordWebM(canvas, { frames, drawFrame, fps, onProgress, signal })
//                                           -> Promise<Blob> (video/webm)
//       Records `frames` frames that the caller draws, one by one.
//   downloadBlob(blob, filename)            saves a Blob under a file name
//   safeFilename(text)                      text -> a portable file name stem
//
// The CSV (plain RFC 4180: one header row, no comment lines):
//
//   instance,label,spec,surface,step,x,y,f,grad_x,grad_y,lr[,<state>_x,<state>_y ...]
//
// - One row per instance per step k = 0..min(upTo, last step) (step 0 is the
//   start), instance by instance in the order given; `instance` is the index
//   in `runs` (from 0).
// - x, y, f: the point after k steps and f there (the session's trajectory).
// - grad_x, grad_y: the gradient the optimizer was given at step k's point,
//   i.e. the one that moves it from step k to step k + 1 (exact, or with the
//   session's gradient noise). The session records it with the point, so
//   gradients, states and trajectory have one row per step each; a row missing
//   from the arrays given leaves its cells empty.
// - lr: the learning rate of that same step, k to k + 1 (the engine's
//   rates[k]: its schedule's value, or the lr setting); empty where not taken.
// - <name>_x, <name>_y: the optimizer's state buffer <name> (the registry's
//   names, e.g. exp_avg) after k steps (all zero, or the initial accumulator,
//   at step 0). The columns are the union of the names over all instances, in
//   order of first appearance; an instance without that buffer leaves them empty.
// - Numbers are the shortest text that reads back as the same double
//   (JavaScript's String(v); the native CLI prints %.17g, which reads back to
//   the same double too), -0 as "-0", non-finite values as nan, inf, -inf like
//   the CLI. Once an instance diverges (`divergedAt`), its later rows hold what
//   its update rule gives in IEEE arithmetic (inf, nan), as the session records them.
// - Text cells holding a comma, quote or line break are quoted with doubled
//   quotes (as the CLI does). A text cell starting with = + - @ or a tab/CR
//   gets a leading apostrophe, so that a spreadsheet never runs a label typed
//   by the user as a formula.

/**
 * The CSV of every instance's trajectory and state per step (see above).
 *
 * @param {object} options
 * @param {string} [options.surface]  surface spec, repeated in its column
 * @param {Array<{label?: string, spec: string, stateNames?: string[],
 *   divergedAt?: number, trajectory: Float64Array, gradients?: Float64Array,
 *   states?: Float64Array, stateCount?: number, rates?: Float64Array}>} options.runs
 *   per instance, the engine's runs() entry plus its display label and the
 *   registry's state names (buffer j is stateNames[j]; missing names become state<j>)
 * @param {number} [options.upTo]  last step written (the step shown); all rows if omitted
 * @returns {string}
 */
export function trajectoryCsv({ surface = '', runs, upTo = Infinity } = {}) {
  if (!Array.isArray(runs)) throw new Error('trajectoryCsv: runs must be an array');
  if (typeof surface !== 'string') throw new Error('trajectoryCsv: surface must be a string (the surface spec)');
  if (!(upTo === Infinity || (Number.isInteger(upTo) && upTo >= 0)))
    throw new Error(`trajectoryCsv: upTo must be a whole number >= 0, got ${String(upTo)}`);

  const checked = runs.map((run, i) => checkRun(run, i));
  // The union of state names, in order of first appearance.
  const columns = [];
  for (const run of checked) for (const name of run.names) if (!columns.includes(name)) columns.push(name);

  const header = ['instance', 'label', 'spec', 'surface', 'step', 'x', 'y', 'f', 'grad_x', 'grad_y', 'lr',
    ...columns.flatMap((name) => [`${name}_x`, `${name}_y`])];
  const lines = [header.map(textCell).join(',')];
  for (const [i, run] of checked.entries()) {
    const { trajectory: t, gradients: g, states: s, stateCount: n, rates } = run;
    const steps = t.length / 3;
    const gradientRows = g.length / 2;
    const stateRows = n > 0 ? s.length / (2 * n) : 0;
    // Where each state column reads from in this instance's row (-1: not its buffer).
    const slot = columns.map((name) => run.names.indexOf(name));
    const fixed = [String(i), textCell(run.label), textCell(run.spec), textCell(surface)];
    const last = Math.min(upTo, steps - 1);
    for (let k = 0; k <= last; k++) {
      const cells = [...fixed, String(k), numberCell(t[3 * k]), numberCell(t[3 * k + 1]), numberCell(t[3 * k + 2])];
      if (k < gradientRows) cells.push(numberCell(g[2 * k]), numberCell(g[2 * k + 1]));
      else cells.push('', '');
      cells.push(k < rates.length ? numberCell(rates[k]) : '');
      for (const j of slot) {
        if (j < 0 || k >= stateRows) cells.push('', '');
        else cells.push(numberCell(s[2 * n * k + 2 * j]), numberCell(s[2 * n * k + 2 * j + 1]));
      }
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

// Checks one runs entry and fills in the optional fields; throws a clear Error.
function checkRun(run, i) {
  const where = `trajectoryCsv: runs[${i}]`;
  if (run === null || typeof run !== 'object') throw new Error(`${where} must be an object`);
  const { spec, label = spec, trajectory, gradients = new Float64Array(0), states = new Float64Array(0),
    rates = new Float64Array(0) } = run;
  const stateCount = run.stateCount ?? 0;
  if (typeof spec !== 'string') throw new Error(`${where}.spec must be a string`);
  if (typeof label !== 'string') throw new Error(`${where}.label must be a string`);
  const isNumbers = (a) => a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a);
  if (!isNumbers(trajectory) || trajectory.length % 3 !== 0)
    throw new Error(`${where}.trajectory must hold x, y, f rows (a length divisible by 3)`);
  if (!isNumbers(gradients) || gradients.length % 2 !== 0)
    throw new Error(`${where}.gradients must hold dfdx, dfdy rows (an even length)`);
  if (!isNumbers(rates)) throw new Error(`${where}.rates must hold one number per step taken`);
  if (!Number.isInteger(stateCount) || stateCount < 0) throw new Error(`${where}.stateCount must be a whole number >= 0`);
  if (!isNumbers(states) || (stateCount > 0 && states.length % (2 * stateCount) !== 0))
    throw new Error(`${where}.states must hold 2 * stateCount numbers per step`);
  const given = run.stateNames ?? [];
  if (!Array.isArray(given)) throw new Error(`${where}.stateNames must be an array of names`);
  const names = Array.from({ length: stateCount }, (_, j) => (typeof given[j] === 'string' && given[j] ? given[j] : `state${j}`));
  return { label, spec, trajectory, gradients, states, stateCount, names, rates };
}

/** A number as the CLI's CSV writes it (same double back; nan, inf, -inf). */
function numberCell(v) {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Object.is(v, -0) ? '-0' : String(v);
}

/** A text cell: formula-like starts defused, then RFC 4180 quoting where needed. */
function textCell(text) {
  let s = String(text);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A CSV string as a Blob a spreadsheet opens as UTF-8 text. */
export function csvBlob(text) {
  return new Blob([text], { type: 'text/csv;charset=utf-8' });
}

/**
 * A new canvas: `map` with a legend under it, a title row then one row per
 * entry (a stroke in its colour and its text), in the theme's ink, font and
 * background (theme.js). A picture for notes needs to say what it shows.
 */
export function withLegend(map, { title, rows, theme }) {
  const scale = map.width / Math.max(1, map.clientWidth || map.width);
  const row = Math.round(20 * scale);
  const pad = Math.round(10 * scale);
  const out = document.createElement('canvas');
  out.width = map.width;
  out.height = map.height + 2 * pad + row * (rows.length + 1);
  const g = out.getContext('2d');
  g.fillStyle = theme.surface;
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(map, 0, 0);
  g.textBaseline = 'middle';
  g.font = `${Math.round(13 * scale)}px ${theme.font}`;
  let y = map.height + pad + row / 2;
  g.fillStyle = theme.ink;
  g.fillText(title, pad, y);
  for (const { colour, text } of rows) {
    y += row;
    g.strokeStyle = colour;
    g.lineWidth = 3 * scale;
    g.beginPath();
    g.moveTo(pad, y);
    g.lineTo(pad + 24 * scale, y);
    g.stroke();
    g.fillStyle = theme.ink;
    g.fillText(text, pad + 32 * scale, y);
  }
  return out;
}

/**
 * The canvas as it is now, as a PNG Blob. Rejects with a clear Error if the
 * browser cannot encode it (a zero-sized canvas, or one tainted by another origin).
 */
export function pngBlob(canvas) {
  return new Promise((resolve, reject) => {
    const failed = (why) => reject(new Error(`could not save the picture as PNG: ${why}`));
    try {
      if (typeof canvas?.convertToBlob === 'function') { // OffscreenCanvas
        canvas.convertToBlob({ type: 'image/png' }).then(resolve, (e) => failed(e.message));
        return;
      }
      if (typeof canvas?.toBlob !== 'function') { failed('not a canvas'); return; }
      canvas.toBlob((blob) => (blob ? resolve(blob) : failed('the browser gave no image (is the canvas empty?)')), 'image/png');
    } catch (error) {
      failed(error.message);
    }
  });
}

// WebM containers the recorder may write, best first.
const WEBM_TYPES = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];

/**
 * Records an animation of `canvas` as WebM. For each frame i = 0..frames-1 it
 * awaits drawFrame(i) (the caller draws the canvas), hands the canvas to the
 * recorder, waits until the frame's time at `fps` has come (the recorder
 * stamps frames with the wall clock, so this sets the video's speed) and
 * reports onProgress(i + 1, frames). Resolves with the video once the
 * recorder has finished. Rejects with a clear Error if the browser cannot
 * record, if drawFrame throws or the recorder fails; with the signal's reason
 * (an AbortError) when `signal` aborts. Every track is stopped in any case.
 *
 * @param {HTMLCanvasElement} canvas
 * @param {object} options
 * @param {number} options.frames        number of frames, >= 1
 * @param {(i: number) => (void|Promise<void>)} options.drawFrame
 * @param {number} [options.fps=30]
 * @param {(done: number, total: number) => void} [options.onProgress]
 * @param {AbortSignal} [options.signal]
 * @returns {Promise<Blob>}
 */
export async function recordWebM(canvas, { frames, drawFrame, fps = 30, onProgress, signal } = {}) {
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`recordWebM: frames must be a whole number >= 1, got ${String(frames)}`);
  if (typeof drawFrame !== 'function') throw new Error('recordWebM: drawFrame must be a function');
  if (!(Number.isFinite(fps) && fps > 0 && fps <= 240)) throw new Error(`recordWebM: fps must be in (0, 240], got ${String(fps)}`);
  if (typeof MediaRecorder !== 'function' || typeof canvas?.captureStream !== 'function')
    throw new Error('this browser cannot record video (it lacks MediaRecorder or canvas.captureStream)');
  const mimeType = WEBM_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  if (!mimeType) throw new Error('this browser cannot record WebM video');
  signal?.throwIfAborted();

  // captureStream(0) sends a frame only when asked (requestFrame), so each
  // drawn frame is sent once (the recorder encodes in real time, so a heavily
  // loaded machine may still drop one); where a browser lacks requestFrame the
  // stream samples the canvas at fps instead.
  let stream = canvas.captureStream(0);
  let track = stream.getVideoTracks()[0];
  if (typeof track?.requestFrame !== 'function') {
    stream.getTracks().forEach((t) => t.stop());
    stream = canvas.captureStream(fps);
    track = null;
  }

  const chunks = [];
  let recorder;
  try {
    recorder = new MediaRecorder(stream, { mimeType });
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    throw new Error(`could not start the video recorder: ${error.message}`);
  }
  recorder.ondataavailable = (event) => { if (event.data.size > 0) chunks.push(event.data); };
  // Settles when the recorder stops (resolve) or fails or the signal aborts (reject).
  let fail;
  const finished = new Promise((resolve, reject) => {
    fail = reject;
    recorder.onstop = () => resolve();
    recorder.onerror = (event) => reject(new Error(`the video recorder failed: ${event.error?.message ?? 'unknown error'}`));
  });
  // Rejects as soon as anything ends the recording before we stop it ourselves.
  const failure = finished.then(() => { throw new Error('the video recorder stopped early'); });
  failure.catch(() => {}); // raced against below; a normal stop must not count as unhandled
  const onAbort = () => fail(signal.reason ?? new DOMException('The recording was cancelled', 'AbortError'));
  signal?.addEventListener('abort', onAbort, { once: true });

  const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, Math.max(0, ms)); });
  const timeout = (ms, message) => sleep(ms).then(() => { throw new Error(message); });

  try {
    // Frames requested from here on are recorded. (Chromium fires 'start' only
    // once the first frame arrives, so waiting for it here would never end.)
    recorder.start();
    const interval = 1000 / fps;
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      await Promise.race([drawFrame(i), failure]);
      track?.requestFrame();
      await Promise.race([sleep(t0 + (i + 1) * interval - performance.now()), failure]);
      onProgress?.(i + 1, frames);
    }
    recorder.stop();
    // A recorder that never reports back must not hang the caller.
    await Promise.race([finished, timeout(5000, 'the video recorder did not finish')]);
    if (chunks.length === 0) throw new Error('the video recorder gave no data');
    return new Blob(chunks, { type: recorder.mimeType || mimeType });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (recorder.state !== 'inactive') {
      try { recorder.stop(); } catch { /* already stopping */ }
    }
    stream.getTracks().forEach((t) => t.stop());
  }
}

/**
 * Saves `blob` as a download named `filename` (through a temporary link; the
 * object URL is released once the browser has had time to start the download).
 */
export function downloadBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }
}

/**
 * A file name stem from any text (a surface spec, a label): letters, digits,
 * dot, underscore and dash only, runs of anything else as one dash, at most 80
 * characters, never empty ("descent" then). The caller adds the extension.
 */
export function safeFilename(text) {
  let stem = String(text ?? '')
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '') // é -> e
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/, '');
  // Names Windows reserves for devices, whatever the extension.
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(stem)) stem = `_${stem}`;
  return stem || 'descent';
}
