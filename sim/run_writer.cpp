#include "sim/run_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "borderland/version.hpp"
#include "sim/cf_coordinates.hpp"
#include "sim/checkpoint_checks.hpp"
#include "sim/error.hpp"
#include "sim/run.hpp"
#include "sim/text.hpp"

namespace borderland::sim {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kTextWidth = 64;  // fixed-width text in the working file (63 bytes + NUL)
constexpr std::size_t kDateWidth = 11;  // YYYY-MM-DD + NUL
constexpr std::int64_t kFormatVersion = 2;
// Snapshot frames are compressed once, when their batch is written at a flush, and copied as
// they are into the final file. Level 1: on the fields of both models (counts and states, mostly
// zeros and small integers after the byte shuffle) it takes about a third of the time of level 4
// for a few percent more bytes.
constexpr unsigned kFrameDeflateLevel = 1;
// Frames of fewer cells are stored uncompressed: a 40 x 40 frame is 6 KB, and deflating it
// (with zlib's set-up for every chunk) costs more than a step of the model, for bytes that do
// not matter; a 300 x 360 map of fighters (mostly zeros) shrinks fifteenfold.
constexpr std::int64_t kCompressFrameCells = 1 << 14;
// Room for what the final file adds to the working data (HDF5 metadata, the
// variable-length text heaps, dimension scales).
constexpr std::uintmax_t kFinalSlackBytes = 1u << 20;

enum class Stored { kInt64, kFloat64, kFloat32, kText };

std::size_t stored_size(Stored type) {
  switch (type) {
    case Stored::kInt64:
    case Stored::kFloat64:
      return 8;
    case Stored::kFloat32:
      return 4;
    case Stored::kText:
      return kTextWidth;
  }
  return 0;
}

void write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw RunError(fmt::format("{}: cannot write: {}", path, errno_text(errno)));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}
}  // namespace

// One dataset of the run: rows are buffered, appended to a raw file at each
// flush (never rewritten), declared in the index as an external dataset, and
// copied into the final file at the end.
class RawColumn {
 public:
  RawColumn(std::string group, std::string name, Stored type, std::vector<hsize_t> row_shape,
            std::string units, std::string description, std::size_t text_width = kTextWidth)
      : group_(std::move(group)),
        name_(std::move(name)),
        type_(type),
        row_shape_(std::move(row_shape)),
        units_(std::move(units)),
        description_(std::move(description)),
        text_width_(text_width) {
    row_bytes_ = type == Stored::kText ? text_width_ : stored_size(type);
    for (auto s : row_shape_) row_bytes_ *= s;
  }
  ~RawColumn() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawColumn(const RawColumn&) = delete;
  RawColumn& operator=(const RawColumn&) = delete;

  const std::string& group() const { return group_; }
  const std::string& name() const { return name_; }
  std::string labels;  // comma-separated, for [T, k] series

  void open(const std::string& folder) {
    path_ = (fs::path(folder) / (group_ + "." + name_ + ".raw")).string();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw RunError(fmt::format("{}: cannot create: {}", path_, errno_text(errno)));
  }

  void push_int(std::int64_t v) { append(&v, sizeof v); }
  void push_real(double v) { append(&v, sizeof v); }
  void push_floats(const std::vector<double>& values) {
    for (double v : values) {
      const auto f = static_cast<float>(v);
      append(&f, sizeof f);
    }
  }
  void push_text(const std::string& text) {
    const std::size_t at = pending_.size();
    pending_.resize(at + text_width_, '\0');
    std::memcpy(&pending_[at], text.data(), std::min(text.size(), text_width_ - 1));
  }

  // Appends the buffered rows to the raw file.
  void write_pending() {
    if (pending_.empty()) return;
    write_all(fd_, pending_.data(), pending_.size(), path_);
    rows_ += pending_.size() / row_bytes_;
    pending_.clear();
  }
  hsize_t rows() const { return rows_; }

  std::vector<hsize_t> shape() const {
    std::vector<hsize_t> s{rows_};
    s.insert(s.end(), row_shape_.begin(), row_shape_.end());
    return s;
  }

