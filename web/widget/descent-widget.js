// <descent-widget>: the Descent app as a custom element for course notes.
// Each widget runs its own app (own session, state, views) in its own shadow
// root; all widgets on a page share one WASM module (engine.js) and one
// adopted style sheet. Attributes are listed in attributes.js.
//
// API (call after `await widget.ready`; until then actions are queued and
// getState() returns null):
//   play(), pause(), step(n = 1), reset()
//   getState()          the state as a plain object (what a link holds)
//   setState(patch)     merges and applies; returns null or the reason it was
//                       refused (also shown in the widget); never throws (the
//                       `locked` attribute binds the reader, not this call)
//   setSetting(i, key, value)  one hyperparameter of optimizer i (from 0) set in
//                       its spec, the rest and its schedule kept; as setState
//   describe()          one sentence on what the figure shows at the step shown
//                       (each visible run's loss, distance to the nearest known
//                       minimum, or where it diverged): for live regions
//   exportPng() -> Promise<Blob>, exportCsv() -> string,
//   exportWebm({ onProgress, signal }) -> Promise<Blob>
//   ready               a Promise of the widget once it runs (rejects if it cannot start;
//                       with loading="lazy", once it came near the screen and started)
// Events (CustomEvent, bubbling): 'step' { step }, 'diverged' { index, label,
//   spec, step }, 'statechange' { state } (any setting, not the step).
//
// Nothing a page or its author does to the attributes throws: a bad value is
// reported inside the widget (a notice) and its default is kept.

import { widgetCss, fontFaceCss } from './assets.js';
import { ATTRIBUTES, parseAttributes } from './attributes.js';
import { appMarkup } from '../markup.js';
import { loadEngine } from '../engine.js';
import { startApp } from '../app.js';
import { withSetting } from '../format.js';
import { watchNearScreen } from '../tasks.js';

let sharedSheet = null;
// One constructed style sheet for every widget's shadow root.
function styleSheet() {
  sharedSheet ??= widgetCss().then((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    return sheet;
  });
  sharedSheet.catch(() => { sharedSheet = null; });
  return sharedSheet;
}

let fontsInstalled = null;
// KaTeX's @font-face rules go into the document once (ignored inside shadow roots).
function installFonts() {
  // A constructed sheet, not a <style> element: a page whose Content-Security-Policy
  // refuses inline styles still gets the fonts.
  fontsInstalled ??= fontFaceCss().then((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }).catch(() => {}); // without the fonts KaTeX falls back to the system's; not worth failing for
  return fontsInstalled;
}

// A widget is one figure in someone else's page: it adds no landmarks to it (a
// page of twelve widgets would have twelve <main>s and twelve "Optimizers"
// regions). Its <main> and labelled <section>s become <div>s; the labelled
// ones become labelled groups, so a screen reader still names them.
function withoutLandmarks(app) {
  for (const element of app.querySelectorAll('main, section')) {
    const div = document.createElement('div');
    for (const { name, value } of element.attributes) div.setAttribute(name, value);
    if (div.hasAttribute('aria-labelledby') || div.hasAttribute('aria-label')) div.setAttribute('role', 'group');
    div.append(...element.childNodes);
    element.replaceWith(div);
  }
  return app;
}

const LAYOUT_ATTRIBUTES = ['controls', 'height', 'theme'];
const STATE_ATTRIBUTES = ATTRIBUTES.filter((name) => !LAYOUT_ATTRIBUTES.includes(name) && !['autoplay', 'locked', 'loading'].includes(name));
// How near the screen a loading="lazy" widget starts: within a screen's height of it.
const LAZY_SCREENS = 1;

/**
 * Resolves once `element` is within LAZY_SCREENS of the viewport, or at once
 * when `lazy` is false, when there is no IntersectionObserver, or when
 * `wake()` (the second value returned) is called (loading turned eager).
 */
