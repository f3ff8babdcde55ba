#include "operations.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "imgkit/imgkit.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

enum class ValueKind { kNumber, kCount, kChoice };

struct ParameterSpec {
  std::string_view name;
  ValueKind kind;
  std::optional<std::string_view> default_value;  // nullopt: the caller must give it
  std::string_view help;
  std::vector<std::string_view> choices = {};  // for kChoice
};

// The parameters one --op was given, defaults filled in, read with typed accessors.
class Arguments {
 public:
  Arguments(std::string_view op, std::map<std::string, std::string, std::less<>> values)
      : op_(op), values_(std::move(values)) {}

  bool has(std::string_view key) const { return values_.count(key) != 0; }

  float number(std::string_view key) const {
    const std::string& text = value(key);
    float result = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(result)) {
      fail(key, "is not a number");
    }
    return result;
  }

  std::uint32_t count(std::string_view key) const {
    const std::string& text = value(key);
    std::uint32_t result = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (error != std::errc() || end != text.data() + text.size()) {
      fail(key, "is not a whole number");
    }
    return result;
  }

  // The raw value; for kChoice parameters, one of the choices (checked at parse time).
  const std::string& text(std::string_view key) const { return value(key); }

  void require_choice(std::string_view key, const std::vector<std::string_view>& options) const {
    const std::string& text = value(key);
    if (std::find(options.begin(), options.end(), text) == options.end()) {
      std::string list;
      for (auto option : options) list += (list.empty() ? "" : ", ") + std::string(option);
      fail(key, "must be one of: " + list);
    }
  }

  // Throws UsageError unless the value given for `spec` has the right type, so a typo
  // fails before any image is read. Range checks stay with the library.
  void check(const ParameterSpec& spec) const {
    if (!has(spec.name)) return;
    switch (spec.kind) {
      case ValueKind::kNumber:
        (void)number(spec.name);
        break;
      case ValueKind::kCount:
        (void)count(spec.name);
        break;
      case ValueKind::kChoice:
        require_choice(spec.name, spec.choices);
        break;
    }
  }

 private:
  const std::string& value(std::string_view key) const { return values_.find(key)->second; }

  [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
    throw UsageError("--op " + std::string(op_) + ": " + std::string(key) + "=" + value(key) + " " +
                     problem);
  }

  std::string_view op_;
  std::map<std::string, std::string, std::less<>> values_;
};

using ShapeRule = ImageShape (*)(const Image&, const Arguments&);

ImageShape same_shape(const Image& in, const Arguments&) {
  return {in.width(), in.height(), in.channels()};
}

ImageShape gray_shape(const Image& in, const Arguments&) { return {in.width(), in.height(), 1}; }

struct OperationSpec {
  std::string_view name;
  std::string_view summary;
  std::vector<ParameterSpec> parameters;
  std::function<Image(const Image&, const Arguments&)> apply;
  ShapeRule shape = same_shape;
};

// resize keeps the aspect ratio for whichever of width and height is not given. The
// arithmetic is in double and clamped, so an extreme ratio cannot wrap around.
ImageShape resize_shape(const Image& image, const Arguments& args) {
  if (!args.has("width") && !args.has("height")) {
    throw UsageError("--op resize: give width, height or both");
  }
  const double aspect = static_cast<double>(image.width()) / image.height();
  const auto scaled = [](double value) {
    return static_cast<std::uint32_t>(std::clamp(std::round(value), 1.0, 4294967295.0));
  };
  const std::uint32_t width =
      args.has("width") ? args.count("width") : scaled(args.count("height") * aspect);
  const std::uint32_t height = args.has("height") ? args.count("height") : scaled(width / aspect);
  return {width, height, image.channels()};
}

Image apply_resize(const Image& image, const Arguments& args) {
  const ImageShape target = resize_shape(image, args);
  const auto filter =
      args.text("filter") == "nearest" ? ResizeFilter::kNearest : ResizeFilter::kBilinear;
  return resize(image, target.width, target.height, filter);
}

std::uint32_t rotate_turns(const Arguments& args) {
  const std::uint32_t turns = args.count("turns");
  if (turns < 1 || turns > 3) throw UsageError("--op rotate90: turns must be 1, 2 or 3");
  return turns;
}

ImageShape rotate_shape(const Image& image, const Arguments& args) {
  if (rotate_turns(args) % 2 == 0) return {image.width(), image.height(), image.channels()};
  return {image.height(), image.width(), image.channels()};
}

Image apply_rotate90(const Image& image, const Arguments& args) {
  const std::uint32_t turns = rotate_turns(args);
  Image out = rotate90(image);
  for (std::uint32_t i = 1; i < turns; ++i) out = rotate90(out);
  return out;
}

