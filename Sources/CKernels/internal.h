// Private declarations shared by the CKernels sources: block layouts, number conversions,
// activation quantisation, the per-path row kernels and the pool's task interface.
#ifndef SKIPCHAT_KERNELS_INTERNAL_H
#define SKIPCHAT_KERNELS_INTERNAL_H

#include "skipchat_kernels.h"

#include <string.h>

/// Values per block of the quantised types (ggml QK4_0 = QK4_1 = QK8_0 = 32).
#define SC_QK 32

/// GGML block_q4_0: value i = (nibble_i - 8) * d; low nibbles of qs are values 0..15, high 16..31.
typedef struct {
    uint16_t d;
    uint8_t qs[SC_QK / 2];
} sc_block_q4_0;

/// GGML block_q4_1: value i = nibble_i * d + m; nibble order as Q4_0.
typedef struct {
    uint16_t d;
    uint16_t m;
    uint8_t qs[SC_QK / 2];
} sc_block_q4_1;

/// GGML block_q8_0: value i = qs[i] * d.
typedef struct {
    uint16_t d;
    int8_t qs[SC_QK];
} sc_block_q8_0;

/// Activations quantised for integer dot products (not a file format), T positions of
/// nb = cols/32 blocks: x[t, 32b + i] ≈ q[t·cols + 32b + i] · d[t·nb_pad + b]. The precision
/// (SC_PRECISION_ACCURATE: int16, |q| ≤ 32767; SC_PRECISION_FAST: |q| ≤ 127) is chosen per call.
/// q always holds the values as int16; with the fast precision q8 holds the same values as int8
/// (for the int8 dot-product instructions), else it is NULL. 16 bits by default, not the 8 of
/// llama.cpp's Q8 activations: 8-bit rounding moves logits by ~1.2% on SmolLM2-135M (docs/performance.md), enough to flip
/// near-ties. s[t·nb_pad + b] = d · Σ_i q (the block sum, which carries the Q4_0 offset −8 and
/// the Q4_1 minimum m). d and s rows are zero-padded to nb_pad (a multiple of 8) so vector code
/// can read 8 blocks at a time.
/// qk holds the same int16 values as q in the lane order of the AVX-512 K-quant kernels (when
/// cols is a multiple of 256, else it is NULL): per position and super-block of 256 values, 8
/// vectors of 16 value pairs, pair l of vector m being pair m + 8·(l / 8) of block l % 8 (so one
/// int32 lane of a pair-wise dot product only ever sums values of one block; SC_QK_LANES).
typedef struct {
    const int16_t *q;
    const int16_t *qk;
    const int8_t *q8;
    const float *d;
    const float *s;
    int64_t nb;
    int64_t nb_pad;
} sc_xq;

/// IEEE binary16 → float32, exact for every input (subnormals, infinities, NaN payloads).
static inline float sc_fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0x1fu) {
        bits = sign | 0x7f800000u | (man << 13);
    } else if (exp == 0) {
        float f = (float)man * 0x1p-24f;   // subnormal (or zero): man · 2^-24, exact in float
        memcpy(&bits, &f, 4);
        bits |= sign;
    } else {
        bits = sign | ((exp + 112u) << 23) | (man << 13);
    }
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

/// bfloat16 (the upper 16 bits of a float32) → float32, exact.
static inline float sc_bf16_to_fp32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float out;
    memcpy(&out, &bits, 4);
    return out;
}

/// Value pair (of 128 in a super-block) that pair l < 16 of vector m < 8 holds in the qk order.
#define SC_QK_LANES(m, l) (16 * ((l) % 8) + (m) + 8 * ((l) / 8))

/// float32 → bfloat16, rounded to nearest even (NaN stays NaN, made quiet); what vcvtneps2bf16
/// does except that denormal inputs are kept (they round like any other value).
static inline uint16_t sc_fp32_to_bf16(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40u);
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// Bytes of the buffer that sc_quantize_activations fills for T positions of `cols` values.
size_t sc_xq_bytes(int64_t cols, int T);

/// Quantises T positions of `cols` activations (row stride x_stride, cols a multiple of 32) into
/// `buf` (sc_xq_bytes long, 32-byte aligned) and returns the view of it. Deterministic per
/// position: the same x row always gives the same values (scale max|x|/32767 or max|x|/127 for
/// `precision`, round to nearest).
sc_xq sc_quantize_activations(const float *x, int64_t x_stride, int64_t cols, int T, int precision, void *buf);

/// What a row kernel reads: the job, and the activations — float rows (x, x_stride) for
/// F32/F16/BF16 weights, their int16 form (xq) for the quantised types, and for the kernels that
/// read BF16 activations (sc_row_kernel), the x rows rounded to bfloat16 (xb: T rows of x_cols
/// values, row t at xb + t·xb_stride, rounded by sc_fp32_to_bf16).
typedef struct {
    const sc_matmul_job *job;
    const float *x;
    int64_t x_stride;
    sc_xq xq;
    const uint16_t *xb;
    int64_t xb_stride;
    int T;
} sc_rows_args;

/// Computes y[t, r] for rows [r0, r1) of one job and all T positions. The value for (t, r) must
/// depend only on W row r and position t's activations (never on T, r0, r1): the exactness contract.
typedef void (*sc_rows_fn)(const sc_rows_args *a, int64_t r0, int64_t r1);

#if defined(__x86_64__) || defined(__i386__)
/// Attention inner loops, AVX2+FMA: s[j] = scale · q·K[j] for j < n_keys (key j's head_dim
/// values at k + j·kv_stride), and out[i] += Σ_j p[j] · V[j, i], adding in key order.
void sc_attn_scores_avx2(float *s, const float *q, const float *k, int64_t kv_stride, int n_keys, int hd, float scale);
void sc_attn_mix_avx2(float *out, const float *p, const float *v, int64_t kv_stride, int n_keys, int hd);
/// s[i] = e^(s[i] − max) for i < n (all s[i] ≤ max); returns Σ s[i].
float sc_attn_exp_avx2(float *s, int n, float max);
/// dst[r·hd + i] = value i of row r (src + r·src_stride elements) for r < rows, widened exactly
/// from kv_type (SC_KV_F16 with F16C, SC_KV_BF16) to float32.
void sc_attn_widen_avx2(float *dst, const void *src, int64_t src_stride, int rows, int hd, int kv_type);
#endif

/// A pool job: every call takes work items from a shared atomic counter in ctx until none are
/// left, so the work gets done whichever threads (at least the caller) take part.
typedef void (*sc_task_fn)(void *ctx);

/// Runs fn(ctx) on the caller and on every worker that wakes up before the caller has finished,
/// and returns when all of them have. Not reentrant: one caller per pool at a time.
void sc_pool_run(sc_pool *pool, sc_task_fn fn, void *ctx);

#endif
