// Tests the AVX-VNNI and AVX-512 row kernels on any x86-64 CPU by compiling them against SIMDe,
// which emulates the intrinsics in portable C (built by scripts/check-kernels-emulated.sh).
// For every weight type and activation precision of each path it checks:
//  - each (position, row) result against a double-precision reference computed from the
//    dequantised weights and the quantised activations (integer dot products are exact, so the
//    only error is float rounding: ≤ cols · 2⁻²³ · Σ|terms|);
//  - bit-identity across T = 1…17 (the exactness contract: a position computed in a batch equals
//    it computed alone).
// Prints one line per case and a closing "emulated kernels: N passed, N failed".
#include "../../Sources/CKernels/weight_types.h"

#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t next_u64(void) {   // SplitMix64
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}
static float uniform(float lo, float hi) { return lo + (hi - lo) * (float)(next_u64() >> 40) / (float)(1 << 24); }

static uint16_t to_half(float f) { _Float16 h = (_Float16)f; uint16_t u; memcpy(&u, &h, 2); return u; }

/// Random rows × cols weights of `type` (bytes and their size).
static void *random_weights(int type, int64_t rows, int64_t cols, size_t *size) {
    *size = (size_t)rows * sc_row_bytes(type, cols);
    uint8_t *w = malloc(*size);
    if (type == SC_TYPE_F32 || type == SC_TYPE_F16 || type == SC_TYPE_BF16) {
        for (int64_t i = 0; i < rows * cols; i++) {
            float v = uniform(-1, 1);
            if (type == SC_TYPE_F32) memcpy(w + 4 * i, &v, 4);
            else {
                uint32_t bits; memcpy(&bits, &v, 4);
                uint16_t h = type == SC_TYPE_F16 ? to_half(v) : (uint16_t)(bits >> 16);
                memcpy(w + 2 * i, &h, 2);
            }
        }
        return w;
    }
    for (size_t i = 0; i < *size; i++) w[i] = (uint8_t)next_u64();
    if (type == SC_TYPE_Q4_K || type == SC_TYPE_Q6_K) {   // random bits, finite d (and dmin)
        const size_t block = sc_block_bytes(type), d_at = type == SC_TYPE_Q4_K ? 0 : offsetof(sc_block_q6_K, d);
        for (size_t b = 0; b < *size / block; b++) {
            uint16_t d = to_half(uniform(0.001f, 0.1f) * (next_u64() & 1 ? 1 : -1)), dmin = to_half(uniform(0.0f, 0.05f));
            memcpy(w + b * block + d_at, &d, 2);
            if (type == SC_TYPE_Q4_K) memcpy(w + b * block + 2, &dmin, 2);
        }
        return w;
    }
    size_t block = sc_row_bytes(type, 32);
    for (size_t b = 0; b < *size / block; b++) {   // finite scales: d (and m for Q4_1) in range
        uint16_t d = to_half(uniform(0.001f, 0.1f) * (next_u64() & 1 ? 1 : -1)), m = to_half(uniform(-0.5f, 0.5f));
        memcpy(w + b * block, &d, 2);
        if (type == SC_TYPE_Q4_1) memcpy(w + b * block + 2, &m, 2);
    }
    return w;
}

/// Runs kernel `fn` over all rows for T positions; out is T × rows.
static void run(sc_rows_fn fn, int reads_bf16, const sc_matmul_job *job, const float *x, int T, int precision, void *xq_buf, float *out) {
    sc_matmul_job j = *job;
    j.y = out;
    j.y_stride = job->rows;
    sc_rows_args a = {.job = &j, .x = x, .x_stride = job->cols, .T = T};
    if (sc_type_is_quantised(job->type))
        a.xq = sc_quantize_activations(x, job->cols, job->cols, T, precision, xq_buf);
    if (reads_bf16) {   // x rounded to BF16 once, as sc_matmul does
        uint16_t *xb = xq_buf;
        for (int64_t i = 0; i < T * job->cols; i++) xb[i] = sc_fp32_to_bf16(x[i]);
        a.xb = xb;
        a.xb_stride = job->cols;
    }
    fn(&a, 0, job->rows);
}

static int failures, passes;