  // Declares the written rows in an index file (no data is copied).
  void declare(h5::Group& g) const {
    h5::Dataset ds = [&] {
      switch (type_) {
        case Stored::kInt64:
          return g.create_external<std::int64_t>(name_, shape(), path_, units_, description_);
        case Stored::kFloat64:
          return g.create_external<double>(name_, shape(), path_, units_, description_);
        case Stored::kFloat32:
          return g.create_external<float>(name_, shape(), path_, units_, description_);
        case Stored::kText:
          break;
      }
      return g.create_external_strings(name_, rows_, text_width_, path_, description_);
    }();
    if (!labels.empty()) ds.set_attr("labels", labels);
  }

  // Writes every row into a self-contained dataset (compressed when large, text as
  // variable-length UTF-8).
  h5::Dataset write_final(h5::Group& g) const {
    const std::vector<char> bytes = read_back();
    h5::Dataset ds = [&] {
      switch (type_) {
        case Stored::kInt64:
          return g.write(name_, as<std::int64_t>(bytes), shape(), units_, description_);
        case Stored::kFloat64:
          return g.write(name_, as<double>(bytes), shape(), units_, description_);
        case Stored::kFloat32:
          return g.write(name_, as<float>(bytes), shape(), units_, description_);
        case Stored::kText:
          break;
      }
      return g.write_text(name_, texts(bytes), description_);
    }();
    if (!labels.empty()) ds.set_attr("labels", labels);
    return ds;
  }

  // Restart: the first `rows` rows of `from` become this column's first rows.
  void load(const h5::Dataset& from, hsize_t rows) {
    auto dims = from.shape();
    std::vector<hsize_t> theirs(dims.begin() + (dims.empty() ? 0 : 1), dims.end());
    if (dims.empty() || theirs != row_shape_ || rows > dims[0])
      throw InputError(
          fmt::format("{}: error: --restart: dataset has another shape than this run "
                      "writes (another model version?)",
                      from.location().where()));
    hsize_t elements = rows;
    for (auto s : row_shape_) elements *= s;
    auto keep = [&](auto values) {
      values.resize(elements);
      return values;
    };
    switch (type_) {
      case Stored::kInt64:
        for (auto v : keep(from.read<std::int64_t>())) push_int(v);
        break;
      case Stored::kFloat64:
        for (auto v : keep(from.read<double>())) push_real(v);
        break;
      case Stored::kFloat32: {
        const auto v = keep(from.read<float>());
        const auto* p = reinterpret_cast<const char*>(v.data());
        pending_.insert(pending_.end(), p, p + v.size() * sizeof(float));
        break;
      }
      case Stored::kText:
        for (const auto& s : keep(from.read_strings())) push_text(s);
        break;
    }
  }

 private:
  void append(const void* p, std::size_t n) {
    const auto* c = static_cast<const char*>(p);
    pending_.insert(pending_.end(), c, c + n);
  }
  std::vector<char> read_back() const {
    std::vector<char> bytes(rows_ * row_bytes_);
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw RunError(fmt::format("{}: cannot read back: {}", path_, errno_text(errno)));
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n =
          ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = n < 0 ? errno : EIO;
        ::close(fd);
        throw RunError(fmt::format("{}: cannot read back: {}", path_, errno_text(error)));
      }
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return bytes;
  }
  template <class T>
  static std::vector<T> as(const std::vector<char>& bytes) {
    std::vector<T> v(bytes.size() / sizeof(T));
    if (!v.empty())  // memcpy from an empty vector's data() (null) is undefined even for 0 bytes
      std::memcpy(v.data(), bytes.data(), v.size() * sizeof(T));
    return v;
  }
  std::vector<std::string> texts(const std::vector<char>& bytes) const {
    std::vector<std::string> out;
    for (std::size_t at = 0; at + text_width_ <= bytes.size(); at += text_width_)
      out.emplace_back(&bytes[at], strnlen(&bytes[at], text_width_));
    return out;
  }

  std::string group_, name_;
  Stored type_;
  std::vector<hsize_t> row_shape_;
  std::string units_, description_;
  std::size_t text_width_;
  std::size_t row_bytes_ = 0;
  std::string path_;
  int fd_ = -1;
  hsize_t rows_ = 0;
  std::vector<char> pending_;
};

namespace {
const char* kStatic = "static.h5";

std::string absolute(const std::string& path) {
  return fs::absolute(path).lexically_normal().string();
}

// The data folders a working file may have had (NAME.partial.data, .data.1, ...).
std::vector<std::string> data_folders(const std::string& partial) {
  std::vector<std::string> out;
  const fs::path p = fs::absolute(partial);
  const std::string stem = p.filename().string() + ".data";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(p.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name == stem || name.rfind(stem + ".", 0) == 0) out.push_back(entry.path().string());
  }
  return out;
}

