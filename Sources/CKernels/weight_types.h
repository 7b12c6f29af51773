// The weight-type table (as ggml's type traits, ggml/src/ggml.c type_traits and
// ggml-cpu.c type_traits_cpu): for each supported type its name, block size, block bytes, whether
// blocks carry a minimum, its row dequantiser, and its row kernels on every code path. Every size
// in the kernels and every kernel sc_matmul runs comes from here; a type not in the table is
// unsupported everywhere (sizes 0, no dequantiser, no row kernel: sc_matmul writes NaN). The
// table is static in this header so that a lookup with a constant type folds to a constant
// inside the vector tiles.
#ifndef SKIPCHAT_WEIGHT_TYPES_H
#define SKIPCHAT_WEIGHT_TYPES_H

#include "decoded_types.h"

/// Writes the `cols` float values of one row stored in `type`.
typedef void (*sc_dequantize_fn)(int type, const void *row, float *out, int64_t cols);

/// The row kernels of one type on one path. `accurate` reads float32 activations (float types)
/// or int16 ones (sc_xq.q, quantised types); `fast` is what the fast precision runs instead, NULL
/// when `accurate` serves both (the float types, and the decoded types, whose int16 activations
/// hold the int8 values too). fast_reads_bf16: `fast` reads BF16 activations (sc_rows_args.xb,
/// vdpbf16ps) and runs only on a CPU with AVX512_BF16, else `accurate` runs.
typedef struct {
    sc_rows_fn accurate;
    sc_rows_fn fast;
    int fast_reads_bf16;
} sc_row_kernels;

/// One weight type's traits. block_values is 0 for a type the kernels do not support.
typedef struct {
    const char *name;                       ///< the GGML name: "Q4_K", …
    int block_values;                       ///< values per block: 1 (float types), 32 or 256 (K-quants)
    size_t block_bytes;                     ///< bytes per block
    int has_min;                            ///< 1 when a value is d·q + m (a per-block minimum or offset term)
    sc_dequantize_fn dequantize_row;        ///< the row dequantiser
    sc_row_kernels rows[SC_PATH_COUNT];     ///< the row kernels, by path (SC_PATH_*)
} sc_type_traits;

