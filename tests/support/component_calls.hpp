// Every component of the list (cpp/imgkit/src/components.hpp) called three ways — its
// public facade, legacy, Rust — on the samples a test image makes, with each answer
// flattened to comparable numbers. The calls are each port's own parameter sets (and
// the parameters it must refuse), so a component joins every suite that reads these
// lists (facade modes, fault matrix, call sizes, parity on generated images) by joining
// the component list.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "components.hpp"
#include "support/test_images.hpp"
#include "support/test_samples.hpp"

namespace imgkit::testing {

// An answer as numbers: an image's shape and samples, a file's bytes, histogram counts
// or a level. `width`/`height`/`channels` are 0 for answers that are not images.
struct Answer {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t channels = 0;
  std::vector<std::uint64_t> values;

  bool operator==(const Answer& other) const {
    return width == other.width && height == other.height && channels == other.channels &&
           values == other.values;
  }
};

template <class Sample>
Answer answer_of(const Raster<Sample>& image) {
  return {image.width(), image.height(), image.channels(),
          std::vector<std::uint64_t>(image.samples().begin(), image.samples().end())};
}
inline Answer answer_of(const DecodedImage& image) {
  return std::visit([](const auto& raster) { return answer_of(raster); }, image);
}
inline Answer answer_of(const std::vector<std::uint8_t>& bytes) {
  return {0, 0, 0, std::vector<std::uint64_t>(bytes.begin(), bytes.end())};
}
inline Answer answer_of(const std::vector<legacy::Histogram>& histograms) {
  Answer answer;
  for (const auto& h : histograms) answer.values.insert(answer.values.end(), h.begin(), h.end());
  return answer;
}
inline Answer answer_of(std::uint8_t level) { return {0, 0, 0, {level}}; }

// The largest difference between two answers of the same shape; UINT64_MAX when the
// shapes differ.
inline std::uint64_t max_difference(const Answer& a, const Answer& b) {
  if (a.width != b.width || a.height != b.height || a.channels != b.channels ||
      a.values.size() != b.values.size()) {
    return UINT64_MAX;
  }
  std::uint64_t worst = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    worst = std::max(
        worst, a.values[i] > b.values[i] ? a.values[i] - b.values[i] : b.values[i] - a.values[i]);
  }
  return worst;
}

// Rust's answer, or why there is none.
using RustAnswer = std::variant<Answer, switchyard::RustError>;

// One parameter set of one component, on one kind of sample.
struct ComponentCall {
  std::string name;     // the component, as the config file names it
  std::string variant;  // the sample and the parameters, for test names
  SampleKind sample;
  std::uint32_t tolerance;  // the component's declared tolerance
  std::function<Answer(const Image&)> facade;
  std::function<Answer(const Image&)> legacy;
  std::function<RustAnswer(const Image&)> rust;
};

// The image shapes every component is exercised on: 1x1 in every channel count, a row, a
// column, odd sizes and (outside sanitizer builds, where it would take minutes) one
// 3840x2160.
struct TestShape {
  std::uint32_t width;
  std::uint32_t height;
  std::uint32_t channels;

  std::string name() const {
    return std::to_string(width) + "x" + std::to_string(height) + "x" + std::to_string(channels);
  }
};

inline std::vector<TestShape> test_shapes() {
  std::vector<TestShape> all = {{1, 1, 1}, {1, 1, 3}, {1, 1, 4},   {9, 1, 1},
                                {1, 9, 3}, {7, 5, 3}, {33, 17, 4}, {64, 64, 1}};
#if !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
  all.push_back({3840, 2160, 1});
#endif
  return all;
}

// Whether `call` runs on images of this shape: at 8 MP, only on the 8-bit PNG sample (the
// others hold the same pixels) and never as plain-text PNM (30 MB of digits).
inline bool runs_on(const ComponentCall& call, const TestShape& shape) {
  return shape.width * shape.height <= 1'000'000 ||
         (call.sample == SampleKind::kPng8 && call.variant.find("plain") == std::string::npos);
}

// The component and the variant, as a test's name.
template <class Call>
std::string test_name(const Call& call) {
  return call.variant.empty() ? call.name : call.name + "_" + call.variant;
}

// One parameter set both implementations must refuse alike; each call throws.
struct RejectedCall {
  std::string name;
  std::string variant;
  std::function<void(const Image&)> facade;
  std::function<void(const Image&)> legacy;
  std::function<RustAnswer(const Image&)> rust;
};

