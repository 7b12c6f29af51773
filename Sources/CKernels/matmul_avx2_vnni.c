// AVX2 + AVX-VNNI row kernels for sc_matmul (x86-64, 256-bit vpdpwssd / vpdpbusd), chosen at run
// time: Q4_0 / Q4_1 / Q8_0 on the shared 256-bit tile with the VNNI dot products, 2 vpdpwssd per
// block and position for int16 activations, 1 vpdpbusd for int8. The float and decoded types
// run the AVX2 kernels on this path (weight_types.h).
#if defined(__x86_64__) || defined(__i386__)
#define SC_HAVE_AVX_VNNI 1
#include "avx2_util.h"
#define SC_AVX2_VNNI SC_TARGET("avx2,fma,f16c,avxvnni")
#define SC_TILE_ATTR SC_AVX2_VNNI
#include "quant_tile256.h"
#include "tile_plan.h"

/// A quant_tile256 kind of this path: vpdpwssd on int16 activations, vpdpbusd on int8 ones.
#define VNNI_KIND(type, int8) SC_QKIND(type, (int8) ? DOT_VNNI8 : DOT_VNNI16)

SC_DEFINE_BASIC_ROWS(SC_AVX2_VNNI, avx2_vnni, quant_tile256, VNNI_KIND)
#endif
