#include "imgkit/parity.hpp"

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "capture.hpp"
#include "components.hpp"
#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"

namespace imgkit::parity {
namespace {

using Clock = std::chrono::steady_clock;
using routing::router;

template <class F>
auto timed(std::chrono::nanoseconds& elapsed, F&& f) {
  const auto start = Clock::now();
  auto result = f();
  elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
  return result;
}

// The category of a Rust input error: that of the caller's error it carries.
std::string category_of(const switchyard::RustError& error) {
  if (error.kind != switchyard::RustFailure::kInputError || !error.caller_error) return "";
  try {
    std::rethrow_exception(error.caller_error);
  } catch (const Error& caller_error) {
    return std::string(to_string(caller_error.category()));
  } catch (...) {
  }
  return "";
}

// Legacy's answer, or the category and message it threw.
template <class Answer>
struct LegacyOutcome {
  std::optional<Answer> answer;
  std::string category;
  std::string message;
};

// One component called both ways on the same arguments, compared as shadow mode would.
template <class P, class Input, class... Args>
Case run_case(std::string parameters, const Input& input, const Args&... args) {
  using Answer = typename P::Answer;
  const switchyard::ComponentId component = routing::id<P>();
  Case result;
  result.component = router().catalog().components()[component].name;
  result.parameters = std::move(parameters);

  const auto legacy = timed(result.legacy_time, [&] {
    LegacyOutcome<Answer> outcome;
    try {
      outcome.answer = P::legacy(input, args...);
    } catch (const Error& error) {
      outcome.category = std::string(to_string(error.category()));
      outcome.message = error.what();
    } catch (const std::exception& error) {
      outcome.category = "internal";
      outcome.message = error.what();
    }
    return outcome;
  });
  const auto rust = timed(result.rust_time, [&] { return P::rust(input, args...); });

  const auto* rust_answer = std::get_if<Answer>(&rust);
  const auto* rust_error = std::get_if<switchyard::RustError>(&rust);
  if (legacy.answer && rust_answer) {
    const std::uint32_t tolerance = router().config().components[component].tolerance;
    if (auto record = P::compare(*legacy.answer, *rust_answer, tolerance)) {
      result.verdict = Verdict::kMismatch;
      result.max_difference = record->max_difference;
      result.detail = record->detail.empty()
                          ? "first difference at x=" + std::to_string(record->x) +
                                " y=" + std::to_string(record->y) +
                                " channel=" + std::to_string(record->channel)
                          : record->detail;
    }
    return result;
  }
  const std::string legacy_side =
      legacy.answer ? "legacy answered" : "legacy: " + legacy.category + ": " + legacy.message;
  std::string rust_side = "rust answered";
  std::string rust_category;
  if (rust_error) {
    rust_category = category_of(*rust_error);
    rust_side = rust_error->kind == switchyard::RustFailure::kInputError
                    ? "rust: " + rust_category + ": " + rust_error->message
                    : "rust failed: " + rust_error->message;
  }
  const bool same_rejection = !legacy.answer && rust_error &&
                              rust_error->kind == switchyard::RustFailure::kInputError &&
                              rust_category == legacy.category;
  result.verdict = same_rejection ? Verdict::kBothRejected : Verdict::kErrorDisagreement;
  result.detail = legacy_side + "; " + rust_side;
  return result;
}

// A port's parameter types, as its legacy call takes them (decayed), and its input's.
template <class F>
struct Signature;
template <class R, class In, class... Args>
struct Signature<R (*)(const In&, Args...)> {
  using Parameters = std::tuple<std::decay_t<Args>...>;
};

// Reads P's parameters from a capture and runs the case on `input`.
template <class P, class Input, class LegacyCall>
Case replay_on(routing::CallReader& reader, const Input& input, LegacyCall /*legacy*/,
               const std::string& label) {
  typename Signature<LegacyCall>::Parameters parameters;
  std::apply([&](auto&... each) { (reader.read(each), ...); }, parameters);
  reader.finish();
  return std::apply([&](const auto&... each) { return run_case<P>(label, input, each...); },
                    parameters);
}

template <class P>
Case replay_port(const switchyard::CaptureFile& file, const std::string& label) {
  routing::CallReader reader(file);
  if constexpr (P::reads == routing::Reads::kFile) {
    return replay_on<P>(reader, reader.file(), &P::legacy, label);
  } else {
    const DecodedImage image = reader.image();
    if constexpr (P::reads == routing::Reads::kImage) {
      const Image* eight_bit = std::get_if<Image>(&image);
      if (eight_bit == nullptr) {
        throw Error(ErrorCategory::kMalformedData,
                    "capture file: " + file.component + " takes an 8-bit image");
      }
      return replay_on<P>(reader, *eight_bit, &P::legacy, label);
    } else {
      return std::visit(
          [&](const auto& raster) {
            using SampleType = std::decay_t<decltype(*raster.data())>;
            return replay_on<P>(reader, raster, &P::template legacy<SampleType>, label);
          },
          image);
    }
  }
}

}  // namespace

Case replay_capture(const std::string& path, std::uint64_t max_bytes) {
  switchyard::CaptureFile file;
  try {
    file = switchyard::read_capture(path, max_bytes);
  } catch (const std::runtime_error& e) {
    throw Error(ErrorCategory::kMalformedData, e.what());
  }
  std::optional<Case> result;
  routing::for_each_component([&](auto port) {
    using P = typename decltype(port)::type;
    if (P::declaration.rust_port != switchyard::RustPort::kAvailable) return;
    if (P::declaration.name != file.component) return;
    result = replay_port<P>(file, std::filesystem::path(path).filename().string());
  });
  if (!result) {
    throw Error(ErrorCategory::kMalformedData,
                path + ": component '" + file.component + "' has no Rust port in this build");
  }
  return *result;
}

std::string_view to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::kMatch:
      return "match";
    case Verdict::kBothRejected:
      return "both_rejected";
    case Verdict::kMismatch:
      return "mismatch";
    case Verdict::kErrorDisagreement:
      return "error_disagreement";
  }
  return "error_disagreement";
}

std::vector<Case> run_file(const std::vector<std::uint8_t>& file, FileFormat format) {
  std::optional<DecodedImage> decoded;
  try {
    decoded = format == FileFormat::kPng ? legacy::decode_png(file, DecodeLimits{})
                                         : legacy::decode_pnm(file, DecodeLimits{});
  } catch (const Error&) {
    // Only the decoder applies to a file legacy rejects.
  }
  std::optional<Image> image;
  if (decoded) image = to_8bit(*decoded);
  const routing::Sample sample{format, &file, decoded ? &*decoded : nullptr,
                               image ? &*image : nullptr};

  // Every component with a Rust port, in catalog order, with each of its parameter sets.
  std::vector<Case> cases;
  routing::for_each_component([&](auto port) {
    using P = typename decltype(port)::type;
    if (P::declaration.rust_port != switchyard::RustPort::kAvailable) return;
    P::parity(sample, [&](std::string_view parameters, const auto& input, const auto&... args) {
      cases.push_back(run_case<P>(std::string(parameters), input, args...));
    });
  });
  return cases;
}

}  // namespace imgkit::parity
