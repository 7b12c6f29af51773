// The tile plan shared by every vector path: which tile shapes (rows × positions) run for a
// given number of positions, and the row loop around them. Each path supplies its own tiles.
#ifndef SKIPCHAT_TILE_PLAN_H
#define SKIPCHAT_TILE_PLAN_H

/// One TILE call with run-time R (rows) and TT (positions), turned into the compile-time shapes
/// that fit in registers (R·TT accumulators + R weight vectors ≤ 16): R = 4 for TT ≤ 2,
/// R = 3 for TT ≤ 4, R = 2 for TT ≤ 6, R = 1 for TT ≤ 8.
#define SC_TILE_ANY(TILE, K, a, r, t0, R, TT)                                                      \
    switch ((R) * 16 + (TT)) {                                                                     \
    case 4 * 16 + 1: TILE(K, a, r, t0, 4, 1); break;                                               \
    case 4 * 16 + 2: TILE(K, a, r, t0, 4, 2); break;                                               \
    case 3 * 16 + 1: TILE(K, a, r, t0, 3, 1); break;                                               \
    case 3 * 16 + 2: TILE(K, a, r, t0, 3, 2); break;                                               \
    case 3 * 16 + 3: TILE(K, a, r, t0, 3, 3); break;                                               \
    case 3 * 16 + 4: TILE(K, a, r, t0, 3, 4); break;                                               \
    case 2 * 16 + 1: TILE(K, a, r, t0, 2, 1); break;                                               \
    case 2 * 16 + 2: TILE(K, a, r, t0, 2, 2); break;                                               \
    case 2 * 16 + 3: TILE(K, a, r, t0, 2, 3); break;                                               \
    case 2 * 16 + 4: TILE(K, a, r, t0, 2, 4); break;                                               \
    case 2 * 16 + 5: TILE(K, a, r, t0, 2, 5); break;                                               \
    case 2 * 16 + 6: TILE(K, a, r, t0, 2, 6); break;                                               \
    case 1 * 16 + 1: TILE(K, a, r, t0, 1, 1); break;                                               \
    case 1 * 16 + 2: TILE(K, a, r, t0, 1, 2); break;                                               \
    case 1 * 16 + 3: TILE(K, a, r, t0, 1, 3); break;                                               \
    case 1 * 16 + 4: TILE(K, a, r, t0, 1, 4); break;                                               \
    case 1 * 16 + 5: TILE(K, a, r, t0, 1, 5); break;                                               \
    case 1 * 16 + 6: TILE(K, a, r, t0, 1, 6); break;                                               \
    case 1 * 16 + 7: TILE(K, a, r, t0, 1, 7); break;                                               \
    default: TILE(K, a, r, t0, 1, 8); break;                                                       \
    }

/// Runs TILE over rows [r0, r1) and all T positions, turning run-time shapes into compile-time
/// ones with ANY (SC_TILE_ANY or SC_TILE512_ANY). Positions are split into the fewest groups
/// of at most GMAX with near-equal sizes (9 = 5 + 4, never 8 + 1: a lone position is one
/// latency-bound accumulator chain); each tile of R_FOR(largest group) rows runs every group
/// while its weight rows are in L1; leftover rows go one at a time.
#define SC_ROWS_BODY(ANY, TILE, K, R_FOR, GMAX)                                                    \
    const int T = a->T, groups = (T + (GMAX) - 1) / (GMAX), R = R_FOR((T + groups - 1) / groups);  \
    int64_t r = r0;                                                                                \
    for (; r + R <= r1; r += R)                                                                    \
        for (int g = 0, t0 = 0, tt; g < groups; g++, t0 += tt) {                                   \
            tt = (T - t0) / (groups - g);                                                          \
            ANY(TILE, K, a, r, t0, R, tt)                                                          \
        }                                                                                          \
    for (; r < r1; r++)                                                                            \
        for (int g = 0, t0 = 0, tt; g < groups; g++, t0 += tt) {                                   \
            tt = (T - t0) / (groups - g);                                                          \
            ANY(TILE, K, a, r, t0, 1, tt)                                                          \
        }

