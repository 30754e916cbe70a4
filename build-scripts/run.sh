#!/usr/bin/env bash
# Installs what is missing, builds everything, and serves the Descent page on
# http://127.0.0.1:8080 (PORT=... picks another port).
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 libsimde-dev node:nodejs npm:npm zip
ensure_npm
build_lessons
build_native
build_wasm
build_package  # served at /download/: the widget for course notes
say "serving the page"
exec node build-scripts/serve.mjs --port "${PORT:-8080}"
