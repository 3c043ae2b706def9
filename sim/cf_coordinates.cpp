#include "sim/cf_coordinates.hpp"

namespace borderland::sim {

h5::Dataset write_time_scale(h5::Group& group, const std::vector<std::int64_t>& days,
                             const std::string& start) {
  h5::Dataset time = group.write(std::string("time"), days, {days.size()}, "days since " + start,
                                 "date of the step, as days since the scenario's start");
  time.set_attr("calendar", std::string("standard"));
  time.set_attr("standard_name", std::string("time"));
  time.set_attr("axis", std::string("T"));
  time.make_scale("time");
  return time;
}

}  // namespace borderland::sim
