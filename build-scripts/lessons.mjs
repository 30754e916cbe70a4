// Builds a lessons page from Markdown: prose and KaTeX maths (markdown-it with
// @vscode/markdown-it-katex, rendered at build time by the KaTeX the page uses),
// live <descent-widget> figures, predict-then-reveal questions and "try this"
// buttons. The lessons page of the site is web/lessons/*.md built into
// web/lessons.html (lib.sh's build_lessons; generated, not committed).
//
//   node build-scripts/lessons.mjs [--out FILE] [--package DIR] FILE.md [FILE.md ...]
//
// With no files: web/lessons/[0-9]*.md -> web/lessons.html. The files are read
// in the order given and make one page. --package DIR writes a page that loads
// the widget package (dist/descent-widget/, unzipped next to the page as DIR)
// instead of the repository's web/ modules.
//
// The Markdown (CommonMark plus the blocks below; the full guide for lecturers
// is in build-scripts/package/README.md, "Lessons"):
//
//   # Page title                      the first level-1 heading: <title> and <h1>
//   ## Chapter title {#chapter-id}    each level-2 heading opens a <section id=...>
//   $x^2$, $$\frac{a}{b}$$            maths, KaTeX
//   ```widget                         a live figure: one `key: value` per line
//   id: momentum-valley               the figure's id (for links and the tests)
//   surface: quadratic:kappa=20       any <descent-widget> attribute (web/widget/attributes.js),
//   optimizers: sgd:lr=0.05 | SGD     checked here with the widget's own parser
//   lineup: rosenbrock                the classics tuned for a surface (web/presets.js)
//   caption: What to look at.         the figure's text alternative, shown under it (Markdown)
//   try: Raise the rate => 1.lr=0.1   a button: the label, then one change, either
//   try: Add noise => noise-scale=1   N.key=value (a setting of optimizer N, from 1)
//   ```                               or attribute=value
//   ::: predict Which path ...?       a question; the answer inside, revealed on request
//   The answer.
//   :::
//
// A bad block stops the build with the file and line; nothing is written.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import MarkdownIt from 'markdown-it';
import container from 'markdown-it-container';
import mathPlugin from '@vscode/markdown-it-katex';
import katex from 'katex';
import { ATTRIBUTES, parseAttributes } from '../web/widget/attributes.js';
import { lineupFor } from '../web/presets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LESSONS_DIR = path.join(root, 'web/lessons');
export const DEFAULT_OUT = path.join(root, 'web/lessons.html');

// Keys of a widget block that are not widget attributes.
const BLOCK_KEYS = ['id', 'caption', 'try', 'lineup'];
// What a figure gets unless its block says otherwise.
// loading="lazy": a figure starts when it comes near the screen, so opening the
// page does not start a dozen engines, heat maps, charts and update rules at once.
const FIGURE_DEFAULTS = { controls: 'minimal', height: '340', loading: 'lazy' };

const escape = (text) => String(text)
  .replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slug = (text) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

class LessonError extends Error {}

