#include "batch_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <new>
#include <thread>
#include <utility>

#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"
#include "input_file.hpp"
#include "process_command.hpp"
#include "progress.hpp"
#include "staged_file.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

namespace fs = std::filesystem;

struct Job {
  std::string input;
  std::string output;
};

struct Failure {
  std::string input;
  std::string problem;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_image_name(const fs::path& path) {
  const std::string name = path.filename().string();
  if (name.empty() || name[0] == '.') return false;  // hidden, and staged temporaries
  const std::string extension = lower(path.extension().string());
  return extension == ".png" || extension == ".pnm" || extension == ".pgm" || extension == ".ppm" ||
         extension == ".pbm";
}

const char* extension_of(FileFormat format) {
  switch (format) {
    case FileFormat::kPng:
      return ".png";
    case FileFormat::kPgm:
      return ".pgm";
    case FileFormat::kPpm:
      return ".ppm";
    case FileFormat::kPnm:
      return ".pnm";
  }
  return ".png";
}

// The files a batch reads, in a stable order: each directory's images sorted by name,
// then the files named, as given.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (input == kStandardStream) {
      throw UsageError("- (standard input) can only be read alone: 'imgkit process - OUTPUT'");
    }
    std::error_code error;
    if (fs::is_directory(input, error)) {
      std::vector<std::string> found;
      for (const fs::directory_entry& entry : fs::directory_iterator(input, error)) {
        std::error_code entry_error;
        if (entry.is_regular_file(entry_error) && is_image_name(entry.path())) {
          found.push_back(entry.path().string());
        }
      }
      if (error) throw UsageError(input + ": cannot list the directory: " + error.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(input);  // read (and refused by its type, if need be) in its turn
    }
  }
  if (files.empty()) {
    throw UsageError("no images to process (a directory's .png .pnm .pgm .ppm .pbm files)");
  }
  return files;
}

// Where each input is written; UsageError when an output would replace an input or two
// inputs would write one output.
std::vector<Job> plan_jobs(const std::vector<std::string>& files, const std::string& output_dir,
                           std::optional<FileFormat> format) {
  std::vector<Job> jobs;
  std::map<std::string, std::string> outputs;  // output path -> the input writing it
  for (const std::string& file : files) {
    fs::path name = fs::path(file).filename();
    if (format) name.replace_extension(extension_of(*format));
    const std::string output = (fs::path(output_dir) / name).string();
    const auto [existing, added] = outputs.emplace(output, file);
    if (!added) {
      throw UsageError(file + " and " + existing->second + " would both be written to " + output);
    }
    for (const std::string& input : files) {
      if (same_file(input, output)) {
        throw UsageError(output +
                         " is an input too; it would be replaced by its own result "
                         "(choose another output directory)");
      }
    }
    jobs.push_back({file, output});
  }
  return jobs;
}

void prepare_output_dir(const std::string& output_dir) {
  std::error_code error;
  if (fs::exists(output_dir, error) && !fs::is_directory(output_dir, error)) {
    throw UsageError(output_dir +
                     ": not a directory (the last path of a batch is where the "
                     "outputs go)");
  }
  fs::create_directories(output_dir, error);
  if (error) throw UsageError(output_dir + ": cannot create the directory: " + error.message());
}

// One file, as `imgkit process FILE OUTPUT` would; the line the progress shows.
std::string process_one(const Job& job, const std::vector<Operation>& operations,
                        const BatchOptions& options) {
  const switchyard::RouteKeyScope route_key(job.input);  // canary stays sticky per file
  const Transformed transformed = transform(
      job.input, read_input_file(job.input, options.max_input_bytes, "--max-input-mb"), operations,
      output_format(job.output, options.format), job.output, options.max_image_bytes);
  write_atomically(job.output, transformed.encoded.bytes);
  return job.input + " -> " + job.output;
}

class Batch {
 public:
  Batch(const BatchOptions& options, std::vector<Job> jobs, std::vector<Operation> operations)
      : options_(options),
        jobs_(std::move(jobs)),
        operations_(std::move(operations)),
        progress_(std::cerr, jobs_.size(), ::isatty(STDERR_FILENO) == 1) {}

