#!/usr/bin/env bash
# Packages <descent-widget> for course notes and slides: writes dist/descent-widget/
# (ES module, single-file classic script for file://, WASM, CSS, fonts, embed.html,
# README with a snippet per host) and dist/descent-widget.zip, and lists them with
# sizes. Builds the WASM modules first if $BUILD has none.
source "$(dirname "$0")/lib.sh"

ensure_packages node:nodejs npm:npm zip
ensure_npm
if [ ! -f "$BUILD/wasm/descent.wasm" ] || [ ! -f "$BUILD/wasm-simd/descent-simd.wasm" ]; then
  ensure_packages cmake g++ emscripten
  build_wasm
fi
build_package
