// The app's markup, one source for the page (index.html mounts it in the
// document) and for <descent-widget> (mounts it in its shadow root). It is a
// constant: no user text ever goes through this template; the views fill in
// names, numbers and messages as text nodes.
//
// Parts are tagged for the widget's `controls` attribute: `only-controls`
// (hidden with controls="none"), `only-full` (hidden unless controls="full"),
// `page-only` (the page's, not the widget's: a link to the page itself).

import { LIMITS, FIELDS } from './state-schema.js';
import { formatCount } from './format.js';

// The widget's own fatal box (the page has a static one: it must show even if this module fails to load).
const FATAL_BOX = '<div class="app-fatal fatal" id="fatal" role="alert" data-testid="fatal" hidden></div>';

const MARKUP = `
    <div id="notices" class="notices" data-testid="notices" aria-live="polite"></div>

    <div class="toolbar card only-controls" role="group" aria-label="Controls">
      <div class="toolbar-group">
        <button id="play" class="button button-primary" type="button" data-testid="play" disabled>
          <svg class="icon icon-play" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5v11l9-5.5z"/></svg>
          <svg class="icon icon-pause" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 2.5h3v11H4zM9 2.5h3v11H9z"/></svg>
          <span class="button-label">Play</span>
        </button>
        <button id="step-back" class="button button-icon" type="button" data-testid="step-back" title="One step back (← key)" aria-label="Back" disabled>
          <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M13 2.5v11l-7-5.5zM5 2.5H2.5v11H5z"/></svg>
        </button>
        <button id="step" class="button" type="button" data-testid="step" title="One step (→ key)" disabled>
          <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 2.5v11l7-5.5zM11 2.5h2.5v11H11z"/></svg>
          <span class="button-label">Step</span>
        </button>
        <button id="reset" class="button" type="button" data-testid="reset" title="Back to step 0 (R key)" disabled>
          <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.4.5A4 4 0 1 0 8 4v2L4.8 3.2 8 .5z"/></svg>
          <span class="button-label">Reset</span>
        </button>
      </div>
      <p class="step-counter" data-testid="step-counter">
        <span class="step-counter-label">Step</span>
        <output id="steps" for="play step reset">0</output><span class="step-counter-budget"> / <span id="budget">${formatCount(LIMITS.STEP_BUDGET)}</span></span>
      </p>
      <label class="timeline">
        <span class="visually-hidden">Timeline: the step shown</span>
        <input id="scrubber" type="range" min="0" max="${LIMITS.STEP_BUDGET}" step="1" value="0" data-testid="scrubber" disabled>
      </label>
      <progress id="compute-progress" class="compute-progress" max="1" value="0" data-testid="compute-progress" aria-label="Computing the steps up to the one chosen" hidden></progress>
      <div class="toolbar-group toolbar-fields only-full">
        <label class="field">
          <span class="field-label">Surface</span>
          <select id="surface" data-testid="surface-select" disabled><option>Loading…</option></select>
        </label>
        <label class="field">
          <span class="field-label">Steps / frame</span>
          <select id="speed" data-testid="speed-select" disabled></select>
        </label>
        <label class="field">
          <span class="field-label">Step budget</span>
          <input id="budget-field" class="input input-narrow" type="text" inputmode="numeric" value="${LIMITS.STEP_BUDGET}" data-testid="budget-field" aria-describedby="budget-error" disabled>
        </label>
      </div>
      <div class="toolbar-group toolbar-menus">
        <details class="menu" data-testid="export-menu">
          <summary class="button">Export</summary>
          <div class="menu-list" role="group" aria-label="Export">
            <button id="export-png" class="menu-item" type="button" data-testid="export-png">Picture of the map (PNG)</button>
            <button id="export-csv" class="menu-item" type="button" data-testid="export-csv">Trajectories and state per step (CSV)</button>
            <button id="export-webm" class="menu-item" type="button" data-testid="export-webm">Animation from step 0 (WebM video)</button>
          </div>
        </details>
        <details class="menu" data-testid="share-menu">
          <summary class="button">Share</summary>
          <div class="menu-list" role="group" aria-label="Share">
            <button id="copy-link" class="menu-item page-only" type="button" data-testid="copy-link">Copy link</button>
            <button id="copy-iframe" class="menu-item page-only" type="button" data-testid="copy-iframe">Copy embed snippet (iframe)</button>
            <button id="copy-element" class="menu-item" type="button" data-testid="copy-element">Copy embed snippet (&lt;descent-widget&gt;)</button>
          </div>
        </details>
        <span id="copy-status" class="copy-status" role="status" data-testid="copy-status"></span>
        <progress id="export-progress" class="export-progress" max="1" value="0" data-testid="export-progress" hidden></progress>
      </div>
      <p id="budget-error" class="param-error" role="alert" hidden></p>
    </div>

    <div id="layout" class="layout">
      <section class="card stage" aria-labelledby="stage-title">
        <h2 id="stage-title" class="visually-hidden">Cost surface</h2>
        <div class="view-tools" role="toolbar" aria-label="Surface view">
          <div class="tabs only-full" role="tablist" aria-label="Surface view">
            <button id="tab-2d" class="tab" type="button" role="tab" aria-selected="true" aria-controls="surface-panel-2d" data-testid="tab-2d">Map</button>
            <button id="tab-3d" class="tab" type="button" role="tab" aria-selected="false" aria-controls="surface-panel-3d" data-testid="tab-3d" tabindex="-1">3D</button>
          </div>
          <div class="view-zoom" data-testid="zoom-tools">
            <button id="zoom-out" class="button button-icon button-small" type="button" data-testid="zoom-out" title="Zoom out (− key)" aria-label="Zoom out">
              <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 7h10v2H3z"/></svg>
            </button>
            <button id="zoom-in" class="button button-icon button-small" type="button" data-testid="zoom-in" title="Zoom in (+ key)" aria-label="Zoom in">
              <svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M7 3h2v4h4v2H9v4H7V9H3V7h4z"/></svg>
            </button>
            <button id="zoom-reset" class="button button-small" type="button" data-testid="zoom-reset" title="Reset the view: back to the surface&#39;s own box (0 key)">Full view</button>
          </div>
          <fieldset class="arrow-toggles only-full" data-testid="arrow-toggles">
            <legend class="visually-hidden">Arrows at each current point</legend>
            <span class="arrow-toggles-label" aria-hidden="true">Arrows</span>
            <label class="arrow-toggle" title="The downhill direction −∇f at the current point (fixed length)">
              <input type="checkbox" value="g" data-testid="arrow-g">
              <svg class="arrow-key" viewBox="0 0 28 10" aria-hidden="true"><path class="arrow-key-dashed" d="M1 5h18"/><path d="M19 1.5 26 5l-7 3.5z"/></svg>
              <span>−gradient</span>
            </label>
            <label class="arrow-toggle" title="The next update θₜ₊₁ − θₜ, to scale">
              <input type="checkbox" value="u" data-testid="arrow-u">
              <svg class="arrow-key" viewBox="0 0 28 10" aria-hidden="true"><path class="arrow-key-solid" d="M1 5h18"/><path d="M19 1.5 26 5l-7 3.5z"/></svg>
              <span>update</span>
            </label>
            <label class="arrow-toggle" title="The momentum (first-moment) buffer, negated, scaled against the gradient arrow; methods without one show none">
              <input type="checkbox" value="m" data-testid="arrow-m">
              <svg class="arrow-key" viewBox="0 0 28 10" aria-hidden="true"><path class="arrow-key-dotted" d="M1 5h24"/><path class="arrow-key-open" d="M20 1.5 26 5l-6 3.5"/></svg>
              <span>momentum</span>
            </label>
          </fieldset>
        </div>
        <div id="surface-panel-3d" class="surface-3d" role="tabpanel" aria-labelledby="tab-3d" data-testid="surface-3d" hidden></div>
        <div id="surface-panel-2d" class="canvas-frame" role="tabpanel" aria-labelledby="tab-2d">
          <canvas id="surface-canvas" class="surface-canvas" data-testid="surface-canvas" tabindex="0"
                  aria-label="Cost surface. Click to start the optimizers there; drag the start marker (or shift-drag) to move it; drag elsewhere to pan, wheel to zoom; arrow keys move the start, Enter runs, plus and minus zoom, 0 resets the view."
                  aria-describedby="surface-summary surface-note">
            A heat map of the cost surface with the optimizers' paths.
          </canvas>
          <div id="loading" class="loading" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            <span>Loading the optimizer engine…</span>
          </div>
        </div>
        <p id="surface-summary" class="visually-hidden" data-testid="surface-summary"></p>
        <p id="readout" class="readout" data-testid="readout">Click: start there · drag the start marker: move it · drag: pan · wheel: zoom</p>
        <div class="surface-info only-controls">
          <p class="surface-formula"><span id="surface-name" class="surface-name"></span> <code id="surface-formula" data-testid="surface-formula"></code></p>
          <p id="surface-note" class="surface-note"></p>
        </div>
        <div class="surface-tools only-full">
          <div class="formula-field">
            <label class="field-label" for="formula">Your formula f(x, y)</label>
            <div class="formula-row">
              <div class="formula-box">
                <div id="formula-mirror" class="formula-mirror" aria-hidden="true"></div>
                <input id="formula" class="formula-input" type="text" spellcheck="false" autocomplete="off"
                       placeholder="e.g. x^2 + 10*y^2" maxlength="${LIMITS.MAX_FORMULA}" data-testid="formula-input"
                       aria-describedby="formula-message">
              </div>
              <select id="formula-examples" class="formula-examples" aria-label="Example formulas" data-testid="formula-examples"></select>
            </div>
            <p id="formula-message" class="formula-message" data-testid="formula-error" aria-live="polite">Numbers, x, y, + − * / ^, pi, e, sin cos tan exp log sqrt abs min max pow hypot…</p>
          </div>
          <fieldset class="noise">
            <legend class="field-label">Gradient noise (the same for every optimizer)</legend>
            <label class="noise-field"><span>scale</span>
              <input id="noise-scale" class="input input-narrow" type="text" inputmode="decimal" value="${FIELDS.noise.default.scale}" data-testid="noise-scale" aria-describedby="noise-error"></label>
            <label class="noise-field"><span>seed</span>
              <input id="noise-seed" class="input input-narrow" type="text" inputmode="numeric" value="${FIELDS.noise.default.seed}" data-testid="noise-seed" aria-describedby="noise-error"></label>
            <button id="noise-reseed" class="button button-small" type="button">New seed</button>
            <p id="noise-error" class="param-error" role="alert" data-testid="noise-error" hidden></p>
          </fieldset>
        </div>
      </section>

      <div class="side">
        <section class="card" aria-labelledby="legend-title">
          <h2 id="legend-title" class="card-title">Optimizers</h2>
          <ol id="legend" class="legend" data-testid="legend"></ol>
          <div class="panel-actions only-full">
            <label class="visually-hidden" for="add-optimizer">Optimizer to add</label>
            <select id="add-optimizer" data-testid="add-select"></select>
            <button id="add-button" class="button button-small" type="button" data-testid="add-button">Add</button>
            <label class="visually-hidden" for="presets">Presets</label>
            <select id="presets" data-testid="presets"></select>
            <button id="tune-each" class="button button-small" type="button" data-testid="tune-each"
              title="Sweep every optimizer's learning rate on this surface, start and budget, and keep each one's best">Tune each</button>
          </div>
        </section>
        <section class="card chart-card only-controls" aria-labelledby="chart-title">
          <div class="chart-head">
            <h2 id="chart-title" class="card-title">Per step <span class="card-title-note">log scale</span></h2>
            <label class="visually-hidden" for="chart-select">Chart</label>
            <select id="chart-select" class="chart-select" data-testid="chart-select">
              <option value="loss">Loss</option>
              <option value="distance">Distance to the nearest minimum</option>
              <option value="step">Step length |θₜ − θₜ₋₁|</option>
              <option value="lr">Effective learning rate |Δθᵢ / gᵢ|</option>
              <option value="rate">Learning rate ηₜ (the schedule)</option>
            </select>
          </div>
          <div class="chart-frame">
            <canvas id="loss-chart" data-testid="loss-chart" role="img" aria-label="The chosen quantity against step for each optimizer, log scale" aria-describedby="chart-summary" title="Hover a step to mark it on the surface"></canvas>
            <p id="chart-summary" class="visually-hidden" data-testid="chart-summary"></p>
          </div>
        </section>
        <section class="card eq-card only-full" aria-labelledby="eq-heading">
          <h2 id="eq-heading" class="card-title">Update rule <span id="eq-title" class="card-title-note" data-testid="eq-title"></span></h2>
          <div id="eq-rule" class="eq-rule" data-testid="eq-rule"></div>
          <div id="eq-numbers" class="eq-numbers" data-testid="eq-numbers" aria-live="off" tabindex="0" role="region" aria-label="The numbers of the step shown"></div>
          <p class="eq-note">Common errata in write-ups: an Adam that computes the bias-corrected m̂, v̂ but then steps with the raw m and v; an RMSProp that writes s = βv + (1−β)g², reusing the momentum buffer’s name, which degenerates into sign descent or goes negative.</p>
        </section>
      </div>
    </div>
    <p class="module-line"><span id="module-name" data-testid="module-name"></span></p>
`;

/**
 * The app's markup as HTML text, in its `<div class="app">`; `fatal` adds the
 * app's own fatal box (the widget's). The site build writes it into index.html,
 * so the page lays out and paints the app before any script runs.
 */
export function appMarkupHtml({ fatal = false } = {}) {
  return `<div class="app">${fatal ? FATAL_BOX : ''}${MARKUP}</div>`;
}

const templates = new Map();

/** A fresh copy of the app's markup (appMarkupHtml's) as an element. */
export function appMarkup({ fatal = false } = {}) {
  if (!templates.has(fatal)) {
    const template = document.createElement('template');
    template.innerHTML = appMarkupHtml({ fatal }); // a constant (see above)
    templates.set(fatal, template);
  }
  return templates.get(fatal).content.firstElementChild.cloneNode(true);
}
