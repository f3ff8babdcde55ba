// Writing outputs so that no run, however it ends, destroys a file.
//
// A StagedFile writes its bytes to a temporary file beside the target (a short name,
// ".imgkit-XXXXXX", so any legal target name still fits), flushes it to disk, and
// renames it over the target only on commit(). Until then the target is untouched; a
// StagedFile that is never committed removes its temporary file, and so does SIGINT,
// SIGTERM or SIGHUP once install_interrupt_cleanup() has run. Several outputs that must
// land together are all staged first, then committed, the most important one last:
//
//   StagedFile metrics(metrics_path, json_bytes);   // throws: nothing renamed yet
//   StagedFile image(output_path, png_bytes);
//   metrics.commit();
//   image.commit();
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace imgkit::cli {

class StagedFile {
 public:
  // Checks the target (check_output_path), then writes `bytes` to a new temporary file
  // in the target's directory. imgkit::Error naming the target on any failure.
  StagedFile(const std::string& target, const std::vector<std::uint8_t>& bytes);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // Renames the temporary file over the target. imgkit::Error naming the target if
  // that fails (the temporary file is then removed).
  void commit();

 private:
  std::string name_;    // as the user gave it, for messages
  std::string target_;  // the file replaced: name_ with symbolic links followed
  std::string temporary_;
  int slot_ = -1;  // the interrupt handler's record of the temporary file
};

// Stages and commits at once: the one-output case.
void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// The file an output path writes: symbolic links followed, so the link stays and its
// target is replaced. imgkit::Error naming the path when that is a directory, FIFO,
// device or socket (renaming over it would replace the node itself).
std::string check_output_path(const std::string& path);

// Whether two paths name the same file: the same inode when both exist, else the same
// path once made absolute and symbolic links resolved.
bool same_file(const std::string& a, const std::string& b);

// Removes every staged temporary file when the process gets SIGINT, SIGTERM or SIGHUP,
// then lets the signal end the process as it would have. Call once, early in main.
void install_interrupt_cleanup();

// What the interrupt handler prints on standard error before the signal ends the process
// (e.g. how far a batch got); empty: nothing. Thread-safe.
void set_interrupt_note(const std::string& note);

}  // namespace imgkit::cli
