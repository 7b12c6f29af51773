import CKernels

/// The kernels' persistent worker pool (`sc_pool`): created once per model, used by one
/// generating thread at a time. `threads` counts the calling thread.
public final class ThreadPool: @unchecked Sendable {
    package let raw: OpaquePointer?
    public let threads: Int

    /// - Parameter threads: total threads including the caller; values < 1 mean 1.
    public init(threads: Int) {
        self.threads = max(1, threads)
        raw = sc_pool_create(Int32(self.threads))
    }

    deinit { sc_pool_destroy(raw) }
}
