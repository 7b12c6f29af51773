// OpenBLAS CBLAS interface (sgemm for prefill and large batches; threads are set from Swift).
#include <cblas.h>
