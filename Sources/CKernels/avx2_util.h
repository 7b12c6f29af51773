// Shared by the AVX2 sources: the target attribute and a fixed-order horizontal sum.
#ifndef SKIPCHAT_AVX2_UTIL_H
#define SKIPCHAT_AVX2_UTIL_H

#include "internal.h"

#include <immintrin.h>

/// Functions using AVX2/FMA/F16C are compiled for them individually (no -march flags), and
/// called only after sc_use_avx2() has checked the CPU.
#define SC_AVX2 __attribute__((target("avx2,fma,f16c")))

/// Sum of the 8 lanes in a fixed order: ((0+4)+(2+6)) + ((1+5)+(3+7)).
SC_AVX2 static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

#endif
