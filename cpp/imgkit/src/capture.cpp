#include "capture.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <utility>

#include "imgkit/error.hpp"

namespace imgkit::routing {
namespace {

using Json = nlohmann::json;

[[noreturn]] void malformed(const std::string& problem) {
  throw Error(ErrorCategory::kMalformedData, "capture file: " + problem);
}

template <class Sample>
bool copy_samples(const Raster<Sample>& image, std::uint64_t max_payload_bytes, Json& input,
                  std::vector<std::uint8_t>& payload) {
  const std::uint64_t size = std::uint64_t{image.size()} * sizeof(Sample);
  if (size > max_payload_bytes) return false;
  input = Json{{"kind", "image"},
               {"width", image.width()},
               {"height", image.height()},
               {"channels", image.channels()},
               {"bits", 8 * sizeof(Sample)}};
  payload.resize(static_cast<std::size_t>(size));
  // Little-endian on disk: byte by byte, whatever the host's order.
  for (std::size_t i = 0; i < image.size(); ++i) {
    for (std::size_t b = 0; b < sizeof(Sample); ++b) {
      payload[i * sizeof(Sample) + b] = static_cast<std::uint8_t>(image.data()[i] >> (8 * b));
    }
  }
  return true;
}

template <class Sample>
Raster<Sample> samples_from(const std::vector<std::uint8_t>& payload, std::uint32_t width,
                            std::uint32_t height, std::uint32_t channels) {
  if (width == 0 || height == 0 || channels == 0 || channels > 4) {
    malformed("an image of " + std::to_string(width) + "x" + std::to_string(height) + "x" +
              std::to_string(channels));
  }
  const std::uint64_t samples = std::uint64_t{width} * height * channels;
  if (samples * sizeof(Sample) != payload.size()) {
    malformed("the payload holds " + std::to_string(payload.size()) + " bytes, the image " +
              std::to_string(samples * sizeof(Sample)));
  }
  Raster<Sample> image(width, height, channels);
  for (std::size_t i = 0; i < image.size(); ++i) {
    std::uint32_t value = 0;
    for (std::size_t b = 0; b < sizeof(Sample); ++b) {
      value |= std::uint32_t{payload[i * sizeof(Sample) + b]} << (8 * b);
    }
    image.data()[i] = static_cast<Sample>(value);
  }
  return image;
}

template <class Enum>
struct EnumNames;
template <>
struct EnumNames<FlipAxis> {
  static constexpr const char* key = "flip_axis";
  static constexpr std::pair<FlipAxis, const char*> names[] = {
      {FlipAxis::kHorizontal, "horizontal"}, {FlipAxis::kVertical, "vertical"}};
};
template <>
struct EnumNames<ResizeFilter> {
  static constexpr const char* key = "resize_filter";
  static constexpr std::pair<ResizeFilter, const char*> names[] = {
      {ResizeFilter::kNearest, "nearest"}, {ResizeFilter::kBilinear, "bilinear"}};
};
template <>
struct EnumNames<PnmEncoding> {
  static constexpr const char* key = "pnm_encoding";
  static constexpr std::pair<PnmEncoding, const char*> names[] = {{PnmEncoding::kBinary, "binary"},
                                                                  {PnmEncoding::kPlain, "plain"}};
};

template <class Enum>
Json enum_parameter(Enum value) {
  for (const auto& [each, name] : EnumNames<Enum>::names) {
    if (each == value) return Json{{EnumNames<Enum>::key, name}};
  }
  return Json{{EnumNames<Enum>::key, static_cast<int>(value)}};  // not reached
}

}  // namespace

struct CallWriter::State {
  Json input;
  Json parameters = Json::array();
  std::vector<std::uint8_t> payload;
};

CallWriter::CallWriter() : state_(std::make_unique<State>()) {}
CallWriter::~CallWriter() = default;

bool CallWriter::input(const legacy::Bytes& file, std::uint64_t max_payload_bytes) {
  if (file.size() > max_payload_bytes) return false;
  state_->input = Json{{"kind", "file"}, {"bytes", file.size()}};
  state_->payload = file;
  return true;
}
bool CallWriter::input(const Image& image, std::uint64_t max_payload_bytes) {
  return copy_samples(image, max_payload_bytes, state_->input, state_->payload);
}
bool CallWriter::input(const Image16& image, std::uint64_t max_payload_bytes) {
  return copy_samples(image, max_payload_bytes, state_->input, state_->payload);
}

void CallWriter::add(float value) { state_->parameters.push_back(Json{{"float", value}}); }
void CallWriter::add(std::uint32_t value) { state_->parameters.push_back(Json{{"uint32", value}}); }
void CallWriter::add(const Kernel& kernel) {
  state_->parameters.push_back(
      Json{{"kernel",
            {{"width", kernel.width}, {"height", kernel.height}, {"weights", kernel.weights}}}});
}
void CallWriter::add(FlipAxis axis) { state_->parameters.push_back(enum_parameter(axis)); }
void CallWriter::add(ResizeFilter filter) { state_->parameters.push_back(enum_parameter(filter)); }
void CallWriter::add(PnmEncoding encoding) {
  state_->parameters.push_back(enum_parameter(encoding));
}
void CallWriter::add(const DecodeLimits& limits) {
  state_->parameters.push_back(Json{
      {"decode_limits", {{"max_pixels", limits.max_pixels}, {"max_bytes", limits.max_bytes}}}});
}

switchyard::CapturedCall CallWriter::finish() {
  Json call{{"input", std::move(state_->input)}, {"parameters", std::move(state_->parameters)}};
  return {call.dump(), std::move(state_->payload)};
}

struct CallReader::State {
  Json call;
  const std::vector<std::uint8_t>* payload = nullptr;
  std::size_t next = 0;

