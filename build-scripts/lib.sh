# Shared steps for the entry scripts in build-scripts/ (sourced, not run).
# Each step says what it does and stops the script on failure.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD="${DESCENT_BUILD_DIR:-$ROOT/build}"
JOBS="$(nproc 2>/dev/null || echo 2)"
# Emscripten 3.1.6's optimizer needs Debian's node modules (acorn) on the path.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install it, or run as root)"; fi
}

# Installs the Debian packages given that are not installed yet. A `command:package`
# pair installs the package only when the command is missing (Node and npm may come
# from elsewhere than Debian's packages).
ensure_packages() {
  local missing=() item
  for item in "$@"; do
    if [[ $item == *:* ]]; then
      command -v "${item%%:*}" >/dev/null || missing+=("${item#*:}")
    else
      dpkg-query -W -f='${Status}' "$item" 2>/dev/null | grep -q "ok installed" || missing+=("$item")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# npm dependencies exactly as locked, when package-lock.json changed since the last install.
ensure_npm() {
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.descent-lock; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.descent-lock
  fi
}

build_native() {
  say "building native core, CLI and tests ($BUILD/native)"
  cmake -S "$ROOT" -B "$BUILD/native" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD/native" -j"$JOBS"
}

# Two WASM builds: baseline ($BUILD/wasm) and wasm_simd128 ($BUILD/wasm-simd);
# the page loads the SIMD one where the browser supports it. Each builds the
# page's module (descent[-simd].mjs) and the Node tests' module
# (descent[-simd]-testing.cjs: the page's bindings plus the twin-check and
# benchmark hooks, loaded by tests/node/load-module.mjs).
build_wasm() {
  say "building WASM module, baseline ($BUILD/wasm)"
  emcmake cmake -S "$ROOT" -B "$BUILD/wasm" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD/wasm" -j"$JOBS"
  say "building WASM module, SIMD ($BUILD/wasm-simd)"
  emcmake cmake -S "$ROOT" -B "$BUILD/wasm-simd" -DCMAKE_BUILD_TYPE=Release -DDESCENT_WASM_SIMD=ON >/dev/null
  cmake --build "$BUILD/wasm-simd" -j"$JOBS"
}

# The lessons page: web/lessons/*.md (Markdown, KaTeX, widget blocks) built into
# web/lessons.html (generated, not committed; build-scripts/lessons.mjs).
build_lessons() {
  say "building the lessons page (web/lessons.html)"
  node build-scripts/lessons.mjs
}

# The production site: $BUILD/site/ from web/ and the WASM builds (build-scripts/site.mjs:
# esbuild, minified, content-hashed, code-split, precompressed), served by serve.mjs --site.
build_site() {
  say "bundling the site ($BUILD/site/)"
  DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd" \
    node build-scripts/site.mjs --out "$BUILD/site"
}

# The embeddable widget: dist/descent-widget/ (ES module and chunks, single-file
# classic script, WASM, CSS, fonts, embed.html, README) and dist/descent-widget.zip,
# from the WASM builds in $BUILD (build-scripts/bundle.mjs; needs zip).
build_package() {
  say "bundling the widget (dist/descent-widget/, dist/descent-widget.zip)"
  DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd" \
    node build-scripts/bundle.mjs --out "$ROOT/dist/descent-widget"
}
