// Portable row kernel of the decoded types (Q5_0, Q5_1, IQ4_NL and the K-quants; decoded_types.h). Each 32-value weight block is
// decoded (sc_decode_block) to small integers q with a scale and minimum per half of 16, and dotted
// with the int16 activations exactly in integers:
//   y[t, r] = Σ_b d_x·(d_0·Σ_{i<16} q·q_x + d_1·Σ_{i≥16} q·q_x) + Σ_b d_x·(m_0·Σ_{i<16} q_x + m_1·Σ_{i≥16} q_x)
// Each (t, r) is one sequence of operations in block order, whatever T or the row split.
#include "weight_types.h"

void sc_rows_scalar_decoded(const sc_rows_args *a, int64_t r0, int64_t r1) {
    const sc_matmul_job *j = a->job;
    const size_t row_bytes = sc_row_bytes(j->type, j->cols);
    const int64_t nb = j->cols / SC_QK;
    sc_decoded_block blk;
    for (int64_t r = r0; r < r1; r++) {
        const char *w = (const char *)j->w + (size_t)r * row_bytes;
        for (int t = 0; t < a->T; t++) {
            const int16_t *q = a->xq.q + t * j->cols;
            const float *xd = a->xq.d + t * a->xq.nb_pad;
            float sum = 0.0f, off = 0.0f;
            for (int64_t b = 0; b < nb; b++) {
                sc_decode_block(j->type, w, b, &blk);
                const int16_t *qx = q + b * SC_QK;
                int dot[2] = {0, 0}, xsum[2] = {0, 0};   // |dot| ≤ 16·127·32767 < 2^31
                for (int i = 0; i < SC_QK; i++) {
                    dot[i / 16] += blk.q[i] * qx[i];
                    xsum[i / 16] += qx[i];
                }
                sum += xd[b] * (blk.d[0] * (float)dot[0] + blk.d[1] * (float)dot[1]);
                off += xd[b] * (blk.m[0] * (float)xsum[0] + blk.m[1] * (float)xsum[1]);
            }
            j->y[t * j->y_stride + r] = sum + off;
        }
    }
}
