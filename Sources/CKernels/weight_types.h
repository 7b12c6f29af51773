// The weight-type table (as ggml's type traits, ggml/src/ggml.c type_traits): for each supported
// type its name, block size, block bytes, whether blocks carry a minimum, and its row
// dequantiser. Every size in the kernels comes from here; a type not in the table is unsupported
// everywhere (sizes 0, no dequantiser, no row kernel). The table is static in this header so that
// a lookup with a constant type folds to a constant inside the vector tiles.
#ifndef SKIPCHAT_WEIGHT_TYPES_H
#define SKIPCHAT_WEIGHT_TYPES_H

#include "kquants.h"

/// Writes the `cols` float values of one row stored in `type`.
typedef void (*sc_dequantize_fn)(int type, const void *row, float *out, int64_t cols);

/// One weight type's traits. block_values is 0 for a type the kernels do not support.
typedef struct {
    const char *name;                  ///< the GGML name: "Q4_K", …
    int block_values;                  ///< values per block: 1 (float types), 32 or 256 (K-quants)
    size_t block_bytes;                ///< bytes per block
    int has_min;                       ///< 1 when a value is d·q + m (a per-block minimum or offset term)
    sc_dequantize_fn dequantize_row;   ///< the row dequantiser
} sc_type_traits;

/// Row dequantisers of the float and 32-value Q4_0 / Q4_1 / Q8_0 types (weight_types.c); the
/// other types go through their block decoder (sc_kq_dequantize_row).
void sc_dequantize_row_f32(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_f16(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_bf16(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q4_0(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q4_1(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q8_0(int type, const void *row, float *out, int64_t cols);

/// Entries: one past the largest type number in the table.
#define SC_TYPE_TABLE_SIZE (SC_TYPE_BF16 + 1)

static const sc_type_traits sc_type_table[SC_TYPE_TABLE_SIZE] = {
    [SC_TYPE_F32] = {"F32", 1, 4, 0, sc_dequantize_row_f32},
    [SC_TYPE_F16] = {"F16", 1, 2, 0, sc_dequantize_row_f16},
    [SC_TYPE_BF16] = {"BF16", 1, 2, 0, sc_dequantize_row_bf16},
    [SC_TYPE_Q4_0] = {"Q4_0", SC_QK, sizeof(sc_block_q4_0), 0, sc_dequantize_row_q4_0},
    [SC_TYPE_Q4_1] = {"Q4_1", SC_QK, sizeof(sc_block_q4_1), 1, sc_dequantize_row_q4_1},
    [SC_TYPE_Q5_0] = {"Q5_0", SC_QK, sizeof(sc_block_q5_0), 0, sc_kq_dequantize_row},
    [SC_TYPE_Q5_1] = {"Q5_1", SC_QK, sizeof(sc_block_q5_1), 1, sc_kq_dequantize_row},
    [SC_TYPE_Q8_0] = {"Q8_0", SC_QK, sizeof(sc_block_q8_0), 0, sc_dequantize_row_q8_0},
    [SC_TYPE_Q2_K] = {"Q2_K", SC_QK_K, sizeof(sc_block_q2_K), 1, sc_kq_dequantize_row},
    [SC_TYPE_Q3_K] = {"Q3_K", SC_QK_K, sizeof(sc_block_q3_K), 0, sc_kq_dequantize_row},
    [SC_TYPE_Q4_K] = {"Q4_K", SC_QK_K, sizeof(sc_block_q4_K), 1, sc_kq_dequantize_row},
    [SC_TYPE_Q5_K] = {"Q5_K", SC_QK_K, sizeof(sc_block_q5_K), 1, sc_kq_dequantize_row},
    [SC_TYPE_Q6_K] = {"Q6_K", SC_QK_K, sizeof(sc_block_q6_K), 0, sc_kq_dequantize_row},
    [SC_TYPE_IQ4_NL] = {"IQ4_NL", SC_QK, sizeof(sc_block_iq4_nl), 0, sc_kq_dequantize_row},
};

/// The traits of `type`, NULL when the kernels do not support it.
static inline const sc_type_traits *sc_type_traits_of(int type) {
    return type >= 0 && type < SC_TYPE_TABLE_SIZE && sc_type_table[type].block_values ? &sc_type_table[type] : NULL;
}

/// Values / bytes per block of `type`, 0 for an unsupported type.
static inline int sc_block_values(int type) {
    const sc_type_traits *t = sc_type_traits_of(type);
    return t ? t->block_values : 0;
}
static inline size_t sc_block_bytes(int type) {
    const sc_type_traits *t = sc_type_traits_of(type);
    return t ? t->block_bytes : 0;
}

/// 1 for the types read through the block decoder sc_kq_decode (Q5_0, Q5_1, IQ4_NL, Q2_K…Q6_K).
static inline int sc_type_uses_block_decoder(int type) {
    const sc_type_traits *t = sc_type_traits_of(type);
    return t && t->dequantize_row == sc_kq_dequantize_row;
}

/// 1 for the quantised types (those with integer row kernels on sc_xq activations).
static inline int sc_type_is_quantised(int type) { return sc_block_values(type) > 1; }

#endif
