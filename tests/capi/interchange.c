/* The two C libraries are interchangeable: one program, compiled once against imgkit.h,
 * loads libimgkit.so (C++, routed) and libimgkit_rs.so (Rust) by path and calls every
 * function of the header through each, on real and synthetic images and on bad input,
 * and requires the same status and the same output from both.
 *
 *   interchange compare LIB_A LIB_B SAMPLES_DIR [--exact]
 *       Every function, both libraries. Outputs must be equal; without --exact the
 *       filters compared with a tolerance (gaussian_blur, unsharp_mask, convolve) may
 *       differ by 1 per sample and encode_png's bytes may differ (its decoded samples
 *       may not): libimgkit.so on legacy routes runs legacy's code.
 *   interchange faults LIB...
 *       Run with FAILPOINTS set to panic (or throw) in gaussian_blur: each library must
 *       answer IMGKIT_ERR_INTERNAL and keep working.
 *
 * Exit status 0 when everything matched; 1 with one line per difference otherwise. */
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgkit.h"

/* The header's functions, looked up in one library: each pointer has the type of the
 * header's declaration, so a call through it is checked against imgkit.h. */
/* clang-format off */
#define IMGKIT_FUNCTIONS(X) \
  X(version) \
  X(implementation) \
  X(status_message) \
  X(last_error) \
  X(decode_png) \
  X(decode_pnm) \
  X(image_release) \
  X(buffer_release) \
  X(encode_png) \
  X(encode_pnm) \
  X(convolve) \
  X(gaussian_blur) \
  X(box_blur) \
  X(median_blur) \
  X(sobel) \
  X(unsharp_mask) \
  X(resize) \
  X(flip) \
  X(rotate90) \
  X(to_grayscale) \
  X(histogram) \
  X(equalize) \
  X(otsu_level) \
  X(otsu_threshold)
/* clang-format on */

typedef struct Library {
  const char* path;
  void* handle;
#define FIELD(name) __typeof__(imgkit_##name)* name;
  IMGKIT_FUNCTIONS(FIELD)
#undef FIELD
} Library;

static int failures = 0;

static void fail(const char* format, ...) {
  va_list args;
  va_start(args, format);
  fputs("MISMATCH: ", stdout);
  vprintf(format, args);
  fputc('\n', stdout);
  va_end(args);
  ++failures;
}

static Library load(const char* path) {
  Library lib;
  memset(&lib, 0, sizeof lib);
  lib.path = path;
  lib.handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib.handle) {
    fprintf(stderr, "interchange: cannot load %s: %s\n", path, dlerror());
    exit(2);
  }
  /* POSIX: a function's address comes back as void *; memcpy keeps ISO C happy. */
