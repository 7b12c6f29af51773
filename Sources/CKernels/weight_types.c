// Row sizes, row dequantisation and row kernels of the weight types, all read from the type
// table (weight_types.h); the dequantisers of the float types and of Q4_0 / Q4_1 / Q8_0 (GGML
// block layouts, ggml/src/ggml-common.h).
#include "weight_types.h"

#ifdef SC_EMULATE_SIMD
#define sc_cpu_has_avx512_bf16() 1   // SIMDe emulates vdpbf16ps (scripts/check-kernels-emulated.sh)
#endif

int sc_type_block_values(int type) { return sc_block_values(type); }

size_t sc_type_block_bytes(int type) { return sc_block_bytes(type); }

const char *sc_type_name(int type) {
    const sc_type_traits *t = sc_type_traits_of(type);
    return t ? t->name : NULL;
}

size_t sc_row_bytes(int type, int64_t cols) {
    const sc_type_traits *t = sc_type_traits_of(type);
    if (!t || cols < 0 || cols % t->block_values) return 0;
    return (size_t)(cols / t->block_values) * t->block_bytes;
}

void sc_dequantize_row(int type, const void *row, float *out, int64_t cols) {
    const sc_type_traits *t = sc_type_traits_of(type);
    if (t) t->dequantize_row(type, row, out, cols);
}

sc_rows_fn sc_row_kernel(int path, int type, int precision, int *reads_bf16) {
    *reads_bf16 = 0;
    const sc_type_traits *t = sc_type_traits_of(type);
    if (!t || path < 0 || path >= SC_PATH_COUNT) return NULL;
    const sc_row_kernels *k = &t->rows[path];
    if (precision == SC_PRECISION_FAST && k->fast && (!k->fast_reads_bf16 || sc_cpu_has_avx512_bf16())) {
        *reads_bf16 = k->fast_reads_bf16;
        return k->fast;
    }
    return k->accurate;
}

void sc_dequantize_row_f32(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    memcpy(out, row, (size_t)cols * 4);
}

void sc_dequantize_row_f16(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    for (int64_t i = 0; i < cols; i++) out[i] = sc_fp16_to_fp32(((const uint16_t *)row)[i]);
}

void sc_dequantize_row_bf16(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    for (int64_t i = 0; i < cols; i++) out[i] = sc_bf16_to_fp32(((const uint16_t *)row)[i]);
}

void sc_dequantize_row_q4_0(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    for (int64_t b = 0; b < cols / SC_QK; b++) {
        const sc_block_q4_0 *blk = (const sc_block_q4_0 *)row + b;
        float d = sc_fp16_to_fp32(blk->d);
        for (int i = 0; i < SC_QK / 2; i++) {
            out[b * SC_QK + i] = (float)((blk->qs[i] & 15) - 8) * d;
            out[b * SC_QK + i + SC_QK / 2] = (float)((blk->qs[i] >> 4) - 8) * d;
        }
    }
}

void sc_dequantize_row_q4_1(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    for (int64_t b = 0; b < cols / SC_QK; b++) {
        const sc_block_q4_1 *blk = (const sc_block_q4_1 *)row + b;
        float d = sc_fp16_to_fp32(blk->d), m = sc_fp16_to_fp32(blk->m);
        for (int i = 0; i < SC_QK / 2; i++) {
            out[b * SC_QK + i] = (float)(blk->qs[i] & 15) * d + m;
            out[b * SC_QK + i + SC_QK / 2] = (float)(blk->qs[i] >> 4) * d + m;
        }
    }
}

void sc_dequantize_row_q8_0(int type, const void *row, float *out, int64_t cols) {
    (void)type;
    for (int64_t b = 0; b < cols / SC_QK; b++) {
        const sc_block_q8_0 *blk = (const sc_block_q8_0 *)row + b;
        float d = sc_fp16_to_fp32(blk->d);
        for (int i = 0; i < SC_QK; i++) out[b * SC_QK + i] = (float)blk->qs[i] * d;
    }
}
