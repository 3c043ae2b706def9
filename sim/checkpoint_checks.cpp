#include "sim/checkpoint_checks.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"

namespace borderland::sim {

void check_checkpoint_step(const h5::File& file, const Scenario& scenario,
                           const std::string& from) {
  const h5::Group checkpoint = file.open_group("checkpoint");
  auto fail = [&](const std::string& what) {
    throw InputError(fmt::format("{}:/checkpoint: error: --restart: {}", from, what));
  };
  for (const char* attr : {"step", "date", "model"})
    if (!checkpoint.has_attr(attr)) fail(fmt::format("attribute '{}' missing", attr));
  const std::int64_t step = checkpoint.attr_int("step");
  const std::int64_t steps = scenario.steps();
  // Checkpoints are saved before a step (step 0: the state as set up, which
  // the writer saves with the run's first index), never after the last one.
  if (step < 0 || step >= steps)
    fail(fmt::format("step {} is outside the run; expected 0 to {} ({} days from {} to {})", step,
                     steps - 1, steps, scenario.start.iso(), scenario.end.iso()));
  const std::string date = checkpoint.attr_string("date");
  if (date != scenario.date_of(step).iso())
    fail(fmt::format("step {} is {} in this scenario, but the checkpoint says {}", step,
                     scenario.date_of(step).iso(), date));
  if (checkpoint.has_attr("every") && checkpoint.attr_int("every") < 0)
    fail(fmt::format("attribute 'every' is {}; expected 0 or more", checkpoint.attr_int("every")));
  if (!file.has("timeseries/step")) fail("the file has no /timeseries/step");
  const auto written = file.open_group("timeseries").open_dataset("step").shape();
  if (written.empty() || written[0] < static_cast<hsize_t>(step))
    fail(fmt::format("the file holds {} days of series, fewer than the {} before the checkpoint",
                     written.empty() ? 0 : written[0], step));
}

}  // namespace borderland::sim