#define LOOKUP(name)                                                     \
  {                                                                      \
    void* address = dlsym(lib.handle, "imgkit_" #name);                  \
    if (!address) {                                                      \
      fprintf(stderr, "interchange: %s lacks imgkit_" #name "\n", path); \
      exit(2);                                                           \
    }                                                                    \
    memcpy(&lib.name, &address, sizeof address);                         \
  }
  IMGKIT_FUNCTIONS(LOOKUP)
#undef LOOKUP
  return lib;
}

/* ---- images ------------------------------------------------------------------------ */

typedef struct Image {
  char name[96];
  uint8_t* samples;
  uint32_t width, height, channels;
} Image;

static size_t image_size(const Image* image) {
  return (size_t)image->width * image->height * image->channels;
}

static uint32_t lcg(uint32_t* state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 24;
}

/* Smooth gradients with noise on top: edges, flat areas and every sample value. */
static Image synthetic(uint32_t width, uint32_t height, uint32_t channels, uint32_t seed) {
  Image image = {{0}, malloc((size_t)width * height * channels), width, height, channels};
  snprintf(image.name, sizeof image.name, "synthetic %ux%ux%u", width, height, channels);
  for (uint32_t y = 0; y < height; ++y) {
    for (uint32_t x = 0; x < width; ++x) {
      for (uint32_t c = 0; c < channels; ++c) {
        const uint32_t base = (x * 255 / width + y * 97 / height + c * 40) & 255;
        const uint32_t noise = lcg(&seed) % 32;
        image.samples[((size_t)y * width + x) * channels + c] = (uint8_t)((base + noise) & 255);
      }
    }
  }
  return image;
}

static uint8_t* read_file(const char* path, size_t* len) {
  FILE* file = fopen(path, "rb");
  if (!file) return NULL;
  fseek(file, 0, SEEK_END);
  const long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  uint8_t* bytes = malloc(size > 0 ? (size_t)size : 1);
  *len = fread(bytes, 1, (size_t)size, file);
  fclose(file);
  return bytes;
}

/* ---- comparing two answers --------------------------------------------------------- */

static int exact = 0;

/* Same status from both; when both succeeded, outputs within `tolerance` per sample. */
static void compare(const char* what, int status_a, int status_b, const uint8_t* a,
                    const uint8_t* b, size_t len, int tolerance) {
  if (status_a != status_b) {
    fail("%s: status %d vs %d", what, status_a, status_b);
    return;
  }
  if (status_a != IMGKIT_OK) return;
  int worst = 0;
  size_t at = 0;
  for (size_t i = 0; i < len; ++i) {
    const int d = abs((int)a[i] - (int)b[i]);
    if (d > worst) worst = d, at = i;
  }
  if (worst > (exact ? 0 : tolerance)) {
    fail("%s: samples differ by %d at %zu (%u vs %u)", what, worst, at, a[at], b[at]);
  }
}

/* Each operation, run the same way on a library: status, output written to `out`. */
typedef struct Op {
  const char* name;
  int tolerance;
  size_t (*out_len)(const Image*);
  int (*run)(const Library*, const Image*, uint8_t*);
} Op;

static size_t same(const Image* image) { return image_size(image); }
static size_t gray(const Image* image) { return (size_t)image->width * image->height; }
static size_t half(const Image* image) {
  return (size_t)((image->width + 1) / 2) * ((image->height + 2) / 3) * image->channels;
}
static size_t bins(const Image* image) { return image->channels * 256 * sizeof(uint64_t); }
static size_t one(const Image* image) {
  (void)image;
  return 1;
}

static const float kSharpen[9] = {0, -1, 0, -1, 5, -1, 0, -1, 0};
static const float kEmboss[15] = {-2, -1, 0, 0, 0, -1, 1, 1, 0.5f, 0, 0, 0, 1, 2, 0.25f};

#define SRC image->samples, image->width, image->height, image->channels
static int op_convolve3(const Library* l, const Image* image, uint8_t* out) {
  return l->convolve(SRC, kSharpen, 3, 3, out);
}
static int op_convolve5x3(const Library* l, const Image* image, uint8_t* out) {
  return l->convolve(SRC, kEmboss, 5, 3, out);
}
static int op_gaussian(const Library* l, const Image* image, uint8_t* out) {
  return l->gaussian_blur(SRC, 1.5f, out);
}
static int op_gaussian_wide(const Library* l, const Image* image, uint8_t* out) {
  return l->gaussian_blur(SRC, 4.0f, out);
}
static int op_box(const Library* l, const Image* image, uint8_t* out) {
  return l->box_blur(SRC, 3, out);
}
static int op_median3(const Library* l, const Image* image, uint8_t* out) {
  return l->median_blur(SRC, 1, out);
}
static int op_median5(const Library* l, const Image* image, uint8_t* out) {
  return l->median_blur(SRC, 2, out);
}
static int op_sobel(const Library* l, const Image* image, uint8_t* out) {
  return l->sobel(SRC, out);
}
static int op_unsharp(const Library* l, const Image* image, uint8_t* out) {
  return l->unsharp_mask(SRC, 2.0f, 1.5f, out);
}
static int op_resize_nearest(const Library* l, const Image* image, uint8_t* out) {
  return l->resize(SRC, (image->width + 1) / 2, (image->height + 2) / 3, IMGKIT_RESIZE_NEAREST,
                   out);
}
static int op_resize_bilinear(const Library* l, const Image* image, uint8_t* out) {
  return l->resize(SRC, (image->width + 1) / 2, (image->height + 2) / 3, IMGKIT_RESIZE_BILINEAR,
                   out);
}
static int op_flip_h(const Library* l, const Image* image, uint8_t* out) {
  return l->flip(SRC, IMGKIT_FLIP_HORIZONTAL, out);
}
static int op_flip_v(const Library* l, const Image* image, uint8_t* out) {
  return l->flip(SRC, IMGKIT_FLIP_VERTICAL, out);
}
static int op_rotate(const Library* l, const Image* image, uint8_t* out) {
  return l->rotate90(SRC, out);
}
static int op_gray(const Library* l, const Image* image, uint8_t* out) {
  return l->to_grayscale(SRC, out);
}
static int op_histogram(const Library* l, const Image* image, uint8_t* out) {
  return l->histogram(SRC, (uint64_t*)(void*)out);
}
static int op_equalize(const Library* l, const Image* image, uint8_t* out) {
  return l->equalize(SRC, out);
}
static int op_otsu_level(const Library* l, const Image* image, uint8_t* out) {
  return l->otsu_level(SRC, out);
}
static int op_otsu_threshold(const Library* l, const Image* image, uint8_t* out) {
  return l->otsu_threshold(SRC, out);
}
#undef SRC

static const Op kOps[] = {
    {"convolve 3x3", 1, same, op_convolve3},
    {"convolve 5x3", 1, same, op_convolve5x3},
    {"gaussian_blur 1.5", 1, same, op_gaussian},
    {"gaussian_blur 4", 1, same, op_gaussian_wide},
    {"box_blur 3", 0, same, op_box},
    {"median_blur 1", 0, same, op_median3},
    {"median_blur 2", 0, same, op_median5},
    {"sobel", 0, gray, op_sobel},
    {"unsharp_mask 2 1.5", 1, same, op_unsharp},
    {"resize nearest", 0, half, op_resize_nearest},
    {"resize bilinear", 0, half, op_resize_bilinear},
    {"flip horizontal", 0, same, op_flip_h},
    {"flip vertical", 0, same, op_flip_v},
    {"rotate90", 0, same, op_rotate},
    {"to_grayscale", 0, gray, op_gray},
    {"histogram", 0, bins, op_histogram},
    {"equalize", 0, same, op_equalize},
    {"otsu_level", 0, one, op_otsu_level},
    {"otsu_threshold", 0, gray, op_otsu_threshold},
};

static void compare_ops(const Library* a, const Library* b, const Image* image) {
  for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; ++i) {
    const Op* op = &kOps[i];
    const size_t len = op->out_len(image);
    /* uint64_t storage keeps histogram counts aligned. */
    uint64_t *out_a = calloc(len / 8 + 1, 8), *out_b = calloc(len / 8 + 1, 8);
    const int status_a = op->run(a, image, (uint8_t*)out_a);
    const int status_b = op->run(b, image, (uint8_t*)out_b);
    char what[160];
    snprintf(what, sizeof what, "%s on %s", op->name, image->name);
    if (status_a != IMGKIT_OK) fail("%s: %s failed: %s", what, a->path, a->last_error());
    compare(what, status_a, status_b, (uint8_t*)out_a, (uint8_t*)out_b, len, op->tolerance);
    free(out_a);
    free(out_b);
  }
}

