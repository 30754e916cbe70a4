// Accessibility audit of every page and the widget, in light and dark colour
// schemes: axe-core (npm axe-core through @axe-core/playwright, injected into
// the page, shadow roots included) with the WCAG 2.1 A and AA rules must find
// no serious or critical violation; the structure rules (one main landmark,
// all content in landmarks, headings in order) none at all. Every canvas has
// a text alternative that says what it shows, and keyboard focus is visible.
//
// PAGES is the one list of what is audited: a new page is one more entry.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { startChromium, watchProblems, startAllWidgets } from './harness.mjs';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const STRUCTURE = ['landmark-one-main', 'region', 'heading-order', 'page-has-heading-one', 'landmark-unique'];
const SCHEMES = ['light', 'dark'];

// A course page holding a widget with every control (served as a route, same origin as the modules).
const WIDGET_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notes with a Descent widget</title>
<script src="./import-map.js"></script><script type="module" src="./widget/descent-widget.js"></script></head>
<body><main><h1>Lecture 4: optimizers</h1><p>Adam against SGD on Himmelblau's function.</p>
<descent-widget surface="himmelblau" start="0, 0" optimizers="adam:lr=0.05; sgd:lr=0.01" steps="300" controls="full"></descent-widget>
</main></body></html>`;

const widgetReady = () => [...document.querySelectorAll('descent-widget')].every((w) => w.dataset.state === 'ready');

const PAGES = [
  { name: 'the race page', path: 'index.html', ready: () => window.descent?.ready === true },
  { name: 'the explore page', path: 'explore.html', ready: () => window.descentExplore?.ready === true },
  { name: 'the training page', path: 'train.html', ready: () => window.descentTrain?.ready === true },
  // Its figures start near the screen (loading="lazy"): `start` scrolls through them first.
  { name: 'the lessons page', path: 'lessons.html', start: startAllWidgets, ready: () => {
    const figures = [...document.querySelectorAll('descent-widget')];
    return figures.length > 0 && figures.every((w) => w.dataset.state === 'ready');
  } },
  { name: 'the embed page', path: 'embed.html', ready: widgetReady, embedded: true },
  { name: 'a page with the widget', path: 'a11y-widget.html', html: WIDGET_PAGE, ready: widgetReady, embedded: true },
];

const { url, browser, stop } = await startChromium();
after(stop);

async function open(t, entry, colorScheme) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  if (entry.html) await page.route(`${url}${entry.path}`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: entry.html }));
  await page.goto(`${url}${entry.path}`);
  await entry.start?.(page);
  await page.waitForFunction(entry.ready, null, { timeout: 30000 });
  return { page, problems };
}

const describe = (violations) => violations.map((v) =>
  `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 6).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 3).join(' ')}`).join('\n')}`,
).join('\n');

for (const entry of PAGES) {
  for (const scheme of SCHEMES) {
    test(`${entry.name} in the ${scheme} scheme: no serious or critical WCAG 2.1 AA violation`, async (t) => {
      const { page, problems } = await open(t, entry, scheme);
      const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      t.diagnostic(`${result.passes.length} rules passed, ${result.violations.length} violated (${result.violations.map((v) => `${v.id}:${v.impact}`).join(', ') || 'none'})`);
      assert.equal(bad.length, 0, `\n${describe(bad)}`);
      assert.deepEqual(problems, []);
    });
  }

  test(`${entry.name}: landmarks and headings in order`, async (t) => {
    const { page } = await open(t, entry, 'light');
    // A page holding only the widget (the embed page) is the widget's host's business: it needs no h1.
    const rules = entry.embedded && !entry.html ? STRUCTURE.filter((r) => r !== 'page-has-heading-one') : STRUCTURE;
    const result = await new AxeBuilder({ page }).withRules(rules).analyze();
    assert.equal(result.violations.length, 0, `\n${describe(result.violations)}`);
  });

  test(`${entry.name}: every canvas says what it shows`, async (t) => {
    const { page } = await open(t, entry, 'light');
    const canvases = await page.evaluate(() => {
      const all = [];
      const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.tagName === 'CANVAS') all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      const nameOf = (el) => {
        const root = el.getRootNode();
        const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
        const labelled = ids.map((id) => root.getElementById(id)?.textContent.trim() ?? '').join(' ').trim();
        return labelled || el.getAttribute('aria-label')?.trim() || '';
      };
      const describedBy = (el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
        .map((id) => el.getRootNode().getElementById(id)?.textContent.trim() ?? '').join(' ').trim();
      // Canvases nobody can see (a hidden tab, three.js not opened) are left out; so are pure decoration.
      return all.filter((el) => el.getAttribute('aria-hidden') !== 'true' && el.getClientRects().length > 0)
        .map((el) => ({ id: el.id || el.className, role: el.getAttribute('role'), name: nameOf(el), description: describedBy(el) }));
    });
    assert.ok(canvases.length > 0, 'the page has canvases');
    for (const c of canvases) {
      assert.ok(c.role === 'img' || c.role === 'application' || c.role === null, `${c.id}: role ${c.role}`);
      assert.ok(c.name.length >= 10, `${c.id}: a text alternative (got "${c.name}")`);
      // What it shows, not only how to use it: the description names the data drawn.
      assert.ok(c.description.length >= 10, `${c.id}: a description of what is drawn (got "${c.description}")`);
    }
  });

  test(`${entry.name}: keyboard focus is visible`, async (t) => {
    const { page } = await open(t, entry, 'light');
    const seen = [];
    for (let i = 0; i < 8; ++i) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        let el = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { tag: el.tagName, id: el.id, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1, shadow: style.boxShadow !== 'none' };
      });
      if (focus) seen.push(focus);
    }
    assert.ok(seen.length >= 4, `focus moved through the page (${seen.length} stops)`);
    for (const f of seen) assert.ok(f.outline || f.shadow, `${f.tag}#${f.id}: focus is visible`);
  });
}