namespace detail {

// "1.5x+1 bilinear" -> "1_5x_1_bilinear": a label as part of a test name.
inline std::string identifier(std::string_view label) {
  std::string out;
  for (const char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

template <class P>
Answer flattened(const typename P::Answer& answer) {
  return answer_of(P::comparable(answer));
}

// What the three ways of calling P give, as `call(input, parameters...)`.
template <class P>
struct Ways {
  static constexpr auto facade = [](const auto&... arguments) {
    return flattened<P>(P::facade(arguments...));
  };
  static constexpr auto legacy = [](const auto&... arguments) {
    return flattened<P>(P::legacy(arguments...));
  };
  static constexpr auto rust = [](const auto&... arguments) -> RustAnswer {
    auto result = P::rust(arguments...);
    if (auto* error = std::get_if<switchyard::RustError>(&result)) return std::move(*error);
    return flattened<P>(std::get<typename P::Answer>(result));
  };
};

// Sets(sample, run) enumerates calls as run(label, input, parameters...); this runs the
// n-th of them on a sample of `image` through `call`, which returns an R.
template <class P, class R, class Sets, class Call>
R nth_call(const Image& image, SampleKind kind, std::size_t n, Sets sets, Call call) {
  const TestSample sample(image, kind, P::reads);
  std::optional<R> result;
  std::size_t index = 0;
  sets(sample.view(), [&](std::string_view, const auto& input, const auto&... parameters) {
    if (index++ == n) result = call(input, parameters...);
  });
  if (!result) throw std::logic_error(std::string(P::declaration.name) + ": no such call");
  return *result;
}

// The labels Sets gives a sample of this kind (the same for every image).
template <class P, class Sets>
std::vector<std::string> labels_of(SampleKind kind, Sets sets) {
  const Image probe = generated_image(2, 2, 3);
  const TestSample sample(probe, kind, P::reads);
  std::vector<std::string> labels;
  sets(sample.view(), [&](std::string_view label, const auto&...) { labels.emplace_back(label); });
  return labels;
}

// The sample's kind (unless the port reads the 8-bit image, which only one kind has) and
// the parameters.
template <class P>
std::string variant_name(SampleKind kind, std::string_view label) {
  std::string name = P::reads == routing::Reads::kImage ? "" : std::string(name_of(kind));
  const std::string parameters = identifier(label);
  if (!name.empty() && !parameters.empty()) name += '_';
  return name + parameters;
}

template <class P>
void add_calls(std::vector<ComponentCall>& calls) {
  const auto sets = [](const routing::Sample& sample, auto&& run) { P::parity(sample, run); };
  for (const SampleKind kind : kSampleKinds) {
    const std::vector<std::string> labels = labels_of<P>(kind, sets);
    for (std::size_t n = 0; n < labels.size(); ++n) {
      calls.push_back(
          {std::string(P::declaration.name), variant_name<P>(kind, labels[n]), kind,
           P::declaration.tolerance,
           [=](const Image& i) { return nth_call<P, Answer>(i, kind, n, sets, Ways<P>::facade); },
           [=](const Image& i) { return nth_call<P, Answer>(i, kind, n, sets, Ways<P>::legacy); },
           [=](const Image& i) {
             return nth_call<P, RustAnswer>(i, kind, n, sets, Ways<P>::rust);
           }});
    }
  }
}

template <class P>
void add_rejected_calls(std::vector<RejectedCall>& calls) {
  if constexpr (P::reads == routing::Reads::kImage) {
    const auto sets = [](const routing::Sample& sample, auto&& run) {
      if (sample.image != nullptr) {
        P::rejected_sets(*sample.image, [&](std::string_view label, const auto&... parameters) {
          run(label, *sample.image, parameters...);
        });
      }
    };
    const auto discard = [](auto way) {
      return [way](const auto&... arguments) {
        way(arguments...);
        return 0;
      };
    };
    constexpr SampleKind kind = SampleKind::kPng8;
    const std::vector<std::string> labels = labels_of<P>(kind, sets);
    for (std::size_t n = 0; n < labels.size(); ++n) {
      calls.push_back(
          {std::string(P::declaration.name), variant_name<P>(kind, labels[n]),
           [=](const Image& i) { nth_call<P, int>(i, kind, n, sets, discard(Ways<P>::facade)); },
           [=](const Image& i) { nth_call<P, int>(i, kind, n, sets, discard(Ways<P>::legacy)); },
           [=](const Image& i) {
             return nth_call<P, RustAnswer>(i, kind, n, sets, Ways<P>::rust);
           }});
    }
  }
}

// Every call `add<P>(calls)` makes of every port, in catalog order.
template <class Call, class Add>
std::vector<Call> calls_of_every_component(Add add) {
  std::vector<Call> all;
  routing::for_each_component([&](auto port) { add(port, all); });
  return all;
}

}  // namespace detail

// Every parameter set of every component, on every kind of sample it reads, in catalog
// order (a component's calls are next to each other).
inline const std::vector<ComponentCall>& component_calls() {
  static const std::vector<ComponentCall> calls = detail::calls_of_every_component<ComponentCall>(
      [](auto port, auto& all) { detail::add_calls<typename decltype(port)::type>(all); });
  return calls;
}

// Every parameter set a component lists as one to refuse (image operations).
inline const std::vector<RejectedCall>& rejected_calls() {
  static const std::vector<RejectedCall> calls = detail::calls_of_every_component<RejectedCall>(
      [](auto port, auto& all) { detail::add_rejected_calls<typename decltype(port)::type>(all); });
  return calls;
}

}  // namespace imgkit::testing
