// Reading what the program is given, bounded: a regular file, or standard input as "-",
// of at most a given size. A directory, FIFO, socket or device is refused by its type
// before anything is read, and no read goes past the limit, so `/dev/zero` or a huge
// file ends at once with an error instead of filling memory.
//
//   std::vector<std::uint8_t> bytes = imgkit::cli::read_input_file(path, 256 << 20,
//                                                                   "--max-input-mb");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imgkit::cli {

// The spelling of standard input and standard output on the command line.
inline constexpr std::string_view kStandardStream = "-";

// The bytes of `path` ("-": standard input). imgkit::Error naming the file when it is
// not a regular file, cannot be read, or holds more than `max_bytes`; the message names
// the limit and `limit_option`, the option that sets it.
std::vector<std::uint8_t> read_input_file(const std::string& path, std::uint64_t max_bytes,
                                          std::string_view limit_option);

// "256 MiB", "1.5 GiB", "812 bytes": a size as a person reads it.
std::string describe_size(std::uint64_t bytes);

}  // namespace imgkit::cli
