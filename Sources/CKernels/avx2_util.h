// Shared by the x86 vector sources: target attributes (or SIMDe emulation for the tests),
// fixed-order horizontal sums, and the float-like weight kinds.
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

/// Sum of the 16 lanes in a fixed order: the two 256-bit halves added, then hsum8.
SC_TARGET("avx2,fma,f16c,avx512f") static inline float hsum16(__m512 v) {
    return hsum8(_mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
}

/// Declares ACC_T NAME[R][TT], the accumulators of an R × TT tile, all zero.
#define SC_TILE_ACCUMULATORS(ACC_T, NAME)                                                          \
    ACC_T NAME[R][TT];                                                                             \
    for (int i_ = 0; i_ < R; i_++)                                                                 \
        for (int t_ = 0; t_ < TT; t_++) NAME[i_][t_] = (ACC_T){0}

/// The body of a float tile (inside a function of a, r, t0 and the compile-time R and TT): rows
/// [r, r+R) × positions [t0, t0+TT) of a job, STEP (a power of 2) columns a step. Row i's
/// weights start at W + i·W_STRIDE bytes and are read by LOAD_W(KIND, row, c); position t's
/// activations start at X + t·X_STRIDE values and are read by LOAD_X(row, c). Each (row,
/// position) has its own ACC_T accumulator, fed MADD(acc, w, x) = acc + w·x in column order and
/// reduced by HSUM; the columns past the last whole step add load1(KIND, row, c) · X1(row, c) in
/// scalar float32. So the tile shape never changes a result.
#define SC_FLOAT_TILE_BODY(ACC_T, STEP, KIND, W, W_STRIDE, X, X_STRIDE, LOAD_W, LOAD_X, MADD, HSUM, X1) \
    const sc_matmul_job *j = a->job;                                                               \
    const int64_t whole = j->cols & ~(int64_t)((STEP) - 1);                                        \
    const char *const w_ = (const char *)(W);                                                      \
    SC_TILE_ACCUMULATORS(ACC_T, acc);                                                              \
    for (int64_t c = 0; c < whole; c += (STEP)) {                                                  \
        __typeof__(LOAD_W(KIND, w_, c)) wv[R];                                                     \
        for (int i = 0; i < R; i++) wv[i] = LOAD_W(KIND, w_ + i * (W_STRIDE), c);                  \
        for (int t = 0; t < TT; t++) {                                                             \
            const __typeof__(LOAD_X(X, c)) xv = LOAD_X((X) + t * (X_STRIDE), c);                   \
            for (int i = 0; i < R; i++) acc[i][t] = MADD(acc[i][t], wv[i], xv);                    \
        }                                                                                          \
    }                                                                                              \
    for (int i = 0; i < R; i++)                                                                    \
        for (int t = 0; t < TT; t++) {                                                             \
            float sum = HSUM(acc[i][t]);                                                           \
            for (int64_t c = whole; c < j->cols; c++)                                              \
                sum += load1(KIND, w_ + i * (W_STRIDE), c) * X1((X) + t * (X_STRIDE), c);          \
            j->y[(t0 + t) * j->y_stride + r + i] = sum;                                            \
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

/// Activation c of a float32 row (the float tiles' column tails).
static inline float float_at(const float *x, int64_t c) { return x[c]; }

/// A float tile NAME(kind, a, r, t0, R, TT) of F32/F16/BF16 weights (KIND_*) against float32
/// activations on a path of VEC vectors (STEP floats): LOAD_F32(p), F16(p) and BF16(p) turn STEP
/// stored values at p into a VEC, FMA(w, x, acc) = acc + w·x, HSUM sums a VEC in a fixed order.
#define SC_DEFINE_FLOAT_TILE(ATTR, NAME, VEC, STEP, LOAD_F32, F16, BF16, FMA, HSUM)                \
    ATTR static inline __attribute__((always_inline)) VEC NAME##_w(int kind, const void *w, int64_t c) { \
        return kind == KIND_F16 ? F16((const uint16_t *)w + c)                                     \
             : kind == KIND_BF16 ? BF16((const uint16_t *)w + c) : LOAD_F32((const float *)w + c); \
    }                                                                                              \
    ATTR static inline __attribute__((always_inline)) VEC NAME##_x(const float *x, int64_t c) { return LOAD_F32(x + c); } \
    ATTR static inline __attribute__((always_inline)) VEC NAME##_fma(VEC acc, VEC w, VEC x) { return FMA(w, x, acc); } \
    ATTR static inline __attribute__((always_inline)) void                                         \
    NAME(int kind, const sc_rows_args *a, int64_t r, int t0, const int R, const int TT) {          \
        const size_t row_bytes = (size_t)a->job->cols * (kind == KIND_F32 ? 4 : 2);                \
        SC_FLOAT_TILE_BODY(VEC, STEP, kind, (const char *)a->job->w + r * row_bytes, row_bytes,    \
                           a->x + t0 * a->x_stride, a->x_stride, NAME##_w, NAME##_x, NAME##_fma, HSUM, float_at) \
    }

#endif
