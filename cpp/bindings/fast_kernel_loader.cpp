// The host side of the run-time compiled group steps (batch/formula_wasm.h),
// SIMD build only: the module's bytes are compiled and instantiated
// synchronously against this module's own memory, and its "run" goes into the
// function table, whose index is the C++ function pointer. Any failure (no
// WebAssembly.Module in this host, a browser that refuses synchronous
// compilation of a large module on its main thread, a full table) gives 0: the
// interpreter then runs, nothing breaks. Needs -sALLOW_TABLE_GROWTH and
// addFunction / removeFunction (root CMakeLists.txt).
#include <emscripten/emscripten.h>

#include <cstddef>
#include <cstdint>

#include "batch/formula_wasm.h"

#ifdef __wasm_simd128__

EM_JS(int, descent_load_fast_kernel, (const std::uint8_t* bytes, std::size_t size), {
  try {
    var module = new WebAssembly.Module(HEAPU8.slice(bytes, bytes + size));
    var instance = new WebAssembly.Instance(module, {env : {memory : wasmMemory}});
    // Signature for addFunction's JS-function path, unused for a wasm function.
    return addFunction(instance.exports.run, 'iiiffiiiiiiiiiii');
  } catch (e) {
    return 0;
  }
});

EM_JS(void, descent_release_fast_kernel, (int index), { removeFunction(index); });

namespace {

descent::batch::FastGroupKernel load(const std::uint8_t* bytes, std::size_t size) {
  const int index = descent_load_fast_kernel(bytes, size);
  // A table index is the function pointer's value in wasm32.
  return reinterpret_cast<descent::batch::FastGroupKernel>(static_cast<std::uintptr_t>(index));
}

void release(descent::batch::FastGroupKernel kernel) {
  descent_release_fast_kernel(static_cast<int>(reinterpret_cast<std::uintptr_t>(kernel)));
}

// Registered while the module starts, before any BatchRun exists.
const bool registered = (descent::batch::set_fast_kernel_loader(&load, &release), true);

}  // namespace

#endif  // __wasm_simd128__