/* ---- codecs ------------------------------------------------------------------------- */

typedef __typeof__(imgkit_decode_png) Decode;

static void compare_images(const char* what, const imgkit_image* x, const imgkit_image* y) {
  if (x->width != y->width || x->height != y->height || x->channels != y->channels ||
      x->bits_per_sample != y->bits_per_sample || x->len != y->len) {
    fail("%s: %ux%ux%u %u-bit vs %ux%ux%u %u-bit", what, x->width, x->height, x->channels,
         x->bits_per_sample, y->width, y->height, y->channels, y->bits_per_sample);
  } else if (memcmp(x->data, y->data, x->len) != 0) {
    fail("%s: samples differ", what);
  }
}

/* Decodes `bytes` with both libraries; both images (or NULL) through *image_a/b. */
static void compare_decode(const Library* a, const Library* b, int png, const char* what,
                           const uint8_t* bytes, size_t len, imgkit_image** image_a,
                           imgkit_image** image_b) {
  const int status_a = (png ? a->decode_png : a->decode_pnm)(bytes, len, image_a);
  const int status_b = (png ? b->decode_png : b->decode_pnm)(bytes, len, image_b);
  if (status_a != status_b) {
    fail("%s: decode status %d vs %d (%s | %s)", what, status_a, status_b, a->last_error(),
         b->last_error());
  } else if (status_a == IMGKIT_OK) {
    compare_images(what, *image_a, *image_b);
  } else if (*image_a || *image_b) {
    fail("%s: a failed decode left *out set", what);
  }
}

