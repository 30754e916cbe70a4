// Runs a bound call's body, turning any C++ exception (descent::Error above
// all) into a thrown JavaScript Error with the same message. Shared by the
// binding files.
#pragma once

#include <emscripten/val.h>

#include <exception>
#include <string>

namespace descent::bindings {

template <class F>
auto guarded(F&& body) -> decltype(body()) {
  std::string message;
  try {
    return body();
  } catch (const std::exception& e) {
    message = e.what();
  }
  // Error(message) called as a function makes the Error without `new`, which
  // embind would compile with `new Function` (refused under DYNAMIC_EXECUTION=0).
  emscripten::val::global("Error")(message).throw_();
}

}  // namespace descent::bindings
