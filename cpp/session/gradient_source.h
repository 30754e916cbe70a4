// Where an optimizer's gradient comes from when it is not the surface's exact
// gradient: a mini-batch of a data set (cpp/models/), for instance.
#pragma once

#include "surfaces/surface.h"

namespace descent::session {

class GradientSource {
 public:
  virtual ~GradientSource() = default;
  // The loss and gradient the optimizer sees at step `step` at (x, y), such as
  // one mini-batch's. Must be a pure function of (x, y, step), so runs can be
  // reset, replayed and compared under the same batches.
  virtual surfaces::Evaluation estimate(double x, double y, long step) const = 0;
};

}  // namespace descent::session
