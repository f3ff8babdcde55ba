#include "components.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "imgkit/params.hpp"
#include "imgkit/routing.hpp"

namespace imgkit::routing {
namespace {

template <class... Ports>
std::vector<switchyard::ComponentInfo> infos(Components<Ports...> /*list*/) {
  return {switchyard::ComponentInfo{std::string(Ports::declaration.name),
                                    Ports::declaration.rust_port, Ports::declaration.comparison,
                                    Ports::declaration.tolerance}...};
}

}  // namespace

const switchyard::Catalog& catalog() {
  // The limits the imgkit program applies, in MiB, settable in the config's [imgkit]
  // table (and on its command line). 1 TiB at most: beyond that a value is a typo.
  constexpr std::int64_t kMaxMb = std::int64_t{1} << 20;
  switchyard::ProgramSettings limits{
      "imgkit",
      {{"max_input_mb", 1, kMaxMb, kDefaultMaxInputMb},
       {"max_image_mb", 1, kMaxMb, static_cast<std::int64_t>(kDefaultMaxDecodeBytes >> 20)}}};
  static const switchyard::Catalog instance(infos(AllComponents{}), std::move(limits));
  return instance;
}

}  // namespace imgkit::routing
