// What build-scripts/bundle.mjs (the widget package) and build-scripts/site.mjs
// (the production site) share: where the dev server's URL paths live on disk
// (serve.mjs's MOUNTS; the WASM folders movable by DESCENT_WASM_DIR /
// DESCENT_WASM_SIMD_DIR) and the esbuild plugin that bundles web/'s modules
// as the dev server lays them out.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MOUNTS } from './serve.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const webDir = path.join(root, 'web');

// The WASM folders may live outside build/ (lib.sh's DESCENT_BUILD_DIR).
export const mountDirs = new Map(MOUNTS.map(([prefix, dir]) => [prefix, path.join(root, dir)]));
if (process.env.DESCENT_WASM_DIR) mountDirs.set('/wasm/', path.resolve(process.env.DESCENT_WASM_DIR));
if (process.env.DESCENT_WASM_SIMD_DIR) mountDirs.set('/wasm-simd/', path.resolve(process.env.DESCENT_WASM_SIMD_DIR));

/** The file the dev server answers for a URL path such as /wasm/descent.mjs (web/ for the rest). */
export function diskPath(urlPath) {
  for (const [prefix, dir] of mountDirs) {
    if (urlPath.startsWith(prefix)) return path.join(dir, urlPath.slice(prefix.length));
  }
  throw new Error(`no mount for ${urlPath}`);
}

// --- esbuild plugin ----------------------------------------------------------

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ASSET_URL = /new URL\((['"])(\.\.?\/[^'"]+)\1,\s*import\.meta\.url\)/g;

/**
 * Resolves the dev server's mount paths, serves the virtual modules
 * `descent:css` and `descent:embed` (embed.html's script; `virtual`: more, name -> source), swaps modules for
 * the build's versions (`swaps`: source path -> replacement file, whose
 * imports resolve as if it sat in the source's folder) and re-roots asset URLs
 * (`assets`: a URL path such as /wasm/descent.wasm -> the file the build wrote
 * for it, relative to the output folder, e.g. a content-hashed name).
 */
export function devLayoutPlugin({ swaps, cssModule, embedScript = null, assets = {}, virtual: more = {} }) {
  return {
    name: 'descent-dev-layout',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (resolve) => {
        const fromWeb = path.relative(webDir, resolve.resolveDir);
        if (fromWeb.startsWith('..') || path.isAbsolute(fromWeb)) return undefined;
        const urlPath = path.posix.resolve('/', fromWeb.split(path.sep).join('/'), resolve.path);
        if (fs.existsSync(path.join(webDir, urlPath))) return undefined; // a file in web/
        const file = diskPath(urlPath);
        if (!fs.existsSync(file)) {
          return { errors: [{ text: `${resolve.path} (the dev server's ${urlPath}) is ${file}, which does not exist; build it first` }] };
        }
        return { path: file };
      });
      const virtual = { css: cssModule, ...(embedScript && { embed: embedScript }), ...more };
      build.onResolve({ filter: /^descent:/ }, (resolve) => ({ path: resolve.path.slice(8), namespace: 'descent' }));
      build.onLoad({ filter: /.*/, namespace: 'descent' }, (load) => ({
        contents: virtual[load.path], resolveDir: webDir, loader: 'js',
      }));
      for (const [source, replacement] of Object.entries(swaps)) {
        build.onLoad({ filter: new RegExp(`^${escapeRegExp(source)}$`) }, () => ({
          contents: fs.readFileSync(replacement, 'utf8'),
          resolveDir: path.dirname(source),
          loader: 'js',
          watchFiles: [replacement],
        }));
      }
      // The folder stands for the dev server's root and every chunk sits at its
      // top, so `new URL('../embed.html', import.meta.url)` in web/widget/ must
      // become './embed.html' (and './wasm/...' in web/ stays as it is).
      build.onLoad({ filter: new RegExp(`^${escapeRegExp(webDir + path.sep)}.*\\.js$`) }, (load) => {
        const source = fs.readFileSync(load.path, 'utf8');
        const fromWeb = path.relative(webDir, path.dirname(load.path)).split(path.sep).join('/');
        return {
          contents: source.replace(ASSET_URL, (whole, quote, target) => {
            const urlPath = path.posix.resolve('/', fromWeb, target);
            return `new URL(${quote}./${assets[urlPath] ?? urlPath.slice(1)}${quote}, import.meta.url)`;
          }),
          loader: 'js',
        };
      });
    },
  };
}

