// Q5_0, Q5_1, IQ4_NL and the K-quants (Q2_K … Q6_K): decoding of one 32-value block and
// dequantisation of a row, following the block layouts of ggml/src/ggml-common.h (formulas as
// ggml's dequantize_row_* in ggml-quants.c).
#include "weight_types.h"

const int8_t sc_iq4nl_values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

/// The 5-bit values of a Q5_0/Q5_1 block: nibbles as Q4_0, bit i of qh as the fifth bit.
static void five_bit(const uint8_t *qs, const uint8_t *qh_bytes, int offset, int8_t *q) {
    uint32_t qh;
    memcpy(&qh, qh_bytes, 4);
    for (int i = 0; i < SC_QK / 2; i++) {
        q[i] = (int8_t)(((qs[i] & 15) | ((qh >> i) & 1) << 4) - offset);
        q[i + 16] = (int8_t)(((qs[i] >> 4) | ((qh >> (i + 16)) & 1) << 4) - offset);
    }
}

void sc_decode_block(int type, const void *row, int64_t b, sc_decoded_block *out) {
    const int k = (int)(b % 8), h = k / 4, j = k % 4;   // K-quants: sub-block k of super-block b / 8
    switch (type) {
    case SC_TYPE_Q5_0: {
        const sc_block_q5_0 *blk = (const sc_block_q5_0 *)row + b;
        five_bit(blk->qs, blk->qh, 16, out->q);
        out->d[0] = out->d[1] = sc_fp16_to_fp32(blk->d);
        out->m[0] = out->m[1] = 0.0f;
        break;
    }
    case SC_TYPE_Q5_1: {
        const sc_block_q5_1 *blk = (const sc_block_q5_1 *)row + b;
        five_bit(blk->qs, blk->qh, 0, out->q);
        out->d[0] = out->d[1] = sc_fp16_to_fp32(blk->d);
        out->m[0] = out->m[1] = sc_fp16_to_fp32(blk->m);
        break;
    }
    case SC_TYPE_IQ4_NL: {
        const sc_block_iq4_nl *blk = (const sc_block_iq4_nl *)row + b;
        for (int i = 0; i < SC_QK / 2; i++) {
            out->q[i] = sc_iq4nl_values[blk->qs[i] & 15];
            out->q[i + 16] = sc_iq4nl_values[blk->qs[i] >> 4];
        }
        out->d[0] = out->d[1] = sc_fp16_to_fp32(blk->d);
        out->m[0] = out->m[1] = 0.0f;
        break;
    }
    case SC_TYPE_Q2_K: {
        const sc_block_q2_K *blk = (const sc_block_q2_K *)row + b / 8;
        float d = sc_fp16_to_fp32(blk->d), dmin = sc_fp16_to_fp32(blk->dmin);
        for (int i = 0; i < SC_QK; i++) out->q[i] = (int8_t)((blk->qs[32 * h + i] >> (2 * j)) & 3);
        for (int s = 0; s < 2; s++) {
            out->d[s] = d * (float)(blk->scales[2 * k + s] & 15);
            out->m[s] = -(dmin * (float)(blk->scales[2 * k + s] >> 4));
        }
        break;
    }
    case SC_TYPE_Q3_K: {
        const sc_block_q3_K *blk = (const sc_block_q3_K *)row + b / 8;
        float d = sc_fp16_to_fp32(blk->d);
        for (int i = 0; i < SC_QK; i++)
            out->q[i] = (int8_t)(((blk->qs[32 * h + i] >> (2 * j)) & 3) - ((blk->hmask[i] >> k) & 1 ? 0 : 4));
        for (int s = 0; s < 2; s++) {
            out->d[s] = d * (float)sc_q3k_scale(blk->scales, 2 * k + s);
            out->m[s] = 0.0f;
        }
        break;
    }
    case SC_TYPE_Q4_K:
    case SC_TYPE_Q5_K: {
        // The two types share d, dmin and scales at the same offsets.
        const uint8_t *blk = (const uint8_t *)row + (b / 8) * (int64_t)sc_block_bytes(type);
        const sc_block_q4_K *head = (const sc_block_q4_K *)blk;
        const uint8_t *qs = type == SC_TYPE_Q4_K ? head->qs : ((const sc_block_q5_K *)blk)->qs;
        for (int i = 0; i < SC_QK; i++) {
            int q = (qs[32 * (k / 2) + i] >> (4 * (k % 2))) & 15;
            if (type == SC_TYPE_Q5_K) q |= ((((const sc_block_q5_K *)blk)->qh[i] >> k) & 1) << 4;
            out->q[i] = (int8_t)q;
        }
        int sc, m;
        sc_kq_scale_min(head->scales, k, &sc, &m);
        out->d[0] = out->d[1] = sc_fp16_to_fp32(head->d) * (float)sc;
        out->m[0] = out->m[1] = -(sc_fp16_to_fp32(head->dmin) * (float)m);
        break;
    }
    case SC_TYPE_Q6_K: {
        const sc_block_q6_K *blk = (const sc_block_q6_K *)row + b / 8;
        float d = sc_fp16_to_fp32(blk->d);
        const uint8_t *ql = blk->ql + 64 * h + 32 * (j % 2), *qh = blk->qh + 32 * h;
        for (int i = 0; i < SC_QK; i++)
            out->q[i] = (int8_t)((((ql[i] >> (4 * (j / 2))) & 15) | ((qh[i] >> (2 * j)) & 3) << 4) - 32);
        for (int s = 0; s < 2; s++) {
            out->d[s] = d * (float)blk->scales[2 * k + s];
            out->m[s] = 0.0f;
        }
        break;
    }
    default:
        memset(out, 0, sizeof *out);
        break;
    }
}

void sc_dequantize_row_decoded(int type, const void *row, float *out, int64_t cols) {
    // Types without minima store d·q alone, as ggml does (adding a zero minimum would turn −0 into +0).
    const int has_min = sc_type_traits_of(type)->has_min;
    sc_decoded_block blk;
    for (int64_t b = 0; b < cols / SC_QK; b++) {
        sc_decode_block(type, row, b, &blk);
        for (int i = 0; i < SC_QK; i++) {
            float v = blk.d[i / 16] * (float)blk.q[i];
            out[b * SC_QK + i] = has_min ? v + blk.m[i / 16] : v;
        }
    }
}
