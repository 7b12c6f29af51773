// Shared by the x86 vector sources: target attributes (or SIMDe emulation for the tests), a
// fixed-order horizontal sum, and the float-like weight kinds.
#ifndef SKIPCHAT_AVX2_UTIL_H
#define SKIPCHAT_AVX2_UTIL_H

#include "internal.h"

#ifdef SC_EMULATE_SIMD
// scripts/check-kernels-emulated.sh compiles the vector paths with SIMDe, which emulates the
// intrinsics in portable C, to test paths this CPU cannot run. Target attributes are dropped.
#define SIMDE_ENABLE_NATIVE_ALIASES
// SIMDe's aliases of the BF16 vector types would clash with the compiler's own (unused here).
#define __m128bh sc_emu_m128bh
#define __m256bh sc_emu_m256bh
#define __m512bh sc_emu_m512bh
// Only the headers needed (all of avx512.h does not compile in SIMDe 0.7.4).
#include <simde/x86/avx2.h>
#include <simde/x86/avx512/types.h>
#include <simde/x86/avx512/setzero.h>
#include <simde/x86/avx512/cast.h>
#include <simde/x86/avx512/set.h>
#include <simde/x86/avx512/set1.h>
#include <simde/x86/avx512/setr.h>
#include <simde/x86/avx512/mov.h>
#include <simde/x86/avx512/loadu.h>
#include <simde/x86/avx512/extract.h>
#include <simde/x86/avx512/insert.h>
#include <simde/x86/avx512/abs.h>
#include <simde/x86/avx512/add.h>
#include <simde/x86/avx512/sub.h>
#include <simde/x86/avx512/slli.h>
#include <simde/x86/avx512/fmadd.h>
#include <simde/x86/avx512/mov_mask.h>
#include <simde/x86/avx512/permutexvar.h>
#include <simde/x86/avx512/dpbusd.h>
#include <simde/x86/avx512/dpwssd.h>
#include <simde/x86/avx512/cvt.h>
#include <simde/x86/avx512/and.h>
#include <simde/x86/avx512/or.h>
#include <simde/x86/avx512/srli.h>
#include <simde/x86/avx512/mul.h>
#include <simde/x86/avx512/blend.h>
#include <simde/x86/avx512/broadcast.h>
#include <simde/x86/avx512/permutex2var.h>
#include <simde/x86/avx512/dpbf16.h>
#include <simde/x86/f16c.h>
#include <simde/x86/fma.h>
#define SC_TARGET(features)
#define SC_OPAQUE(v) ((void)(v))
#define _mm256_dpwssd_avx_epi32 _mm256_dpwssd_epi32
#define _mm256_dpbusd_avx_epi32 _mm256_dpbusd_epi32
// AVX-512 intrinsics SIMDe 0.7 lacks, lane by lane.
#define __mmask64 uint64_t
#define __mmask32 uint32_t
#define SC_EMU_LANES(name, ret_t, in_t, out_e, in_e, n, expr)                                       \
    static inline ret_t name(in_t a) {                                                             \
        in_e in[n]; out_e out[n]; ret_t r;                                                          \
        memcpy(in, &a, sizeof in);                                                                  \
        for (int i = 0; i < n; i++) out[i] = (expr);                                                \
        memcpy(&r, out, sizeof r);                                                                  \
        return r;                                                                                   \
    }
SC_EMU_LANES(sc_emu_cvtepi32_ps, simde__m512, simde__m512i, float, int32_t, 16, (float)in[i])
SC_EMU_LANES(sc_emu_cvtepu16_epi32, simde__m512i, simde__m256i, uint32_t, uint16_t, 16, (uint32_t)in[i])
SC_EMU_LANES(sc_emu_cvtph_ps, simde__m512, simde__m256i, float, _Float16, 16, (float)in[i])
SC_EMU_LANES(sc_emu_cvtepu8_epi16, simde__m512i, simde__m256i, uint16_t, uint8_t, 32, (uint16_t)in[i])
SC_EMU_LANES(sc_emu_cvtepi8_epi32, simde__m512i, simde__m128i, int32_t, int8_t, 16, (int32_t)in[i])
static inline simde__m512 sc_emu_zextps256_ps512(simde__m256 a) {
    float out[16] = {0};
    memcpy(out, &a, 32);
    simde__m512 r;
    memcpy(&r, out, 64);
    return r;
}
#define _mm512_cvtepi32_ps sc_emu_cvtepi32_ps
#define _mm512_cvtepu8_epi16 sc_emu_cvtepu8_epi16
#define _mm512_cvtepi8_epi32 sc_emu_cvtepi8_epi32
#define _mm512_zextps256_ps512 sc_emu_zextps256_ps512
#define _cvtsh_ss sc_fp16_to_fp32
#define _mm512_cvtepu16_epi32 sc_emu_cvtepu16_epi32
#define _mm512_cvtph_ps sc_emu_cvtph_ps
#define _mm512_maskz_loadu_epi8 sc_emu_maskz_loadu_epi8
static inline simde__m512i sc_emu_maskz_loadu_epi8(uint64_t k, const void *p) {
    int8_t out[64];
    for (int i = 0; i < 64; i++) out[i] = (k >> i) & 1 ? ((const int8_t *)p)[i] : 0;
    simde__m512i r;
    memcpy(&r, out, 64);
    return r;
}
#else
#include <immintrin.h>
#define SC_TARGET(features) __attribute__((target(features)))
/// Keeps v in a vector register as it is (an empty asm the compiler cannot see through).
#define SC_OPAQUE(v) __asm__("" : "+x"(v))
#endif

/// Functions using AVX2/FMA/F16C are compiled for them individually (no -march flags), and
/// called only after sc_path_supported(SC_PATH_AVX2) has checked the CPU.
#define SC_AVX2 SC_TARGET("avx2,fma,f16c")

/// Sum of the 8 lanes in a fixed order: ((0+4)+(2+6)) + ((1+5)+(3+7)).
SC_AVX2 static inline float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// Float-like weight kinds of the float tiles.
enum { KIND_F32, KIND_F16, KIND_BF16 };

/// Weight c of a float-like row, widened to float32 (the tiles' column tails).
static inline __attribute__((always_inline)) float load1(int kind, const void *w, int64_t c) {
    switch (kind) {
    case KIND_F16: return sc_fp16_to_fp32(((const uint16_t *)w)[c]);
    case KIND_BF16: return sc_bf16_to_fp32(((const uint16_t *)w)[c]);
    default: return ((const float *)w)[c];
    }
}

#endif
