import CKernels
import Foundation

extension KernelSelection {
    /// Serialises every switch of the process-wide kernel path and precision made through
    /// `withKernels` or a `Lease` (recursive: a lease's holder may call `withKernels`).
    private static let switching = NSRecursiveLock()

    /// Runs `body` under the path named by `SKIPCHAT_KERNELS` in `environment` and `precision`
    /// (`configure`), holding the kernel lock, then restores the path and precision in force before,
    /// also when `body` throws. Code that switches kernels this way never sees another's switch.
    /// - Throws: `KernelSelectionError` from `configure` (nothing is run or changed then), or what `body` throws.
    public static func withKernels<T>(environment: [String: String], precision: KernelPrecision = .accurate,
                                      _ body: () throws -> T) throws -> T {
        let lease = Lease()
        defer { lease.end() }
        try configure(environment: environment, precision: precision)
        return try body()
    }

    /// Exclusive use of the kernel path and precision from creation to `end()`, which restores the
    /// ones in force at creation: for a test case that switches kernels in many places (take it in
    /// `setUp`, end it in `tearDown`). Create and end it on the same thread.
    public final class Lease {
        private let path: KernelPath
        private let precision: KernelPrecision
        private var ended = false

        /// Waits for the kernel lock and records the path and precision in force.
        public init() {
            KernelSelection.switching.lock()
            path = .active
            precision = .active
        }

        /// Restores the recorded path and precision and releases the lock (a second call does nothing).
        public func end() {
            guard !ended else { return }
            ended = true
            sc_set_path(path == .defaultPath ? -1 : path.code)
            sc_set_precision(precision == .fast ? Int32(SC_PRECISION_FAST) : Int32(SC_PRECISION_ACCURATE))
            KernelSelection.switching.unlock()
        }
    }
}
