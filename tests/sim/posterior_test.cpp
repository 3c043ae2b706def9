#include "sim/posterior.hpp"
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim {

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("borderland_posterior_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

// A posterior file as the calibration writes it: 3 draws of 3 parameters, the last an
// observation parameter (a source's reporting rate), which is not the model's.
std::string write_posterior(const std::string& name,
                            const std::string& format = "borderland-posterior") {
  const std::string path = temp_path(name);
  h5::File f(path, h5::File::Mode::kCreate);
  f.set_attr("format", format);
  h5::Group draws = f.create_group("draws");
  draws.write<double>("value", {0.7, 12, 0.5, 0.65, 30, 0.6, 0.125, 7, 0.9}, {3, 3});
  draws.write_strings("key", {"parameters.legitimacy", "parameters.max_jail_term",
                              "observation.PICSS.reporting_rate"});
  draws.write_strings("kind", {"model", "model", "observation"});
  return path;
}

std::string message_of(const std::string& path, std::int64_t draw) {
  try {
    posterior_overrides(path, draw);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Posterior, DrawKGivesItsModelParametersAsOverrides) {
  const std::string path = write_posterior("good.h5");
  EXPECT_EQ(posterior_overrides(path, 0),
            (std::vector<std::string>{"parameters.legitimacy=0.7", "parameters.max_jail_term=12"}));
  EXPECT_EQ(posterior_overrides(path, 2), (std::vector<std::string>{"parameters.legitimacy=0.125",
                                                                    "parameters.max_jail_term=7"}));
}

TEST(Posterior, BadDrawsAndFilesAreLocated) {
  const std::string path = write_posterior("bad_draw.h5");
  EXPECT_EQ(message_of(path, 3),
            "--draw: error: expected a draw in 0..2 (" + path + " holds 3 draws), got 3");
  EXPECT_EQ(message_of(path, -1),
            "--draw: error: expected a draw in 0..2 (" + path + " holds 3 draws), got -1");
  const std::string foreign = write_posterior("foreign.h5", "borderland");
  EXPECT_EQ(message_of(foreign, 0), "--posterior " + foreign +
                                        ": error: attribute '/format' is not "
                                        "'borderland-posterior'; not a posterior file");
  const std::string text = temp_path("text.h5");
  std::ofstream(text) << "not hdf5";
  EXPECT_EQ(message_of(text, 0),
            "--posterior " + text + ": error: no such file, or not an HDF5 file");
  {
    h5::File f(temp_path("no_draws.h5"), h5::File::Mode::kCreate);
    f.set_attr("format", std::string("borderland-posterior"));
  }
  EXPECT_EQ(
      message_of(temp_path("no_draws.h5"), 0),
      "--posterior " + temp_path("no_draws.h5") + ": error: dataset '/draws/value' is missing");
}

TEST(Posterior, ADesignOfItsDrawsPassesAndAnythingElseIsNamed) {
  const std::string path = write_posterior("design.h5");
  const std::vector<std::string> keys{"parameters.max_jail_term", "parameters.legitimacy"};
  // rows in any order and column order, and repeated
  EXPECT_EQ(check_posterior_design(path, "posterior:", keys, {30, 0.65, 12, 0.7, 30, 0.65}), "");
  EXPECT_EQ(check_posterior_design(path, "posterior:", {"parameters.legitimacy"}, {0.125}), "");
  EXPECT_EQ(check_posterior_design(path, "posterior:", keys, {12, 0.7, 12, 0.71}),
            "run 2 of the list is none of the 3 draws of " + path);
  // without /parameters' integer flags a value is not rounded: 1 is not the draw 0.7
  EXPECT_EQ(check_posterior_design(path, "posterior:", {"parameters.legitimacy"}, {1}),
            "run 1 of the list is none of the 3 draws of " + path);
  // an observation parameter, or one the posterior does not have, is no model parameter of it
  EXPECT_EQ(check_posterior_design(path, "posterior:", {"observation.PICSS.reporting_rate"}, {0.5}),
            "column 'observation.PICSS.reporting_rate' is not a model parameter of the posterior " +
                path);
  EXPECT_EQ(check_posterior_design(path, "posterior:", {"parameters.vision"}, {7}),
            "column 'parameters.vision' is not a model parameter of the posterior " + path);
  const std::string foreign = write_posterior("foreign.h5", "borderland-sweep");
  try {
    check_posterior_design(foreign, "posterior:", keys, {12, 0.7});
    ADD_FAILURE() << "a foreign file was taken for a posterior";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("posterior: " + foreign + ": error: attribute '/format'"),
              std::string::npos)
        << e.what();
  }
  std::filesystem::remove(path);
  std::filesystem::remove(foreign);
}

}  // namespace borderland::sim