// Rows of a sorted step column below `step`.
hsize_t rows_before(const h5::Group& group, std::int64_t step) {
  const auto steps = group.open_dataset("step").read<std::int64_t>();
  return static_cast<hsize_t>(std::lower_bound(steps.begin(), steps.end(), step) - steps.begin());
}

Stored series_type(ValueKind kind) {
  return kind == ValueKind::kCount ? Stored::kInt64 : Stored::kFloat64;
}

Stored event_type(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kInteger:
      return Stored::kInt64;
    case ColumnKind::kReal:
      return Stored::kFloat64;
    case ColumnKind::kText:
      break;
  }
  return Stored::kText;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

// The root attributes only the working file carries.
constexpr const char* kPartialAttrs[] = {"partial_steps", "partial_data"};
}  // namespace

RunWriter::RunWriter(const std::string& path, const Scenario& scenario, const Simulation& sim,
                     int threads, bool replace_partial)
    : path_(path),
      partial_(path + ".partial"),
      lock_(path),
      schema_(sim.schema()),
      snapshot_fields_(scenario.output.snapshot_fields) {
  const OutputSelection selection = select_output(schema_, scenario.output);
  series_index_ = selection.series;
  events_ = selection.events;
  std::error_code ec;
  if (replace_partial) fs::remove(partial_, ec);
  if (fs::exists(partial_, ec))
    throw InputError(
        fmt::format("{}: error: the working file of an interrupted run is here; continue it with "
                    "`borderland run --restart {}`, or delete it",
                    partial_, partial_));
  for (const auto& folder : data_folders(partial_)) fs::remove_all(folder, ec);  // orphans
  open_data_folder();
  write_static(scenario, sim, threads);
  open_static();
  create_columns(sim);
  commit_index();
}

RunWriter::RunWriter(Restart, const std::string& path, const std::string& from,
                     const Scenario& scenario, Simulation& sim, int threads)
    : path_(path),
      partial_(path + ".partial"),
      lock_(path),
      schema_(sim.schema()),
      snapshot_fields_(scenario.output.snapshot_fields) {
  const OutputSelection selection = select_output(schema_, scenario.output);
  series_index_ = selection.series;
  events_ = selection.events;
  std::error_code ec;
  if (!fs::exists(from, ec))
    throw InputError(fmt::format("{}: error: --restart: file not found", from));
  if (fs::exists(partial_, ec) && !fs::equivalent(partial_, from, ec))
    throw InputError(fmt::format(
        "{}: error: the working file of another interrupted run is here; continue that one with "
        "`borderland run --restart {}`, or delete it",
        partial_, partial_));
  const h5::File source(from, h5::File::Mode::kReadOnly);
  check_checkpoint_step(source, scenario, from);
  const h5::Group checkpoint = source.open_group("checkpoint");
  restart_step_ = checkpoint.attr_int("step");
  restart_every_ = checkpoint.has_attr("every") ? checkpoint.attr_int("every") : 0;
  if (checkpoint.attr_string("model") != scenario.model)
    throw InputError(fmt::format("{}: error: --restart: checkpoint of model {}, scenario of {}",
                                 from, checkpoint.attr_string("model"), scenario.model));
  open_data_folder();
  // A checkpoint the model refuses (or a failed copy) leaves nothing behind:
  // the working copy goes, the file restarted from is untouched.
  try {
    restart_from(from, source, checkpoint, sim, threads);
  } catch (...) {
    fs::remove_all(data_dir_, ec);
    throw;
  }
}

