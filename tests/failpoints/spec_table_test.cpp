// The shared table of failpoint action lists (tests/data/failpoint_specs.txt), given to
// the C++ parser: every line must get the verdict fail-rs gives it (the Rust side checks
// that, rust/imgkit-failpoints/tests/spec_table.rs), an accepted one must parse to the
// table's canonical form, and a refused one must be refused for the table's reason.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/failpoint_spec.hpp"

namespace {

using switchyard::FailAction;
using switchyard::FailpointError;
using switchyard::FailTask;

struct Line {
  int number = 0;
  bool accept = false;
  std::string actions;
  std::string expected;  // the canonical form (accepted) or the reason (refused)
};

void append_utf8(std::string& text, std::uint32_t code) {
  if (code < 0x80) {
    text += static_cast<char>(code);
  } else if (code < 0x800) {
    text += static_cast<char>(0xC0 | (code >> 6));
    text += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    text += static_cast<char>(0xE0 | (code >> 12));
    text += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    text += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    text += static_cast<char>(0xF0 | (code >> 18));
    text += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    text += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    text += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Reads a quoted string (its opening quote already gone) with the table's escapes (\",
// backslash, \t \n \r \v \f, \u{hex}). nullopt when broken; `rest` gets what follows.
std::optional<std::string> unescape(std::string_view quoted, std::string_view& rest) {
  std::string text;
  for (std::size_t at = 0; at < quoted.size(); ++at) {
    const char c = quoted[at];
    if (c == '"') {
      rest = quoted.substr(at + 1);
      return text;
    }
    if (c != '\\') {
      text += c;
      continue;
    }
    if (++at == quoted.size()) return std::nullopt;
    switch (quoted[at]) {
      case '"':
      case '\\':
        text += quoted[at];
        break;
      case 't':
        text += '\t';
        break;
      case 'n':
        text += '\n';
        break;
      case 'r':
        text += '\r';
        break;
      case 'v':
        text += '\v';
        break;
      case 'f':
        text += '\f';
        break;
      case 'u': {
        const std::size_t close = quoted.find('}', at);
        if (at + 1 >= quoted.size() || quoted[at + 1] != '{' || close == std::string_view::npos) {
          return std::nullopt;
        }
        std::uint32_t code = 0;
        const char* first = quoted.data() + at + 2;
        const char* last = quoted.data() + close;
        const auto [end, error] = std::from_chars(first, last, code, 16);
        if (error != std::errc() || end != last || code > 0x10FFFF) return std::nullopt;
        append_utf8(text, code);
        at = close;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

std::vector<Line> read_table() {
  std::ifstream file(IMGKIT_FAILPOINT_SPECS);
  EXPECT_TRUE(file) << "cannot read " << IMGKIT_FAILPOINT_SPECS;
  std::vector<Line> lines;
  std::string text;
  for (int number = 1; std::getline(file, text); ++number) {
    if (trim(text).empty() || text.front() == '#') continue;
    Line line;
    line.number = number;
    const std::string_view view = text;
    const std::size_t space = view.find(' ');
    const std::string_view verdict = view.substr(0, space);
    line.accept = verdict == "accept";
    std::string_view rest = trim(view.substr(std::min(space, view.size())));
    std::optional<std::string> actions;
    if ((verdict == "accept" || verdict == "reject") && !rest.empty() && rest.front() == '"') {
      actions = unescape(rest.substr(1), rest);
    }
    if (!actions) {
      ADD_FAILURE() << "line " << number << " is not `accept|reject \"actions\" ...`: " << text;
      continue;
    }
    line.actions = *actions;
    line.expected = std::string(trim(rest));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

const char* task_name(FailTask task) {
  switch (task) {
    case FailTask::kOff:
      return "off";
    case FailTask::kReturn:
      return "return";
    case FailTask::kPanic:
      return "panic";
    case FailTask::kPrint:
      return "print";
    case FailTask::kSleep:
      return "sleep";
    case FailTask::kDelay:
      return "delay";
    case FailTask::kYield:
      return "yield";
    case FailTask::kPause:
      return "pause";
  }
  return "?";
}

// The table's canonical form of a parsed action list (its header says how it reads).
std::string canonical(const std::vector<FailAction>& actions) {
  std::string out;
  for (const FailAction& action : actions) {
    if (!out.empty()) out += " -> ";
    if (!(action.probability == 1.0f)) {
      char text[32];
      const auto written = std::to_chars(text, text + sizeof text, action.probability);
      out += "p=" + std::string(text, written.ptr) + " ";
    }
    if (action.max_count) out += "n=" + std::to_string(*action.max_count) + " ";
    out += task_name(action.task);
    switch (action.task) {
      case FailTask::kReturn:
      case FailTask::kPanic:
      case FailTask::kPrint:
        if (action.argument) out += "(" + quoted(*action.argument) + ")";
        break;
      case FailTask::kSleep:
      case FailTask::kDelay:
        out += "(" + std::to_string(action.duration.count()) + ")";
        break;
      case FailTask::kOff:
      case FailTask::kYield:
      case FailTask::kPause:
        break;
    }
  }
  return out;
}

// How the C++ parser words each of the table's reasons, after the action it names.
std::optional<std::string> problem_for(const std::string& reason) {
  if (reason == "parentheses") return "\": parentheses do not match";
  if (reason == "frequency") return "\": frequency \"";
  if (reason == "count") return "\": count \"";
  if (reason == "timeout") return "\": timeout";
  if (reason == "task") return "\": unknown task \"";
  return std::nullopt;
}

TEST(FailpointSpecTable, TheCppParserGivesEveryLineFailRsVerdictAndValues) {
  const std::vector<Line> lines = read_table();
  ASSERT_GT(lines.size(), 100u) << "the table is missing or cut short";
  for (const Line& line : lines) {
    SCOPED_TRACE("line " + std::to_string(line.number) + ": " + quoted(line.actions));
    try {
      const std::vector<FailAction> parsed = switchyard::parse_failpoint_actions(line.actions);
      EXPECT_TRUE(line.accept) << "accepted, as " << canonical(parsed);
      if (line.accept) {
        EXPECT_EQ(canonical(parsed), line.expected);
      }
    } catch (const FailpointError& e) {
      EXPECT_FALSE(line.accept) << "refused: " << e.what();
      if (line.accept) continue;
      const std::optional<std::string> problem = problem_for(line.expected);
      ASSERT_TRUE(problem.has_value()) << "the table names no reason it knows: " << line.expected;
      EXPECT_NE(std::string(e.what()).find(*problem), std::string::npos)
          << e.what() << " does not give the reason " << line.expected;
    }
  }
}

TEST(FailpointSpecTable, TheCanonicalFormQuotesWhatItMust) {
  EXPECT_EQ(canonical(switchyard::parse_failpoint_actions("return(a\"\\\tb)")),
            "return(\"a\\\"\\\\\\tb\")");
  EXPECT_EQ(canonical(switchyard::parse_failpoint_actions("50%2*sleep(3)->off(x)")),
            "p=0.5 n=2 sleep(3) -> off");
}

}  // namespace
