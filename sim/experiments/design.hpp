#pragma once
// Experimental designs: which parameter values each run of a sweep gets.
//
// A design has P points (rows of parameter values) and is repeated for every
// replicate; run r of a sweep is point r % P of replicate r / P, so runs are
// numbered replicate by replicate. The unit-cube generators below return P rows
// of d values in [0, 1); Design::from_unit maps them onto the ranges.
#include <cstdint>
#include <string>
#include <vector>

namespace borderland::sim::experiments {

enum class DesignKind { kFactorial, kRandom, kLhs, kSaltelli, kList, kReplicas };
const char* design_name(DesignKind kind);
const std::vector<std::string>& design_names();

// One varied parameter: a key path (as for --set) and its range or its values.
struct VariedParameter {
  std::string key;
  double min = 0.0, max = 0.0;  // range (random, lhs, saltelli)
  std::vector<double> values;   // listed values (factorial)
  bool integer = false;         // an integer parameter: values are whole numbers
  // A choice between named alternatives (`scenario`, `policy_set`): the value
  // is the index of the alternative (0, 1, ...) and `labels` name them.
  std::vector<std::string> labels;
};

struct Design {
  DesignKind kind = DesignKind::kReplicas;
  std::vector<VariedParameter> parameters;
  std::int64_t points = 1;  // rows per replicate
  std::int64_t replicas = 1;
  std::int64_t base_samples = 0;  // N of a saltelli design
  std::uint64_t sweep_seed = 0;
  std::vector<double> values;  // points x parameters, row-major (one replicate)
  // A list design of posterior draws (the sweep's `posterior: FILE`): the points are draws of one
  // posterior, so analysis pools them with the replicas as one scenario (attr /design/posterior).
  std::string posterior;

  std::int64_t runs() const { return points * replicas; }
  std::int64_t point_of(std::int64_t run) const { return run % points; }
  std::int64_t replicate_of(std::int64_t run) const { return run / points; }
  double value(std::int64_t run, std::size_t parameter) const {
    return values[static_cast<std::size_t>(point_of(run)) * parameters.size() + parameter];
  }
  std::uint64_t seed(std::int64_t run) const;
  std::vector<std::string> keys() const;
};

// The scenario seed of a run: a pure function of (sweep seed, design point,
// replicate), drawn from sim::RandomDraws on EngineStream::kSweepSeeds, kept
// below 2^63 so it fits the int64 `seed` column.
std::uint64_t run_seed(std::uint64_t sweep_seed, std::int64_t point, std::int64_t replicate);

// Unit-cube designs (rows x dims, row-major).
// Full grid of the listed values, the last parameter varying fastest.
std::vector<double> factorial_grid(const std::vector<std::vector<double>>& values);
// Independent uniform draws.
std::vector<double> random_unit(std::int64_t n, std::size_t dims, std::uint64_t seed);
// Latin hypercube: in every dimension each of the n strata [k/n, (k+1)/n) holds one point.
std::vector<double> lhs_unit(std::int64_t n, std::size_t dims, std::uint64_t seed);
// Saltelli (2010) sample matrices from the Sobol points 1..n of 2*dims dimensions:
// A = the first dims coordinates, B = the last dims; rows come as blocks
// A (n rows), B (n), AB_1 (n), ..., AB_dims (n), AB_i being A with column i from B.
std::vector<double> saltelli_unit(std::int64_t n, std::size_t dims);

// Maps a unit value onto a parameter's range (integers: min + floor(u (max - min + 1))).
double from_unit(const VariedParameter& p, double u);

// The runs a design asks for, at most this many: its tables and the sweep file
// stay in memory-sized bounds (a million runs of a year are ~3 GB of series).
inline constexpr std::int64_t kMaxSweepRuns = 1'000'000;

// Fills design.values and design.points from the parameters (not for kList).
void generate(Design& design, std::int64_t samples);

}  // namespace borderland::sim::experiments
