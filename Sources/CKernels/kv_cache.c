// Rounding of keys and values into a KV cache's element type (sc_kv_type). One portable
// conversion for every kernel path: the cache holds the same bits whichever path wrote it.
#include "internal.h"

/// float32 → IEEE binary16, rounded to nearest even; ≥ 65520 in magnitude becomes infinity,
/// values below 2^-14 become subnormals (or zero), NaN stays NaN (made quiet).
static inline uint16_t fp32_to_fp16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u, ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return (uint16_t)(sign | 0x7e00u | ((ax >> 13) & 0x3ffu));
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);          // 65520 and up (and infinity)
    if (ax >= 0x38800000u) {                                            // normal: rebias 127 → 15, round 23 → 10 bits
        uint32_t base = ax - 0x38000000u;
        return (uint16_t)(sign | ((base + 0xfffu + ((base >> 13) & 1u)) >> 13));
    }
    if (ax < 0x33000000u) return (uint16_t)sign;                        // ≤ 2^-25 rounds to zero
    uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;            // value = m · 2^(e − 150)
    int shift = 126 - (int)e;                                           // in units of 2^-24: m >> shift
    uint32_t q = m >> shift, rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (q & 1u))) q++;
    return (uint16_t)(sign | q);
}

void sc_kv_store(void *dst, const float *src, int64_t n, int kv_type) {
    switch (kv_type) {
    case SC_KV_F16:
        for (int64_t i = 0; i < n; i++) ((uint16_t *)dst)[i] = fp32_to_fp16(src[i]);
        break;
    case SC_KV_BF16:
        for (int64_t i = 0; i < n; i++) ((uint16_t *)dst)[i] = sc_fp32_to_bf16(src[i]);
        break;
    default:
        memcpy(dst, src, (size_t)n * sizeof(float));
    }
}
