// The browser-only exports of web/exports.js in headless Chromium: the WebM
// recording (MediaRecorder on a canvas stream), the PNG snapshot and the
// download link. The module is imported into the served page and driven on a
// fresh canvas, so these tests do not depend on the widget's wiring.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startChromium, watchProblems } from './harness.mjs';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

async function openPage(t) {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  return { page, problems };
}

test('recordWebM records the frames the caller draws as a WebM video', { timeout: 30000 }, async (t) => {
  const { page, problems } = await openPage(t);
  const result = await page.evaluate(async () => {
    const { recordWebM } = await import('./exports.js');
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const ctx = canvas.getContext('2d');
    const progress = [];
    const drawn = [];
    const started = performance.now();
    const blob = await recordWebM(canvas, {
      frames: 20,
      fps: 30,
      drawFrame: async (i) => {
        drawn.push(i);
        // Frame 0 red (checked in the video), then other colours.
        ctx.fillStyle = i === 0 ? 'rgb(255, 0, 0)' : `hsl(${120 + i * 6}, 70%, 40%)`;
        ctx.fillRect(0, 0, 320, 240);
        ctx.fillStyle = '#fff';
        ctx.beginPath();
        ctx.arc(20 + i * 14, 120, 18, 0, 2 * Math.PI);
        ctx.fill();
      },
      onProgress: (done, total) => progress.push([done, total]),
    });
    const elapsed = (performance.now() - started) / 1000;
    const bytes = Array.from(new Uint8Array(await blob.arrayBuffer()));
    const head = Array.from(new Uint8Array(await blob.slice(0, 4).arrayBuffer()));
    // The browser must be able to play it back at the canvas's size.
    const video = document.createElement('video');
    video.muted = true;
    video.src = URL.createObjectURL(blob);
    await new Promise((resolve, reject) => {
      video.onloadeddata = resolve;
      video.onerror = () => reject(new Error(`the video does not load: ${video.error?.message}`));
    });
    // The colour in the middle of the video's picture at time `seconds`.
    const probe = document.createElement('canvas');
    probe.width = 320;
    probe.height = 240;
    const colourAt = async (seconds) => {
      video.currentTime = seconds;
      await new Promise((resolve) => { video.onseeked = resolve; });
      probe.getContext('2d').drawImage(video, 0, 0);
      return Array.from(probe.getContext('2d').getImageData(300, 10, 1, 1).data.slice(0, 3));
    };
    const first = await colourAt(0.005);
    URL.revokeObjectURL(video.src);
    return { type: blob.type, size: blob.size, head, progress, drawn, first, elapsed, bytes,
      videoSize: [video.videoWidth, video.videoHeight] };
  });
  assert.match(result.type, /^video\/webm/);
  assert.ok(result.size > 1024, `video of ${result.size} bytes`);
  assert.deepEqual(result.head, [0x1a, 0x45, 0xdf, 0xa3], 'EBML magic');
  assert.deepEqual(result.drawn, Array.from({ length: 20 }, (_, i) => i));
  assert.deepEqual(result.progress, Array.from({ length: 20 }, (_, i) => [i + 1, 20]));
  assert.deepEqual(result.videoSize, [320, 240]);
  // Lossy video: colours within a margin. It starts with the first frame drawn...
  const near = (got, want) => got.every((v, c) => Math.abs(v - want[c]) < 40);
  assert.ok(near(result.first, [255, 0, 0]), `first frame ${result.first}`);
  // ...and holds the frames, paced at 30 fps at most: the file's own frame times
  // (stamped in whole ms when a frame reaches the recorder; frame i is sent no
  // sooner than i/30 s after the start, the first one may reach it late) span at
  // least (frames - 2)/30 s and no more than the recording took. A busy
  // machine's encoder drops some of the 20 frames (14 kept at load 11 here).
  const times = webmFrameTimes(Buffer.from(result.bytes));
  assert.ok(times.length >= 10 && times.length <= 20, `the file holds ${times.length} of 20 frames`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1], `frame times increase: ${times}`);
  const span = times.at(-1) - times[0];
  assert.ok(span >= (times.length - 2) / 30 && span <= result.elapsed,
    `${times.length} frames span ${span} s (recording took ${result.elapsed} s)`);
  assert.deepEqual(problems, []);
});

