/* c_blur IMAGE.ppm: a C program on the installed C API (imgkit.h, -limgkit): decodes the
 * image, blurs it and prints the library it ran on and a checksum of the result, so the
 * same binary can be compared on libimgkit.so and on libimgkit_rs.so. */
#include <imgkit.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c_blur IMAGE.ppm\n");
    return 2;
  }
  FILE* file = fopen(argv[1], "rb");
  if (!file) {
    perror(argv[1]);
    return 1;
  }
  static uint8_t bytes[1 << 20];
  const size_t len = fread(bytes, 1, sizeof bytes, file);
  fclose(file);

  imgkit_image* image = NULL;
  int status = imgkit_decode_pnm(bytes, len, &image);
  if (status != IMGKIT_OK) {
    fprintf(stderr, "decode: %s: %s\n", imgkit_status_message(status), imgkit_last_error());
    return 1;
  }
  uint8_t* blurred = malloc(image->len);
  status = imgkit_gaussian_blur(image->data, image->width, image->height, image->channels, 2.0f,
                                blurred);
  if (status != IMGKIT_OK) {
    fprintf(stderr, "gaussian_blur: %s: %s\n", imgkit_status_message(status), imgkit_last_error());
    return 1;
  }
  unsigned long sum = 0;
  for (size_t i = 0; i < image->len; ++i) sum = sum * 31 + blurred[i];
  printf("%s %s %ux%ux%u %lx\n", imgkit_implementation(), imgkit_version(), image->width,
         image->height, image->channels, sum);
  free(blurred);
  imgkit_image_release(image);
  return 0;
}