void RunWriter::restart_from(const std::string& from, const h5::File& source,
                             const h5::Group& checkpoint, Simulation& sim, int threads) {
  {  // the static part and the checkpoint, as saved
    h5::File st((fs::path(data_dir_) / kStatic).string(), h5::File::Mode::kCreate);
    source.copy_attrs_to(st);
    for (const char* a : kPartialAttrs)
      if (st.has_attr(a)) H5Adelete(st.id(), a);
    st.set_attr("format_version", kFormatVersion);
    st.set_attr("threads", std::int64_t{threads});
    st.set_attr("restarted_at_step", restart_step_);
    source.copy_to("scenario", st);
    source.copy_to("map", st);
    st.close();
    checkpoint_ = (fs::path(data_dir_) / fmt::format("checkpoint-{}.h5", restart_step_)).string();
    h5::File ck(checkpoint_, h5::File::Mode::kCreate);
    source.copy_to("checkpoint", ck);
    ck.close();
  }
  open_static();
  create_columns(sim);
  // Every row before the checkpoint's step, from whichever layout `from` has.
  const auto step = restart_step_;
  for (const auto& c : columns_) {
    const h5::Group g = source.open_group(c->group());
    const hsize_t rows =
        c->group() == "timeseries" ? static_cast<hsize_t>(step) : rows_before(g, step);
    if (!g.has(c->name()))
      throw InputError(
          fmt::format("{}: error: --restart: dataset /{}/{} missing", from, c->group(), c->name()));
    c->load(g.open_dataset(c->name()), rows);
  }
  if (!snapshot_fields_.empty()) {  // the frames before the checkpoint's step
    const h5::Group g = source.open_group("snapshots");
    const hsize_t rows = rows_before(g, step);
    const std::size_t cells = static_cast<std::size_t>(ny_ * nx_);
    for (std::size_t i = 0; i < snapshot_fields_.size(); ++i) {
      if (!g.has(snapshot_fields_[i]))
        throw InputError(fmt::format("{}: error: --restart: dataset /snapshots/{} missing", from,
                                     snapshot_fields_[i]));
      const h5::Dataset d = g.open_dataset(snapshot_fields_[i]);
      const auto shape = d.shape();
      if (shape.size() != 3 || shape[0] < rows || shape[1] != static_cast<hsize_t>(ny_) ||
          shape[2] != static_cast<hsize_t>(nx_))
        throw InputError(
            fmt::format("{}: error: --restart: dataset has another shape than this run writes "
                        "(another model version?)",
                        d.location().where()));
      auto values = d.read<float>();
      values.resize(static_cast<std::size_t>(rows) * cells);
      frames_pending_[i] = std::move(values);
    }
    frames_pending_rows_ = rows;
  }
  steps_written_ = step;
  sim.load_state(checkpoint.open_group("state"));
  write_pending();
  commit_index();
  remove_other_data_folders();
}

void RunWriter::open_data_folder() {
  // A restart from this output's own working file must not touch the folder
  // that file still names until the new index is committed: take a new name.
  std::error_code ec;
  const std::string base = absolute(partial_) + ".data";
  std::string folder = base;
  for (int n = 1; fs::exists(folder, ec); ++n) folder = base + "." + std::to_string(n);
  if (!fs::create_directory(folder, ec))
    throw RunError(fmt::format("{}: cannot create the working folder: {}", folder, ec.message()));
  data_dir_ = folder;
}

void RunWriter::open_static() {
  // Kept open read-only: each commit copies its root attributes (opening an
  // HDF5 file costs more than the whole rest of a small commit).
  static_ = h5::File((fs::path(data_dir_) / kStatic).string(), h5::File::Mode::kReadOnly);
}

void RunWriter::remove_other_data_folders() const {
  std::error_code ec;
  for (const auto& folder : data_folders(partial_))
    if (!fs::equivalent(folder, data_dir_, ec)) fs::remove_all(folder, ec);
}

