// The 3D view: the cost surface over the current view box as a height-mapped
// mesh (the heat map's log scale for height and its colour ramp for colour),
// the paths as lines lying on it and the current points as spheres; orbit
// with the mouse (three.js OrbitControls). three.js is imported when the tab is
// first opened; `close()` disposes every geometry, material, the renderer and
// the controls, so a closed tab holds no GPU memory. Without WebGL it shows a
// message instead (container[data-status] = 'drawn' | 'no-webgl' | 'error').
//
// Like the other views it never imports the engine: `sample(bounds, w, h)` is
// injected, frames are plain data ({ key, bounds, runs: [{ colour, trajectory,
// divergedAt }] }, key changing whenever the surface or the view box does).

import { buildRamp, paintHeat, finiteRange } from './heatmap.js';

const GRID = 128; // vertices along the longer side
const HEIGHT = 0.7; // height of the highest point, the longer side being 2
const LIFT = 0.008; // paths float this much above the mesh
const MAX_PATH_POINTS = 4000;

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
      scene3d = { THREE, renderer, scene, camera, controls, paths, heads, observer, draw, mesh: null, map: null };
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
      child.geometry.dispose();
      child.material.dispose();
    }
  }

  function show(frame) {
    pending = frame;
    if (!scene3d || !theme) return;
    const { THREE, paths, heads } = scene3d;
    scene3d.scene.background = new THREE.Color(theme.surface);
    if (frame.key !== meshKey) {
      buildMesh(frame.bounds);
      meshKey = frame.key;
    }
    const { map } = scene3d;
    clearGroup(paths);
    clearGroup(heads);
    const radius = 0.025;
    for (const run of frame.runs) {
      const t = run.trajectory;
      const rows = t.length / 3;
      const every = Math.max(1, Math.ceil(rows / MAX_PATH_POINTS));
      const points = [];
      let last = null;
      // Every `every`-th row and the last one.
      for (let k = 0; k < rows; k = k === rows - 1 ? rows : Math.min(k + every, rows - 1)) {
        const p = toScene(map, t[3 * k], t[3 * k + 1], t[3 * k + 2]);
        if (p) points.push(...p);
        if (k === rows - 1) last = p;
      }
      if (points.length >= 6) {
        const geometry = new THREE.BufferGeometry();
        geometry.setAttribute('position', new THREE.Float32BufferAttribute(points, 3));
        paths.add(new THREE.Line(geometry, new THREE.LineBasicMaterial({ color: new THREE.Color(run.colour) })));
      }
      if (last && run.divergedAt < 0) {
        const sphere = new THREE.Mesh(new THREE.SphereGeometry(radius, 16, 12), new THREE.MeshLambertMaterial({ color: new THREE.Color(run.colour) }));
        sphere.position.set(...last);
        heads.add(sphere);
      }
    }
    scene3d.draw();
  }

  return {
    /** Opens (creating it at the first call, or after close) and shows the last frame. */
    open,
    /** Disposes every three.js object and the renderer; the next open() builds it again. */
    close() {
      pending = pending && { ...pending };
      if (!scene3d) return;
      const { renderer, scene, controls, observer, paths, heads, mesh } = scene3d;
      observer.disconnect();
      controls.dispose();
      clearGroup(paths);
      clearGroup(heads);
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
