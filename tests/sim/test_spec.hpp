#pragma once
// A small model description for engine tests (no real model is involved).
#include "sim/params.hpp"

namespace borderland::sim::testing {

inline ModelSpec toy_spec() {
  ModelSpec spec;
  spec.name = "toy";
  spec.summary = "a toy model for tests";
  spec.parameters = {
      ParamSpec::real("rate", 0.5, 0.0, 1.0, "1/day", "a probability per day"),
      ParamSpec::integer("grid.width", 10, 1, 1000, "cell", "width"),
      ParamSpec::integer("grid.height", 10, 1, 1000, "cell", "height"),
      ParamSpec::boolean("moves", true, "whether agents move"),
      ParamSpec::choice("shape", "square", {"square", "cross"}, "window shape"),
      ParamSpec::date("founded", "2007-12-14", "a date parameter"),
  };
  spec.policies = {{"talks",
                    "negotiations",
                    {ParamSpec::real("concessions", 0.0, 0.0, 1.0, "1", "share conceded")}},
                   {"strikes",
                    "air strikes",
                    {ParamSpec::integer("per_month", 1, 0, 30, "1/month", "frequency")}}};
  spec.events = {{"kabul_falls", "the capital falls", {}}};
  spec.snapshot_fields = {"density"};
  return spec;
}

}  // namespace borderland::sim::testing
