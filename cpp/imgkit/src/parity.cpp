#include "imgkit/parity.hpp"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"
#include "ports.hpp"

namespace imgkit::parity {
namespace {

using Clock = std::chrono::steady_clock;
using routing::id;
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
  const switchyard::ComponentId component = id(P::kComponent);
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

template <class Sample>
void run_encoders(std::vector<Case>& cases, const Raster<Sample>& image) {
  const std::string depth = sizeof(Sample) == 1 ? "8-bit" : "16-bit";
  cases.push_back(run_case<routing::EncodePnm>(depth + " binary", image, PnmEncoding::kBinary));
  cases.push_back(run_case<routing::EncodePnm>(depth + " plain", image, PnmEncoding::kPlain));
  cases.push_back(run_case<routing::EncodePng>(depth, image));
}

void run_operations(std::vector<Case>& cases, const Image& image) {
  using namespace routing;  // the ports, by name
  const Kernel sharpen{3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}};
  const Kernel smear{5, 3, {1, 2, 3, 2, 1, 0, 0, 0, 0, 0, -1, -2, -3, -2, -1}};
  const std::uint32_t w = image.width();
  const std::uint32_t h = image.height();
  cases.push_back(run_case<Convolve>("sharpen 3x3", image, sharpen));
  cases.push_back(run_case<Convolve>("edge 5x3", image, smear));
  cases.push_back(run_case<GaussianBlur>("sigma=0.8", image, 0.8f));
  cases.push_back(run_case<GaussianBlur>("sigma=2", image, 2.0f));
  cases.push_back(run_case<BoxBlur>("radius=1", image, 1u));
  cases.push_back(run_case<BoxBlur>("radius=4", image, 4u));
  cases.push_back(run_case<Sobel>("", image));
  cases.push_back(run_case<UnsharpMask>("sigma=1.5 amount=0.8", image, 1.5f, 0.8f));
  cases.push_back(
      run_case<Resize>("half bilinear", image, (w + 1) / 2, (h + 1) / 2, ResizeFilter::kBilinear));
  cases.push_back(
      run_case<Resize>("half nearest", image, (w + 1) / 2, (h + 1) / 2, ResizeFilter::kNearest));
  cases.push_back(run_case<Resize>("1.5x+1 bilinear", image, w + w / 2 + 1, h + h / 2 + 1,
                                   ResizeFilter::kBilinear));
  cases.push_back(run_case<Flip>("horizontal", image, FlipAxis::kHorizontal));
  cases.push_back(run_case<Flip>("vertical", image, FlipAxis::kVertical));
  cases.push_back(run_case<Rotate90>("", image));
  cases.push_back(run_case<ToGrayscale>("", image));
  cases.push_back(run_case<HistogramPort>("", image));
  cases.push_back(run_case<Equalize>("", image));
  cases.push_back(run_case<OtsuLevel>("", image));
  cases.push_back(run_case<OtsuThreshold>("", image));
}

}  // namespace

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
  std::vector<Case> cases;
  const DecodeLimits limits;
  cases.push_back(format == FileFormat::kPng ? run_case<routing::DecodePng>("", file, limits)
                                             : run_case<routing::DecodePnm>("", file, limits));
  std::optional<DecodedImage> decoded;
  try {
    decoded = format == FileFormat::kPng ? legacy::decode_png(file, limits)
                                         : legacy::decode_pnm(file, limits);
  } catch (const Error&) {
    return cases;  // nothing more applies to a file legacy rejects
  }
  std::visit([&](const auto& image) { run_encoders(cases, image); }, *decoded);
  run_operations(cases, to_8bit(std::move(*decoded)));
  return cases;
}

}  // namespace imgkit::parity
