// The 3D view: the cost surface over the current view box as a height-mapped
// mesh (the heat map's log scale for height and its colour ramp for colour),
// the paths as lines lying on it and the current points as spheres; orbit
// with the mouse (three.js OrbitControls). three.js is imported when the tab is
// first opened; `close()` disposes every geometry, material, the renderer and
// the controls, so a closed tab holds no GPU memory. Without WebGL it shows a
// message instead (container[data-status] = 'drawn' | 'no-webgl' | 'error').
//
// The paths grow in place: each run's line keeps a preallocated position
// buffer (doubled when full) drawn up to its point count (setDrawRange), and a
// frame reads only the rows added since the last one, so a frame's work is
// proportional to the new steps, never to the steps taken. A row is kept as a
// point only POINT_SPACING or more from the point before (the latest row is
// always drawn), so the vertices the GPU draws grow with the path's length,
// not its steps. A restart (another first row, or a changed row already read)
// rebuilds that line, and so does scrubbing back (O(rows shown), once).
//
// Like the other views it never imports the engine: `sample(bounds, w, h)` is
// injected, frames are plain data ({ key, bounds, runs: [{ colour, trajectory,
// divergedAt }] }, key changing whenever the surface or the view box does).

import { buildRamp, paintHeat, finiteRange } from './heatmap.js';

const GRID = 128; // vertices along the longer side
const HEIGHT = 0.7; // height of the highest point, the longer side being 2
const LIFT = 0.008; // paths float this much above the mesh
const FIRST_CAPACITY = 1024; // points a line's buffer holds at first (then doubled)
const HEAD_RADIUS = 0.025;
const POINT_SPACING = 0.003; // scene units (the longer side is 2): a row this close to the last point kept is left out...
const CELL = 0.005; // ...and so is one in a ground square of this side the line went through...
const REVISIT = 0.02; // ...unless it is this far from the last point kept

let threeModules = null; // the imports, shared by every opening
const loadThree = () => {
  threeModules ??= Promise.all([import('three'), import('three/addons/controls/OrbitControls.js')])
    .then(([THREE, { OrbitControls }]) => ({ THREE, OrbitControls }));
  return threeModules;
};

