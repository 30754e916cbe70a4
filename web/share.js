// Share and export: the Share menu (the link to the state shown, the iframe
// and element snippets, copied to the clipboard or shown to copy by hand) and
// the Export menu (PNG of the map with a legend, CSV of the runs, WebM of the
// animation), wired to their buttons. The files themselves are made by
// exports.js; what they hold comes from the app through `source` (the frame,
// the runs, the step shown), so this module holds no state of the race.

import { hashOf } from './state.js';
import { formatCount } from './format.js';
import { statusOf } from './frame/frame.js';
import { trajectoryCsv, pngBlob, withLegend, recordWebM, downloadBlob, safeFilename } from './exports.js';
import { embedSnippet } from './widget/attributes.js';

const WEBM_FPS = 30;
const WEBM_MAX_FRAMES = 900; // 30 s of video at most

/**
 * Wires the share and export buttons in `root` and returns the exports for
 * the API: { exportPng, exportCsv, exportWebm }.
 * source: { store, frame() (the frame shown), csvRuns() (every accepted
 *   instance's whole run with label and stateNames), surfaceName(), theme(),
 *   shown() (the step shown) };
 * animation: { pause(), showStep(k), render(options) } (the video plays it);
 * useHash: the page (the element snippet then says where the package is);
 * embedUrl: the page an iframe snippet points at (default embed.html next to this page).
 */
export function createShare({ root, notices, source, animation, useHash, embedUrl: embedAt }) {
  const $ = (id) => root.getElementById(id);
  const { store } = source;

  $('copy-link').addEventListener('click', () => copyText(`${location.href.split('#')[0]}${hashOf(store.get())}`, 'Link copied.'));
  $('copy-iframe').addEventListener('click', () => copyText(embedSnippet(store.get(), { kind: 'iframe', url: embedUrl() }), 'Embed snippet copied.'));
  $('copy-element').addEventListener('click', () => copyText(embedSnippet(store.get(), { kind: 'element' }),
    useHash ? 'Embed snippet copied: it loads the widget package (the zip linked below).' : 'Embed snippet copied.'));
  $('export-png').addEventListener('click', () => exportToFile('png'));
  $('export-csv').addEventListener('click', () => exportToFile('csv'));
  $('export-webm').addEventListener('click', () => exportToFile('webm'));

  let statusTimer = 0;
  function showStatus(text, ms = 2500) {
    const status = $('copy-status');
    status.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { status.textContent = ''; }, ms);
  }

  // Copies `text`; where the clipboard is refused, shows it in a notice to copy by hand.
  async function copyText(text, done) {
    closeMenus();
    try {
      await navigator.clipboard.writeText(text);
      showStatus(done);
    } catch {
      notices.show(`Copying was refused by the browser; select and copy this instead: ${text}`, 'warning');
    }
  }

  function closeMenus() {
    for (const menu of root.querySelectorAll('details.menu')) menu.open = false;
  }

  // The embed page next to this page (the iframe snippet's target).
  function embedUrl() {
    return embedAt ?? new URL('embed.html', location.href.split('#')[0]).href;
  }

  /**
   * PNG of the map as shown (heat map, contours, paths, markers) with a legend
   * underneath: the surface and step, then each visible instance's colour,
   * label and f (a picture for notes needs to say what it shows).
   */
  function exportPng() {
    const rows = source.frame().runs.filter((run) => !run.hidden)
      .map((run) => ({ colour: run.colour, text: `${run.label}   ${statusOf(run)}` }));
    const title = `${source.surfaceName() ?? ''} · step ${formatCount(source.shown())}`;
    return pngBlob(withLegend($('surface-canvas'), { title, rows, theme: source.theme() }));
  }

  /** CSV of every instance's trajectory, gradient and state, steps 0..the step shown. */
  function exportCsv() {
    return trajectoryCsv({ surface: store.get().surface, upTo: source.shown(), runs: source.csvRuns() });
  }

  let recording = null;
  /**
   * A WebM video of the animation from step 0 to the step shown (or the budget
   * when at step 0), `speed` steps per frame; `onProgress(done, total)`.
   */
  async function exportWebm({ onProgress, signal } = {}) {
    if (recording) throw new Error('A recording is already running.');
    animation.pause();
    const s = store.get();
    const last = s.step > 0 ? s.step : s.budget;
    const frames = Math.min(WEBM_MAX_FRAMES, Math.ceil(last / s.speed) + 1);
    const per = frames > 1 ? last / (frames - 1) : 0;
    const back = s.step;
    recording = recordWebM($('surface-canvas'), {
      frames,
      fps: WEBM_FPS,
      signal,
      onProgress,
      drawFrame: (i) => {
        animation.showStep(Math.round(i * per));
        animation.render({ throttle: true });
      },
    });
    try {
      return await recording;
    } finally {
      recording = null;
      animation.showStep(back);
      animation.render();
    }
  }

  // The Export menu: builds the file, shows progress for the video, downloads.
  async function exportToFile(kind) {
    closeMenus();
    const base = safeFilename(`descent-${source.surfaceName() ?? 'surface'}-step-${source.shown()}`);
    const progress = $('export-progress');
    try {
      if (kind === 'png') downloadBlob(await exportPng(), `${base}.png`);
      if (kind === 'csv') downloadBlob(new Blob([exportCsv()], { type: 'text/csv' }), `${base}.csv`);
      if (kind === 'webm') {
        progress.hidden = false;
        progress.value = 0;
        showStatus('Recording the animation…', 60000);
        const blob = await exportWebm({ onProgress: (done, total) => { progress.value = done / total; } });
        downloadBlob(blob, `${base}.webm`);
        showStatus('Video saved.');
      }
    } catch (error) {
      notices.show(`The export failed: ${error.message}`);
    } finally {
      progress.hidden = true;
    }
  }

  return { exportPng, exportCsv, exportWebm };
}
