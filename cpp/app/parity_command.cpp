#include "parity_command.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/parity.hpp"
#include "input_file.hpp"
#include "staged_file.hpp"
#include "switchyard/capture.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

namespace fs = std::filesystem;
using parity::Case;

// A parity corpus holds test images; one bigger than this is a mistake, not a case.
constexpr std::uint64_t kMaxCorpusFileBytes = std::uint64_t{1} << 30;
using parity::FileFormat;
using parity::Verdict;

std::optional<FileFormat> corpus_format(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") return FileFormat::kPng;
  if (extension == ".pnm" || extension == ".pgm" || extension == ".ppm" || extension == ".pbm") {
    return FileFormat::kPnm;
  }
  return std::nullopt;
}

// Every PNM and PNG file under `dir`, in a stable order.
std::vector<fs::path> corpus_files(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw UsageError(dir + ": not a directory");
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && corpus_format(entry.path())) files.push_back(entry.path());
  }
  if (files.empty()) throw UsageError(dir + ": no PNM or PNG files (.pnm .pgm .ppm .pbm .png)");
  std::sort(files.begin(), files.end());
  return files;
}

struct Tally {
  std::size_t cases = 0;
  std::size_t matches = 0;
  std::size_t both_rejected = 0;
  std::size_t mismatches = 0;
  std::uint32_t max_difference = 0;
  std::size_t error_disagreements = 0;
  std::vector<double> legacy_ms;
  std::vector<double> rust_ms;

  void add(const Case& c) {
    ++cases;
    switch (c.verdict) {
      case Verdict::kMatch:
        ++matches;
        break;
      case Verdict::kBothRejected:
        ++both_rejected;
        break;
      case Verdict::kMismatch:
        ++mismatches;
        max_difference = std::max(max_difference, c.max_difference);
        break;
      case Verdict::kErrorDisagreement:
        ++error_disagreements;
        break;
    }
    legacy_ms.push_back(std::chrono::duration<double, std::milli>(c.legacy_time).count());
    rust_ms.push_back(std::chrono::duration<double, std::milli>(c.rust_time).count());
  }
};

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

void print_table(const std::map<std::string, Tally>& tallies, std::size_t inputs,
                 const char* noun) {
  std::printf("%-15s %6s %8s %9s %10s %8s %10s %10s %8s\n", "component", "cases", "matches",
              "rejected", "mismatches", "max diff", "legacy ms", "rust ms", "speedup");
  for (const auto& [name, t] : tallies) {
    const double legacy = median(t.legacy_ms);
    const double rust = median(t.rust_ms);
    std::printf("%-15s %6zu %8zu %9zu %10zu %8s %10s %10s %8s\n", name.c_str(), t.cases, t.matches,
                t.both_rejected, t.mismatches,
                t.mismatches ? std::to_string(t.max_difference).c_str() : "-",
                fixed(legacy, 3).c_str(), fixed(rust, 3).c_str(),
                rust > 0 ? (fixed(legacy / rust, 2) + "x").c_str() : "-");
    if (t.error_disagreements) {
      std::printf("%-15s   %zu error-category disagreement(s)\n", "", t.error_disagreements);
    }
  }
  std::printf(
      "%zu %s; 'rejected': both implementations rejected the input alike; times "
      "are medians per case\n",
      inputs, noun);
}

nlohmann::json to_json(const std::map<std::string, Tally>& tallies,
                       const nlohmann::json& disagreements, std::size_t files) {
  nlohmann::json components = nlohmann::json::object();
  for (const auto& [name, t] : tallies) {
    components[name] = {{"cases", t.cases},
                        {"matches", t.matches},
                        {"both_rejected", t.both_rejected},
                        {"mismatches", t.mismatches},
                        {"max_difference", t.max_difference},
                        {"error_disagreements", t.error_disagreements},
                        {"legacy_median_ms", median(t.legacy_ms)},
                        {"rust_median_ms", median(t.rust_ms)}};
  }
  return {{"files", files},
          {"agree", disagreements.empty()},
          {"components", components},
          {"disagreements", disagreements}};
}

