// The decoded types: Q5_0, Q5_1, IQ4_NL and the K-quants Q2_K…Q6_K, whose weights the kernels
// decode per 32-value block into small integers with a scale and a minimum per half (unlike
// Q4_0/Q4_1/Q8_0, read as they are stored). Their block layouts (ggml/src/ggml-common.h), and a
// portable block decoder shared by their dequantiser and their scalar row kernel.
#ifndef SKIPCHAT_DECODED_TYPES_H
#define SKIPCHAT_DECODED_TYPES_H

#include "internal.h"

/// Values per K-quant super-block (ggml QK_K).
#define SC_QK_K 256

/// GGML block_q5_0: value i = (q_i − 16)·d, q_i = low 4 bits from qs (values 0..15 in the low
/// nibbles, 16..31 in the high ones) | bit i of the little-endian qh << 4.
typedef struct {
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[SC_QK / 2];
} sc_block_q5_0;

/// GGML block_q5_1: value i = q_i·d + m, q_i as in Q5_0.
typedef struct {
    uint16_t d;
    uint16_t m;
    uint8_t qh[4];
    uint8_t qs[SC_QK / 2];
} sc_block_q5_1;

/// GGML block_iq4_nl: value i = sc_iq4nl_values[nibble_i]·d, nibble order as Q4_0.
typedef struct {
    uint16_t d;
    uint8_t qs[SC_QK / 2];
} sc_block_iq4_nl;

/// GGML kvalues_iq4nl: the 16 non-linear levels of IQ4_NL.
extern const int8_t sc_iq4nl_values[16];

/// GGML block_q2_K: 16 sub-blocks of 16; value = d·(sc & 15)·q − dmin·(sc >> 4), q 2 bits.
/// Value 128h + 32j + l (h < 2, j < 4, l < 32) is bits 2j..2j+1 of qs[32h + l]; its sub-block
/// is (128h + 32j + l) / 16.
typedef struct {
    uint8_t scales[SC_QK_K / 16];
    uint8_t qs[SC_QK_K / 4];
    uint16_t d;
    uint16_t dmin;
} sc_block_q2_K;

/// GGML block_q3_K: 16 sub-blocks of 16; value = d·(sc − 32)·(q − 4·!hbit), sc 6 bits, q 2 bits
/// laid out as Q2_K, hbit = bit (value / 32) of hmask[value % 32].
typedef struct {
    uint8_t hmask[SC_QK_K / 8];
    uint8_t qs[SC_QK_K / 4];
    uint8_t scales[12];
    uint16_t d;
} sc_block_q3_K;

/// GGML block_q4_K: 8 sub-blocks of 32; value = d·sc·q − dmin·m, sc and m 6 bits (packed in
/// `scales`, see sc_kq_scale_min). Values 64c..64c+31 are the low nibbles of qs[32c..32c+31],
/// values 64c+32..64c+63 their high nibbles.
typedef struct {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qs[SC_QK_K / 2];
} sc_block_q4_K;

/// GGML block_q5_K: Q4_K plus a fifth bit: bit (value / 32) of qh[value % 32].
typedef struct {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qh[SC_QK_K / 8];
    uint8_t qs[SC_QK_K / 2];
} sc_block_q5_K;

/// GGML block_q6_K: 16 sub-blocks of 16; value = d·scales[value / 16]·(q − 32), q 6 bits.
/// Value 128h + 32j + l: low 4 bits = nibble (j / 2) of ql[64h + 32(j % 2) + l], high 2 bits =
/// bits 2j..2j+1 of qh[32h + l].
typedef struct {
    uint8_t ql[SC_QK_K / 2];
    uint8_t qh[SC_QK_K / 4];
    int8_t scales[SC_QK_K / 16];
    uint16_t d;
} sc_block_q6_K;

/// Scale and minimum (6 bits each) of sub-block j < 8 of a Q4_K/Q5_K block (ggml get_scale_min_k4):
/// bytes 0-3 hold sc 0-3 in bits 0-5, bytes 4-7 m 0-3; sc/m 4-7 take their low 4 bits from the
/// nibbles of bytes 8-11 and their top 2 bits from bits 6-7 of bytes 0-3 / 4-7.
static inline void sc_kq_scale_min(const uint8_t *s, int j, int *sc, int *m) {
    if (j < 4) {
        *sc = s[j] & 63;
        *m = s[j + 4] & 63;
    } else {
        *sc = (s[j + 4] & 15) | ((s[j - 4] >> 6) << 4);
        *m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

/// Scale of sub-block i < 16 of a Q3_K block, 6 bits minus 32: low 4 bits from the nibble
/// (i / 8) of scales[i % 8], top 2 bits = bits 2(i / 4)..+1 of scales[8 + i % 4].
static inline int sc_q3k_scale(const uint8_t *s, int i) {
    int lo = (s[i % 8] >> (4 * (i / 8))) & 15;
    int hi = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
    return (lo | hi << 4) - 32;
}

/// The weights of one 32-value activation block, decoded: value i = d[i / 16]·q[i] + m[i / 16].
/// For types with one scale per 32 values both halves hold the same d and m.
typedef struct {
    int8_t q[SC_QK];
    float d[2];
    float m[2];
} sc_decoded_block;

/// sc_dequantize_row for these types, through sc_decode_block.
void sc_dequantize_row_decoded(int type, const void *row, float *out, int64_t cols);

/// Decodes 32-value block b (values 32b..32b+31) of a row stored in `type` (a type this header covers).
void sc_decode_block(int type, const void *row, int64_t b, sc_decoded_block *out);

#endif