void RunWriter::write_static(const Scenario& s, const Simulation& sim, int threads) {
  h5::File f((fs::path(data_dir_) / kStatic).string(), h5::File::Mode::kCreate);
  f.set_attr("format", std::string("borderland"));
  f.set_attr("format_version", kFormatVersion);
  f.set_attr("model", s.model);
  f.set_attr("scenario", s.name);
  f.set_attr("seed", static_cast<std::int64_t>(s.seed));
  f.set_attr("start", s.start.iso());
  f.set_attr("end", s.end.iso());
  f.set_attr("borderland_version", std::string(kVersion));
  f.set_attr("git_commit", std::string(kGitCommit));
  f.set_attr("created_utc", utc_now());
  f.set_attr("threads", std::int64_t{threads});
  h5::Group g = f.create_group("scenario");
  g.write_string("given", s.given_yaml, "the scenario file as given")
      .set_attr("overrides", join(s.overrides, "\n"));
  g.write_string("resolved", s.resolved_yaml, "the scenario with every default filled in");
  g.set_attr("source", s.source);

  const Grid& grid = sim.grid();
  h5::Group map = f.create_group("map");
  map.set_attr("lon0", grid.geo().lon0);
  map.set_attr("lat0", grid.geo().lat0);
  map.set_attr("dlon", grid.geo().dlon);
  map.set_attr("dlat", grid.geo().dlat);
  map.set_attr("nx", std::int64_t{grid.nx()});
  map.set_attr("ny", std::int64_t{grid.ny()});
  map.set_attr("registration", std::string("corner"));
  map.set_attr("edges", std::string(grid.edges() == Edges::kTorus ? "torus" : "bounded"));
  const std::vector<hsize_t> shape{static_cast<hsize_t>(grid.ny()),
                                   static_cast<hsize_t>(grid.nx())};
  // No structured binding here: clang 14 (the fuzz build) cannot capture one in a lambda.
  for (const auto& layer : grid.layers())
    std::visit(
        [&](const auto& l) { map.write(layer.first, l.values, shape, l.units, l.description); },
        layer.second);
  sim.write_map_tables(map);
  f.close();
}

void RunWriter::create_columns(const Simulation& sim) {
  auto add = [&](auto&&... args) {
    columns_.push_back(std::make_unique<RawColumn>(std::forward<decltype(args)>(args)...));
    return columns_.back().get();
  };
  add("timeseries", "step", Stored::kInt64, std::vector<hsize_t>{}, "day",
      "step index (0 = start date)");
  add("timeseries", "date", Stored::kText, std::vector<hsize_t>{}, "",
      "calendar date of the step (YYYY-MM-DD)", kDateWidth);
  series_at_ = columns_.size();
  for (const std::size_t i : series_index_) {
    const SeriesSpec& s = schema_.series[i];
    std::vector<hsize_t> row;
    if (!s.labels.empty()) row.push_back(s.labels.size());
    add("timeseries", s.name, series_type(s.kind), row, s.units, s.description)->labels =
        join(s.labels, ",");
  }
  if (events_) {
    add("events", "step", Stored::kInt64, std::vector<hsize_t>{}, "day", "step of the event");
    add("events", "date", Stored::kText, std::vector<hsize_t>{}, "", "date of the event",
        kDateWidth);
  }
  events_at_ = columns_.size();
  if (events_)
    for (const auto& c : schema_.event_columns)
      add("events", c.name, event_type(c.kind), std::vector<hsize_t>{}, c.units, c.description);
  snapshots_at_ = columns_.size();
  if (!snapshot_fields_.empty()) {
    ny_ = sim.grid().ny();
    nx_ = sim.grid().nx();
    add("snapshots", "step", Stored::kInt64, std::vector<hsize_t>{}, "day",
        "step of each snapshot");
    add("snapshots", "date", Stored::kText, std::vector<hsize_t>{}, "", "date of each snapshot",
        kDateWidth);
    for (const auto& name : snapshot_fields_) {
      const FieldSpec* spec = nullptr;
      for (const auto& f : schema_.fields)
        if (f.name == name) spec = &f;
      field_units_.push_back(spec ? spec->units : "");
      field_descriptions_.push_back(spec ? spec->description : "");
    }
    frames_pending_.assign(snapshot_fields_.size(), {});
  }
  for (auto& c : columns_) c->open(data_dir_);
}

void RunWriter::add_step(std::int64_t step, Date date, const StepRecord& record) {
  column(0).push_int(step);
  column(1).push_text(date.iso());
  for (std::size_t k = 0; k < series_index_.size(); ++k) {
    RawColumn& c = column(series_at_ + k);
    const std::size_t i = series_index_[k];
    if (schema_.series[i].kind == ValueKind::kCount)
      for (double v : record.series[i]) c.push_int(static_cast<std::int64_t>(v));
    else
      for (double v : record.series[i]) c.push_real(v);
  }
  if (events_)
    for (const auto& row : record.events) {
      column(events_at_ - 2).push_int(step);
      column(events_at_ - 1).push_text(date.iso());
      for (std::size_t c = 0; c < row.size(); ++c) {
        RawColumn& col = column(events_at_ + c);
        switch (schema_.event_columns[c].kind) {
          case ColumnKind::kInteger:
            col.push_int(std::get<std::int64_t>(row[c]));
            break;
          case ColumnKind::kReal:
            col.push_real(std::get<double>(row[c]));
            break;
          case ColumnKind::kText:
            col.push_text(std::get<std::string>(row[c]));
            break;
        }
      }
    }
  steps_written_ = step + 1;
}

