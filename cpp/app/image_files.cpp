#include "image_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "imgkit/imgkit.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

Error file_error(ErrorCategory category, const std::string& path, const std::string& what) {
  return Error(category, path + ": " + what);
}

// Keeps the channels a PNM of this format can hold.
Image for_pnm(const Image& image, FileFormat format) {
  if (format == FileFormat::kPgm) return image.channels() == 1 ? image : to_grayscale(image);
  const bool want_rgb = format == FileFormat::kPpm || image.channels() != 1;
  if (!want_rgb || image.channels() == 3) return image;
  Image rgb(image.width(), image.height(), 3);
  for (std::size_t i = 0; i < image.pixel_count(); ++i) {
    for (std::uint32_t c = 0; c < 3; ++c) {
      // Gray replicates into R, G, B; RGBA keeps R, G, B.
      const std::size_t from = image.channels() == 1 ? i : i * image.channels() + c;
      rgb.data()[i * 3 + c] = image.data()[from];
    }
  }
  return rgb;
}

Bytes encode_for(FileFormat format, const Image& image) {
  if (format == FileFormat::kPng) return encode_png(image);
  return encode_pnm(for_pnm(image, format));
}

bool write_all(int fd, const Bytes& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

std::string system_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw file_error(ErrorCategory::kInternal, path,
                     std::string("cannot open: ") + std::strerror(errno));
  }
  Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw file_error(ErrorCategory::kInternal, path, "read failed");
  return bytes;
}

void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  const std::filesystem::path target(path);
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    throw file_error(ErrorCategory::kInternal, path,
                     system_error("cannot create a temporary file"));
  }
  // mkstemp creates the file 0600; give the output the permissions a plain create would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  std::string failure;
  if (::fchmod(fd, 0666 & ~mask) != 0) {
    failure = system_error("chmod failed");
  } else if (!write_all(fd, bytes)) {
    failure = system_error("write failed");
  } else if (::fsync(fd) != 0) {
    failure = system_error("fsync failed");
  }
  if (::close(fd) != 0 && failure.empty()) failure = system_error("close failed");
  if (failure.empty() && std::rename(temp.c_str(), path.c_str()) != 0) {
    failure = system_error("rename failed");
  }
  if (!failure.empty()) {
    std::remove(temp.c_str());
    throw file_error(ErrorCategory::kInternal, path, failure);
  }
}

FileFormat format_for_path(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") return FileFormat::kPng;
  if (extension == ".pgm") return FileFormat::kPgm;
  if (extension == ".ppm") return FileFormat::kPpm;
  if (extension == ".pnm") return FileFormat::kPnm;
  throw UsageError(path + ": unknown image format '" + extension +
                   "' (use .png, .pgm, .ppm or .pnm)");
}

Image read_image(const std::string& path) {
  const FileFormat format = format_for_path(path);
  const Bytes bytes = read_bytes(path);
  try {
    return to_8bit(format == FileFormat::kPng ? decode_png(bytes) : decode_pnm(bytes));
  } catch (const Error& e) {
    throw file_error(e.category(), path, e.what());
  }
}

void write_image(const std::string& path, const Image& image) {
  const FileFormat format = format_for_path(path);
  Bytes bytes;
  try {
    bytes = encode_for(format, image);
  } catch (const Error& e) {
    throw file_error(e.category(), path, e.what());
  }
  write_atomically(path, bytes);
}

std::string describe_image(const Image& image) {
  static constexpr const char* kChannelNames[] = {"", "gray", "", "RGB", "RGBA"};
  return std::to_string(image.width()) + "x" + std::to_string(image.height()) + " " +
         kChannelNames[image.channels()];
}

}  // namespace imgkit::cli
