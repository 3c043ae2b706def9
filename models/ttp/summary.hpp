#pragma once
// Units and descriptions of the TTP's end-of-run summary metrics (/summary in run files,
// /runs/summary in sweep files): the totals of World::summary() and the calibration targets'
// metrics, whose units and descriptions come from calibration/targets.yaml (the one definition).
#include <vector>

#include "sim/model.hpp"

namespace borderland::ttp {

std::vector<sim::SummarySpec> summary_specs();

}  // namespace borderland::ttp