static void compare_encoders(const Library* a, const Library* b, const char* what,
                             const imgkit_image* image) {
  for (int plain = 0; plain <= 1; ++plain) {
    imgkit_buffer *pnm_a = NULL, *pnm_b = NULL;
    const int status_a = a->encode_pnm(image, plain, &pnm_a);
    const int status_b = b->encode_pnm(image, plain, &pnm_b);
    char label[160];
    snprintf(label, sizeof label, "encode_pnm%s of %s", plain ? " plain" : "", what);
    if (status_a != status_b) {
      fail("%s: status %d vs %d", label, status_a, status_b);
    } else if (status_a == IMGKIT_OK &&
               (pnm_a->len != pnm_b->len || memcmp(pnm_a->data, pnm_b->data, pnm_a->len))) {
      fail("%s: bytes differ", label);
    }
    a->buffer_release(pnm_a);
    b->buffer_release(pnm_b);
  }
  imgkit_buffer *png_a = NULL, *png_b = NULL;
  const int status_a = a->encode_png(image, &png_a);
  const int status_b = b->encode_png(image, &png_b);
  char label[160];
  snprintf(label, sizeof label, "encode_png of %s", what);
  if (status_a != status_b) {
    fail("%s: status %d vs %d", label, status_a, status_b);
  } else if (status_a == IMGKIT_OK) {
    if (exact && (png_a->len != png_b->len || memcmp(png_a->data, png_b->data, png_a->len))) {
      fail("%s: bytes differ", label);
    }
    /* Whatever the bytes, each file decodes (by the other library) to the image. */
    /* Each image goes back to the library that allocated it. */
    imgkit_image *a_file_by_b = NULL, *b_file_by_a = NULL;
    if (b->decode_png(png_a->data, png_a->len, &a_file_by_b) != IMGKIT_OK ||
        a->decode_png(png_b->data, png_b->len, &b_file_by_a) != IMGKIT_OK) {
      fail("%s: the encoded file does not decode", label);
    } else {
      compare_images(label, image, a_file_by_b);
      compare_images(label, image, b_file_by_a);
    }
    b->image_release(a_file_by_b);
    a->image_release(b_file_by_a);
  }
  a->buffer_release(png_a);
  b->buffer_release(png_b);
}

static int ends_with(const char* name, const char* suffix) {
  const size_t n = strlen(name), s = strlen(suffix);
  return n >= s && strcmp(name + n - s, suffix) == 0;
}

static void compare_sample(const Library* a, const Library* b, const char* dir, const char* name) {
  const int png = ends_with(name, ".png");
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len = 0;
  uint8_t* bytes = read_file(path, &len);
  if (!bytes) {
    fail("cannot read %s", path);
    return;
  }
  imgkit_image *image_a = NULL, *image_b = NULL;
  compare_decode(a, b, png, name, bytes, len, &image_a, &image_b);
  if (image_a && image_b) {
    compare_encoders(a, b, name, image_a);
    if (image_a->bits_per_sample == 8 && image_a->width <= 1024 && image_a->height <= 1024) {
      Image image = {{0}, image_a->data, image_a->width, image_a->height, image_a->channels};
      snprintf(image.name, sizeof image.name, "%s", name);
      compare_ops(a, b, &image);
    }
  }
  a->image_release(image_a);
  b->image_release(image_b);

  /* Damaged copies of the file: cut short at several points, and a flipped byte. */
  const size_t cuts[] = {0, 1, 8, 20, len / 3, len / 2, len - 1};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; ++i) {
    if (cuts[i] >= len) continue;
    char what[600];
    snprintf(what, sizeof what, "%s cut to %zu bytes", name, cuts[i]);
    image_a = image_b = NULL;
    compare_decode(a, b, png, what, bytes, cuts[i], &image_a, &image_b);
    a->image_release(image_a);
    b->image_release(image_b);
  }
  free(bytes);
}

