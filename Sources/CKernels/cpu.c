// Code-path selection at run time: which instruction sets the CPU and the operating system
// support (cpuid, and xgetbv for the register state the OS saves), which path is in use, and the
// activation precision of the quantised products. Nothing here depends on compile-time flags.
#include "internal.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/// XCR0 (the register state the OS saves on context switches), or 0 without OSXSAVE.
static uint64_t xcr0(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

/// Bit of the detected mask that says the CPU has AVX512_BF16 (above the paths' bits).
#define SC_BF16_BIT (1 << SC_PATH_COUNT)

/// Bit mask of the paths this CPU and OS can run (bit p = path p), plus SC_BF16_BIT.
static int detect(void) {
    int mask = 1 << SC_PATH_SCALAR;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return mask;
    const int fma = (c >> 12) & 1, f16c = (c >> 29) & 1, avx = (c >> 28) & 1;
    const uint64_t x = xcr0();
    const int ymm_state = (x & 0x6) == 0x6;             // SSE + AVX state
    const int zmm_state = ymm_state && (x & 0xe0) == 0xe0;   // opmask + ZMM0-15 upper + ZMM16-31
    unsigned a7 = 0, b7 = 0, c7 = 0, d7 = 0, a71 = 0, b71 = 0, c71 = 0, d71 = 0;
    __cpuid_count(7, 0, a7, b7, c7, d7);
    if (a7 >= 1) __cpuid_count(7, 1, a71, b71, c71, d71);
    const int avx2 = (b7 >> 5) & 1;
    const int avx512f = (b7 >> 16) & 1, avx512bw = (b7 >> 30) & 1, avx512vl = (b7 >> 31) & 1;
    const int avx512vnni = (c7 >> 11) & 1;
    const int avxvnni = (a71 >> 4) & 1, avx512bf16 = (a71 >> 5) & 1;
    (void)d71; (void)b71; (void)c71; (void)d7;
    if (!(avx && avx2 && fma && f16c && ymm_state)) return mask;
    mask |= 1 << SC_PATH_AVX2;
    if (avxvnni) mask |= 1 << SC_PATH_AVX2_VNNI;
    if (zmm_state && avx512f && avx512bw && avx512vl && avx512vnni) {
        mask |= 1 << SC_PATH_AVX512;
        if (avx512bf16) mask |= SC_BF16_BIT;
    }
    return mask;
}
#else
#define SC_BF16_BIT 0
static int detect(void) { return 1 << SC_PATH_SCALAR; }
#endif

static int supported_mask(void) {
    static _Atomic int mask = -1;   // every thread computes the same value, so racing is harmless
    int m = atomic_load_explicit(&mask, memory_order_relaxed);
    if (m < 0) {
        m = detect();
        atomic_store_explicit(&mask, m, memory_order_relaxed);
    }
    return m;
}

static const char *const names[SC_PATH_COUNT] = {"scalar", "avx2", "avx2-vnni", "avx512"};

/// The default: the first path in this list the CPU supports. Every path has run its KernelTests
/// on hardware. avx2 decodes the default (Q4_1) model as fast as the wider paths; those win on
/// BF16/F16 weights and verify a batch more cheaply, and run when asked for (figures per CPU in
/// docs/performance.md, "Kernel paths").
static const int default_order[] = {SC_PATH_AVX2, SC_PATH_SCALAR};

/// Read on every BF16 product (cpuid itself can cost microseconds in a virtual machine): cached.
int sc_cpu_has_avx512_bf16(void) { return (supported_mask() & SC_BF16_BIT) != 0; }

int sc_path_supported(int path) { return path >= 0 && path < SC_PATH_COUNT && (supported_mask() >> path) & 1; }

const char *sc_path_name(int path) { return path >= 0 && path < SC_PATH_COUNT ? names[path] : "unknown"; }

int sc_path_by_name(const char *name) {
    for (int p = 0; p < SC_PATH_COUNT; p++)
        if (name && strcmp(name, names[p]) == 0) return p;
    return -1;
}

int sc_default_path(void) {
    for (size_t i = 0; i < sizeof default_order / sizeof default_order[0]; i++)
        if (sc_path_supported(default_order[i])) return default_order[i];
    return SC_PATH_SCALAR;
}

static _Atomic int chosen = -1;        // -1: the default path
static _Atomic int precision_mode = SC_PRECISION_ACCURATE;

int sc_set_path(int path) {
    if (path == -1) {
        atomic_store(&chosen, -1);
        return 0;
    }
    if (!sc_path_supported(path)) return -1;
    atomic_store(&chosen, path);
    return 0;
}

int sc_active_path(void) {
    int p = atomic_load_explicit(&chosen, memory_order_relaxed);
    return p < 0 ? sc_default_path() : p;
}

const char *sc_kernel_path(void) { return names[sc_active_path()]; }

void sc_set_precision(int precision) {
    atomic_store(&precision_mode, precision == SC_PRECISION_FAST ? SC_PRECISION_FAST : SC_PRECISION_ACCURATE);
}

int sc_precision(void) { return atomic_load_explicit(&precision_mode, memory_order_relaxed); }