void RunWriter::add_snapshot(std::int64_t step, Date date, const Simulation& sim) {
  if (snapshot_fields_.empty()) return;
  column(snapshots_at_).push_int(step);
  column(snapshots_at_ + 1).push_text(date.iso());
  std::vector<double> values;
  for (std::size_t i = 0; i < snapshot_fields_.size(); ++i) {
    sim.snapshot(snapshot_fields_[i], values);
    if (values.size() != static_cast<std::size_t>(ny_ * nx_))
      throw RunError(fmt::format("snapshot {}: internal: {} values for a {}x{} grid",
                                 snapshot_fields_[i], values.size(), ny_, nx_));
    frames_pending_[i].insert(frames_pending_[i].end(), values.begin(), values.end());
  }
  ++frames_pending_rows_;
}

void RunWriter::write_pending() {
  for (auto& c : columns_) c->write_pending();
  write_frames();
}

unsigned RunWriter::frame_level() const {
  return ny_ * nx_ >= kCompressFrameCells ? kFrameDeflateLevel : 0;
}

void RunWriter::write_frames() {
  if (frames_pending_rows_ == 0) return;
  // Closed under a temporary name, then renamed: an index only ever maps complete batches.
  const std::string file =
      (fs::path(data_dir_) / fmt::format("snapshots-{}.h5", frames_written_)).string();
  const std::string tmp = file + ".tmp";
  const auto ny = static_cast<hsize_t>(ny_), nx = static_cast<hsize_t>(nx_);
  try {
    h5::File f(tmp, h5::File::Mode::kCreate);
    for (std::size_t i = 0; i < snapshot_fields_.size(); ++i) {
      h5::Dataset ds =
          f.create_frames(snapshot_fields_[i], frames_pending_rows_, ny, nx, frame_level());
      h5::check(H5Dwrite(ds.id(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                         frames_pending_[i].data()),
                ds.location(), "write snapshots");
    }
    f.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    throw RunError(fmt::format("{}: cannot rename to {}: {}", tmp, file, errno_text(errno)));
  frame_batches_.push_back({file, frames_pending_rows_});
  frames_written_ += frames_pending_rows_;
  frames_pending_rows_ = 0;
  for (auto& v : frames_pending_) v.clear();
}

void RunWriter::commit_index() {
  // The index is written whole under a temporary name and renamed over the
  // previous one: a reader (or a kill) sees the old index or the new one.
  const std::string tmp = partial_ + ".tmp";
  try {
    h5::File f(tmp, h5::File::Mode::kCreate);
    const std::string static_file = (fs::path(data_dir_) / kStatic).string();
    static_.copy_attrs_to(f);
    f.set_attr("partial_steps", steps_written_);
    f.set_attr("partial_data", data_dir_);
    f.link_external("scenario", static_file, "/scenario");
    f.link_external("map", static_file, "/map");
    if (!checkpoint_.empty()) f.link_external("checkpoint", checkpoint_, "/checkpoint");
    for (const auto& c : columns_) {
      h5::Group g = f.require_group(c->group());
      c->declare(g);
    }
    if (!snapshot_fields_.empty()) {
      h5::Group g = f.require_group("snapshots");
      std::vector<std::string> files;
      std::vector<hsize_t> rows;
      for (const auto& b : frame_batches_) files.push_back(b.file), rows.push_back(b.rows);
      for (std::size_t i = 0; i < snapshot_fields_.size(); ++i)
        g.create_virtual_frames(snapshot_fields_[i], files, rows, "/" + snapshot_fields_[i],
                                static_cast<hsize_t>(ny_), static_cast<hsize_t>(nx_),
                                field_units_[i], field_descriptions_[i]);
    }
    if (events_) {
      h5::Group events = f.open_group("events");
      std::vector<std::string> names{"step", "date"};
      for (const auto& c : schema_.event_columns) names.push_back(c.name);
      events.set_attr("kind", std::string("table"));
      events.set_attr("columns", join(names, ","));
    }
    f.close();
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (::rename(tmp.c_str(), partial_.c_str()) != 0)
    throw RunError(fmt::format("{}: cannot rename to {}: {}", tmp, partial_, errno_text(errno)));
}

void RunWriter::flush() {
  write_pending();
  commit_index();
}

void RunWriter::save_checkpoint(std::int64_t next_step, Date date, const Simulation& sim,
                                std::int64_t every) {
  write_pending();
  const std::string file =
      (fs::path(data_dir_) / fmt::format("checkpoint-{}.h5", next_step)).string();
  const std::string tmp = file + ".tmp";
  {
    h5::File f(tmp, h5::File::Mode::kCreate);
    h5::Group g = f.create_group("checkpoint");
    g.set_attr("step", next_step);
    g.set_attr("every", every);
    g.set_attr("date", date.iso());
    g.set_attr("model", static_.attr_string("model"));
    g.set_attr(
        "description",
        std::string("the full state before this step; run --restart FILE continues from it"));
    h5::Group state = g.create_group("state");
    sim.save_state(state);
    f.close();
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0)
    throw RunError(fmt::format("{}: cannot rename to {}: {}", tmp, file, errno_text(errno)));
  const std::string previous = checkpoint_;
  checkpoint_ = file;
  commit_index();
  std::error_code ec;
  if (!previous.empty() && previous != file) fs::remove(previous, ec);
}

RunWriter::~RunWriter() {
  if (finished_) return;
  try {  // keep what we have: the index names every row written
    flush();
  } catch (...) {
  }
}

namespace {
// The final file's dimension scales (docs/hdf5_layout.md, "Coordinates").
void attach_all(std::vector<h5::Dataset>& datasets, std::size_t from, const h5::Dataset& scale,
                unsigned dim) {
  for (std::size_t i = from; i < datasets.size(); ++i) datasets[i].attach_scale(scale, dim);
}

}  // namespace

void RunWriter::finish(const std::map<std::string, double>& summary) {
  write_pending();
  const std::string tmp = (fs::path(data_dir_) / "final.h5").string();
  {  // the final file is at most about the working data's size (it is compressed)
    std::uintmax_t bytes = kFinalSlackBytes;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(data_dir_, ec))
      bytes += entry.is_regular_file(ec) ? entry.file_size(ec) : 0;
    ensure_space(tmp, bytes);
  }
  try {
    h5::File f(tmp, h5::File::Mode::kCreate);
    static_.copy_attrs_to(f);
    static_.copy_to("scenario", f);
    static_.copy_to("map", f);
    if (!checkpoint_.empty()) {
      const h5::File ck(checkpoint_, h5::File::Mode::kReadOnly);
      ck.copy_to("checkpoint", f);
    }
    {  // every object handle of the file ends before its close
      std::map<std::string, std::vector<h5::Dataset>> written;
      for (const auto& c : columns_) {
        h5::Group g = f.require_group(c->group());
        written[c->group()].push_back(c->write_final(g));
      }
      // Snapshot fields: the batches' compressed chunks, copied as they are (each batch file
      // opened once: opening an HDF5 file costs more than copying a small batch).
      if (!snapshot_fields_.empty()) {
        h5::Group g = f.require_group("snapshots");
        std::vector<h5::Dataset> fields;
        for (std::size_t i = 0; i < snapshot_fields_.size(); ++i)
          fields.push_back(g.create_frames(snapshot_fields_[i], frames_written_,
                                           static_cast<hsize_t>(ny_), static_cast<hsize_t>(nx_),
                                           frame_level(), field_units_[i], field_descriptions_[i]));
        hsize_t row = 0;
        for (const auto& b : frame_batches_) {
          const h5::File batch(b.file, h5::File::Mode::kReadOnly);
          for (std::size_t i = 0; i < snapshot_fields_.size(); ++i) {
            const h5::Dataset from = batch.open_dataset(snapshot_fields_[i]);
            for (hsize_t r = 0; r < b.rows; ++r) {
              std::uint32_t mask = 0;
              const auto bytes = from.read_chunk({r, 0, 0}, mask);
              fields[i].write_chunk({row + r, 0, 0}, mask, bytes);
            }
          }
          row += b.rows;
        }
        for (auto& ds : fields) written["snapshots"].push_back(std::move(ds));
      }
      const std::string start = f.attr_string("start");
      // The time coordinate of /timeseries and /snapshots is a dataset `time` (CF: days since
      // the start), so that netCDF readers name the dimension `time`; `step` stays beside it.
      for (const char* group : {"timeseries", "snapshots"}) {
        if (!written.count(group)) continue;
        auto& ds = written[group];
        h5::Group g = f.open_group(group);
        h5::Dataset time = write_time_scale(g, ds.front().read<std::int64_t>(), start);
        attach_all(ds, 0, time, 0);
      }
      {  // [T, k] series: dimension k is a scale of the labels, in the series' group (netCDF
         // readers take coordinates from the group itself; borderland's readers skip scales)
        auto& ds = written["timeseries"];
        h5::Group g = f.open_group("timeseries");
        for (std::size_t i = 0; i < ds.size(); ++i) {
          const RawColumn& c = column(i);
          if (c.labels.empty()) continue;
          h5::Dataset scale = g.write_text(c.name() + "_label", split(c.labels, ','),
                                           "labels of the columns of /timeseries/" + c.name());
          scale.make_scale(c.name() + "_label");
          ds[i].attach_scale(scale, 1);
        }
      }
      if (written.count("snapshots")) {
        h5::Group g = f.open_group("snapshots");
        const h5::Group map = f.open_group("map");
        const double lon0 = map.attr_double("lon0"), lat0 = map.attr_double("lat0");
        const double dlon = map.attr_double("dlon"), dlat = map.attr_double("dlat");
        std::vector<double> lat(static_cast<std::size_t>(ny_)), lon(static_cast<std::size_t>(nx_));
        for (std::size_t i = 0; i < lat.size(); ++i)
          lat[i] = lat0 + (static_cast<double>(i) + 0.5) * dlat;
        for (std::size_t i = 0; i < lon.size(); ++i)
          lon[i] = lon0 + (static_cast<double>(i) + 0.5) * dlon;
        h5::Dataset la = g.write("lat", lat, {lat.size()}, "degrees_north",
                                 "latitude of the cell centres (row iy)");
        la.set_attr("standard_name", std::string("latitude"));
        la.set_attr("axis", std::string("Y"));
        la.make_scale("lat");
        h5::Dataset lo = g.write("lon", lon, {lon.size()}, "degrees_east",
                                 "longitude of the cell centres (column ix)");
        lo.set_attr("standard_name", std::string("longitude"));
        lo.set_attr("axis", std::string("X"));
        lo.make_scale("lon");
        auto& ds = written["snapshots"];
        for (std::size_t i = 2; i < ds.size(); ++i) {
          ds[i].attach_scale(la, 1);
          ds[i].attach_scale(lo, 2);
        }
      }
      if (events_) {  // events: one dimension, the event's row
        auto& ds = written["events"];
        std::vector<std::int64_t> rows(ds.empty() ? 0 : ds.front().shape().at(0));
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::int64_t>(i);
        h5::Group g = f.open_group("events");
        std::vector<std::string> names{"step", "date"};
        for (const auto& c : schema_.event_columns) names.push_back(c.name);
        g.set_attr("kind", std::string("table"));
        g.set_attr("columns", join(names, ","));
        h5::Dataset row = g.write("event", rows, {rows.size()}, "1", "row of the event table");
        row.make_scale("event");
        attach_all(ds, 0, row, 0);
      }
      if (!summary.empty()) {
        h5::Group g = f.create_group("summary");
        // Each metric is [1]: one run. The `run` scale at the root (not in /summary, which
        // holds only metrics) gives netCDF readers the dimension, as /runs/run does in sweeps.
        h5::Dataset run = f.write(std::string("run"), std::vector<std::int64_t>{0}, {1}, "1",
                                  "the run (a run file holds one; the dimension of /summary/*)");
        run.make_scale("run");
        for (const auto& [name, value] : summary) {
          const SummarySpec* spec = schema_.summary_spec(name);
          g.write(name, std::vector<double>{value}, {1}, spec ? spec->units : "",
                  spec ? spec->description : "end-of-run metric '" + name + "' of the model")
              .attach_scale(run, 0);
        }
      }
    }
    f.close();
    commit_file(tmp, path_);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  finished_ = true;
  std::error_code ec;
  static_.close();
  fs::remove(partial_, ec);
  fs::remove_all(data_dir_, ec);
  lock_.release();
}

}  // namespace borderland::sim