const std::vector<OperationSpec>& operation_table() {
  using K = ValueKind;
  static const std::vector<OperationSpec> table = {
      {"gaussian_blur",
       "Gaussian blur",
       {{"sigma", K::kNumber, std::nullopt, "standard deviation, (0, 64]"}},
       [](const Image& in, const Arguments& a) { return gaussian_blur(in, a.number("sigma")); }},
      {"box_blur",
       "mean of a square window",
       {{"radius", K::kCount, std::nullopt, "window radius, 0..1024"}},
       [](const Image& in, const Arguments& a) { return box_blur(in, a.count("radius")); }},
      {"median_blur",
       "median of a square window",
       {{"radius", K::kCount, "1", "window radius, 1 (3x3) or 2 (5x5)"}},
       [](const Image& in, const Arguments& a) { return median_blur(in, a.count("radius")); }},
      {"sobel",
       "gradient magnitude (gray output)",
       {},
       [](const Image& in, const Arguments&) { return sobel(in); },
       gray_shape},
      {"unsharp_mask",
       "sharpen",
       {{"sigma", K::kNumber, "1", "blur sigma, (0, 64]"},
        {"amount", K::kNumber, "1", "strength, 0..16"}},
       [](const Image& in, const Arguments& a) {
         return unsharp_mask(in, a.number("sigma"), a.number("amount"));
       }},
      {"resize",
       "scale to a new size",
       {{"width", K::kCount, std::nullopt, "pixels (kept in proportion if omitted)"},
        {"height", K::kCount, std::nullopt, "pixels (kept in proportion if omitted)"},
        {"filter", K::kChoice, "bilinear", "nearest | bilinear", {"nearest", "bilinear"}}},
       apply_resize,
       resize_shape},
      {"flip",
       "mirror",
       {{"axis", K::kChoice, "horizontal", "horizontal | vertical", {"horizontal", "vertical"}}},
       [](const Image& in, const Arguments& a) {
         return flip(in,
                     a.text("axis") == "horizontal" ? FlipAxis::kHorizontal : FlipAxis::kVertical);
       }},
      {"rotate90",
       "rotate clockwise",
       {{"turns", K::kCount, "1", "quarter turns, 1..3"}},
       apply_rotate90,
       rotate_shape},
      {"to_grayscale",
       "luminance (gray output)",
       {},
       [](const Image& in, const Arguments&) { return to_grayscale(in); },
       gray_shape},
      {"equalize",
       "histogram equalisation",
       {},
       [](const Image& in, const Arguments&) { return equalize(in); }},
      {"otsu_threshold",
       "binarise at Otsu's level (gray output)",
       {},
       [](const Image& in, const Arguments&) { return otsu_threshold(in); },
       gray_shape},
  };
  return table;
}

const OperationSpec& find_operation(std::string_view name) {
  const auto& table = operation_table();
  auto it = std::find_if(table.begin(), table.end(),
                         [&](const OperationSpec& spec) { return spec.name == name; });
  if (it == table.end()) {
    std::string known;
    for (const auto& spec : table) known += (known.empty() ? "" : ", ") + std::string(spec.name);
    throw UsageError("--op " + std::string(name) + ": unknown operation (known: " + known + ")");
  }
  return *it;
}

// "k=v,k2=v2" -> map, checking every key against the spec and filling in defaults.
std::map<std::string, std::string, std::less<>> parse_parameters(const OperationSpec& spec,
                                                                 std::string_view text) {
  std::map<std::string, std::string, std::less<>> values;
  const std::string op(spec.name);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto equals = item.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      throw UsageError("--op " + op + ": expected key=value, got '" + std::string(item) + "'");
    }
    const std::string key(item.substr(0, equals));
    const bool known = std::any_of(spec.parameters.begin(), spec.parameters.end(),
                                   [&](const ParameterSpec& p) { return p.name == key; });
    if (!known) throw UsageError("--op " + op + ": unknown parameter '" + key + "'");
    if (!values.emplace(key, std::string(item.substr(equals + 1))).second) {
      throw UsageError("--op " + op + ": parameter '" + key + "' given twice");
    }
  }
  for (const auto& parameter : spec.parameters) {
    if (values.count(parameter.name) != 0) continue;
    if (parameter.default_value) {
      values.emplace(std::string(parameter.name), std::string(*parameter.default_value));
    } else if (spec.name != "resize") {  // resize checks its own pair of optional sizes
      throw UsageError("--op " + op + ": missing parameter '" + std::string(parameter.name) + "'");
    }
  }
  return values;
}

// "name(key=value, ...)" with the parameters in the table's order.
std::string describe(const OperationSpec& spec,
                     const std::map<std::string, std::string, std::less<>>& values) {
  std::string text(spec.name);
  std::string separator = "(";
  for (const auto& parameter : spec.parameters) {
    const auto it = values.find(parameter.name);
    if (it == values.end()) continue;
    text += separator + it->first + "=" + it->second;
    separator = ", ";
  }
  return values.empty() ? text : text + ")";
}

}  // namespace

Operation parse_operation(std::string_view spec_text) {
  const auto colon = spec_text.find(':');
  const OperationSpec& spec = find_operation(spec_text.substr(0, colon));
  auto values = parse_parameters(
      spec, colon == std::string_view::npos ? std::string_view() : spec_text.substr(colon + 1));
  std::string description = describe(spec, values);
  Arguments arguments(spec.name, std::move(values));
  for (const auto& parameter : spec.parameters) arguments.check(parameter);
  return Operation{std::move(description),
                   [&spec, arguments](const Image& in) { return spec.apply(in, arguments); },
                   [&spec, arguments](const Image& in) { return spec.shape(in, arguments); }};
}

std::string operations_help() {
  std::ostringstream out;
  for (const auto& spec : operation_table()) {
    out << "  " << spec.name;
    for (const auto& p : spec.parameters) {
      out << (&p == &spec.parameters.front() ? ":" : ",") << p.name << '='
          << (p.default_value ? *p.default_value : "N");
    }
    out << "\n      " << spec.summary;
    for (const auto& p : spec.parameters) out << "; " << p.name << ": " << p.help;
    out << '\n';
  }
  return out.str();
}

}  // namespace imgkit::cli