/// Row dequantisers of the float types and of Q4_0 / Q4_1 / Q8_0 (weight_types.c); the decoded
/// types go through their block decoder (sc_dequantize_row_decoded).
void sc_dequantize_row_f32(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_f16(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_bf16(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q4_0(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q4_1(int type, const void *row, float *out, int64_t cols);
void sc_dequantize_row_q8_0(int type, const void *row, float *out, int64_t cols);

/// The row kernels, by path and type (matmul_<path>.c; the decoded types' in
/// matmul_decoded_scalar.c / matmul_decoded_avx2.c, the AVX-512 Q4_K / Q6_K ones in
/// matmul_kquants_avx512.c). _i8: int8 activations (the fast precision); bf16_dot: BF16
/// activations (vdpbf16ps). The x86 ones run only where sc_path_supported says the CPU can.
#define SC_ROWS_DECL(name) void name(const sc_rows_args *a, int64_t r0, int64_t r1);
#define SC_ROWS_DECL_BASIC(path) SC_ROWS_DECL(sc_rows_##path##_q4_0) SC_ROWS_DECL(sc_rows_##path##_q4_1) SC_ROWS_DECL(sc_rows_##path##_q8_0)
#define SC_ROWS_DECL_FLOAT(path) SC_ROWS_DECL(sc_rows_##path##_f32) SC_ROWS_DECL(sc_rows_##path##_f16) SC_ROWS_DECL(sc_rows_##path##_bf16)
SC_ROWS_DECL_FLOAT(scalar) SC_ROWS_DECL_BASIC(scalar) SC_ROWS_DECL(sc_rows_scalar_decoded)
SC_ROWS_DECL_FLOAT(avx2) SC_ROWS_DECL_BASIC(avx2) SC_ROWS_DECL_BASIC(avx2_i8)
SC_ROWS_DECL(sc_rows_avx2_q5_0) SC_ROWS_DECL(sc_rows_avx2_q5_1) SC_ROWS_DECL(sc_rows_avx2_iq4_nl)
SC_ROWS_DECL(sc_rows_avx2_q2_k) SC_ROWS_DECL(sc_rows_avx2_q3_k) SC_ROWS_DECL(sc_rows_avx2_q4_k)
SC_ROWS_DECL(sc_rows_avx2_q5_k) SC_ROWS_DECL(sc_rows_avx2_q6_k)
SC_ROWS_DECL_BASIC(avx2_vnni) SC_ROWS_DECL_BASIC(avx2_vnni_i8)
SC_ROWS_DECL_FLOAT(avx512) SC_ROWS_DECL(sc_rows_avx512_bf16_dot) SC_ROWS_DECL_BASIC(avx512) SC_ROWS_DECL_BASIC(avx512_i8)
SC_ROWS_DECL(sc_rows_avx512_q4_k) SC_ROWS_DECL(sc_rows_avx512_q6_k)

#if defined(__x86_64__) || defined(__i386__)
#define SC_X86(kernel) kernel
#else
#define SC_X86(kernel) NULL
#endif

/// Kernels of a float type: its own on each path but avx2-vnni, which runs the AVX2 ones.
#define SC_FLOAT_KERNELS(t, avx512_fast, avx512_fast_reads_bf16)                                   \
    {[SC_PATH_SCALAR] = {sc_rows_scalar_##t, NULL, 0},                                              \
     [SC_PATH_AVX2] = {SC_X86(sc_rows_avx2_##t), NULL, 0},                                          \
     [SC_PATH_AVX2_VNNI] = {SC_X86(sc_rows_avx2_##t), NULL, 0},                                     \
     [SC_PATH_AVX512] = {SC_X86(sc_rows_avx512_##t), avx512_fast, avx512_fast_reads_bf16}}
/// Kernels of Q4_0 / Q4_1 / Q8_0: its own on each path, int8 ones for the fast precision.
#define SC_BASIC_KERNELS(t)                                                                        \
    {[SC_PATH_SCALAR] = {sc_rows_scalar_##t, NULL, 0},                                              \
     [SC_PATH_AVX2] = {SC_X86(sc_rows_avx2_##t), SC_X86(sc_rows_avx2_i8_##t), 0},                   \
     [SC_PATH_AVX2_VNNI] = {SC_X86(sc_rows_avx2_vnni_##t), SC_X86(sc_rows_avx2_vnni_i8_##t), 0},    \
     [SC_PATH_AVX512] = {SC_X86(sc_rows_avx512_##t), SC_X86(sc_rows_avx512_i8_##t), 0}}
/// Kernels of a decoded type: the block decoder on the scalar path, the AVX2 kernel of the type
/// on the x86 paths unless AVX-512 has its own (`avx512`).
#define SC_DECODED_KERNELS(t, avx512)                                                              \
    {[SC_PATH_SCALAR] = {sc_rows_scalar_decoded, NULL, 0},                                          \
     [SC_PATH_AVX2] = {SC_X86(sc_rows_avx2_##t), NULL, 0},                                          \
     [SC_PATH_AVX2_VNNI] = {SC_X86(sc_rows_avx2_##t), NULL, 0},                                     \
     [SC_PATH_AVX512] = {SC_X86(avx512), NULL, 0}}

/// Entries: one past the largest type number in the table.
#define SC_TYPE_TABLE_SIZE (SC_TYPE_BF16 + 1)

static const sc_type_traits sc_type_table[SC_TYPE_TABLE_SIZE] = {
    [SC_TYPE_F32] = {"F32", 1, 4, 0, sc_dequantize_row_f32, SC_FLOAT_KERNELS(f32, NULL, 0)},
    [SC_TYPE_F16] = {"F16", 1, 2, 0, sc_dequantize_row_f16, SC_FLOAT_KERNELS(f16, NULL, 0)},
    [SC_TYPE_BF16] = {"BF16", 1, 2, 0, sc_dequantize_row_bf16, SC_FLOAT_KERNELS(bf16, SC_X86(sc_rows_avx512_bf16_dot), 1)},
    [SC_TYPE_Q4_0] = {"Q4_0", SC_QK, sizeof(sc_block_q4_0), 0, sc_dequantize_row_q4_0, SC_BASIC_KERNELS(q4_0)},
    [SC_TYPE_Q4_1] = {"Q4_1", SC_QK, sizeof(sc_block_q4_1), 1, sc_dequantize_row_q4_1, SC_BASIC_KERNELS(q4_1)},
    [SC_TYPE_Q8_0] = {"Q8_0", SC_QK, sizeof(sc_block_q8_0), 0, sc_dequantize_row_q8_0, SC_BASIC_KERNELS(q8_0)},
    [SC_TYPE_Q5_0] = {"Q5_0", SC_QK, sizeof(sc_block_q5_0), 0, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q5_0, sc_rows_avx2_q5_0)},
    [SC_TYPE_Q5_1] = {"Q5_1", SC_QK, sizeof(sc_block_q5_1), 1, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q5_1, sc_rows_avx2_q5_1)},
    [SC_TYPE_IQ4_NL] = {"IQ4_NL", SC_QK, sizeof(sc_block_iq4_nl), 0, sc_dequantize_row_decoded, SC_DECODED_KERNELS(iq4_nl, sc_rows_avx2_iq4_nl)},
    [SC_TYPE_Q2_K] = {"Q2_K", SC_QK_K, sizeof(sc_block_q2_K), 1, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q2_k, sc_rows_avx2_q2_k)},
    [SC_TYPE_Q3_K] = {"Q3_K", SC_QK_K, sizeof(sc_block_q3_K), 0, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q3_k, sc_rows_avx2_q3_k)},
    [SC_TYPE_Q4_K] = {"Q4_K", SC_QK_K, sizeof(sc_block_q4_K), 1, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q4_k, sc_rows_avx512_q4_k)},
    [SC_TYPE_Q5_K] = {"Q5_K", SC_QK_K, sizeof(sc_block_q5_K), 1, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q5_k, sc_rows_avx2_q5_k)},
    [SC_TYPE_Q6_K] = {"Q6_K", SC_QK_K, sizeof(sc_block_q6_K), 0, sc_dequantize_row_decoded, SC_DECODED_KERNELS(q6_k, sc_rows_avx512_q6_k)},
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

/// 1 for the quantised types (those with integer row kernels on sc_xq activations).
static inline int sc_type_is_quantised(int type) { return sc_block_values(type) > 1; }

/// The row kernel sc_matmul runs for `type` on `path` at `precision` (weight_types.c), NULL for an
/// unsupported type or path; *reads_bf16 is set to 1 when it reads BF16 activations, else 0.
sc_rows_fn sc_row_kernel(int path, int type, int precision, int *reads_bf16);

#endif