static void compare_samples(const Library* a, const Library* b, const char* dir) {
  DIR* folder = opendir(dir);
  if (!folder) {
    fail("cannot open %s", dir);
    return;
  }
  const struct dirent* entry;
  int seen = 0;
  while ((entry = readdir(folder)) != NULL) {
    const char* name = entry->d_name;
    if (ends_with(name, ".png") || ends_with(name, ".ppm") || ends_with(name, ".pgm") ||
        ends_with(name, ".pnm")) {
      compare_sample(a, b, dir, name);
      ++seen;
    }
  }
  closedir(folder);
  if (seen == 0) fail("no sample images in %s", dir);
}

/* ---- bad input ------------------------------------------------------------------------ */

/* Both libraries give `expected` (so a shared mistake fails too). */
static void expect(const char* what, int expected, int status_a, int status_b) {
  if (status_a != expected || status_b != expected) {
    fail("%s: expected status %d, got %d and %d", what, expected, status_a, status_b);
  }
}

#define BOTH(call_a, call_b) (call_a), (call_b)
#define EXPECT(what, expected, call) expect(what, expected, BOTH(a->call, b->call))

static void compare_bad_input(const Library* a, const Library* b) {
  uint64_t storage[64 * 64 * 4 / 8 + 8] = {0};
  uint8_t* buf = (uint8_t*)storage;
  uint8_t out[64 * 64 * 4];
  uint64_t counts[4 * 256 + 1];
  const int INVALID = IMGKIT_ERR_INVALID_ARGUMENT, LIMIT = IMGKIT_ERR_LIMIT_EXCEEDED;
  const int MALFORMED = IMGKIT_ERR_MALFORMED_DATA, UNSUPPORTED = IMGKIT_ERR_UNSUPPORTED;

  EXPECT("null src", INVALID, gaussian_blur(NULL, 4, 4, 1, 1.0f, out));
  EXPECT("null dst", INVALID, box_blur(buf, 4, 4, 1, 1, NULL));
  EXPECT("zero width", INVALID, sobel(buf, 0, 4, 1, out));
  EXPECT("zero height", INVALID, equalize(buf, 4, 0, 3, out));
  EXPECT("2 channels", INVALID, flip(buf, 4, 4, 2, IMGKIT_FLIP_VERTICAL, out));
  EXPECT("5 channels", INVALID, rotate90(buf, 4, 4, 5, out));
  /* Sizes whose product overflows size_t: refused before any sample is read. */
  EXPECT("overflowing size", LIMIT, gaussian_blur(buf, 0xFFFFFFFFu, 0xFFFFFFFFu, 4, 1.0f, out));
  EXPECT("overflowing size (histogram)", LIMIT,
         histogram(buf, 0xFFFFFFFFu, 0xFFFFFFFFu, 3, storage));
  EXPECT("dst is src", INVALID, gaussian_blur(buf, 8, 8, 3, 1.0f, buf));
  EXPECT("dst overlaps src", INVALID, box_blur(buf, 8, 8, 1, 1, buf + 1));
  EXPECT("src overlaps dst's end", INVALID, flip(buf + 8, 8, 8, 1, 0, buf));
  EXPECT("gray dst inside src", INVALID, sobel(buf, 8, 8, 3, buf + 100));
  EXPECT("counts overlap src", INVALID, histogram(buf, 8, 8, 1, storage));
  EXPECT("misaligned counts", INVALID,
         histogram(buf, 4, 4, 1, (uint64_t*)(void*)((uint8_t*)counts + 1)));
  EXPECT("sigma 0", INVALID, gaussian_blur(buf, 8, 8, 1, 0.0f, out));
  EXPECT("sigma NaN", INVALID, gaussian_blur(buf, 8, 8, 1, NAN, out));
  EXPECT("sigma 1000", INVALID, unsharp_mask(buf, 8, 8, 1, 1000.0f, 1.0f, out));
  EXPECT("amount -1", INVALID, unsharp_mask(buf, 8, 8, 1, 1.0f, -1.0f, out));
  EXPECT("box radius 5000", INVALID, box_blur(buf, 8, 8, 1, 5000, out));
  EXPECT("median radius 3", INVALID, median_blur(buf, 8, 8, 1, 3, out));
  EXPECT("median radius 0", INVALID, median_blur(buf, 8, 8, 1, 0, out));
  EXPECT("kernel 2x3", INVALID, convolve(buf, 8, 8, 1, kSharpen, 2, 3, out));
  EXPECT("null kernel", INVALID, convolve(buf, 8, 8, 1, NULL, 3, 3, out));
  EXPECT("resize to 0", INVALID, resize(buf, 8, 8, 1, 0, 4, IMGKIT_RESIZE_NEAREST, out));
  EXPECT("resize to 70000", INVALID, resize(buf, 8, 8, 1, 70000, 1, IMGKIT_RESIZE_NEAREST, out));
  EXPECT("resize filter 7", INVALID, resize(buf, 8, 8, 1, 4, 4, 7, out));
  EXPECT("flip axis 9", INVALID, flip(buf, 8, 8, 1, 9, out));
  EXPECT("null level", INVALID, otsu_level(buf, 8, 8, 1, NULL));

  imgkit_image* image = (imgkit_image*)1;
  imgkit_image* image_b = (imgkit_image*)1;
  expect("decode null data", INVALID, a->decode_png(NULL, 10, &image),
         b->decode_png(NULL, 10, &image_b));
  EXPECT("decode null out", INVALID, decode_pnm(buf, 10, NULL));
  static const uint8_t kNotAnImage[] = "GIF89a this is not a PNG";
  image = image_b = NULL;
  expect("decode a GIF as PNG", MALFORMED, a->decode_png(kNotAnImage, sizeof kNotAnImage, &image),
         b->decode_png(kNotAnImage, sizeof kNotAnImage, &image_b));
  if (image || image_b) fail("a failed decode returned an image");
  /* A PNM header promising more samples than follow: the length is what counts. */
  static const uint8_t kShort[] = "P5\n64 64\n255\n\x01\x02\x03";
  image = image_b = NULL;
  expect("PNM shorter than its header", MALFORMED, a->decode_pnm(kShort, sizeof kShort - 1, &image),
         b->decode_pnm(kShort, sizeof kShort - 1, &image_b));
  /* 100000 x 100000: over the default limits, refused from the header alone. */
  static const uint8_t kHuge[] = "P5\n100000 100000\n255\n";
  expect("PNM over the limits", LIMIT, a->decode_pnm(kHuge, sizeof kHuge - 1, &image),
         b->decode_pnm(kHuge, sizeof kHuge - 1, &image_b));

  imgkit_buffer *bytes = NULL, *bytes_b = NULL;
  imgkit_image rgba = {buf, 4 * 4 * 4, 4, 4, 4, 8};
  expect("PNM of RGBA", UNSUPPORTED, a->encode_pnm(&rgba, false, &bytes),
         b->encode_pnm(&rgba, false, &bytes_b));
  imgkit_image wrong_len = {buf, 15, 4, 4, 1, 8};
  expect("image->len wrong", INVALID, a->encode_png(&wrong_len, &bytes),
         b->encode_png(&wrong_len, &bytes_b));
  imgkit_image twelve_bits = {buf, 32, 4, 4, 1, 12};
  expect("12 bits", INVALID, a->encode_png(&twelve_bits, &bytes),
         b->encode_png(&twelve_bits, &bytes_b));
  imgkit_image misaligned = {buf + 1, 32, 4, 4, 1, 16};
  expect("misaligned 16-bit data", INVALID, a->encode_pnm(&misaligned, false, &bytes),
         b->encode_pnm(&misaligned, false, &bytes_b));
  imgkit_image null_data = {NULL, 16, 4, 4, 1, 8};
  expect("null image data", INVALID, a->encode_png(&null_data, &bytes),
         b->encode_png(&null_data, &bytes_b));
  EXPECT("null image", INVALID, encode_png(NULL, &bytes));
  EXPECT("null out", INVALID, encode_pnm(&rgba, true, NULL));
  if (bytes || bytes_b) fail("a failed encode returned bytes");
  a->image_release(NULL);
  b->image_release(NULL);
  a->buffer_release(NULL);
  b->buffer_release(NULL);

  /* After a failure the thread's last error says something. */
  a->sobel(NULL, 1, 1, 1, out);
  b->sobel(NULL, 1, 1, 1, out);
  if (!*a->last_error() || !*b->last_error()) fail("imgkit_last_error() is empty after a failure");
  for (int status = 0; status <= 6; ++status) {
    if (strcmp(a->status_message(status), b->status_message(status)) != 0) {
      fail("status_message(%d): \"%s\" vs \"%s\"", status, a->status_message(status),
           b->status_message(status));
    }
  }
}

