// The one exception type Descent's core throws for bad input.
//
// Every message is a complete sentence fragment a user can act on, naming the
// thing at fault first (`adam: beta2 must be in [0, 1), got 1.5`). The CLI prints
// it as its one stderr line; the bindings rethrow it as a JavaScript Error.
#pragma once

#include <stdexcept>
#include <string>

namespace descent {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Formats a number for an error message: short, but exact enough to recognise.
std::string format_number(double value);

// A finite number written out in full (strtod), or Error("WHAT expects a finite
// number, got 'TEXT'"): every option and grid bound is read through here.
double parse_finite(const std::string& what, const std::string& text);

}  // namespace descent
