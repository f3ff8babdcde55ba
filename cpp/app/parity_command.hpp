// `imgkit parity CORPUS_DIR`: both implementations of every component on every image of
// a directory tree, a table per component, and an exit status CI can gate on; or, with
// --replay, every call the router captured on a mismatch, run again.
#pragma once

#include <string>

namespace imgkit::cli {

struct ParityOptions {
  std::string corpus_dir;
  std::string json;             // write the results here as JSON ("" = don't)
  std::string save_mismatches;  // copy inputs that disagree here ("" = don't)
  std::string replay_dir;       // replay the *.capture files here instead of a corpus
};

// Prints the table; returns 0 when nothing differs beyond tolerance, 1 otherwise (for a
// replay: when a capture still disagrees, or cannot be read). UsageError when the
// directory is missing or holds no PNM or PNG file (no *.capture file).
int run_parity(const ParityOptions& options);

}  // namespace imgkit::cli
