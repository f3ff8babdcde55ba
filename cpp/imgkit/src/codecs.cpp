// Codec facades: every call routed between legacy and the Rust codecs.
#include "facade.hpp"
#include "imgkit/imgkit.hpp"

namespace imgkit {

using routing::DecodePng;
using routing::DecodePnm;
using routing::EncodePng;
using routing::EncodePnm;
using routing::route;

DecodedImage decode_pnm(const Bytes& bytes, const DecodeLimits& limits) {
  return route<DecodePnm>(bytes, limits);
}

Bytes encode_pnm(const Image& image, PnmEncoding encoding) {
  return route<EncodePnm>(image, encoding);
}

Bytes encode_pnm(const Image16& image, PnmEncoding encoding) {
  return route<EncodePnm>(image, encoding);
}

DecodedImage decode_png(const Bytes& bytes, const DecodeLimits& limits) {
  return route<DecodePng>(bytes, limits);
}

Bytes encode_png(const Image& image) { return route<EncodePng>(image); }

Bytes encode_png(const Image16& image) { return route<EncodePng>(image); }

}  // namespace imgkit
