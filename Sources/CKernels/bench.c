// Read-bandwidth measurement: the memory roofline that decode throughput is compared with.
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/// Words per work item: 4 MiB, large enough that taking items costs nothing.
#define SC_READ_CHUNK ((size_t)1 << 19)
/// Sequential streams each thread reads at once (its item split in this many parts, read in
/// lockstep): one stream per thread underestimates what the cores can pull (by up to 1.9×,
/// docs/performance.md), and the matrix kernels read several rows at once.
#define SC_READ_STREAMS 8

typedef struct {
    const uint64_t *buf;
    size_t words;
    _Atomic size_t next;
} read_ctx;

static void read_task(void *raw) {
    read_ctx *c = raw;
    uint64_t acc[SC_READ_STREAMS] = {0};   // independent sums; the compiler vectorises them
    for (size_t lo; (lo = atomic_fetch_add_explicit(&c->next, SC_READ_CHUNK, memory_order_relaxed)) < c->words;) {
        size_t hi = lo + SC_READ_CHUNK < c->words ? lo + SC_READ_CHUNK : c->words;
        size_t part = (hi - lo) / SC_READ_STREAMS / 4 * 4;   // words per stream, a multiple of 4
        for (size_t i = 0; i < part; i += 4)
            for (int s = 0; s < SC_READ_STREAMS; s++) {
                const uint64_t *p = c->buf + lo + (size_t)s * part + i;
                acc[s] += p[0] + p[1] + p[2] + p[3];
            }
        for (size_t i = lo + SC_READ_STREAMS * part; i < hi; i++) acc[0] += c->buf[i];
    }
    uint64_t x = 0;
    for (int s = 0; s < SC_READ_STREAMS; s++) x ^= acc[s];
    volatile uint64_t keep = x;   // so the reads cannot be optimised away
    (void)keep;
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double sc_bench_read_bandwidth(sc_pool *pool, size_t bytes, int reps) {
    read_ctx c = {.words = bytes / sizeof(uint64_t)};
    uint64_t *buf = malloc(c.words * sizeof(uint64_t));
    if (!buf || c.words == 0) {
        free(buf);
        return 0.0;
    }
    for (size_t i = 0; i < c.words; i++) buf[i] = i;   // fault every page in before timing
    c.buf = buf;
    double best = 0.0;
    for (int r = 0; r < (reps < 1 ? 1 : reps); r++) {
        atomic_store(&c.next, 0);
        double t0 = seconds();
        sc_pool_run(pool, read_task, &c);
        double dt = seconds() - t0;
        if (dt > 0 && (double)(c.words * sizeof(uint64_t)) / dt > best) best = (double)(c.words * sizeof(uint64_t)) / dt;
    }
    free(buf);
    return best * 1e-9;
}