nlohmann::json disagreement_json(const fs::path& file, const Case& c) {
  return {{"file", file.string()},
          {"component", c.component},
          {"parameters", c.parameters},
          {"verdict", to_string(c.verdict)},
          {"max_difference", c.max_difference},
          {"detail", c.detail}};
}

// --json FILE: the table and every disagreement.
void write_json(const ParityOptions& options, const std::map<std::string, Tally>& tallies,
                const nlohmann::json& disagreements, std::size_t files) {
  if (options.json.empty()) return;
  const std::string text = to_json(tallies, disagreements, files).dump(2) + "\n";
  write_atomically(options.json, std::vector<std::uint8_t>(text.begin(), text.end()));
}

// Copies an input that made the implementations disagree, so that `imgkit parity` on
// the directory replays it.
void save_input(const fs::path& input, const std::string& dir) {
  fs::create_directories(dir);
  const fs::path target = fs::path(dir) / input.filename();
  fs::copy_file(input, target, fs::copy_options::overwrite_existing);
}

// Every capture file under `dir`, in a stable order (their names start with the
// component and the time).
std::vector<fs::path> capture_files(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw UsageError(dir + ": not a directory");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == switchyard::kCaptureExtension) {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) throw UsageError(dir + ": no capture files (*.capture)");
  std::sort(files.begin(), files.end());
  return files;
}

// `imgkit parity --replay DIR`: each captured call run again both ways.
int run_replay(const ParityOptions& options) {
  const std::vector<fs::path> files = capture_files(options.replay_dir);
  std::map<std::string, Tally> tallies;
  nlohmann::json disagreements = nlohmann::json::array();
  std::size_t unreadable = 0;
  for (const fs::path& file : files) {
    Case c;
    try {
      c = parity::replay_capture(file.string(), kMaxCorpusFileBytes);
    } catch (const Error& e) {
      ++unreadable;
      std::cerr << "imgkit parity: cannot replay: " << e.what() << '\n';
      continue;
    }
    tallies[c.component].add(c);
    std::cout << file.filename().string() << ": " << c.component << ": "
              << (c.agrees() ? "agrees now" : "reproduced") << " (" << to_string(c.verdict)
              << (c.detail.empty() ? "" : ": " + c.detail) << ")\n";
    if (c.agrees()) continue;
    disagreements.push_back(disagreement_json(file, c));
  }
  print_table(tallies, files.size() - unreadable, "captures");
  std::printf("%zu captures replayed: %zu reproduce a disagreement, %zu agree now%s\n",
              files.size() - unreadable, disagreements.size(),
              files.size() - unreadable - disagreements.size(),
              unreadable ? (", " + std::to_string(unreadable) + " could not be read").c_str() : "");
  write_json(options, tallies, disagreements, files.size());
  return disagreements.empty() && unreadable == 0 ? 0 : 1;
}

}  // namespace

int run_parity(const ParityOptions& options) {
  if (!options.replay_dir.empty()) return run_replay(options);
  const std::vector<fs::path> files = corpus_files(options.corpus_dir);
  std::map<std::string, Tally> tallies;
  nlohmann::json disagreements = nlohmann::json::array();
  for (const fs::path& file : files) {
    const std::vector<Case> cases = parity::run_file(
        read_input_file(file.string(), kMaxCorpusFileBytes, "a corpus file's limit"),
        *corpus_format(file));
    bool saved = false;
    for (const Case& c : cases) {
      tallies[c.component].add(c);
      if (c.agrees()) continue;
      std::cerr << "imgkit parity: " << to_string(c.verdict) << ": " << c.component
                << (c.parameters.empty() ? "" : " (" + c.parameters + ")") << ": " << file.string()
                << ": " << c.detail << '\n';
      disagreements.push_back(disagreement_json(file, c));
      if (!options.save_mismatches.empty() && !saved) {
        save_input(file, options.save_mismatches);
        saved = true;
      }
    }
  }
  print_table(tallies, files.size(), "files");
  write_json(options, tallies, disagreements, files.size());
  return disagreements.empty() ? 0 : 1;
}

}  // namespace imgkit::cli
