// sc_matmul: takes each job's row kernel for the code path and precision from the type table
// (sc_row_kernel), quantises the activations (or rounds them to BF16) once per call when a job
// needs them, and splits the rows of all jobs across the pool in chunks taken from an atomic
// counter (so a busy core does not hold the others back). Results never depend on the split.
#include "weight_types.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

/// Jobs handled by one pool run (longer lists are run in batches).
#define SC_MAX_JOBS 16
/// Calls with fewer rows than this in all, or fewer multiply-adds than SC_INLINE_MACS, run on
/// the caller alone: waking a worker costs about a microsecond.
#define SC_INLINE_ROWS 64
#define SC_INLINE_MACS 65536

typedef struct {
    sc_rows_args args[SC_MAX_JOBS];
    sc_rows_fn fn[SC_MAX_JOBS];
    int64_t first_row[SC_MAX_JOBS + 1];   // prefix sums of rows: job j owns [first_row[j], first_row[j+1])
    int n_jobs;
    int64_t chunk;
    _Atomic int64_t next;
} matmul_ctx;

/// Runs global rows [g0, g1) of the concatenated jobs.
static void run_rows(const matmul_ctx *m, int64_t g0, int64_t g1) {
    for (int j = 0; j < m->n_jobs && g0 < g1; j++) {
        int64_t lo = m->first_row[j], hi = m->first_row[j + 1];
        if (g0 >= hi) continue;
        int64_t end = g1 < hi ? g1 : hi;
        m->fn[j](&m->args[j], g0 - lo, end - lo);
        g0 = end;
    }
}

static void matmul_task(void *raw) {
    matmul_ctx *m = raw;
    int64_t total = m->first_row[m->n_jobs];
    for (;;) {
        int64_t g0 = atomic_fetch_add_explicit(&m->next, m->chunk, memory_order_relaxed);
        if (g0 >= total) return;
        run_rows(m, g0, g0 + m->chunk < total ? g0 + m->chunk : total);
    }
}

/// Per-thread 64-byte-aligned buffers for converted activations (slot 0: quantised, slot 1:
/// BF16), grown as needed and kept for the next call.
static void *scratch(int slot, size_t bytes) {
    static _Thread_local void *buf[2];
    static _Thread_local size_t cap[2];
    if (bytes > cap[slot]) {
        void *grown = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (!grown) return NULL;
        free(buf[slot]);
        buf[slot] = grown;
        cap[slot] = bytes;
    }
    return buf[slot];
}

/// x rounded to BF16 in `buf`: T rows of `cols` values, row stride xb_stride.
static void round_to_bf16(const float *x, int64_t x_stride, int64_t cols, int T, uint16_t *buf, int64_t xb_stride) {
    for (int t = 0; t < T; t++)
        for (int64_t c = 0; c < cols; c++) buf[t * xb_stride + c] = sc_fp32_to_bf16(x[t * x_stride + c]);
}

static void fill_nan(const sc_matmul_job *j, int T) {
    for (int t = 0; t < T; t++)
        for (int64_t r = 0; r < j->rows; r++) j->y[t * j->y_stride + r] = NAN;
}

static void matmul_batch(sc_pool *pool, const sc_matmul_job *jobs, int n_jobs, const float *x,
                         int64_t x_stride, int T, const sc_xq *xq, const uint16_t *xb, int64_t xb_stride,
                         int path, int precision) {
    matmul_ctx m = {.n_jobs = 0};
    for (int j = 0; j < n_jobs; j++) {
        int reads_bf16;
        sc_rows_fn fn = sc_row_kernel(path, jobs[j].type, precision, &reads_bf16);
        if (!sc_row_bytes(jobs[j].type, jobs[j].cols) || !fn || (sc_type_is_quantised(jobs[j].type) && !xq) || (reads_bf16 && !xb)) {
            fill_nan(&jobs[j], T);   // unsupported type or shape, or out of memory
            continue;
        }
        m.args[m.n_jobs] = (sc_rows_args){.job = &jobs[j], .x = x, .x_stride = x_stride, .xb = xb, .xb_stride = xb_stride, .T = T};
        if (xq) m.args[m.n_jobs].xq = *xq;
        m.fn[m.n_jobs] = fn;
        m.first_row[m.n_jobs + 1] = m.first_row[m.n_jobs] + jobs[j].rows;
        m.n_jobs++;
    }
    int64_t total = m.first_row[m.n_jobs];
    if (total == 0) return;
    int nth = sc_pool_threads(pool);
    if (nth == 1 || total < SC_INLINE_ROWS || total * jobs[0].cols * T < SC_INLINE_MACS) {
        run_rows(&m, 0, total);
        return;
    }
    // About 8 chunks per thread, a multiple of 8 rows (the vector kernels' row tile).
    int64_t chunk = (total / (nth * 8) + 7) / 8 * 8;
    m.chunk = chunk < 8 ? 8 : chunk;
    atomic_init(&m.next, 0);
    sc_pool_run(pool, matmul_task, &m);
}

void sc_matmul(sc_pool *pool, const sc_matmul_job *jobs, int n_jobs, const float *x,
               int64_t x_stride, int T) {
    if (n_jobs <= 0 || T <= 0) return;
    // One path and one precision for the whole call, read once (they are process-wide settings).
    const int path = sc_active_path(), precision = sc_precision();
    sc_xq xq;
    int have_xq = 0;
    for (int j = 0; j < n_jobs; j++) {
        if (sc_type_is_quantised(jobs[j].type) && jobs[j].cols % SC_QK == 0) {   // all jobs share cols
            void *buf = scratch(0, sc_xq_bytes(jobs[j].cols, T));
            if (buf) {
                xq = sc_quantize_activations(x, x_stride, jobs[j].cols, T, precision, buf);
                have_xq = 1;
            }
            break;
        }
    }
    uint16_t *xb = NULL;
    int64_t xb_stride = 0;
    for (int j = 0, reads_bf16; j < n_jobs; j++) {
        if (sc_row_kernel(path, jobs[j].type, precision, &reads_bf16) && reads_bf16) {
            xb_stride = (jobs[j].cols + 31) / 32 * 32;   // rows start 64-byte aligned
            xb = scratch(1, sizeof(uint16_t) * (size_t)(T * xb_stride));
            if (xb) round_to_bf16(x, x_stride, jobs[j].cols, T, xb, xb_stride);
            break;
        }
    }
    for (int j0 = 0; j0 < n_jobs; j0 += SC_MAX_JOBS) {
        int n = n_jobs - j0 < SC_MAX_JOBS ? n_jobs - j0 : SC_MAX_JOBS;
        matmul_batch(pool, jobs + j0, n, x, x_stride, T, have_xq ? &xq : NULL, xb, xb_stride, path, precision);
    }
}
