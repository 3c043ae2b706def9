#include "sim/h5.hpp"
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/error.hpp"

namespace borderland::sim::h5 {

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("borderland_h5_" + std::to_string(::getpid()) + "_" + name))
      .string();
}
}  // namespace

TEST(H5, WritesAndReadsArraysStringsAndAttributes) {
  const std::string path = temp_path("roundtrip.h5");
  {
    File f(path, File::Mode::kCreate);
    f.set_attr("format", std::string("borderland"));
    f.set_attr("version", std::int64_t{1});
    Group g = f.create_group("map");
    g.set_attr("dlon", 0.05);
    const std::vector<float> values(5000, 2.5f);  // large enough to be chunked + compressed
    g.write("population", values, {50, 100}, "persons", "people per cell");
    g.write_strings("names", {"Peshawar", "Bannu", ""});
    f.write_string("text", "line one\nline two");
  }
  const File f(path, File::Mode::kReadOnly);
  EXPECT_EQ(f.attr_string("format"), "borderland");
  EXPECT_EQ(f.attr_int("version"), 1);
  const Group g = f.open_group("map");
  EXPECT_DOUBLE_EQ(g.attr_double("dlon"), 0.05);
  const Dataset pop = g.open_dataset("population");
  EXPECT_EQ(pop.shape(), (std::vector<hsize_t>{50, 100}));
  EXPECT_EQ(pop.attr_string("units"), "persons");
  EXPECT_EQ(pop.read<double>().at(4999), 2.5);  // converted on read
  EXPECT_EQ(g.open_dataset("names").read_strings(),
            (std::vector<std::string>{"Peshawar", "Bannu", ""}));
  EXPECT_EQ(f.open_dataset("text").read_strings().at(0), "line one\nline two");
  EXPECT_TRUE(f.has("map/population"));
  EXPECT_FALSE(f.has("map/nothing"));
  EXPECT_EQ(g.names(), (std::vector<std::string>{"names", "population"}));
}

TEST(H5, AppendsRowsToExtendibleDatasets) {
  const std::string path = temp_path("append.h5");
  {
    File f(path, File::Mode::kCreate);
    Dataset d =
        f.create_extendible<std::int64_t>("counts", {3}, 16, "count", "three counts per step");
    d.append(std::vector<std::int64_t>{1, 2, 3});
    d.append(std::vector<std::int64_t>{4, 5, 6, 7, 8, 9});
    Dataset s = f.create_extendible_strings("date", 10, 16);
    s.append_strings({"2021-08-15"});
    s.append_strings({"2021-08-16", "2021-08-17"});
    EXPECT_THROW(d.append(std::vector<std::int64_t>{1, 2}), RunError);  // not whole rows
  }
  const File f(path, File::Mode::kReadOnly);
  EXPECT_EQ(f.open_dataset("counts").shape(), (std::vector<hsize_t>{3, 3}));
  EXPECT_EQ(f.open_dataset("counts").read<std::int64_t>().at(8), 9);
  EXPECT_EQ(f.open_dataset("date").read_strings().at(2), "2021-08-17");
}

TEST(H5, ReportsMissingCorruptAndAbsentObjectsAsInputErrors) {
  EXPECT_THROW(File("/nonexistent/file.h5", File::Mode::kReadOnly), InputError);
  const std::string junk = temp_path("junk.h5");
  std::ofstream(junk) << "this is not HDF5";
  try {
    File f(junk, File::Mode::kReadOnly);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not an HDF5 file"), std::string::npos);
  }
  const std::string path = temp_path("absent.h5");
  { File f(path, File::Mode::kCreate); }
  const File f(path, File::Mode::kReadOnly);
  try {
    (void)f.open_dataset("map/country");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.h5:/map/country: error: missing dataset"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)f.attr_string("format"), InputError);
}

}  // namespace borderland::sim::h5
