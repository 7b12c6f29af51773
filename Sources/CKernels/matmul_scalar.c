// Portable row kernels. Each (t, r) value is one sequential sum in column (or block) order, so it
// never depends on T or on how rows are split. Quantised weights use the quantised activations
// (sc_xq, int16 or int8 values read as int16) and exact integer block sums, as the vector paths do.
#include "kquants.h"

/// y[t, r] = Σ_c W[r, c] · x[t, c] for float-like weights; `load(row, c)` widens one value.
#define SC_FLOAT_ROWS(NAME, ELEM, LOAD)                                                        \
    static void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) {                            \
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
SC_FLOAT_ROWS(rows_f32, float, SC_LOAD_F32)
SC_FLOAT_ROWS(rows_f16, uint16_t, sc_fp16_to_fp32)
SC_FLOAT_ROWS(rows_bf16, uint16_t, sc_bf16_to_fp32)

/// Σ_i nibble_i · q_i over one 32-value block (nibble order of Q4_0/Q4_1).
static inline int dot_nibbles(const uint8_t *qs, const int16_t *q) {
    int sum = 0;
    for (int i = 0; i < SC_QK / 2; i++) sum += (qs[i] & 15) * q[i] + (qs[i] >> 4) * q[i + SC_QK / 2];
    return sum;
}

/// Q4_0: Σ_b d_w·(d_x·Σ nib·q − 8·s_x), kept as two sums so it matches the AVX2 grouping.
static void rows_q4_0(const sc_rows_args *a, int64_t r0, int64_t r1) {
    const sc_matmul_job *j = a->job;
    int64_t nb = j->cols / SC_QK;
    for (int64_t r = r0; r < r1; r++) {
        const sc_block_q4_0 *w = (const sc_block_q4_0 *)j->w + r * nb;
        for (int t = 0; t < a->T; t++) {
            const int16_t *q = a->xq.q + t * j->cols;
            const float *xd = a->xq.d + t * a->xq.nb_pad, *xs = a->xq.s + t * a->xq.nb_pad;
            float sum = 0.0f, off = 0.0f;
            for (int64_t b = 0; b < nb; b++) {
                float dw = sc_fp16_to_fp32(w[b].d);
                sum += dw * xd[b] * (float)dot_nibbles(w[b].qs, q + b * SC_QK);
                off += dw * xs[b];
            }
            j->y[t * j->y_stride + r] = sum - 8.0f * off;
        }
    }
}

/// Q4_1: Σ_b (d_w·d_x·Σ nib·q + m_w·s_x).
static void rows_q4_1(const sc_rows_args *a, int64_t r0, int64_t r1) {
    const sc_matmul_job *j = a->job;
    int64_t nb = j->cols / SC_QK;
    for (int64_t r = r0; r < r1; r++) {
        const sc_block_q4_1 *w = (const sc_block_q4_1 *)j->w + r * nb;
        for (int t = 0; t < a->T; t++) {
            const int16_t *q = a->xq.q + t * j->cols;
            const float *xd = a->xq.d + t * a->xq.nb_pad, *xs = a->xq.s + t * a->xq.nb_pad;
            float sum = 0.0f, off = 0.0f;
            for (int64_t b = 0; b < nb; b++) {
                sum += sc_fp16_to_fp32(w[b].d) * xd[b] * (float)dot_nibbles(w[b].qs, q + b * SC_QK);
                off += sc_fp16_to_fp32(w[b].m) * xs[b];
            }
            j->y[t * j->y_stride + r] = sum + off;
        }
    }
}

/// Q8_0: Σ_b d_w·d_x·Σ q_w·q_x.
static void rows_q8_0(const sc_rows_args *a, int64_t r0, int64_t r1) {
    const sc_matmul_job *j = a->job;
    int64_t nb = j->cols / SC_QK;
    for (int64_t r = r0; r < r1; r++) {
        const sc_block_q8_0 *w = (const sc_block_q8_0 *)j->w + r * nb;
        for (int t = 0; t < a->T; t++) {
            const int16_t *q = a->xq.q + t * j->cols;
            const float *xd = a->xq.d + t * a->xq.nb_pad;
            float sum = 0.0f;
            for (int64_t b = 0; b < nb; b++) {
                int dot = 0;
                for (int i = 0; i < SC_QK; i++) dot += w[b].qs[i] * q[b * SC_QK + i];
                sum += sc_fp16_to_fp32(w[b].d) * xd[b] * (float)dot;
            }
            j->y[t * j->y_stride + r] = sum;
        }
    }
}

sc_rows_fn sc_rows_kernel_scalar(int type, int precision) {
    (void)precision;   // the activations' precision is in their values; the sums are exact either way
    switch (type) {
    case SC_TYPE_F32: return rows_f32;
    case SC_TYPE_F16: return rows_f16;
    case SC_TYPE_BF16: return rows_bf16;
    case SC_TYPE_Q4_0: return rows_q4_0;
    case SC_TYPE_Q4_1: return rows_q4_1;
    case SC_TYPE_Q8_0: return rows_q8_0;
    default: return sc_rows_kernel_kq_scalar(type);
    }
}