export function createSurface3d({ container, sample }) {
  let scene3d = null; // { THREE, renderer, scene, camera, controls, mesh, paths, heads, observer, map }
  let opening = null;
  let pending = null; // the last frame given, drawn once ready
  let theme = null;
  let meshKey = '';

  const message = (text, status) => {
    container.replaceChildren();
    const p = document.createElement('p');
    p.className = 'surface-3d-message';
    p.textContent = text;
    container.append(p);
    container.dataset.status = status;
  };

  async function open() {
    if (scene3d || opening) return opening;
    opening = (async () => {
      let modules;
      try {
        modules = await loadThree();
      } catch (error) {
        message(`The 3D view could not be loaded (${error.message}).`, 'error');
        return;
      }
      if (!container.isConnected || container.hidden) return; // closed meanwhile
      const { THREE, OrbitControls } = modules;
      let renderer;
      try {
        if (!hasWebGl()) throw new Error('no WebGL');
        renderer = new THREE.WebGLRenderer({ antialias: true });
      } catch {
        message('The 3D view needs WebGL, which this browser or device has turned off. The map view shows the same surface.', 'no-webgl');
        return;
      }
      renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
      container.replaceChildren(renderer.domElement);
      renderer.domElement.setAttribute('aria-label', 'The cost surface in 3D with the paths; drag to orbit, wheel to zoom');
      renderer.domElement.setAttribute('role', 'img');
      const scene = new THREE.Scene();
      const camera = new THREE.PerspectiveCamera(40, 1, 0.01, 100);
      camera.position.set(0, 2.5, 3.3);
      const controls = new OrbitControls(camera, renderer.domElement);
      controls.enableDamping = false;
      controls.target.set(0, HEIGHT / 3, 0);
      controls.update();
      scene.add(new THREE.HemisphereLight(0xffffff, 0x8090a0, 2.2));
      const sun = new THREE.DirectionalLight(0xffffff, 1.2);
      sun.position.set(1, 3, 2);
      scene.add(sun);
      const paths = new THREE.Group();
      const heads = new THREE.Group();
      scene.add(paths, heads);
      const draw = () => renderer.render(scene, camera);
      controls.addEventListener('change', draw);
      const observer = new ResizeObserver(() => {
        const { clientWidth: w, clientHeight: h } = container;
        if (!w || !h) return;
        renderer.setSize(w, h, false);
        camera.aspect = w / h;
        camera.updateProjectionMatrix();
        draw();
      });
      observer.observe(container);
      scene3d = { THREE, renderer, scene, camera, controls, paths, heads, observer, draw, mesh: null, map: null,
        lines: [], headGeometry: new THREE.SphereGeometry(HEAD_RADIUS, 16, 12), rowsRead: 0 };
      container.dataset.status = 'drawn';
      meshKey = '';
      if (pending) show(pending);
    })();
    await opening;
    opening = null;
    return undefined;
  }

  // The height of f: the heat map's log scale, 0..HEIGHT.
  function heightOf(map, v) {
    if (!Number.isFinite(v)) return HEIGHT;
    return HEIGHT * Math.min(1, Math.max(0, Math.log1p(Math.max(0, v - map.lo) / map.scale) / map.norm));
  }

  function buildMesh(bounds) {
    const { THREE, scene } = scene3d;
    if (scene3d.mesh) {
      scene.remove(scene3d.mesh);
      scene3d.mesh.geometry.dispose();
      scene3d.mesh.material.dispose();
    }
    const w = bounds.x_max - bounds.x_min;
    const h = bounds.y_max - bounds.y_min;
    const sx = w >= h ? 2 : (2 * w) / h;
    const sz = w >= h ? (2 * h) / w : 2;
    const nx = w >= h ? GRID : Math.max(8, Math.round((GRID * w) / h));
    const nz = w >= h ? Math.max(8, Math.round((GRID * h) / w)) : GRID;
    const values = sample(bounds, nx, nz);
    const [lo, hi] = finiteRange(values);
    const scale = Math.max((hi - lo) / 1000, Number.MIN_VALUE);
    const map = { bounds, sx, sz, lo: Number.isFinite(lo) ? lo : 0, scale, norm: Math.log1p((hi - lo) / scale) || 1 };
    const pixels = new Uint8ClampedArray(4 * values.length);
    paintHeat(values, pixels, buildRamp(theme.mapStops));
    const geometry = new THREE.PlaneGeometry(sx, sz, nx - 1, nz - 1);
    geometry.rotateX(-Math.PI / 2); // row 0 (the top of the map, y max) ends up at the back
    const position = geometry.attributes.position;
    const colours = new Float32Array(3 * values.length);
    const colour = new THREE.Color();
    for (let i = 0; i < values.length; ++i) {
      position.setY(i, heightOf(map, values[i]));
      colour.setRGB(pixels[4 * i] / 255, pixels[4 * i + 1] / 255, pixels[4 * i + 2] / 255, THREE.SRGBColorSpace);
      colours.set([colour.r, colour.g, colour.b], 3 * i);
    }
    geometry.setAttribute('color', new THREE.BufferAttribute(colours, 3));
    geometry.computeVertexNormals();
    const material = new THREE.MeshLambertMaterial({ vertexColors: true, side: THREE.DoubleSide });
    scene3d.mesh = new THREE.Mesh(geometry, material);
    scene.add(scene3d.mesh);
    scene3d.map = map;
  }

  // Surface coordinates (and f) -> scene coordinates; null outside the box.
  function toScene(map, x, y, f) {
    const { bounds: b } = map;
    if (!(x >= b.x_min && x <= b.x_max && y >= b.y_min && y <= b.y_max)) return null;
    return [
      ((x - b.x_min) / (b.x_max - b.x_min) - 0.5) * map.sx,
      heightOf(map, f) + LIFT,
      ((b.y_max - y) / (b.y_max - b.y_min) - 0.5) * map.sz,
    ];
  }

  function clearGroup(group) {
    for (const child of [...group.children]) {
      group.remove(child);
      if (child.geometry !== scene3d.headGeometry) child.geometry.dispose();
      child.material.dispose();
    }
  }

  // --- the paths: one growing line and one head sphere per run ---------------

  // A line's geometry with room for `capacity` points, the first `count` of `positions` copied in.
  function lineGeometry(capacity, positions, count) {
    const { THREE } = scene3d;
    const array = new Float32Array(3 * capacity);
    if (positions) array.set(positions.subarray(0, 3 * count));
    const attribute = new THREE.BufferAttribute(array, 3);
    attribute.setUsage(THREE.DynamicDrawUsage);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', attribute);
    geometry.setDrawRange(0, count);
    return geometry;
  }

  function newLine(run) {
    const { THREE, paths, heads } = scene3d;
    const colour = new THREE.Color(run.colour);
    const line = new THREE.Line(lineGeometry(FIRST_CAPACITY, null, 0), new THREE.LineBasicMaterial({ color: colour }));
    line.frustumCulled = false; // the bounding sphere would go stale as the line grows
    const head = new THREE.Mesh(scene3d.headGeometry, new THREE.MeshLambertMaterial({ color: colour }));
    head.visible = false;
    paths.add(line);
    heads.add(head);
    // kept: points kept; tail: the row read last is drawn after them (it is not kept); rowOf: each point's row.
    return { line, head, colour: run.colour, label: run.label, kept: 0, tail: false, consumed: 0, x0: NaN, y0: NaN,
      lastX: NaN, lastY: NaN, rowOf: new Uint32Array(FIRST_CAPACITY) };
  }

  // Whether line `p` was built from this run: same colour and label, the same
  // first row and the last row read unchanged (a restart changes them; as in
  // frame/path.js's pathFits, with NaN rows of a diverged run equal to themselves).
  function lineFits(p, run) {
    const t = run.trajectory;
    const rows = t.length / 3;
    if (p.colour !== run.colour || p.label !== run.label) return false;
    if (p.consumed > 0 && rows > 0 && !(Object.is(p.x0, t[0]) && Object.is(p.y0, t[1]))) return false;
    return !(p.consumed > 0 && p.consumed <= rows &&
      !(Object.is(t[3 * (p.consumed - 1)], p.lastX) && Object.is(t[3 * (p.consumed - 1) + 1], p.lastY)));
  }

  function dropLine(p) {
    const { paths, heads } = scene3d;
    paths.remove(p.line);
    heads.remove(p.head);
    p.line.geometry.dispose();
    p.line.material.dispose();
    p.head.material.dispose();
  }

  function dropLines() {
    for (const p of scene3d.lines) dropLine(p);
    scene3d.lines = [];
  }

  // Brings a line up to the rows given: reads the rows beyond those read (in
  // the box; outside it the line joins across, as before). As the map's paths
  // do (frame/path.js), a row is left out when it lies within POINT_SPACING of
  // the last point kept, or in a CELL-sized square (of the ground plane) the
  // line already went through and within REVISIT of the last point kept; the
  // row read last is always drawn, as the tail vertex after the kept points.
  // So the vertices stay few where a run converges or oscillates, and the line
  // is the one built from scratch from the same rows. Returns the rows read.
  function extendLine(p, run, map) {
    const t = run.trajectory;
    const rows = t.length / 3;
    if (rows === p.consumed) {
      p.line.geometry.setDrawRange(0, p.kept + (p.tail ? 1 : 0));
      return 0;
    }
    if (p.consumed === 0 && rows > 0) [p.x0, p.y0] = [t[0], t[1]];
    let geometry = p.line.geometry;
    let attribute = geometry.attributes.position;
    const need = p.kept + 1 + (rows - p.consumed);
    if (need > attribute.count) {
      // Doubled (amortised O(1) a point); a new geometry, so the old GPU buffer goes with the old one.
      let capacity = attribute.count;
      while (capacity < need) capacity *= 2;
      const next = lineGeometry(capacity, attribute.array, p.kept + 1);
      geometry.dispose();
      p.line.geometry = geometry = next;
      attribute = geometry.attributes.position;
      const rowOf = new Uint32Array(capacity);
      rowOf.set(p.rowOf.subarray(0, p.kept + 1));
      p.rowOf = rowOf;
    }
    const a = attribute.array;
    const first = p.kept;
    const spacing2 = POINT_SPACING * POINT_SPACING;
    const revisit2 = REVISIT * REVISIT;
    const cols = Math.ceil(map.sx / CELL);
    const rowsOfCells = Math.ceil(map.sz / CELL);
    p.visited ??= new Uint8Array(cols * rowsOfCells);
    for (let k = p.consumed; k < rows; ++k) {
      const q = toScene(map, t[3 * k], t[3 * k + 1], t[3 * k + 2]);
      if (!q) continue;
      const at = 3 * p.kept;
      a[at] = q[0];
      a[at + 1] = q[1];
      a[at + 2] = q[2];
      p.rowOf[p.kept] = k;
      const col = Math.min(cols - 1, Math.floor((q[0] / map.sx + 0.5) * cols));
      const row = Math.min(rowsOfCells - 1, Math.floor((q[2] / map.sz + 0.5) * rowsOfCells));
      const cell = row * cols + col;
      let keep = p.kept === 0;
      if (!keep) {
        const d2 = (q[0] - a[at - 3]) ** 2 + (q[1] - a[at - 2]) ** 2 + (q[2] - a[at - 1]) ** 2;
        keep = d2 >= spacing2 && !(p.visited[cell] && d2 < revisit2);
      }
      if (keep) {
        p.visited[cell] = 1;
        p.kept++;
      }
      p.tail = !keep;
    }
    const read = rows - p.consumed;
    p.consumed = rows;
    [p.lastX, p.lastY] = [t[3 * (rows - 1)], t[3 * (rows - 1) + 1]];
    const count = p.kept + (p.tail ? 1 : 0);
    if (count > first) {
      attribute.clearUpdateRanges?.();
      attribute.addUpdateRange?.(3 * first, 3 * (count - first));
      attribute.needsUpdate = true;
    }
    geometry.setDrawRange(0, count);
    return read;
  }

  function show(frame) {
    pending = frame;
    if (!scene3d || !theme) return;
    const { THREE } = scene3d;
    if (scene3d.backgroundFor !== theme.surface) {
      scene3d.scene.background = new THREE.Color(theme.surface);
      scene3d.backgroundFor = theme.surface;
    }
    if (frame.key !== meshKey) {
      buildMesh(frame.bounds);
      meshKey = frame.key;
      dropLines(); // the scene coordinates changed with the box
    }
    const { map } = scene3d;
    const lines = scene3d.lines;
    while (lines.length > frame.runs.length) dropLine(lines.pop());
    let read = 0;
    frame.runs.forEach((run, i) => {
      // A restart rebuilds the line, and so does scrubbing back (the squares gone through are the rows read).
      if (!lines[i] || !lineFits(lines[i], run) || run.trajectory.length / 3 < lines[i].consumed) {
        if (lines[i]) dropLine(lines[i]);
        lines[i] = newLine(run);
      }
      const p = lines[i];
      read += extendLine(p, run, map);
      const rows = run.trajectory.length / 3;
      const last = rows > 0 ? toScene(map, run.trajectory[3 * rows - 3], run.trajectory[3 * rows - 2], run.trajectory[3 * rows - 1]) : null;
      p.line.visible = p.line.geometry.drawRange.count >= 2;
      p.head.visible = Boolean(last) && run.divergedAt < 0;
      if (p.head.visible) p.head.position.set(...last);
    });
    scene3d.rowsRead = read;
    scene3d.draw();
  }

  // The lines as drawn (the test hook): per run its points [x, y, z, ...] up to
  // the draw range and the row each one is.
  function drawnPaths() {
    if (!scene3d) return null;
    return {
      rowsRead: scene3d.rowsRead,
      spacing: POINT_SPACING,
      revisit: REVISIT,
      runs: scene3d.lines.map((p) => {
        const { count } = p.line.geometry.drawRange;
        return {
          count,
          capacity: p.line.geometry.attributes.position.count,
          positions: Array.from(p.line.geometry.attributes.position.array.subarray(0, 3 * count)),
          rows: Array.from(p.rowOf.subarray(0, count)),
        };
      }),
    };
  }

  // The same lines built from scratch from the last frame's rows (what drawnPaths must equal).
  function freshPaths() {
    if (!scene3d || !pending) return null;
    return pending.runs.map((run) => {
      const p = { kept: 0, tail: false, consumed: 0, rowOf: new Uint32Array(run.trajectory.length / 3 + 1),
        line: { geometry: { attributes: { position: { count: Infinity, array: new Float32Array(run.trajectory.length + 3) } },
          setDrawRange(start, count) { this.drawRange = { count }; } } } };
      extendLine(p, run, scene3d.map);
      const { count } = p.line.geometry.drawRange;
      return { count, positions: Array.from(p.line.geometry.attributes.position.array.subarray(0, 3 * count)),
        rows: Array.from(p.rowOf.subarray(0, count)) };
    });
  }

  return {
    /** Opens (creating it at the first call, or after close) and shows the last frame. */
    open,
    /** Disposes every three.js object and the renderer; the next open() builds it again. */
    close() {
      pending = pending && { ...pending };
      if (!scene3d) return;
      const { renderer, scene, controls, observer, paths, heads, mesh, headGeometry } = scene3d;
      observer.disconnect();
      controls.dispose();
      dropLines();
      clearGroup(paths);
      clearGroup(heads);
      headGeometry.dispose();
      if (mesh) {
        scene.remove(mesh);
        mesh.geometry.dispose();
        mesh.material.dispose();
      }
      renderer.dispose();
      renderer.forceContextLoss?.();
      container.replaceChildren();
      scene3d = null;
      meshKey = '';
      delete container.dataset.status;
    },
    /** Draws a frame (kept until the view is open). */
    render(frame) {
      show(frame);
    },
    setTheme(next) {
      theme = next;
      meshKey = '';
      if (pending) show(pending);
    },
    get isOpen() {
      return Boolean(scene3d);
    },
    /** For the test hook: { rowsRead (by the last frame), runs: [{ count, capacity, positions }] } as drawn, or null. */
    drawnPaths,
    /** For the test hook: the same paths built from scratch from the last frame. */
    freshPaths,
  };
}

function hasWebGl() {
  try {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return Boolean(gl);
  } catch {
    return false;
  }
}
