#!/usr/bin/env bash
# Installs what is missing, builds everything, and serves the production site
# (build/site/, build-scripts/site.mjs) on http://127.0.0.1:8080 (PORT=... picks
# another port). `node build-scripts/serve.mjs` serves the sources instead (development).
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 libsimde-dev node:nodejs npm:npm zip
ensure_npm
build_lessons
build_native
build_wasm
build_package  # served at /download/: the widget for course notes
build_site     # the production build of the pages, the folder served
say "serving the site ($BUILD/site)"
exec node build-scripts/serve.mjs --site "$BUILD/site" --port "${PORT:-8080}"
