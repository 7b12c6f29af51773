// OpenBLAS CBLAS interface: sgemm/dgemm for calibration (SkipChatCalibration, its only user:
// exit-adapter fitting and exit agreement). Inference never calls BLAS.
#include <cblas.h>

// LAPACK, which libopenblas bundles (Debian's cblas.h does not declare it): solves A·X = B for a
// symmetric positive-definite n×n A by Cholesky, column-major; B (n×nrhs) is overwritten by X.
// info = 0 on success, > 0 when A is not positive definite. Used by exit-adapter calibration.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);
