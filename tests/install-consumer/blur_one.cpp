// blur_one CONFIG IMAGE.ppm: decodes the image, blurs it, encodes it as PNG and decodes
// that again, every step through imgkit's facades, routed to Rust by CONFIG. Exits 1 when
// a step falls back to legacy or the image comes back with another shape.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "imgkit/imgkit.hpp"
#include "imgkit/routing.hpp"

namespace {

bool answered_by_rust(const char* step) {
  const switchyard::Decision decision = switchyard::Router::last_decision();
  if (decision.route == switchyard::Route::kRust && !decision.fallback) return true;
  std::cerr << "blur_one: " << step << " was not answered by Rust (route "
            << switchyard::to_string(decision.route) << ", fallback "
            << (decision.fallback ? switchyard::to_string(*decision.fallback) : "none") << ")\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: blur_one CONFIG IMAGE.ppm\n";
    return 2;
  }
  try {
    imgkit::routing::start(argv[1], /*watch=*/false);
    std::ifstream file(argv[2], std::ios::binary);
    const imgkit::Bytes bytes{std::istreambuf_iterator<char>(file), {}};

    const imgkit::Image image = imgkit::to_8bit(imgkit::decode_pnm(bytes));
    if (!answered_by_rust("decode_pnm")) return 1;
    const imgkit::Image blurred = imgkit::gaussian_blur(image, 2.0f);
    if (!answered_by_rust("gaussian_blur")) return 1;
    const imgkit::Bytes png = imgkit::encode_png(blurred);
    if (!answered_by_rust("encode_png")) return 1;
    const imgkit::Image back = imgkit::to_8bit(imgkit::decode_png(png));
    if (!answered_by_rust("decode_png")) return 1;

    if (back.width() != image.width() || back.height() != image.height() ||
        back.channels() != image.channels()) {
      std::cerr << "blur_one: the image came back with another shape\n";
      return 1;
    }
    std::printf("blur_one: %ux%u, %zu PNG bytes, every step in Rust\n", back.width(), back.height(),
                png.size());
  } catch (const std::exception& e) {
    std::cerr << "blur_one: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
