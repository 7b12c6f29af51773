// AVX2 + FMA + F16C row kernels for sc_matmul (x86-64), chosen at run time: float tiles here,
// the quantised tiles (int16 vpmaddwd, int8 vpmaddubsw) from quant_tile256.h.
#if defined(__x86_64__) || defined(__i386__)
#include "avx2_util.h"
#define SC_TILE_ATTR SC_AVX2
#include "weight_types.h"
#include "quant_tile256.h"
#include "tile_plan.h"

// ---------------------------------------------------------------------------------------------
// Tiles. A tile computes R rows × TT positions; R and TT are compile-time constants after
// inlining, so the R·TT accumulators stay in registers. Every (t, r) pair has its own
// accumulator fed in the same column order whatever the tile shape, and is reduced by hsum8,
// so the tile choice (which depends on T) never changes a result.

/// Eight f16 / bf16 values at p widened to float32.
SC_AVX2 static inline __m256 f16x8(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
SC_AVX2 static inline __m256 bf16x8(const uint16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}

/// Rows [r, r+R) × positions [t0, t0+TT) of a F32/F16/BF16 job: 8 columns a step, one FMA per
/// row and position.
SC_DEFINE_FLOAT_TILE(SC_AVX2, float_tile, __m256, 8, _mm256_loadu_ps, f16x8, bf16x8, _mm256_fmadd_ps, hsum8)

/// A quant_tile256 kind of this path: vpmaddwd on int16 activations, vpmaddubsw on int8 ones.
#define AVX2_KIND(type, int8) SC_QKIND(type, (int8) ? DOT_MADDUBS8 : DOT_MADD16)

SC_DEFINE_FLOAT_ROWS(SC_AVX2, avx2, float_tile)
SC_DEFINE_BASIC_ROWS(SC_AVX2, avx2, quant_tile256, AVX2_KIND)
#endif