  // The next parameter's value, which must be written under `key`.
  const Json& next_parameter(const char* key) {
    const Json& parameters = call["parameters"];
    if (next >= parameters.size()) {
      malformed("parameter " + std::to_string(next + 1) + " (" + key + ") is missing");
    }
    const Json& parameter = parameters[next];
    if (!parameter.is_object() || !parameter.contains(key)) {
      malformed("parameter " + std::to_string(next + 1) + " is " + parameter.dump() +
                ", expected a " + key);
    }
    ++next;
    return parameter[key];
  }
};

CallReader::CallReader(const switchyard::CaptureFile& file) : state_(std::make_unique<State>()) {
  state_->call = Json::parse(file.call_json, nullptr, /*allow_exceptions=*/false);
  if (!state_->call.is_object() || !state_->call.contains("input") ||
      !state_->call["input"].is_object() || !state_->call.contains("parameters") ||
      !state_->call["parameters"].is_array()) {
    malformed("\"call\" is not an object with \"input\" and \"parameters\"");
  }
  state_->payload = &file.payload;
}
CallReader::~CallReader() = default;

legacy::Bytes CallReader::file() const {
  if (state_->call["input"].value("kind", "") != "file") malformed("the input is not a file");
  return *state_->payload;
}

DecodedImage CallReader::image() const {
  const Json& input = state_->call["input"];
  try {
    if (input.value("kind", "") != "image") malformed("the input is not an image");
    const auto width = input.at("width").get<std::uint32_t>();
    const auto height = input.at("height").get<std::uint32_t>();
    const auto channels = input.at("channels").get<std::uint32_t>();
    const auto bits = input.at("bits").get<std::uint32_t>();
    if (bits == 8) return samples_from<std::uint8_t>(*state_->payload, width, height, channels);
    if (bits == 16) return samples_from<std::uint16_t>(*state_->payload, width, height, channels);
    malformed("an image of " + std::to_string(bits) + " bits a sample");
  } catch (const nlohmann::json::exception& e) {
    malformed(std::string("the input's shape: ") + e.what());
  }
}

void CallReader::read(float& value) {
  const Json& json = state_->next_parameter("float");
  if (!json.is_number()) malformed("a float parameter is " + json.dump());
  value = json.get<float>();
}
void CallReader::read(std::uint32_t& value) {
  const Json& json = state_->next_parameter("uint32");
  if (!json.is_number_unsigned() || json.get<std::uint64_t>() > UINT32_MAX) {
    malformed("a uint32 parameter is " + json.dump());
  }
  value = json.get<std::uint32_t>();
}
void CallReader::read(Kernel& kernel) {
  const Json& json = state_->next_parameter("kernel");
  try {
    kernel.width = json.at("width").get<std::uint32_t>();
    kernel.height = json.at("height").get<std::uint32_t>();
    kernel.weights = json.at("weights").get<std::vector<float>>();
  } catch (const nlohmann::json::exception& e) {
    malformed(std::string("a kernel parameter: ") + e.what());
  }
}

namespace {
template <class Enum>
Enum enum_from(const Json& json) {
  if (json.is_string()) {
    for (const auto& [each, name] : EnumNames<Enum>::names) {
      if (json.get<std::string>() == name) return each;
    }
  }
  malformed(std::string("a ") + EnumNames<Enum>::key + " parameter is " + json.dump());
}
}  // namespace

void CallReader::read(FlipAxis& axis) {
  axis = enum_from<FlipAxis>(state_->next_parameter("flip_axis"));
}
void CallReader::read(ResizeFilter& filter) {
  filter = enum_from<ResizeFilter>(state_->next_parameter("resize_filter"));
}
void CallReader::read(PnmEncoding& encoding) {
  encoding = enum_from<PnmEncoding>(state_->next_parameter("pnm_encoding"));
}
void CallReader::read(DecodeLimits& limits) {
  const Json& json = state_->next_parameter("decode_limits");
  try {
    limits.max_pixels = json.at("max_pixels").get<std::uint64_t>();
    limits.max_bytes = json.at("max_bytes").get<std::uint64_t>();
  } catch (const nlohmann::json::exception& e) {
    malformed(std::string("a decode_limits parameter: ") + e.what());
  }
}

void CallReader::finish() const {
  const std::size_t count = state_->call["parameters"].size();
  if (state_->next != count) {
    malformed(std::to_string(count) + " parameters, the component takes " +
              std::to_string(state_->next));
  }
}

}  // namespace imgkit::routing