  void run() {
    unsigned workers = options_.jobs != 0 ? options_.jobs : std::thread::hardware_concurrency();
    workers = std::max(1u, std::min<unsigned>(workers, static_cast<unsigned>(jobs_.size())));
    note_progress();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < workers; ++i) threads.emplace_back([this] { work(); });
    work();
    for (std::thread& thread : threads) thread.join();
    progress_.finish();
    set_interrupt_note("");
  }

  const std::vector<Failure>& failures() const { return failures_; }
  std::size_t written() const { return written_.load(); }

 private:
  void work() {
    for (std::size_t index = next_.fetch_add(1); index < jobs_.size(); index = next_.fetch_add(1)) {
      const Job& job = jobs_[index];
      std::string problem;
      try {
        const std::string line = process_one(job, operations_, options_);
        ++written_;
        note_progress();
        progress_.file_done(line, true);
        continue;
      } catch (const UsageError& e) {
        problem = e.what();
      } catch (const Error& e) {
        problem = e.what();
      } catch (const std::bad_alloc&) {
        problem = "out of memory";
      }
      // Most errors name the file already; the rest get its name in front.
      if (problem.rfind(job.input, 0) != 0) problem = job.input + ": " + problem;
      {
        const std::lock_guard lock(failures_mutex_);
        failures_.push_back({job.input, problem});
      }
      note_progress();
      progress_.file_done(problem, false);
    }
  }

  // What an interruption prints: how far the run got.
  void note_progress() {
    set_interrupt_note("imgkit: interrupted: " + std::to_string(written_.load()) + " of " +
                       std::to_string(jobs_.size()) + " files written to " + options_.output_dir +
                       "; no partial file left\n");
  }

  const BatchOptions& options_;
  const std::vector<Job> jobs_;
  const std::vector<Operation> operations_;
  Progress progress_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> written_{0};
  std::mutex failures_mutex_;
  std::vector<Failure> failures_;
};

}  // namespace

bool is_batch(const std::vector<std::string>& paths) {
  if (paths.size() > 2) return true;
  if (paths.size() < 2) return false;
  std::error_code error;
  if (fs::is_directory(paths[1], error)) return true;  // as cp: into the directory
  // A directory read into what is named like an image file is a mistake the single-file
  // command reports ("is a directory, not a regular file"), not a folder to create.
  return fs::is_directory(paths[0], error) && !format_for_extension(paths[1]);
}

int run_batch(const BatchOptions& options) {
  const std::vector<Operation> operations = parse_operations(options.operation_specs);
  if (options.output_dir == kStandardStream) {
    throw UsageError("a batch writes into a directory, not standard output");
  }
  std::vector<Job> jobs =
      plan_jobs(expand_inputs(options.inputs), options.output_dir, options.format);
  if (!options.metrics_json.empty()) {
    for (const Job& job : jobs) {
      if (same_file(options.metrics_json, job.input) ||
          same_file(options.metrics_json, job.output)) {
        throw UsageError("--metrics-json " + options.metrics_json + " is " + job.input +
                         " or its output; it would be overwritten with metrics");
      }
    }
  }
  prepare_output_dir(options.output_dir);

  const auto start = std::chrono::steady_clock::now();
  Batch batch(options, std::move(jobs), operations);
  batch.run();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  if (!options.metrics_json.empty()) {
    imgkit::routing::router().flush_captures();
    const std::string json = switchyard::to_json(imgkit::routing::router().report()) + "\n";
    write_atomically(options.metrics_json, std::vector<std::uint8_t>(json.begin(), json.end()));
  }
  const std::size_t total = batch.written() + batch.failures().size();
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.1f s, %.1f files/s", elapsed.count(),
                elapsed.count() > 0 ? static_cast<double>(total) / elapsed.count() : 0.0);
  std::cout << total << " files: " << batch.written() << " written to " << options.output_dir
            << ", " << batch.failures().size() << " failed (" << rate << ")\n";
  if (batch.failures().empty()) return 0;
  std::vector<Failure> failures = batch.failures();
  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.input < b.input; });
  std::cerr << "imgkit: " << failures.size() << " file(s) failed:\n";
  for (const Failure& failure : failures) {
    std::cerr << "  " << failure.problem << '\n';
  }
  return 1;
}

}  // namespace imgkit::cli
