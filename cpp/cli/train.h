// `descent train`: fit a two-parameter model (cpp/models/) to a data set with
// mini-batch SGD (any optimizer of the registry, several side by side) and
// print the trajectories as `descent run` does, plus the mini-batch loss:
//
//   descent train --model linear|logistic --data SPEC|FILE.csv
//                 --optimizer ID[:key=value,...] [--optimizer ...]
//                 [--batch N|full] [--sampling shuffle|replacement] [--seed S]
//                 [--epochs E | --steps N] [--l2 L] [--precision f32|f64]
//                 [--start W,B]
//
// Defaults: --batch 32, --sampling shuffle (without replacement, reshuffled
// every epoch), --seed 1, --epochs 10, --l2 0, --precision f32, --start the
// model's start point. --data is a generated set (`line:n=200,noise=0.5`,
// grammar in models/dataset.h) or, when it ends in .csv or holds a `/`, a CSV
// file. Output: `optimizer,step,x,y,f,loss` with x = w, y = b, f = the
// full-data loss at (w, b), loss = that step's mini-batch loss at (w, b).
#pragma once

#include <string>
#include <vector>

namespace descent::cli {

// `args` starts with "train". Returns the CSV; throws descent::Error with the
// one line for stderr (nothing is printed on error).
std::string train_command(const std::vector<std::string>& args);

}  // namespace descent::cli
