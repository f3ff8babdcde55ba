// Expectations on the imgkit::Error a call throws (header-only, needs gmock).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "imgkit/error.hpp"

namespace imgkit::testing {

namespace detail {

// Matches an imgkit::Error of one category whose message contains every mention.
class ImgkitErrorMatcher : public ::testing::MatcherInterface<const Error&> {
 public:
  ImgkitErrorMatcher(ErrorCategory category, std::vector<std::string> mentions)
      : category_(category), mentions_(std::move(mentions)) {}

  bool MatchAndExplain(const Error& error,
                       ::testing::MatchResultListener* listener) const override {
    const std::string message = error.what();
    *listener << "of category " << to_string(error.category()) << " with message \"" << message
              << "\"";
    if (error.category() != category_) {
      return false;
    }
    for (const std::string& mention : mentions_) {
      if (message.find(mention) == std::string::npos) {
        *listener << ", which does not mention \"" << mention << "\"";
        return false;
      }
    }
    return true;
  }

  void DescribeTo(std::ostream* os) const override {
    *os << "is of category " << to_string(category_);
    if (!mentions_.empty()) {
      *os << " with a message mentioning";
      ListMentions(os);
    }
  }

  void DescribeNegationTo(std::ostream* os) const override {
    *os << "is not of category " << to_string(category_);
    if (!mentions_.empty()) {
      *os << " or has a message missing any of";
      ListMentions(os);
    }
  }

 private:
  void ListMentions(std::ostream* os) const {
    for (std::size_t i = 0; i < mentions_.size(); ++i) {
      *os << (i == 0 ? " \"" : ", \"") << mentions_[i] << "\"";
    }
  }

  ErrorCategory category_;
  std::vector<std::string> mentions_;
};

}  // namespace detail

// Matches a callable that throws imgkit::Error of `category` whose message contains every
// string in `mentions` (typically the function's name and the offending value). On
// failure it prints the category and message actually thrown.
//   EXPECT_THAT([&] { box_blur(image, 1025); },
//               ThrowsImgkitError(ErrorCategory::kInvalidArgument, {"box_blur", "1025"}));
inline auto ThrowsImgkitError(ErrorCategory category, std::vector<std::string> mentions = {}) {
  return ::testing::Throws<Error>(::testing::Matcher<const Error&>(
      new detail::ImgkitErrorMatcher(category, std::move(mentions))));
}

// The category of the imgkit::Error `call` throws; nullopt when it returns.
inline std::optional<ErrorCategory> category_thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.category();
  }
  return std::nullopt;
}

}  // namespace imgkit::testing