/// Rows per tile for a group of T positions. Float tiles take groups of ≤ 6 (2 × 6 tiles, 3 × 4
/// at T = 4: every x load feeds two or three FMAs, and ≥ 8 independent FMA chains hide their
/// latency); quantised tiles take ≤ 8, so a block is unpacked once for up to 8 positions, with
/// 2 rows for T ≤ 2 (4 rows run out of registers).
#define FLOAT_R(T) ((T) <= 2 ? 4 : (T) <= 4 ? 3 : 2)
#define QUANT_R(T) ((T) <= 2 ? 2 : 1)

/// A row kernel NAME (compiled with target attribute ATTR) running TILE with kind K.
#define SC_DEFINE_ROWS(ATTR, NAME, TILE, K, R_FOR, GMAX)                                           \
    ATTR static void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) { SC_ROWS_BODY(SC_TILE_ANY, TILE, K, R_FOR, GMAX) }

/// The vdpbf16ps tile's shapes (matmul_avx512.c; its BF16 activations, 36 KB at T = 9 and 2048
/// columns, stay near L1): 32 registers hold R·TT accumulators + R weight vectors + one
/// activation vector, so every T ≤ 9 is one group (no weight row is loaded twice for a batch of
/// up to 9 positions): 8 rows for T ≤ 2, 4 for T ≤ 4, 2 for T ≤ 9 (a multiple of every row
/// tile divides the 8-row chunks of matmul.c). Groups of a larger T have 4…9 positions.
#define FLOAT512_R(T) ((T) <= 2 ? 8 : (T) <= 4 ? 4 : 2)
#define SC_TILE512_ANY(TILE, K, a, r, t0, R, TT)                                                   \
    switch ((R) * 16 + (TT)) {                                                                     \
    case 8 * 16 + 1: TILE(K, a, r, t0, 8, 1); break;                                               \
    case 8 * 16 + 2: TILE(K, a, r, t0, 8, 2); break;                                               \
    case 4 * 16 + 3: TILE(K, a, r, t0, 4, 3); break;                                               \
    case 4 * 16 + 4: TILE(K, a, r, t0, 4, 4); break;                                               \
    case 2 * 16 + 4: TILE(K, a, r, t0, 2, 4); break;                                               \
    case 2 * 16 + 5: TILE(K, a, r, t0, 2, 5); break;                                               \
    case 2 * 16 + 6: TILE(K, a, r, t0, 2, 6); break;                                               \
    case 2 * 16 + 7: TILE(K, a, r, t0, 2, 7); break;                                               \
    case 2 * 16 + 8: TILE(K, a, r, t0, 2, 8); break;                                               \
    case 2 * 16 + 9: TILE(K, a, r, t0, 2, 9); break;                                               \
    case 1 * 16 + 1: TILE(K, a, r, t0, 1, 1); break;                                               \
    case 1 * 16 + 2: TILE(K, a, r, t0, 1, 2); break;                                               \
    case 1 * 16 + 3: TILE(K, a, r, t0, 1, 3); break;                                               \
    case 1 * 16 + 4: TILE(K, a, r, t0, 1, 4); break;                                               \
    case 1 * 16 + 5: TILE(K, a, r, t0, 1, 5); break;                                               \
    case 1 * 16 + 6: TILE(K, a, r, t0, 1, 6); break;                                               \
    case 1 * 16 + 7: TILE(K, a, r, t0, 1, 7); break;                                               \
    case 1 * 16 + 8: TILE(K, a, r, t0, 1, 8); break;                                               \
    default: TILE(K, a, r, t0, 1, 9); break;                                                       \
    }

/// A 512-bit float row kernel NAME: SC_DEFINE_ROWS with the shapes of SC_TILE512_ANY, groups ≤ 9.
#define SC_DEFINE_ROWS512(ATTR, NAME, TILE, K)                                                     \
    ATTR static void NAME(const sc_rows_args *a, int64_t r0, int64_t r1) { SC_ROWS_BODY(SC_TILE512_ANY, TILE, K, FLOAT512_R, 9) }

#endif
