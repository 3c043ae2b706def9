#pragma once
// The coordinates netCDF readers (xarray with h5netcdf, ncdump, R's ncdf4) look for in
// borderland's outputs (docs/hdf5_layout.md, "Dimension scales"): a group's time axis is a
// dimension scale named `time` carrying CF time units, so `xarray.open_dataset(path,
// engine="h5netcdf", group=...)` gives dates on a `time` dimension without custom code.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/h5.hpp"

namespace borderland::sim {

// Writes `group/time` (int64 days since `start`, YYYY-MM-DD) with CF attributes (units
// "days since START", calendar, standard_name, axis) and makes it the `time` scale.
h5::Dataset write_time_scale(h5::Group& group, const std::vector<std::int64_t>& days,
                             const std::string& start);

}  // namespace borderland::sim
