// Lighthouse 12 (npm lighthouse, pinned) on the production site (build/site/,
// build-scripts/site.mjs, served as `serve.mjs --site` serves it: brotli, long
// cache for hashed files) with Debian's Chromium (CHROME_PATH, default
// /usr/bin/chromium), mobile preset (Lighthouse's default: Moto G Power
// screen, 4x CPU slowdown, slow 4G). Prints per page the four category scores
// and the figures the goals name, against the goals of issue 16. Figures, not
// a test; used by build-scripts/bench.sh (DESCENT_BENCH_ONLY=lighthouse).
// DESCENT_SITE_DIR picks another folder; DESCENT_LIGHTHOUSE_PAGES a comma list;
// DESCENT_LIGHTHOUSE_RUNS runs each page that many times and prints the median
// run (by performance score, the lower middle one for an even count; the simulated throttling makes scores depend on the
// machine's load, so the load average is printed too); DESCENT_LIGHTHOUSE_JSON
// a folder to keep each run's full report in (<page>-<run>.json).
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startServer } from '../../build-scripts/serve.mjs';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// DESCENT_SITE_DIR=dev audits the development server's pages instead (the sources, for comparison).
const dev = process.env.DESCENT_SITE_DIR === 'dev';
const site = dev ? null : path.resolve(process.env.DESCENT_SITE_DIR || path.join(root, 'build/site'));
// The pages audited; a new page is one more entry.
const PAGES = (process.env.DESCENT_LIGHTHOUSE_PAGES || 'index.html,explore.html,train.html,lessons.html').split(',');
const RUNS = Math.max(1, Number(process.env.DESCENT_LIGHTHOUSE_RUNS) || 1);
const jsonDir = process.env.DESCENT_LIGHTHOUSE_JSON ? path.resolve(process.env.DESCENT_LIGHTHOUSE_JSON) : null;
if (jsonDir) fs.mkdirSync(jsonDir, { recursive: true });
const GOALS = { performance: 95, accessibility: 100, 'best-practices': 100, cls: 0.05, tbt: 200 };

if (!dev && !fs.existsSync(path.join(site, 'index.html'))) {
  console.error(`lighthouse: no site in ${site}; build it with build-scripts/site.sh`);
  process.exit(1);
}
const { server, url } = await startServer({ port: 0, site });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const met = (ok) => (ok ? 'met' : 'missed');
  for (const page of PAGES) {
    const runs = [];
    for (let run = 1; run <= RUNS; run += 1) {
      const result = await lighthouse(new URL(page, url).href, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices'],
      });
      if (jsonDir) fs.writeFileSync(path.join(jsonDir, `${page.replace(/\.html$/, '')}-${run}.json`), result.report);
      runs.push(result.lhr);
    }
    const performanceOf = (lhr) => lhr.categories.performance?.score ?? 0;
    const sorted = [...runs].sort((a, b) => performanceOf(a) - performanceOf(b));
    const { categories, audits } = sorted[Math.floor((sorted.length - 1) / 2)];
    const spread = RUNS > 1 ? ` (${RUNS % 2 ? 'median' : 'lower median'} of ${RUNS} runs: ${runs.map((lhr) => Math.round(performanceOf(lhr) * 100)).join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})` : '';
    const score = (id) => Math.round((categories[id]?.score ?? NaN) * 100);
    const value = (id) => audits[id]?.numericValue ?? NaN;
    const scores = { performance: score('performance'), accessibility: score('accessibility'), 'best-practices': score('best-practices') };
    const cls = value('cumulative-layout-shift');
    const tbt = value('total-blocking-time');
    const failing = [...Object.values(categories)].flatMap((c) => c.auditRefs)
      .filter((ref) => ref.weight > 0 && audits[ref.id]?.score !== null && audits[ref.id]?.score < 0.9 &&
        ['accessibility', 'best-practices'].some((cat) => categories[cat]?.auditRefs.includes(ref)))
      .map((ref) => ref.id);
    const boot = (audits['bootup-time']?.details?.items ?? []).slice(0, 3)
      .map((item) => `${item.url.split('/').pop() || item.url} ${(item.total / 1000).toFixed(2)} s`).join(', ');
    console.log(`lighthouse ${page}${dev ? ' (dev server)' : ''} (mobile): performance ${scores.performance}${spread} (goal >= ${GOALS.performance}: ${met(scores.performance >= GOALS.performance)}), ` +
      `accessibility ${scores.accessibility} (${met(scores.accessibility >= GOALS.accessibility)}), ` +
      `best practices ${scores['best-practices']} (${met(scores['best-practices'] >= GOALS['best-practices'])}); ` +
      `FCP ${(value('first-contentful-paint') / 1000).toFixed(2)} s, LCP ${(value('largest-contentful-paint') / 1000).toFixed(2)} s, ` +
      `TBT ${tbt.toFixed(0)} ms (goal <= ${GOALS.tbt}: ${met(tbt <= GOALS.tbt)}), CLS ${cls.toFixed(3)} (goal <= ${GOALS.cls}: ${met(cls <= GOALS.cls)}), ` +
      `transferred ${(value('total-byte-weight') / 1024).toFixed(0)} kB${failing.length ? `; below 0.9: ${failing.join(', ')}` : ''}; most script time: ${boot}`);
  }
} finally {
  await chrome.kill();
  server.close();
}