test('recordWebM stops on abort, on a failing drawFrame, and says when the browser cannot record', { timeout: 30000 }, async (t) => {
  const { page } = await openPage(t);
  const outcome = await page.evaluate(async () => {
    const { recordWebM } = await import('./exports.js');
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d');
    const draw = (i) => { ctx.fillStyle = `rgb(${i}, 0, 0)`; ctx.fillRect(0, 0, 64, 64); };
    const failure = async (run) => {
      try {
        await run();
        return null;
      } catch (error) {
        return { name: error.name, message: error.message };
      }
    };

    const controller = new AbortController();
    let lastProgress = 0;
    const aborted = await failure(() => recordWebM(canvas, {
      frames: 300, drawFrame: draw, signal: controller.signal,
      onProgress: (done) => { lastProgress = done; if (done === 3) controller.abort(); },
    }));
    const thrown = await failure(() => recordWebM(canvas, {
      frames: 10, drawFrame: (i) => { if (i === 2) throw new Error('drawing failed at frame 2'); draw(i); },
    }));
    const badFrames = await failure(() => recordWebM(canvas, { frames: 0, drawFrame: draw }));
    const saved = window.MediaRecorder;
    window.MediaRecorder = undefined;
    const missing = await failure(() => recordWebM(canvas, { frames: 2, drawFrame: draw }));
    window.MediaRecorder = saved;
    // Still records after all that.
    const after = await recordWebM(canvas, { frames: 3, drawFrame: draw });
    return { aborted, lastProgress, thrown, badFrames, missing, afterSize: after.size };
  });
  assert.equal(outcome.aborted?.name, 'AbortError');
  assert.equal(outcome.lastProgress, 3);
  assert.equal(outcome.thrown?.message, 'drawing failed at frame 2');
  assert.match(outcome.badFrames?.message ?? '', /frames must be a whole number >= 1/);
  assert.match(outcome.missing?.message ?? '', /cannot record video/);
  assert.ok(outcome.afterSize > 0);
});

test('pngBlob gives a PNG of the canvas, pixels included; an empty canvas is a clear error', async (t) => {
  const { page, problems } = await openPage(t);
  const result = await page.evaluate(async () => {
    const { pngBlob } = await import('./exports.js');
    const canvas = document.createElement('canvas');
    canvas.width = 257;
    canvas.height = 129;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = 'rgb(10, 200, 30)';
    ctx.fillRect(0, 0, 257, 129);
    ctx.fillStyle = 'rgb(250, 5, 100)';
    ctx.fillRect(200, 100, 57, 29);
    const blob = await pngBlob(canvas);
    const head = Array.from(new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
    const bitmap = await createImageBitmap(blob);
    const check = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    check.drawImage(bitmap, 0, 0);
    const pixel = (x, y) => Array.from(check.getImageData(x, y, 1, 1).data);
    let emptyError = null;
    try {
      await pngBlob(Object.assign(document.createElement('canvas'), { width: 0, height: 0 }));
    } catch (error) {
      emptyError = error.message;
    }
    return { type: blob.type, head, size: [bitmap.width, bitmap.height], a: pixel(5, 5), b: pixel(230, 120), emptyError };
  });
  assert.equal(result.type, 'image/png');
  assert.deepEqual(result.head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.deepEqual(result.size, [257, 129]);
  assert.deepEqual(result.a, [10, 200, 30, 255]);
  assert.deepEqual(result.b, [250, 5, 100, 255]);
  assert.match(result.emptyError ?? '', /could not save the picture as PNG/);
  assert.deepEqual(problems, []);
});

test('downloadBlob saves the blob under the given file name', async (t) => {
  const { page } = await openPage(t);
  const text = 'instance,label\n0,"Adam, ""fast"""\n';
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 5000 }),
    page.evaluate(async (body) => {
      const { downloadBlob, csvBlob, safeFilename } = await import('./exports.js');
      downloadBlob(csvBlob(body), `${safeFilename('rosenbrock adam:lr=0.05')}.csv`);
    }, text),
  ]);
  assert.equal(download.suggestedFilename(), 'rosenbrock-adam-lr-0.05.csv');
  assert.equal(fs.readFileSync(await download.path(), 'utf8'), text);
});

// The video frames' times in seconds, read from a WebM file's own Matroska
// structure: each SimpleBlock (or Block) time is its Cluster's Timecode plus
// the block's signed 16-bit offset, in TimecodeScale units (default 1 ms).
// A walk over the element headers, since only these few elements matter here
// (npm's EBML readers are stream decoders for whole documents).
function webmFrameTimes(buf) {
  const MASTERS = new Set([0x18538067, 0x1549a966, 0x1f43b675, 0xa0]); // Segment, Info, Cluster, BlockGroup
  const vint = (at, keepMarker) => {
    const first = buf[at];
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
    assert.ok(length <= 8, `bad EBML length at byte ${at}`);
    let value = keepMarker ? first : first & (0xff >> length);
    let allOnes = value === (0xff >> length);
    for (let i = 1; i < length; i++) {
      value = value * 256 + buf[at + i];
      allOnes &&= buf[at + i] === 0xff;
    }
    return { value, length, unknown: !keepMarker && allOnes };
  };
  const uint = (at, size) => { let v = 0; for (let i = 0; i < size; i++) v = v * 256 + buf[at + i]; return v; };
  let scale = 1e6; // ns per timecode unit
  let cluster = 0;
  const times = [];
  for (let at = 0; at < buf.length;) {
    const id = vint(at, true);
    const size = vint(at + id.length, false);
    const body = at + id.length + size.length;
    if (MASTERS.has(id.value) || size.unknown) { at = body; continue; } // step into containers
    if (id.value === 0x2ad7b1) scale = uint(body, size.value);
    else if (id.value === 0xe7) cluster = uint(body, size.value);
    else if (id.value === 0xa3 || id.value === 0xa1) {
      const track = vint(body, false);
      times.push((cluster + buf.readInt16BE(body + track.length)) * scale * 1e-9);
    }
    at = body + size.value;
  }
  return times;
}