function whenNear(element, lazy) {
  if (!lazy) return [Promise.resolve(), () => {}];
  let wake;
  const near = new Promise((resolve) => { wake = resolve; });
  const watch = watchNearScreen(element, () => wake(), LAZY_SCREENS);
  return [near.finally(() => watch.stop()), () => wake()];
}
// What a lazy widget shows until it comes near the screen: the app's loading look.
function waitingNote() {
  const note = document.createElement('div');
  note.className = 'loading widget-waiting';
  note.dataset.testid = 'loading';
  const spinner = document.createElement('span');
  spinner.className = 'spinner';
  spinner.setAttribute('aria-hidden', 'true');
  const text = document.createElement('span');
  text.textContent = 'Loading the figure…';
  note.append(spinner, text);
  return note;
}
const reducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

export class DescentWidget extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #api = null;
  #engine = null;
  #app = null;
  #started = false;
  #wake = () => {}; // starts a lazy widget still waiting for the screen
  #resolveReady;
  #rejectReady;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.#newReady();
  }

  #newReady() {
    this.ready = new Promise((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    this.ready.catch(() => {}); // a page that never awaits it must not see an unhandled rejection
  }

  connectedCallback() {
    if (this.#started) return;
    if (this.#app) this.#newReady(); // added back after being removed: a fresh start
    this.#started = true;
    this.dataset.state = 'loading';
    this.#start();
  }

  // A widget moved elsewhere in the page is connected again at once and keeps
  // running; one really removed frees its session (and starts afresh if added back).
  disconnectedCallback() {
    this.#api?.pause();
    setTimeout(() => {
      if (this.isConnected || !this.#api) return;
      this.#api.dispose();
      this.#api = null;
      this.#started = false;
    });
  }

  attributeChangedCallback(name, before, after) {
    if (name === 'loading' && after?.trim() !== 'lazy') this.#wake();
    if (!this.#api || before === after) return;
    if (name === 'locked') {
      const { locked, problems } = parseAttributes((n) => (n === name ? after : null));
      this.#showProblems(problems);
      this.#api.setLocked(locked);
    } else if (LAYOUT_ATTRIBUTES.includes(name)) {
      this.#showProblems(this.#applyLayout());
      if (name === 'theme') this.#api.retheme();
    } else if (STATE_ATTRIBUTES.includes(name)) {
      const { patch, problems } = parseAttributes((n) => (n === name ? after : null));
      problems.push(...this.#checkMeaning(patch));
      this.#showProblems(problems);
      if (Object.keys(patch).length > 0) this.#api.setState(patch);
    }
  }

  async #start() {
    try {
      this.shadowRoot.adoptedStyleSheets = [await styleSheet()];
      installFonts();
      // loading="lazy": only a loading note (data-state="loading") until the
      // widget comes near the screen; then the app's markup, the engine, the
      // session, the heat map, the chart and the maths. Even far from the
      // screen, inside a skipped content-visibility: auto chapter, a dozen
      // figures' markup cost the lessons page a cascade of whole-page layouts.
      const lazy = this.getAttribute('loading')?.trim() === 'lazy';
      if (lazy) this.shadowRoot.replaceChildren(waitingNote());
      const [near, wake] = whenNear(this, lazy);
      this.#wake = wake;
      await near;
      this.#wake = () => {};
      this.#app = withoutLandmarks(appMarkup({ fatal: true }));
      this.shadowRoot.replaceChildren(this.#app);
      const layoutProblems = this.#applyLayout();
      this.#engine = await loadEngine();
      const { patch, problems, autoplay, locked } = parseAttributes((name) => this.getAttribute(name));
      problems.push(...this.#checkMeaning(patch), ...layoutProblems);
      this.#api = await startApp(this.shadowRoot, {
        engine: this.#engine,
        host: this,
        hash: false,
        initial: patch,
        locked,
        emit: (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true })),
        embedUrl: new URL('../embed.html', import.meta.url).href,
      });
      this.#showProblems(problems);
      // Reduced motion: no autoplay (play then jumps to the last frame, see app.js).
      if (autoplay && !reducedMotion()) this.#api.play();
      this.#resolveReady(this);
    } catch (error) {
      this.#fail(error);
    }
  }

  // The module's checks of what only it can judge: the surface or formula and each spec.
  #checkMeaning(patch) {
    const problems = [];
    if (!this.#engine) return problems;
    if (patch.surface) {
      try {
        const info = this.#engine.surfaceInfo(patch.surface);
        if (!patch.start && this.#api) patch.start = info.start;
      } catch (error) {
        problems.push(`${patch.surface.startsWith('expr:') ? 'formula' : 'surface'}: ${error.message}`);
        delete patch.surface;
      }
    }
    if (patch.instances) {
      patch.instances = patch.instances.filter((instance) => {
        try {
          this.#engine.validateSpec(instance.spec);
          return true;
        } catch (error) {
          problems.push(`optimizers: ${error.message}`);
          return false;
        }
      });
    }
    return problems;
  }

  #applyLayout() {
    const { controls, height, problems } = parseAttributes((name) =>
      (LAYOUT_ATTRIBUTES.includes(name) ? this.getAttribute(name) : null));
    this.#app.dataset.controls = controls;
    if (height) this.#app.style.setProperty('--widget-height', height);
    else this.#app.style.removeProperty('--widget-height');
    return problems;
  }

  #showProblems(problems) {
    for (const problem of problems) {
      this.#api?.notices.show(`<descent-widget> ${problem}; the default is used instead.`, 'warning');
    }
  }

  #fail(error) {
    this.dataset.state = 'error';
    const box = this.shadowRoot.getElementById('fatal') ?? this.shadowRoot.appendChild(document.createElement('div'));
    const title = document.createElement('p');
    title.className = 'fatal-title';
    title.textContent = 'The optimizer engine could not be started.';
    const detail = document.createElement('p');
    detail.className = 'fatal-detail';
    detail.textContent = String(error?.message ?? error);
    box.replaceChildren(title, detail);
    box.hidden = false;
    box.setAttribute('role', 'alert');
    this.#rejectReady(error);
  }

  // --- the API ------------------------------------------------------------------
  #act(action) {
    if (this.#api) return action(this.#api);
    this.ready.then(() => this.#api && action(this.#api), () => {});
    return undefined;
  }

  play() { this.#act((api) => api.play()); }
  pause() { this.#act((api) => api.pause()); }
  step(n = 1) { this.#act((api) => api.step(n)); }
  reset() { this.#act((api) => api.reset()); }
  getState() { return this.#api ? this.#api.getState() : null; }
  setState(patch) { return this.#act((api) => api.setState(patch)) ?? null; }
  setSetting(i, key, value) {
    return this.#act((api) => {
      const { instances } = api.getState();
      if (!Number.isInteger(i) || !instances[i]) {
        const reason = `there is no optimizer ${String(i).slice(0, 20)} (this figure has ${instances.length}, counted from 0)`;
        api.notices.show(`setSetting was refused (${reason}); nothing changed.`, 'warning');
        return reason;
      }
      return api.setState({ instances: instances.map((o, j) => (j === i ? { ...o, spec: withSetting(o.spec, key, value) } : o)) });
    }) ?? null;
  }
  exportPng() { return this.ready.then(() => this.#running().exportPng()); }
  exportCsv() { return this.#api ? this.#api.exportCsv() : null; }
  describe() { return this.#api ? this.#api.describe() : ''; }
  exportWebm(options) { return this.ready.then(() => this.#running().exportWebm(options)); }

  #running() {
    if (!this.#api) throw new Error('this <descent-widget> is not on the page');
    return this.#api;
  }
}

if (!customElements.get('descent-widget')) customElements.define('descent-widget', DescentWidget);
