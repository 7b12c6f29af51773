// OpenBLAS CBLAS interface: sgemm/dgemm for calibration (SkipChatCalibration, its only user:
// exit-adapter fitting and exit agreement). Inference never calls BLAS.
#include <cblas.h>

// LAPACK, which libopenblas bundles (Debian's cblas.h does not declare it): solves A·X = B for a
// symmetric positive-definite n×n A by Cholesky, column-major; B (n×nrhs) is overwritten by X.
// info = 0 on success, > 0 when A is not positive definite. Used by exit-adapter calibration.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);

// OpenBLAS's pthread build starts its worker threads in the library's constructor, and each one
// busy-waits (sched_yield) for its thread timeout, ~2^28 cycles (about 0.1 s of a core), before it
// sleeps: every skipchat process paid that at start, on a 2-core machine half the CPU while a pull
// or the cost probe ran. blas_thread_shutdown_ stops them; the next threaded BLAS call starts them
// again. Weak: serial and other builds of the library may not have it.
int blas_thread_shutdown_(void) __attribute__((weak));
static inline void skipchat_openblas_stop_idle_threads(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}
