// The compiled half of the Python package: `_borderland`, imported by borderland/__init__.py.
// It runs scenarios and sweeps in this process through the same functions as the command line
// (sim::run_scenario, experiments::run_sweep) and describes the models; everything that reads
// files back is Python (borderland/result.py). Input errors become borderland.InputError with the
// engine's located message; the GIL is released while a model runs.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/registry.hpp"
#include "sim/error.hpp"
#include "sim/experiments/runner.hpp"
#include "sim/experiments/sweep.hpp"
#include "sim/run.hpp"
#include "sim/scenario.hpp"

namespace py = pybind11;

namespace borderland::python {
namespace {

py::dict describe_param(const sim::ParamSpec& p) {
  py::dict d;
  d["key"] = p.key;
  d["default"] = sim::to_text(p.default_value);
  d["units"] = p.units;
  d["doc"] = p.doc;
  const bool numeric = p.type == sim::ParamType::kReal || p.type == sim::ParamType::kInteger;
  d["min"] = numeric ? py::object(py::float_(p.min)) : py::object(py::none());
  d["max"] = numeric ? py::object(py::float_(p.max)) : py::object(py::none());
  d["choices"] = p.choices;
  return d;
}

py::list describe_params(const std::vector<sim::ParamSpec>& params) {
  py::list out;
  for (const auto& p : params) out.append(describe_param(p));
  return out;
}

py::list describe_switches(const std::vector<sim::SwitchSpec>& switches) {
  py::list out;
  for (const auto& s : switches) {
    py::dict d;
    d["name"] = s.name;
    d["doc"] = s.doc;
    d["fields"] = describe_params(s.fields);
    out.append(d);
  }
  return out;
}

py::list models() {
  py::list out;
  for (const auto* model : app::models()) {
    const auto& spec = model->spec();
    py::dict d;
    d["name"] = spec.name;
    d["summary"] = spec.summary;
    d["parameters"] = describe_params(spec.parameters);
    d["policies"] = describe_switches(spec.policies);
    d["events"] = describe_switches(spec.events);
    d["snapshot_fields"] = spec.snapshot_fields;
    out.append(d);
  }
  return out;
}

py::dict describe_scenario(const sim::Scenario& s) {
  py::dict d;
  d["kind"] = "scenario";
  d["source"] = s.source;
  d["model"] = s.model;
  d["name"] = s.name;
  d["start"] = s.start.iso();
  d["end"] = s.end.iso();
  d["days"] = s.steps();
  d["seed"] = s.seed;
  d["resolved"] = s.resolved_yaml;
  d["warnings"] = s.warnings;
  return d;
}

py::dict validate(const std::string& file, const std::vector<std::string>& overrides) {
  if (app::looks_like_sweep(file)) {
    if (!overrides.empty())
      throw sim::InputError("set: error: not for sweep files (use the sweep's `set:`)");
    const auto sweep = sim::experiments::load_sweep(file, app::model_specs());
    py::dict d = describe_scenario(sweep.base);
    d["kind"] = "sweep";
    d["source"] = sweep.source;
    d["base"] = sweep.base_source;
    d["design"] = sim::experiments::design_name(sweep.design.kind);
    d["points"] = sweep.design.points;
    d["replicas"] = sweep.design.replicas;
    d["runs"] = sweep.runs();
    std::vector<std::string> keys;
    for (const auto& p : sweep.design.parameters) keys.push_back(p.key);
    d["parameters"] = keys;
    return d;
  }
  return describe_scenario(sim::load_scenario(file, overrides, app::model_specs()));
}

py::dict run(const std::string& file, const std::vector<std::string>& overrides,
             const std::string& output, int threads, const std::string& until) {
  sim::Scenario scenario = sim::load_scenario(file, overrides, app::model_specs());
  sim::RunOptions options;
  options.output_path = output;
  options.threads = threads;
  if (!until.empty()) {
    options.until = sim::Date::parse(until);
    if (!options.until)
      throw sim::InputError("until: error: expected a date (YYYY-MM-DD), got \"" + until + "\"");
  }
  sim::RunResult result;
  {
    py::gil_scoped_release release;
    result = sim::run_scenario(*app::find_model(scenario.model), scenario, options);
  }
  py::dict d;
  d["steps"] = result.steps;
  d["seconds"] = result.seconds;
  d["summary"] = result.summary;
  d["warnings"] = scenario.warnings;
  return d;
}

py::dict sweep(const std::string& file, const std::string& output, int threads, int run_threads,
               bool resume, bool progress) {
  namespace ex = sim::experiments;
  const ex::Sweep loaded = ex::load_sweep(file, app::model_specs());
  ex::SweepOptions o;
  o.output = output;
  o.threads = threads;
  o.run_threads = run_threads;
  o.resume = resume;
  o.progress = progress;
  ex::SweepOutcome out;
  {
    py::gil_scoped_release release;
    out = ex::run_sweep(*app::find_model(loaded.base.model), loaded, app::model_specs(), o);
  }
  py::dict d;
  d["runs"] = out.runs;
  d["ran"] = out.ran;
  d["failed"] = out.failed;
  d["skipped"] = out.skipped;
  d["seconds"] = out.seconds;
  return d;
}

}  // namespace
}  // namespace borderland::python

PYBIND11_MODULE(_borderland, m) {
  namespace bp = borderland::python;
  m.doc() = "borderland's engine in this process (use the `borderland` package, not this module)";
  // A ValueError: a bad scenario, sweep, key or value is a bad argument to the call. Run errors
  // (std::exception) arrive as RuntimeError, pybind11's default.
  py::register_exception<borderland::sim::InputError>(m, "InputError", PyExc_ValueError);
  m.def("models", &bp::models, "Every model: name, summary, parameters, policies, events, fields");
  m.def("validate", &bp::validate, py::arg("file"), py::arg("overrides"),
        "Load and check a scenario or sweep file; a description, or InputError");
  m.def("run", &bp::run, py::arg("file"), py::arg("overrides"), py::arg("output"),
        py::arg("threads"), py::arg("until"), "Run one scenario into the output file");
  m.def("sweep", &bp::sweep, py::arg("file"), py::arg("output"), py::arg("threads"),
        py::arg("run_threads"), py::arg("resume"), py::arg("progress"),
        "Run a sweep into the output file");
}
