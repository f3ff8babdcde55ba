// `imgkit process DIR... OUTDIR --op ...` and `imgkit process FILE... OUTDIR --op ...`:
// the main job over many images.
//
// Every image file directly in each DIR (.png .pnm .pgm .ppm .pbm, any case; hidden files
// skipped) and every FILE named is processed as `imgkit process` would process it alone
// and written to OUTDIR under its own name (its extension changed to --format's, when
// given), atomically. Files run in parallel, --jobs at a time (default: the cores): the
// legacy codecs and kernels are single-threaded, and the Rust kernels share one rayon
// pool whatever the number of callers, so more jobs than cores would only add memory. A
// bad file is reported and skipped, the rest go on; a summary ends the run, and the exit
// status is 1 when any file failed, each named. SIGINT, SIGTERM or SIGHUP leave no
// partial file and say how many files were written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image_files.hpp"

namespace imgkit::cli {

struct BatchOptions {
  std::vector<std::string> inputs;  // files and directories
  std::string output_dir;           // created when missing
  std::vector<std::string> operation_specs;
  std::optional<FileFormat> format;
  std::string metrics_json;  // empty: none
  std::uint64_t max_input_bytes = 0;
  std::uint64_t max_image_bytes = 0;
  unsigned jobs = 0;  // 0: the cores
};

// Whether `imgkit process PATHS...` is a batch: more than one input, an output that is an
// existing directory (as cp: the image goes into it), or an input that is a directory
// with an output not named like an image file (it is created).
bool is_batch(const std::vector<std::string>& paths);

// Runs a batch once routing has started; returns the exit status (0, or 1 when a file
// failed). UsageError for how it was called (no images, an output that would replace an
// input, two inputs with one output name, a bad operation), before any file is written.
int run_batch(const BatchOptions& options);

}  // namespace imgkit::cli