/** The widget block's lines as { attributes, id, caption, tries }; throws LessonError. */
function parseWidgetBlock(text, where) {
  const attributes = {};
  const tries = [];
  let id = '';
  let caption = '';
  text.split('\n').forEach((line, i) => {
    const at = `${where.file}:${where.line + 2 + i}`;
    if (!line.trim() || line.trim().startsWith('#')) return;
    const match = /^\s*([a-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!match) throw new LessonError(`${at}: expected "key: value" in a widget block, got ${JSON.stringify(line)}`);
    const [, key, value] = match;
    if (key === 'id') id = value.trim();
    else if (key === 'caption') caption += (caption ? ' ' : '') + value.trim();
    else if (key === 'lineup') attributes.optimizers = lineupFor(value.trim()).join('; ');
    else if (key === 'try') {
      const arrow = value.indexOf('=>');
      const label = value.slice(0, arrow).trim();
      const change = value.slice(arrow + 2).trim();
      const parsed = /^(\d+)\.([a-z0-9_]+)=([-+0-9.eE]+)$/.exec(change) ?? /^([a-z-]+)=(.*)$/.exec(change);
      if (arrow < 0 || !label || !parsed) {
        throw new LessonError(`${at}: try is "label => N.key=value" or "label => attribute=value", got ${JSON.stringify(value)}`);
      }
      if (parsed.length === 4) tries.push({ label, instance: Number(parsed[1]), key: parsed[2], value: parsed[3] });
      else {
        if (!ATTRIBUTES.includes(parsed[1])) throw new LessonError(`${at}: try changes "${parsed[1]}", which is not a widget attribute`);
        const { problems } = parseAttributes((name) => (name === parsed[1] ? parsed[2] : null));
        if (problems.length) throw new LessonError(`${at}: ${problems.join('; ')}`);
        tries.push({ label, attribute: parsed[1], value: parsed[2] });
      }
    } else if (ATTRIBUTES.includes(key)) attributes[key] = value.trim();
    else throw new LessonError(`${at}: unknown key "${key}" (widget attributes: ${ATTRIBUTES.join(', ')}; and ${BLOCK_KEYS.join(', ')})`);
  });
  if (!id) throw new LessonError(`${where.file}:${where.line + 1}: a widget block needs an id`);
  if (!caption) throw new LessonError(`${where.file}:${where.line + 1}: widget "${id}" needs a caption (its text alternative)`);
  const all = { ...FIGURE_DEFAULTS, ...attributes };
  const { problems } = parseAttributes((name) => all[name] ?? null);
  if (problems.length) throw new LessonError(`${where.file}:${where.line + 1}: widget "${id}": ${problems.join('; ')}`);
  const count = (all.optimizers ?? '').split(';').filter((s) => s.trim()).length;
  for (const t of tries) {
    if (t.instance !== undefined && (t.instance < 1 || t.instance > count)) {
      throw new LessonError(`${where.file}:${where.line + 1}: widget "${id}": try "${t.label}" changes optimizer ${t.instance}, but the figure has ${count}`);
    }
  }
  return { attributes: all, id, caption, tries };
}

function markdown(file) {
  const md = new MarkdownIt({ html: false, typographer: true });
  md.use(mathPlugin.default ?? mathPlugin, { katex, throwOnError: true });

  // A level-2 heading "Title {#id}" opens a chapter: <section id> ... </section>.
  md.core.ruler.push('chapters', (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== 'heading_open' || tokens[i].tag !== 'h2') continue;
      const inline = tokens[i + 1];
      const match = /\s*\{#([a-z0-9-]+)\}\s*$/.exec(inline.content);
      const id = match ? match[1] : slug(inline.content);
      if (match) {
        inline.content = inline.content.slice(0, match.index);
        const last = inline.children[inline.children.length - 1];
        last.content = last.content.replace(/\s*\{#[a-z0-9-]+\}\s*$/, '');
      }
      tokens[i].meta = { chapter: id };
    }
  });
  const headingOpen = md.renderer.rules.heading_open ?? ((tokens, i, options, env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.heading_open = (tokens, i, options, env, self) => {
    const id = tokens[i].meta?.chapter;
    if (!id) return headingOpen(tokens, i, options, env, self);
    const close = env.inChapter ? '</section>\n' : '';
    env.inChapter = true;
    env.chapters.push(id);
    return `${close}<section class="chapter" id="${escape(id)}" aria-labelledby="${escape(id)}-title">\n<h2 id="${escape(id)}-title">`;
  };

  // ::: predict Question?  ...answer...  :::
  md.use(container, 'predict', {
    validate: (params) => /^predict\s+\S/.test(params.trim()),
    render(tokens, i, options, env) {
      if (tokens[i].nesting !== 1) return '</div></details>\n</div>\n';
      const question = tokens[i].info.trim().replace(/^predict\s+/, '');
      env.questions += 1;
      return `<div class="predict" data-testid="predict" role="group" aria-label="Predict, then reveal">\n` +
        `<p class="predict-question"><span class="predict-label">Predict</span> ${md.renderInline(question, env)}</p>\n` +
        '<details class="predict-answer"><summary>Reveal the answer</summary><div class="predict-body">\n';
    },
  });

  // ```widget ... ```: a live figure.
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, i, options, env, self) => {
    const token = tokens[i];
    if (token.info.trim() !== 'widget') return fence(tokens, i, options, env, self);
    const block = parseWidgetBlock(token.content, { file, line: token.map?.[0] ?? 0 });
    if (env.figures.has(block.id)) throw new LessonError(`${file}: two widgets are called "${block.id}"`);
    env.figures.add(block.id);
    const attrs = Object.entries(block.attributes).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
    const tries = block.tries.map((t) => {
      const data = t.attribute
        ? `data-attribute="${escape(t.attribute)}"`
        : `data-instance="${t.instance}" data-key="${escape(t.key)}"`;
      return `<button type="button" class="button button-small try-button" data-testid="try" ${data} data-value="${escape(t.value)}">${md.renderInline(t.label, env)}</button>`;
    }).join('\n');
    const tryBar = block.tries.length
      ? `<div class="try-this" role="group" aria-label="Try this">\n<span class="try-label">Try this:</span>\n${tries}\n` +
        '<button type="button" class="button button-small try-reset" data-testid="try-reset" disabled>Back to the figure as written</button>\n</div>\n'
      : '';
    const id = escape(block.id);
    return `<figure class="lesson-figure" id="${id}" data-testid="figure" aria-labelledby="${id}-caption">\n` +
      `<descent-widget${attrs}></descent-widget>\n` +
      `<figcaption id="${id}-caption" class="figure-caption">${md.renderInline(block.caption, env)}</figcaption>\n` +
      tryBar +
      `<p class="narration" data-testid="narration" aria-live="polite"></p>\n` +
      '</figure>\n';
  };
  return md;
}

/** Renders the Markdown files into one page's HTML. Throws LessonError on a bad block. */
export function renderLessons(files, { packageDir = null } = {}) {
  const env = { chapters: [], figures: new Set(), questions: 0, inChapter: false };
  let title = '';
  let body = '';
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const name = path.relative(root, file);
    const md = markdown(name);
    const tokens = md.parse(source, env);
    if (!title) {
      const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
      if (h1 >= 0) {
        title = tokens[h1 + 1].content;
        tokens.splice(h1, 3); // the title goes into the masthead
      }
    }
    body += md.renderer.render(tokens, md.options, env);
  }
  if (env.inChapter) body += '</section>\n';
  if (/class="katex-error"/.test(body)) {
    throw new LessonError(`KaTeX could not render: ${/title="([^"]*)"/.exec(body.slice(body.indexOf('katex-error')))?.[1]}`);
  }
  return { html: page({ title: title || 'Lessons', body, packageDir }), chapters: env.chapters, figures: [...env.figures], questions: env.questions };
}

// The page around the lessons: the site's masthead in the repository, a bare one with the package.
function page({ title, body, packageDir }) {
  const p = packageDir ? `${packageDir.replace(/\/$/, '')}/` : null;
  const head = p
    ? `<link rel="icon" href="data:,">
  <link rel="stylesheet" href="${escape(p)}katex.min.css">
  <link rel="stylesheet" href="${escape(p)}lessons.css">
  <script type="module" src="${escape(p)}descent-widget.js"></script>
  <script type="module" src="${escape(p)}lessons.js"></script>`
    : `<link rel="icon" href="./public/favicon.svg" type="image/svg+xml">
  <link rel="manifest" href="./manifest.webmanifest">
  <script src="./offline.js" defer></script>
  <link rel="stylesheet" href="./styles.css">
  <link rel="stylesheet" href="./vendor/katex/katex.min.css">
  <link rel="stylesheet" href="./lessons/lessons.css">
  <script src="./import-map.js"></script>
  <script type="module" src="./widget/descent-widget.js"></script>
  <script type="module" src="./lessons/lessons.js"></script>`;
  const nav = p ? '' : `
      <nav class="site-nav" aria-label="Pages"><a href="./index.html">The optimizer race</a> <a href="./explore.html">Explore many starts</a> <a href="./train.html">Train a model</a></nav>`;
  const brand = p ? '' : '<img class="brand-mark" src="./public/favicon.svg" alt="" width="28" height="28">\n        ';
  return `<!doctype html>
<!-- Generated by build-scripts/lessons.mjs from Markdown; edit the .md files, not this page. -->
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <title>${escape(title)}${p ? '' : ' · Descent'}</title>
  ${head}
</head>
<body class="lessons-page">
  <div class="page lessons">
    <header class="masthead">
      <h1 class="brand">
        ${brand}${escape(title)}
      </h1>${nav}
      <p class="narration-toggle"><label><input type="checkbox" id="narrate" data-testid="narrate" checked>
        Narrate the figures as they run (read out by screen readers)</label></p>
    </header>
    <main class="lessons-body">
${body}    </main>
  </div>
</body>
</html>
`;
}

/** Builds `files` into `out` (written only when the build succeeds). */
export function buildLessons({ files = defaultFiles(), out = DEFAULT_OUT, packageDir = null } = {}) {
  const result = renderLessons(files, { packageDir });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(`${out}.partial`, result.html);
  fs.renameSync(`${out}.partial`, out);
  return { ...result, out };
}

export function defaultFiles() {
  return fs.readdirSync(LESSONS_DIR).filter((f) => /^\d.*\.md$/.test(f)).sort().map((f) => path.join(LESSONS_DIR, f));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, package: { type: 'string' } },
  });
  try {
    const files = positionals.length ? positionals.map((f) => path.resolve(f)) : defaultFiles();
    const out = values.out ? path.resolve(values.out) : positionals.length ? null : DEFAULT_OUT;
    if (!out) throw new LessonError('--out FILE is needed when Markdown files are given');
    const { chapters, figures, questions } = buildLessons({ files, out, packageDir: values.package ?? null });
    console.log(`lessons: ${path.relative(process.cwd(), out)}: ${chapters.length} chapters, ${figures.length} figures, ${questions} questions`);
  } catch (error) {
    console.error(`lessons: ${error instanceof LessonError || error.code === 'ENOENT' ? error.message : error.stack}`);
    process.exit(1);
  }
}
