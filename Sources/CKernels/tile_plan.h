// The tile plan shared by every vector path: which tile shapes (rows × positions) run for a
// given number of positions, and the row loop around them. Each path supplies its own tiles and
// its rows-per-tile rule (R_FOR below).
#ifndef SKIPCHAT_TILE_PLAN_H
#define SKIPCHAT_TILE_PLAN_H

/// Whether a plan with rows-per-tile rule R_FOR and groups of at most GMAX positions ever runs an
/// RR × TT tile: the tiles of a group of TT positions (RR = R_FOR(TT)), those of a group one
/// short of the largest when T is split (then the largest holds ≥ (GMAX + 2) / 2 positions, and
/// RR = R_FOR(TT + 1)), and single leftover rows (RR = 1). A compile-time constant, so the shapes
/// a plan never runs are not compiled.
#define SC_TILE_USED(R_FOR, GMAX, RR, TT)                                                          \
    ((TT) <= (GMAX) && ((RR) == 1 || (RR) == R_FOR(TT) ||                                          \
                        ((TT) < (GMAX) && (TT) + 1 >= ((GMAX) + 2) / 2 && (RR) == R_FOR((TT) + 1))))

#define SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, TT) \
    case (RR) * 16 + (TT): if (SC_TILE_USED(R_FOR, GMAX, RR, TT)) TILE(K, a, r, t0, RR, TT); break;
#define SC_TILE_CASES(TILE, K, R_FOR, GMAX, RR)                                                    \
    SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 1) SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 2)             \
    SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 3) SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 4)             \
    SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 5) SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 6)             \
    SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 7) SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 8)             \
    SC_TILE_CASE(TILE, K, R_FOR, GMAX, RR, 9)

/// One TILE call with run-time R (rows: 1, 2, 3, 4 or 8) and TT (positions, 1…9) turned into the
/// compile-time shape, so the R·TT accumulators stay in registers.
#define SC_TILE_ANY(TILE, K, R_FOR, GMAX, R, TT)                                                   \
    switch ((R) * 16 + (TT)) {                                                                     \
        SC_TILE_CASES(TILE, K, R_FOR, GMAX, 8) SC_TILE_CASES(TILE, K, R_FOR, GMAX, 4)              \
        SC_TILE_CASES(TILE, K, R_FOR, GMAX, 3) SC_TILE_CASES(TILE, K, R_FOR, GMAX, 2)              \
        SC_TILE_CASES(TILE, K, R_FOR, GMAX, 1)                                                     \
    }

/// A row kernel NAME (compiled with target attribute ATTR, external so the type table can name
/// it) running TILE with kind K over rows [r0, r1) and all T positions. Positions are split into
/// the fewest groups of at most GMAX (≤ 9) with near-equal sizes (9 = 5 + 4, never 8 + 1: a lone
/// position is one latency-bound accumulator chain); each tile of R_FOR(largest group) rows runs
/// every group while its weight rows are in L1; leftover rows go one at a time.
#define SC_DEFINE_ROWS(ATTR, NAME, TILE, K, R_FOR, GMAX)                                           \
    ATTR void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) {                                \
        const int T = a->T, groups = (T + (GMAX) - 1) / (GMAX), R = R_FOR((T + groups - 1) / groups); \
        for (int64_t r = r0, rows; r < r1; r += rows) {                                            \
            rows = r + R <= r1 ? R : 1;                                                            \
            for (int g = 0, t0 = 0, tt; g < groups; g++, t0 += tt) {                               \
                tt = (T - t0) / (groups - g);                                                      \
                SC_TILE_ANY(TILE, K, R_FOR, GMAX, rows, tt)                                        \
            }                                                                                      \
        }                                                                                          \
    }

/// Rows per tile for a group of T positions (R·TT accumulators + R weight vectors fit the
/// registers). Float tiles take groups of ≤ 6 (2 × 6 tiles, 3 × 4 at T = 4: every x load feeds
/// two or three FMAs, and ≥ 8 independent FMA chains hide their latency); quantised tiles take
/// ≤ 8, so a block is unpacked once for up to 8 positions, with 2 rows for T ≤ 2.
#define FLOAT_R(T) ((T) <= 2 ? 4 : (T) <= 4 ? 3 : 2)
#define QUANT_R(T) ((T) <= 2 ? 2 : 1)

/// The vdpbf16ps tile's rows (matmul_avx512.c, groups ≤ 9; its BF16 activations, 36 KB at T = 9
/// and 2048 columns, stay near L1): 32 registers hold R·TT accumulators + R weight vectors + one
/// activation vector, so every T ≤ 9 is one group (no weight row is loaded twice for a batch of
/// up to 9 positions): 8 rows for T ≤ 2, 4 for T ≤ 4, 2 for T ≤ 9 (a multiple of every row
/// tile divides the 8-row chunks of matmul.c). Groups of a larger T have 4…9 positions.
#define FLOAT512_R(T) ((T) <= 2 ? 8 : (T) <= 4 ? 4 : 2)

/// The F32 / F16 / BF16 row kernels sc_rows_PATH_{f32,f16,bf16} of a path: TILE with the weight
/// kind (KIND_F32, KIND_F16, KIND_BF16 of avx2_util.h), groups of ≤ 6.
#define SC_DEFINE_FLOAT_ROWS(ATTR, PATH, TILE)                                                     \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_f32, TILE, KIND_F32, FLOAT_R, 6)                         \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_f16, TILE, KIND_F16, FLOAT_R, 6)                         \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_bf16, TILE, KIND_BF16, FLOAT_R, 6)

/// The Q4_0 / Q4_1 / Q8_0 row kernels of a path: sc_rows_PATH_<type> runs TILE with kind
/// KIND(type, 0) (int16 activations), sc_rows_PATH_i8_<type> with KIND(type, 1) (int8).
#define SC_DEFINE_BASIC_ROWS(ATTR, PATH, TILE, KIND)                                               \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_q4_0, TILE, KIND(SC_TYPE_Q4_0, 0), QUANT_R, 8)           \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_q4_1, TILE, KIND(SC_TYPE_Q4_1, 0), QUANT_R, 8)           \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_q8_0, TILE, KIND(SC_TYPE_Q8_0, 0), QUANT_R, 8)           \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_i8_q4_0, TILE, KIND(SC_TYPE_Q4_0, 1), QUANT_R, 8)        \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_i8_q4_1, TILE, KIND(SC_TYPE_Q4_1, 1), QUANT_R, 8)        \
    SC_DEFINE_ROWS(ATTR, sc_rows_##PATH##_i8_q8_0, TILE, KIND(SC_TYPE_Q8_0, 1), QUANT_R, 8)

#endif
