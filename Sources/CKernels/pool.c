// Persistent thread pool. A job is published by bumping the generation in an atomic state word;
// workers spin on it for a short while (decode issues ~150 calls per token, microseconds apart)
// and then sleep on a condition variable, so an idle pool costs no CPU. The caller always works
// on the job too, and once it has finished it closes the job: a worker that was not scheduled in
// time (another process holds its core) simply skips it instead of holding the caller up.
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SC_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define SC_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define SC_CPU_RELAX() ((void)0)
#endif

/// Spin iterations (each one CPU-relax hint, ~10–100 ns) before a worker sleeps or the caller yields.
#define SC_SPIN_ITERS 20000

/// State word: generation << 32 | CLOSED | number of workers inside the job.
#define SC_CLOSED ((uint64_t)1 << 31)
#define SC_ACTIVE_MASK (SC_CLOSED - 1)

struct sc_pool {
    int n_threads;
    pthread_t *workers;              // n_threads - 1 threads
    _Atomic uint64_t state;
    _Atomic int sleepers;            // workers blocked (or about to block) on `wake`
    _Atomic int stop;
    sc_task_fn fn;                   // current job, written before the generation is bumped
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

static uint32_t generation(uint64_t state) { return (uint32_t)(state >> 32); }

/// Blocks until the generation differs from `seen` (or the pool stops); returns the new one.
static uint32_t wait_for_job(sc_pool *p, uint32_t seen) {
    for (int i = 0; i < SC_SPIN_ITERS; i++) {
        uint32_t g = generation(atomic_load_explicit(&p->state, memory_order_acquire));
        if (g != seen || atomic_load_explicit(&p->stop, memory_order_relaxed)) return g;
        SC_CPU_RELAX();
    }
    pthread_mutex_lock(&p->lock);
    atomic_fetch_add(&p->sleepers, 1);   // seq_cst: pairs with the publisher's store-then-check
    uint32_t g;
    while ((g = generation(atomic_load(&p->state))) == seen && !atomic_load(&p->stop))
        pthread_cond_wait(&p->wake, &p->lock);
    atomic_fetch_sub(&p->sleepers, 1);
    pthread_mutex_unlock(&p->lock);
    return g;
}

/// Joins job `g` if it is still open, runs it and leaves.
static void join_job(sc_pool *p, uint32_t g) {
    uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire);
    while (generation(s) == g && !(s & SC_CLOSED)) {
        if (atomic_compare_exchange_weak_explicit(&p->state, &s, s + 1, memory_order_acq_rel,
                                                  memory_order_acquire)) {
            p->fn(p->ctx);
            atomic_fetch_sub_explicit(&p->state, 1, memory_order_release);
            return;
        }
    }
}

static void *worker_main(void *raw) {
    sc_pool *p = raw;
    uint32_t seen = 0;
    for (;;) {
        seen = wait_for_job(p, seen);
        if (atomic_load(&p->stop)) return NULL;
        join_job(p, seen);
    }
}

sc_pool *sc_pool_create(int n_threads) {
    if (n_threads < 1) n_threads = 1;
    sc_pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n_threads = n_threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    p->workers = calloc((size_t)n_threads, sizeof(pthread_t));
    if (!p->workers) {
        sc_pool_destroy(p);
        return NULL;
    }
    for (int i = 1; i < n_threads; i++) {
        if (pthread_create(&p->workers[i - 1], NULL, worker_main, p) != 0) {
            p->n_threads = i;   // run with the workers that did start
            break;
        }
    }
    return p;
}

void sc_pool_destroy(sc_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    if (p->workers)
        for (int i = 1; i < p->n_threads; i++) pthread_join(p->workers[i - 1], NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p);
}

int sc_pool_threads(const sc_pool *p) { return p ? p->n_threads : 1; }

void sc_pool_run(sc_pool *p, sc_task_fn fn, void *ctx) {
    if (!p || p->n_threads == 1) {
        fn(ctx);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    uint32_t g = generation(atomic_load_explicit(&p->state, memory_order_relaxed)) + 1;
    atomic_store(&p->state, (uint64_t)g << 32);   // seq_cst: publishes fn/ctx, ordered before the check
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    fn(ctx);
    // Close the job, then wait only for the workers that joined it (they are running).
    atomic_fetch_or(&p->state, SC_CLOSED);
    for (int i = 0; atomic_load_explicit(&p->state, memory_order_acquire) & SC_ACTIVE_MASK; i++) {
        if (i < SC_SPIN_ITERS) SC_CPU_RELAX();
        else sched_yield();
    }
}
