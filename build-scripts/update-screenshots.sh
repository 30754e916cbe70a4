#!/usr/bin/env bash
# Rewrites the saved images of the visual regression test
# (tests/browser/screenshots/*.png) from the current page, after an intended
# change of the picture: builds the WASM modules, then runs
# tests/browser/screenshots.test.mjs with UPDATE_SCREENSHOTS=1. Look at the
# images (git diff shows which changed) before committing them.
source "$(dirname "$0")/lib.sh"

ensure_packages cmake emscripten node:nodejs npm:npm chromium
ensure_npm
build_wasm
say "rewriting tests/browser/screenshots/*.png"
UPDATE_SCREENSHOTS=1 node --test tests/browser/screenshots.test.mjs
git status --short tests/browser/screenshots/ 2>/dev/null || true
