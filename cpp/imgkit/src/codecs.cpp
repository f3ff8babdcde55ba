// Codec facades. No codec has a Rust port yet: each routes to legacy, counted.
#include "imgkit/legacy/codecs.hpp"

#include "components.hpp"
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::Component;
using routing::id;
using routing::route_legacy;

DecodedImage decode_pnm(const Bytes& bytes, const DecodeLimits& limits) {
  return route_legacy<DecodedImage>(id(Component::kDecodePnm),
                                    [&] { return legacy::decode_pnm(bytes, limits); });
}

Bytes encode_pnm(const Image& image, PnmEncoding encoding) {
  return route_legacy<Bytes>(id(Component::kEncodePnm),
                             [&] { return legacy::encode_pnm(image, encoding); });
}

Bytes encode_pnm(const Image16& image, PnmEncoding encoding) {
  return route_legacy<Bytes>(id(Component::kEncodePnm),
                             [&] { return legacy::encode_pnm(image, encoding); });
}

DecodedImage decode_png(const Bytes& bytes, const DecodeLimits& limits) {
  return route_legacy<DecodedImage>(id(Component::kDecodePng),
                                    [&] { return legacy::decode_png(bytes, limits); });
}

Bytes encode_png(const Image& image) {
  return route_legacy<Bytes>(id(Component::kEncodePng), [&] { return legacy::encode_png(image); });
}

Bytes encode_png(const Image16& image) {
  return route_legacy<Bytes>(id(Component::kEncodePng), [&] { return legacy::encode_png(image); });
}

}  // namespace imgkit
