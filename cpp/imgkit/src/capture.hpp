// A component call as a capture file holds it (switchyard/capture.hpp), and back.
//
// When a shadow comparison fails and [switchyard] capture_dir is set, the router asks
// the call's CallInput for the call: its input (an encoded file, or an image's samples)
// becomes the file's payload, and its parameters a JSON list the "call" object carries:
//
//   "call": { "input": {"kind": "image", "width": 640, "height": 480, "channels": 3,
//                       "bits": 8},                  // or {"kind": "file", "bytes": N}
//             "parameters": [{"float": 2.0}, {"uint32": 4}, {"flip_axis": "vertical"},
//                            {"resize_filter": "bilinear"}, {"pnm_encoding": "plain"},
//                            {"kernel": {"width": 3, "height": 3, "weights": [...]}},
//                            {"decode_limits": {"max_pixels": N, "max_bytes": N}}] }
//
// A 16-bit image's samples are little-endian. `imgkit parity --replay DIR` reads the files
// back (parity::replay_capture) and calls both implementations with exactly those
// arguments. A parameter type without an add()/read() overload here does not compile:
// how it is written down is a decision, not a default.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "compare.hpp"
#include "imgkit/image.hpp"
#include "imgkit/legacy/codecs.hpp"
#include "imgkit/params.hpp"
#include "switchyard/capture.hpp"

namespace imgkit::routing {

// Builds the "call" object and the payload of one captured call.
class CallWriter {
 public:
  CallWriter();
  ~CallWriter();
  CallWriter(const CallWriter&) = delete;
  CallWriter& operator=(const CallWriter&) = delete;

  // The input; false (and nothing copied) when its bytes exceed max_payload_bytes.
  bool input(const legacy::Bytes& file, std::uint64_t max_payload_bytes);
  bool input(const Image& image, std::uint64_t max_payload_bytes);
  bool input(const Image16& image, std::uint64_t max_payload_bytes);

  void add(float value);
  void add(std::uint32_t value);
  void add(const Kernel& kernel);
  void add(FlipAxis axis);
  void add(ResizeFilter filter);
  void add(PnmEncoding encoding);
  void add(const DecodeLimits& limits);

  switchyard::CapturedCall finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Reads a captured call back; every read throws imgkit::Error (malformed_data) naming
// what is missing or of the wrong type.
class CallReader {
 public:
  explicit CallReader(const switchyard::CaptureFile& file);
  ~CallReader();
  CallReader(const CallReader&) = delete;
  CallReader& operator=(const CallReader&) = delete;

  legacy::Bytes file() const;
  DecodedImage image() const;  // at the depth it was captured at

  // The next parameter, which must be of this type.
  void read(float& value);
  void read(std::uint32_t& value);
  void read(Kernel& kernel);
  void read(FlipAxis& axis);
  void read(ResizeFilter& filter);
  void read(PnmEncoding& encoding);
  void read(DecodeLimits& limits);
  // Throws when parameters are left over: the file was not written for this component.
  void finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The CallInput a facade hands the router with each call (switchyard/router.hpp).
template <class Input, class... Args>
class PortCallInput {
 public:
  PortCallInput(const Input& input, const Args&... args) : input_(input), args_(args...) {}

  void describe(switchyard::MismatchRecord& record) const { describe_input(record, input_); }

  std::optional<switchyard::CapturedCall> capture(std::uint64_t max_payload_bytes) const {
    CallWriter writer;
    if (!writer.input(input_, max_payload_bytes)) return std::nullopt;
    std::apply([&](const auto&... args) { (writer.add(args), ...); }, args_);
    return writer.finish();
  }

 private:
  const Input& input_;
  std::tuple<const Args&...> args_;
};

}  // namespace imgkit::routing