/// Checks the kernel the type table names for `type` on `path` at `precision` (cpu.c, whose
/// sc_path_name needs the real CPU, is not linked).
static void check(int path, int type, int precision, int64_t rows, int64_t cols) {
    enum { TMAX = 17 };
    size_t size;
    void *w = random_weights(type, rows, cols, &size);
    float *x = malloc(sizeof(float) * TMAX * cols), *y = malloc(sizeof(float) * TMAX * rows), *y1 = malloc(sizeof(float) * TMAX * rows);
    float *wrow = malloc(sizeof(float) * cols);
    size_t buf_bytes = sc_xq_bytes(cols, TMAX) > sizeof(uint16_t) * TMAX * cols ? sc_xq_bytes(cols, TMAX) : sizeof(uint16_t) * TMAX * cols;
    void *buf = aligned_alloc(64, (buf_bytes + 63) / 64 * 64);
    for (int64_t i = 0; i < TMAX * cols; i++) x[i] = uniform(-2, 2);
    sc_matmul_job job = {.type = type, .w = w, .rows = rows, .cols = cols};
    int reads_bf16;
    sc_rows_fn fn = sc_row_kernel(path, type, precision, &reads_bf16);
    int quantised = sc_type_is_quantised(type);
    char what[96];
    snprintf(what, sizeof what, "%s %s %s %lldx%lld", path == SC_PATH_AVX512 ? "avx512" : "avx2-vnni", sc_type_name(type), precision ? "fast" : "accurate", (long long)rows, (long long)cols);
    if (!fn) { printf("FAIL %s: no kernel\n", what); failures++; return; }
    // Baseline: every position alone.
    for (int t = 0; t < TMAX; t++) run(fn, reads_bf16, &job, x + t * cols, 1, precision, buf, y1 + t * rows);
    // Reference from the dequantised weights and the quantised activations of each position.
    double worst = 0;
    int bad = 0;
    for (int t = 0; t < TMAX && !bad; t++) {
        const float *xt = x + t * cols;
        float xdq[4096];
        if (quantised) {
            sc_xq q = sc_quantize_activations(xt, cols, cols, 1, precision, buf);
            for (int64_t c = 0; c < cols; c++) xdq[c] = (float)q.q[c] * q.d[c / 32];
        } else if (reads_bf16) {
            for (int64_t c = 0; c < cols; c++) xdq[c] = sc_bf16_to_fp32(sc_fp32_to_bf16(xt[c]));
        } else {
            memcpy(xdq, xt, sizeof(float) * cols);
        }
        for (int64_t r = 0; r < rows; r++) {
            sc_dequantize_row(type, (const char *)w + r * sc_row_bytes(type, cols), wrow, cols);
            double ref = 0, mag = 0;
            for (int64_t c = 0; c < cols; c++) ref += (double)wrow[c] * xdq[c], mag += fabs((double)wrow[c] * xdq[c]);
            double err = fabs(y1[t * rows + r] - ref), bound = (double)cols * 1.2e-7 * mag + 1e-6;
            if (err / bound > worst) worst = err / bound;
            if (!(err <= bound)) { printf("FAIL %s: T=1 position %d row %lld: %g vs %g\n", what, t, (long long)r, y1[t * rows + r], ref); bad = 1; break; }
        }
    }
    for (int T = 2; T <= TMAX && !bad; T++) {
        run(fn, reads_bf16, &job, x, T, precision, buf, y);
        for (int t = 0; t < T && !bad; t++)
            if (memcmp(y + t * rows, y1 + t * rows, sizeof(float) * rows) != 0) {
                printf("FAIL %s: T=%d position %d differs from T=1\n", what, T, t);
                bad = 1;
            }
    }
    if (bad) failures++;
    else { passes++; printf("ok   %s (worst error %.2f of the bound)\n", what, worst); }
    free(w); free(x); free(y); free(y1); free(wrow); free(buf);
}

int main(void) {
    const int types[] = {SC_TYPE_F32, SC_TYPE_F16, SC_TYPE_BF16, SC_TYPE_Q4_0, SC_TYPE_Q4_1, SC_TYPE_Q8_0};
    const int64_t shapes[][2] = {{67, 96}, {13, 352}, {9, 2080}};   // odd rows; 3, 11 (odd) and 65 blocks (> one chunk)
    for (int p = 0; p < 2; p++)
        for (size_t ti = 0; ti < sizeof types / sizeof *types; ti++)
            for (int prec = 0; prec < 2; prec++)
                for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
                    // precision only affects quantised types, and BF16 on avx512 (BF16 activations)
                    if (prec == 1 && ti < 3 && !(p == 1 && types[ti] == SC_TYPE_BF16)) continue;
                    check(p == 0 ? SC_PATH_AVX2_VNNI : SC_PATH_AVX512, types[ti], prec, shapes[s][0], shapes[s][1]);
                }
    // K-quants on the AVX-512 path (its own Q4_K / Q6_K kernels): one and several super-blocks.
    const int k_types[] = {SC_TYPE_Q4_K, SC_TYPE_Q6_K};
    const int64_t k_shapes[][2] = {{7, 256}, {5, 2304}};
    for (size_t ti = 0; ti < 2; ti++)
        for (int prec = 0; prec < 2; prec++)
            for (size_t s = 0; s < 2; s++) check(SC_PATH_AVX512, k_types[ti], prec, k_shapes[s][0], k_shapes[s][1]);
    printf("emulated kernels: %d passed, %d failed\n", passes, failures);
    return failures ? 1 : 0;
}
