// Portable row kernels. Each (t, r) value is one sequential sum in column (or block) order, so it
// never depends on T or on how rows are split. Quantised weights use the quantised activations
// (sc_xq, int16 or int8 values read as int16) and exact integer block sums, as the vector paths do.
#include "weight_types.h"

/// y[t, r] = Σ_c W[r, c] · x[t, c] for float-like weights; `load(row, c)` widens one value.
#define SC_FLOAT_ROWS(NAME, ELEM, LOAD)                                                        \
    void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) {                            \
        const sc_matmul_job *j = a->job;                                                        \
        for (int64_t r = r0; r < r1; r++) {                                                     \
            const ELEM *w = (const ELEM *)j->w + r * j->cols;                                   \
            for (int t = 0; t < a->T; t++) {                                                    \
                const float *x = a->x + t * a->x_stride;                                        \
                float sum = 0.0f;                                                               \
                for (int64_t c = 0; c < j->cols; c++) sum += LOAD(w[c]) * x[c];                 \
                j->y[t * j->y_stride + r] = sum;                                                \
            }                                                                                   \
        }                                                                                       \
    }

#define SC_LOAD_F32(v) (v)
SC_FLOAT_ROWS(sc_rows_scalar_f32, float, SC_LOAD_F32)
SC_FLOAT_ROWS(sc_rows_scalar_f16, uint16_t, sc_fp16_to_fp32)
SC_FLOAT_ROWS(sc_rows_scalar_bf16, uint16_t, sc_bf16_to_fp32)

/// Σ_i nibble_i · q_i over one 32-value block (nibble order of Q4_0/Q4_1).
static inline int dot_nibbles(const uint8_t *qs, const int16_t *q) {
    int sum = 0;
    for (int i = 0; i < SC_QK / 2; i++) sum += (qs[i] & 15) * q[i] + (qs[i] >> 4) * q[i + SC_QK / 2];
    return sum;
}

/// Σ_i q_w,i · q_i over one Q8_0 block.
static inline int dot_bytes(const int8_t *qs, const int16_t *q) {
    int sum = 0;
    for (int i = 0; i < SC_QK; i++) sum += qs[i] * q[i];
    return sum;
}

/// Q4_0: Σ_b d_w·d_x·Σ nib·q − 8·Σ_b d_w·s_x; Q4_1: Σ_b d_w·d_x·Σ nib·q + Σ_b m_w·s_x; Q8_0:
/// Σ_b d_w·d_x·Σ q_w·q. The two sums are kept apart, as the AVX2 grouping keeps them.
static inline __attribute__((always_inline)) void basic_rows(int type, const sc_rows_args *a, int64_t r0, int64_t r1) {
    const sc_matmul_job *j = a->job;
    const size_t block_bytes = sc_block_bytes(type);
    const int64_t nb = j->cols / SC_QK;
    for (int64_t r = r0; r < r1; r++) {
        const char *w = (const char *)j->w + (size_t)(r * nb) * block_bytes;
        for (int t = 0; t < a->T; t++) {
            const int16_t *q = a->xq.q + t * j->cols;
            const float *xd = a->xq.d + t * a->xq.nb_pad, *xs = a->xq.s + t * a->xq.nb_pad;
            float sum = 0.0f, off = 0.0f;
            for (int64_t b = 0; b < nb; b++) {
                const char *blk = w + (size_t)b * block_bytes;
                uint16_t h[2];
                memcpy(h, blk, sizeof h);   // d, and m for Q4_1
                const float dw = sc_fp16_to_fp32(h[0]);
                const int dot = type == SC_TYPE_Q8_0 ? dot_bytes(((const sc_block_q8_0 *)blk)->qs, q + b * SC_QK)
                                : dot_nibbles(type == SC_TYPE_Q4_0 ? ((const sc_block_q4_0 *)blk)->qs : ((const sc_block_q4_1 *)blk)->qs, q + b * SC_QK);
                sum += dw * xd[b] * (float)dot;
                if (type == SC_TYPE_Q4_0) off += dw * xs[b];
                if (type == SC_TYPE_Q4_1) off += sc_fp16_to_fp32(h[1]) * xs[b];
            }
            j->y[t * j->y_stride + r] = type == SC_TYPE_Q4_0 ? sum - 8.0f * off : type == SC_TYPE_Q4_1 ? sum + off : sum;
        }
    }
}

void sc_rows_scalar_q4_0(const sc_rows_args *a, int64_t r0, int64_t r1) { basic_rows(SC_TYPE_Q4_0, a, r0, r1); }
void sc_rows_scalar_q4_1(const sc_rows_args *a, int64_t r0, int64_t r1) { basic_rows(SC_TYPE_Q4_1, a, r0, r1); }
void sc_rows_scalar_q8_0(const sc_rows_args *a, int64_t r0, int64_t r1) { basic_rows(SC_TYPE_Q8_0, a, r0, r1); }
