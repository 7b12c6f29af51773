// Read-bandwidth measurement: the memory roofline that decode throughput is compared with.
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/// Words per work item: 4 MiB, large enough that taking items costs nothing.
#define SC_READ_CHUNK ((size_t)1 << 19)

typedef struct {
    const uint64_t *buf;
    size_t words;
    _Atomic size_t next;
} read_ctx;

/// A read task whose threads each read STREAMS sequential streams at once (an item split in
/// that many parts, read in lockstep, one independent sum per stream; the compiler vectorises).
#define SC_READ_TASK(NAME, STREAMS)                                                                 \
    static void NAME(void *raw) {                                                                   \
        read_ctx *c = raw;                                                                          \
        uint64_t acc[STREAMS] = {0};                                                                \
        for (size_t lo; (lo = atomic_fetch_add_explicit(&c->next, SC_READ_CHUNK, memory_order_relaxed)) < c->words;) { \
            size_t hi = lo + SC_READ_CHUNK < c->words ? lo + SC_READ_CHUNK : c->words;              \
            size_t part = (hi - lo) / (STREAMS) / 4 * 4;   /* words per stream, a multiple of 4 */  \
            for (size_t i = 0; i < part; i += 4)                                                    \
                for (int s = 0; s < (STREAMS); s++) {                                               \
                    const uint64_t *p = c->buf + lo + (size_t)s * part + i;                         \
                    acc[s] += p[0] + p[1] + p[2] + p[3];                                            \
                }                                                                                   \
            for (size_t i = lo + (STREAMS) * part; i < hi; i++) acc[0] += c->buf[i];                \
        }                                                                                           \
        uint64_t x = 0;                                                                             \
        for (int s = 0; s < (STREAMS); s++) x ^= acc[s];                                            \
        volatile uint64_t keep = x;   /* so the reads cannot be optimised away */                   \
        (void)keep;                                                                                 \
    }

SC_READ_TASK(read_1, 1)
SC_READ_TASK(read_2, 2)
SC_READ_TASK(read_4, 4)
SC_READ_TASK(read_8, 8)
SC_READ_TASK(read_16, 16)

/// Streams per thread tried: which count reads fastest depends on the CPU (one stream per
/// thread underestimated the bandwidth by up to 1.9× on an Intel Xeon, docs/performance.md
/// "Kernel paths"), and the matrix kernels read several rows at once, so the roofline is the
/// best of them.
static const sc_task_fn read_tasks[] = {read_1, read_2, read_4, read_8, read_16};

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
    for (int r = 0; r < (reps < 1 ? 1 : reps); r++)   // stream counts interleaved: noise hits all alike
        for (size_t k = 0; k < sizeof read_tasks / sizeof read_tasks[0]; k++) {
            atomic_store(&c.next, 0);
            double t0 = seconds();
            sc_pool_run(pool, read_tasks[k], &c);
            double dt = seconds() - t0;
            if (dt > 0 && (double)(c.words * sizeof(uint64_t)) / dt > best) best = (double)(c.words * sizeof(uint64_t)) / dt;
        }
    free(buf);
    return best * 1e-9;
}
