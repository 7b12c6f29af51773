#ifndef SKIPCHAT_QUANTIZE_H
#define SKIPCHAT_QUANTIZE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sc_pool sc_pool;

/// Quantises `rows` rows of `cols` values to `type` (SC_TYPE_Q8_0, SC_TYPE_Q4_0 or SC_TYPE_Q4_K),
/// with llama.cpp's reference quantisers (ggml-quants.c `quantize_row_q8_0_ref`,
/// `quantize_row_q4_0_ref`, `quantize_row_q4_K_ref`: Q4_K searches each 32-value block's scale
/// and minimum with `make_qkx2_quants`, weights √(mean x²) + |x|, 20 steps).
/// `src` holds the rows back to back in `src_type` (SC_TYPE_F32, SC_TYPE_F16 or SC_TYPE_BF16);
/// `dst` receives rows × sc_row_bytes(type, cols) bytes. Rows are shared among the pool's
/// threads (pool may be NULL); the result does not depend on the thread count.
/// Returns 0, or -1 when a type is not one of these or `cols` is not a multiple of the block
/// (32; 256 for Q4_K).
int sc_quantize_rows(sc_pool *pool, int type, void *dst, int src_type, const void *src, int64_t rows, int64_t cols);

#ifdef __cplusplus
}
#endif

#endif