static int compare_all(const char* path_a, const char* path_b, const char* samples) {
  const Library a = load(path_a), b = load(path_b);
  printf("A: %s (%s %s)\nB: %s (%s %s)\n", path_a, a.implementation(), a.version(), path_b,
         b.implementation(), b.version());
  if (strcmp(a.version(), b.version()) != 0) fail("versions differ");
  if (strcmp(a.implementation(), b.implementation()) == 0) {
    fail("both libraries are the %s implementation: compare the C++ one with the Rust one",
         a.implementation());
  }
  const uint32_t shapes[][3] = {{1, 1, 1},   {1, 9, 3},     {7, 5, 4},     {64, 48, 1},
                                {64, 48, 3}, {333, 257, 3}, {256, 200, 4}, {3, 700, 1}};
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; ++i) {
    Image image = synthetic(shapes[i][0], shapes[i][1], shapes[i][2], (uint32_t)i + 1);
    compare_ops(&a, &b, &image);
    imgkit_image as_c = {image.samples, image_size(&image), image.width,
                         image.height,  image.channels,     8};
    compare_encoders(&a, &b, image.name, &as_c);
    free(image.samples);
  }
  compare_samples(&a, &b, samples);
  compare_bad_input(&a, &b);
  printf("%s\n", failures ? "FAILED" : "the two libraries agree");
  return failures ? 1 : 0;
}

