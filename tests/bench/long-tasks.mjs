// The long tasks of a page's load, and what is in each: Chromium's trace at
// Lighthouse's mobile CPU slowdown (4x) and screen (412 x 823), each
// main-thread task over 50 ms (what total blocking time counts) with its
// largest parts (script by function and file, style, layout, paint, WASM
// compile). Figures to find what to split or defer, not a test; used by
// build-scripts/bench.sh (DESCENT_BENCH_ONLY=long-tasks).
// DESCENT_SITE_DIR picks a production build (default: the development
// server's sources, whose function names are readable); DESCENT_LONG_TASK_PAGES
// a comma list of pages (default index.html,explore.html,train.html,lessons.html);
// DESCENT_LONG_TASK_WAIT the milliseconds to record after the page says it is
// ready (default 4000).
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../build-scripts/serve.mjs';

const site = process.env.DESCENT_SITE_DIR ? path.resolve(process.env.DESCENT_SITE_DIR) : null;
const PAGES = (process.env.DESCENT_LONG_TASK_PAGES || 'index.html,explore.html,train.html,lessons.html').split(',');
const WAIT = Number(process.env.DESCENT_LONG_TASK_WAIT) || 4000;
const SLOWDOWN = 4;
const LONG = 50;

if (site && !fs.existsSync(path.join(site, 'index.html'))) {
  console.error(`long-tasks: no site in ${site}; build it with build-scripts/site.sh`);
  process.exit(1);
}
const { server, url } = await startServer({ port: 0, site });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// The part of a task an event names: script by its function and file, else the event's own name.
function partOf(event) {
  const data = event.args?.data ?? {};
  if (event.name === 'FunctionCall' || event.name === 'EvaluateScript' || event.name === 'v8.evaluateModule') {
    const file = (data.url || data.scriptName || '').split('/').pop() || '?';
    return `script ${data.functionName || '(top)'} ${file}:${(data.lineNumber ?? 0) + 1}`;
  }
  return event.name;
}
const TOP_PARTS = new Set(['FunctionCall', 'EvaluateScript', 'v8.evaluateModule', 'UpdateLayoutTree', 'Layout',
  'Paint', 'PrePaint', 'Layerize', 'ParseHTML', 'v8.wasm.compileLazy', 'wasm.CompileStreaming',
  'v8.wasm.streamFromResponseCallback', 'MajorGC', 'MinorGC', 'FireAnimationFrame', 'TimerFire', 'EventDispatch',
  'ParseAuthorStyleSheet', 'Decode Image', 'v8.compile', 'HitTest']);

// Script time by function from the sampling profile (the trace's script events miss promise
// continuations): per window of time, each sample counted to the innermost frame of the page's
// own code (else the innermost frame), as 'js NAME FILE:LINE'.
function scriptByFunction(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const own = (frame) => /\/(web|views|frame|explore|train|widget|lessons)\/|\/[a-z]+(-[A-Z0-9]{8})?\.js$/.test(frame.url) &&
    !/vendor|chunk-|node_modules/.test(frame.url);
  const label = (id) => {
    let at = id;
    while (at !== undefined) {
      const { callFrame } = nodes.get(at);
      if (callFrame.url && own(callFrame)) return `js ${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
      at = parent.get(at);
    }
    const { callFrame } = nodes.get(id);
    return `js ${callFrame.functionName || callFrame.url.split('/').pop() || '(program)'}`;
  };
  const times = [];
  let t = profile.startTime;
  profile.samples.forEach((id, i) => { t += profile.timeDeltas[i]; times.push([t, id]); });
  return (from, to) => {
    const by = new Map();
    for (let i = 0; i < times.length - 1; i += 1) {
      const [at, id] = times[i];
      if (at < from || at >= to) continue;
      const name = nodes.get(id).callFrame.functionName;
      if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') continue;
      by.set(label(id), (by.get(label(id)) ?? 0) + (times[i + 1][0] - at) / 1000);
    }
    return by;
  };
}

try {
  for (const page of PAGES) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
    const events = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,v8,toplevel', transferMode: 'ReportEvents',
    });
    const loaded = Date.now();
    await tab.goto(new URL(page, url).href, { waitUntil: 'load' });
    // Ready: the page's app (body data-state), the explore page's hook, or, for a page of
    // figures (the lessons, whose figures far from the screen never start), its load event;
    // WAIT then covers the figures near the screen starting.
    await tab.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state) || window.descentExplore?.ready === true ||
      (document.querySelector('descent-widget') !== null && document.readyState === 'complete'), null, { timeout: 60000 }).catch(() => {});
    await tab.waitForTimeout(WAIT);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.send('Tracing.end');
    await done;
    await context.close();

    // The renderer's main thread: the one with the most top-level tasks that ran page script.
    const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    const tasksOf = (tid, pid) => events.filter((e) => e.ph === 'X' && e.tid === tid && e.pid === pid &&
      (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
    let best = null;
    for (const m of mains) {
      const tasks = tasksOf(m.tid, m.pid);
      const busy = tasks.reduce((s, t) => s + (t.dur ?? 0), 0);
      if (!best || busy > best.busy) best = { tid: m.tid, pid: m.pid, tasks, busy };
    }
    if (!best) { console.log(`long-tasks ${page}: no renderer main thread in the trace`); continue; }
    const onMain = events.filter((e) => e.ph === 'X' && e.tid === best.tid && e.pid === best.pid && e.dur);
    const outermost = best.tasks.filter((t) => !best.tasks.some((o) => o !== t && o.ts <= t.ts && o.ts + o.dur >= t.ts + t.dur &&
      (o.dur > t.dur || o.ts < t.ts || (o.dur === t.dur && o.name === 'ThreadControllerImpl::RunTask'))));
    const long = outermost.filter((t) => t.dur / 1000 > LONG).sort((a, b) => a.ts - b.ts);
    const scriptIn = scriptByFunction(profile);
    const t0 = Math.min(...best.tasks.map((t) => t.ts));
    const blocking = long.reduce((s, t) => s + t.dur / 1000 - LONG, 0);
    console.log(`long-tasks ${page}${site ? '' : ' (dev server)'} at ${SLOWDOWN}x CPU, 412 x 823: ${long.length} tasks over ${LONG} ms, ` +
      `blocking ${blocking.toFixed(0)} ms in all (Lighthouse simulates its own figure; this is the trace's), main thread busy ${(best.busy / 1000).toFixed(0)} ms (recorded ${((Date.now() - loaded) / 1000).toFixed(1)} s)`);
    for (const task of long) {
      const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && TOP_PARTS.has(e.name));
      // Only the outermost parts: an event inside another listed one is already counted there.
      const outer = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
      const parts = new Map();
      for (const e of outer) parts.set(partOf(e), (parts.get(partOf(e)) ?? 0) + e.dur / 1000);
      for (const [name, ms] of scriptIn(task.ts, task.ts + task.dur)) parts.set(name, ms);
      const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join('; ');
      console.log(`  at ${((task.ts - t0) / 1000).toFixed(0).padStart(5)} ms: ${(task.dur / 1000).toFixed(0).padStart(4)} ms  ${top}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
