// AVX2 + AVX-VNNI row kernels for sc_matmul (x86-64, 256-bit vpdpwssd / vpdpbusd), chosen at run
// time. Float types use the AVX2 kernels; quantised types the shared 256-bit tile with the VNNI
// dot products: 2 vpdpwssd per block and position for int16 activations, 1 vpdpbusd for int8.
#if defined(__x86_64__) || defined(__i386__)
#define SC_HAVE_AVX_VNNI 1
#include "avx2_util.h"
#define SC_AVX2_VNNI SC_TARGET("avx2,fma,f16c,avxvnni")
#define SC_TILE_ATTR SC_AVX2_VNNI
#include "quant_tile256.h"
#include "tile_plan.h"

SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q4_0, quant_tile256, SC_QKIND(SC_TYPE_Q4_0, DOT_VNNI16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q4_1, quant_tile256, SC_QKIND(SC_TYPE_Q4_1, DOT_VNNI16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q8_0, quant_tile256, SC_QKIND(SC_TYPE_Q8_0, DOT_VNNI16), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q4_0_i8, quant_tile256, SC_QKIND(SC_TYPE_Q4_0, DOT_VNNI8), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q4_1_i8, quant_tile256, SC_QKIND(SC_TYPE_Q4_1, DOT_VNNI8), QUANT_R, 8)
SC_DEFINE_ROWS(SC_AVX2_VNNI, rows_q8_0_i8, quant_tile256, SC_QKIND(SC_TYPE_Q8_0, DOT_VNNI8), QUANT_R, 8)

sc_rows_fn sc_rows_kernel_avx2_vnni(int type, int precision) {
    const int fast = precision == SC_PRECISION_FAST;
    switch (type) {
    case SC_TYPE_Q4_0: return fast ? rows_q4_0_i8 : rows_q4_0;
    case SC_TYPE_Q4_1: return fast ? rows_q4_1_i8 : rows_q4_1;
    case SC_TYPE_Q8_0: return fast ? rows_q8_0_i8 : rows_q8_0;
    default: return sc_rows_kernel_avx2(type, precision);
    }
}
#endif