/* FAILPOINTS makes gaussian_blur panic (Rust) or throw (C++): a status, not a crash. */
static int faults(int count, char** paths) {
  Image image = synthetic(32, 32, 3, 7);
  uint8_t out[32 * 32 * 3];
  for (int i = 0; i < count; ++i) {
    const Library lib = load(paths[i]);
    const int status = lib.gaussian_blur(image.samples, 32, 32, 3, 2.0f, out);
    printf("%s: gaussian_blur -> %d (%s: %s)\n", paths[i], status, lib.status_message(status),
           lib.last_error());
    if (status != IMGKIT_ERR_INTERNAL) fail("%s: expected IMGKIT_ERR_INTERNAL", paths[i]);
    if (lib.box_blur(image.samples, 32, 32, 3, 2, out) != IMGKIT_OK) {
      fail("%s: the next call failed", paths[i]);
    }
  }
  free(image.samples);
  return failures ? 1 : 0;
}

int main(int argc, char** argv) {
  if (argc >= 5 && strcmp(argv[1], "compare") == 0) {
    exact = argc >= 6 && strcmp(argv[5], "--exact") == 0;
    return compare_all(argv[2], argv[3], argv[4]);
  }
  if (argc >= 3 && strcmp(argv[1], "faults") == 0) return faults(argc - 2, argv + 2);
  fprintf(stderr,
          "usage: interchange compare LIB_A LIB_B SAMPLES_DIR [--exact]\n"
          "       interchange faults LIB...\n");
  return 2;
}
