#pragma once
// The suicide-attacker pipeline.
//
// Suicide attackers are not drawn from the cells' fighters at will: they are
// recruited and trained in sanctuary camps (the seed: the TTP 'regrouped' in
// Afghanistan, with camps the Taliban tolerate), held as a stock, and spent
// one by one. Each day
//   intake   = intake_rate x (sanctuary fighters / 1000) x camp_freedom
//   graduate = in_training / training_days          (a first-order delay)
//   stock   += graduate, up to stock_max (graduates beyond it wait in camp)
// where camp_freedom in [0, 1] is how freely the camps can run (the host's
// tolerance). spend() takes one attacker when at least one is in stock. The
// flows are deterministic (no draws), so the stock is the same for every
// thread count; the attack phase decides, with its own keyed draws, when to
// spend (tactics::weights scales the suicide tactic by the stock).
//
// Order of magnitude: the ~3,100-3,300 fighters the historical runs hold in
// sanctuary at the republic's tolerance (0.45-0.56) train about 5-6 bombers a
// year (PICSS: 4 suicide attacks in 2020 and in 2021; the command keeps a
// reserve, tactic.suicide_reserve); the ~2,500 left there under the Taliban's
// (0.9: more are away on missions) train about 11 a year, spent in 2022 with
// the stock built up before (PICSS 15 in 2022, PIPS 14). The ensemble test
// (attacks_ensemble_test.cpp) checks the yearly counts in the model's day.
#include <vector>

#include "sim/params.hpp"

namespace borderland::ttp::suicide {

struct Parameters {
  double intake_rate = 0;    // candidates per 1000 sanctuary fighters per day, camps free
  double training_days = 1;  // mean time in training
  double stock_max = 0;      // most trained attackers held ready
  double initial_stock = 0;  // trained attackers ready on the first day
  static Parameters from(const sim::ParamValues& values);
};

// Every parameter of the pipeline, with units, default, range and reason.
std::vector<sim::ParamSpec> parameter_specs();

class Pipeline {
 public:
  explicit Pipeline(const Parameters& p);

  // One day of recruitment and training.
  void step(double sanctuary_fighters, double camp_freedom);
  // Takes one trained attacker; false (and nothing changes) when none is ready.
  bool spend();

  double stock() const { return stock_; }
  double in_training() const { return in_training_; }
  double trained_total() const { return trained_total_; }
  double spent_total() const { return spent_total_; }

  // The whole state, for checkpoints: {in_training, stock, trained, spent}.
  std::vector<double> state() const;
  // Restores state(); a vector of the wrong size is a programming error (throws).
  void restore(const std::vector<double>& state);

 private:
  Parameters p_;
  double in_training_ = 0, stock_ = 0;
  double trained_total_ = 0, spent_total_ = 0;
};

}  // namespace borderland::ttp::suicide
