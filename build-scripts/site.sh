#!/usr/bin/env bash
# Builds the production site: the WASM modules (when missing) and the widget
# package (for its zip), then build-scripts/site.mjs bundles the pages into
# $BUILD/site/ (minified, content-hashed, code-split, precompressed .br/.gz),
# a folder any static host can serve. Serve it with
#   node build-scripts/serve.mjs --site build/site
source "$(dirname "$0")/lib.sh"

ensure_packages node:nodejs npm:npm
ensure_npm
if [ ! -f "$BUILD/wasm/descent.wasm" ] || [ ! -f "$BUILD/wasm-simd/descent-simd.wasm" ]; then
  ensure_packages cmake g++ emscripten
  build_wasm
fi
build_lessons  # web/lessons.html, generated from web/lessons/*.md
[ -f "$ROOT/dist/descent-widget.zip" ] || { ensure_packages zip; build_package; }
build_site
