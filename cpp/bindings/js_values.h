// Conversions between JavaScript values and the core's types, shared by the
// binding files (the page's and the test module's).
#pragma once

#include <emscripten/val.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"

namespace descent::bindings {

// A view over WASM memory, valid until the next call that can grow memory.
template <class T>
emscripten::val view(std::span<const T> s) {
  return emscripten::val(emscripten::typed_memory_view(s.size(), s.data()));
}

// A copy, in WASM memory, of a JavaScript array's numbers: one bulk copy
// through a view, not element by element.
template <class T>
std::vector<T> vector_of(emscripten::val array) {
  std::vector<T> out(array["length"].as<std::size_t>());
  emscripten::val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}

// A fresh Float32Array holding `v` (slice() copies the view; no `new_`: see guarded.h).
inline emscripten::val copy_of(const std::vector<float>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data())).call<emscripten::val>("slice");
}

// A JavaScript array of the strings.
inline emscripten::val list(const std::vector<std::string>& items) {
  emscripten::val out = emscripten::val::array();
  for (const auto& s : items) out.call<void>("push", s);
  return out;
}

// A count of points or cells from JavaScript.
inline std::size_t count(int n, const char* what) {
  if (n < 0 || n > (1 << 24)) throw Error(std::string(what) + " must be 0..16777216, got " + std::to_string(n));
  return static_cast<std::size_t>(n);
}

// A whole number in [0, 2^53] from JavaScript.
inline std::uint64_t seed_of(double seed, const char* what = "seed") {
  if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == static_cast<double>(static_cast<std::uint64_t>(seed))))
    throw Error(std::string(what) + " must be a whole number from 0 to 2^53, got " + format_number(seed));
  return static_cast<std::uint64_t>(seed);
}

}  // namespace descent::bindings
