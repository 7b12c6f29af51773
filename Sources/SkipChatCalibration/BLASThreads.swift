import COpenBLAS

/// OpenBLAS's worker threads, which only calibration uses.
public enum BLASThreads {
    /// Stops the worker threads OpenBLAS started when it was loaded: each busy-waits for about
    /// 0.1 s of a core before it sleeps (measured: a process that only sleeps 0.3 s used 0.106 s of
    /// CPU with them, 0.009 s after this call; OpenBLAS 0.3.21, Debian's pthread build). The next
    /// threaded BLAS call (calibration's sgemm) starts them again. Call first thing in `main`.
    public static func stopIdleThreads() {
        skipchat_openblas_stop_idle_threads()
    }
}
