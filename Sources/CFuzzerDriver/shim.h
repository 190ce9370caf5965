// libFuzzer's driver entry point (compiler-rt, linked by `-sanitize=fuzzer`). Only fuzz builds
// (`-DFUZZING`) call it: SwiftPM gives every executable its own `main`, so the fuzz targets start
// libFuzzer from there instead of using libFuzzer's `main`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
