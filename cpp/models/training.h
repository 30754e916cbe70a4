// Training a model on a data set with mini-batches: the Session (optimizer
// instances in lockstep) on the model's loss surface, fed by a
// MiniBatchSource. What `descent train` and the page's ModelTrainer drive.
//
// Per run, the Session records per step k the point (w, b), the full-data loss
// there (trajectory), and batch k's loss at that point (estimated_loss): the
// training loss per step. epoch_losses() averages the latter per epoch.
#pragma once

#include <memory>
#include <vector>

#include "models/minibatch.h"
#include "models/model.h"
#include "session/session.h"

namespace descent::models {

class Training {
 public:
  // Throws descent::Error if the model does not fit the data (check_model) or
  // the sampling is invalid.
  Training(std::shared_ptr<const Dataset> data, const ModelConfig& model, const Sampling& sampling);

  session::Session& session() { return session_; }
  const session::Session& session() const { return session_; }
  const ModelSurface& surface() const { return *surface_; }
  const MiniBatchSource& source() const { return *source_; }
  const Dataset& data() const { return surface_->data(); }

  // New batch size, sampling or seed; restarts every run.
  void set_sampling(const Sampling& sampling);

  // Run `run`'s training loss per completed epoch: the mean of its batch
  // losses weighted by batch size (the average per-sample loss over the epoch,
  // each at the parameters when its batch was used).
  std::vector<double> epoch_losses(std::size_t run) const;

 private:
  const ModelSurface* surface_;  // owned by session_
  session::Session session_;
  std::shared_ptr<const MiniBatchSource> source_;
};

}  // namespace descent::models
