import COpenBLAS
import Foundation
import SkipChatCalibration
import XCTest

/// OpenBLAS's idle worker threads: after `BLASThreads.stopIdleThreads()` they burn no CPU, and
/// the next sgemm still computes the right product (the threads start again).
final class BLASThreadsTests: XCTestCase {
    /// CPU seconds this process uses while it sleeps `seconds`.
    private func cpuWhileSleeping(_ seconds: Double) -> Double {
        func used() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        let before = used()
        Thread.sleep(forTimeInterval: seconds)
        return used() - before
    }

    /// C = A·Bᵀ (n×n) through sgemm, checked against a plain triple loop.
    private func checkedProduct(_ n: Int) {
        let a = (0..<n * n).map { Float($0 % 7) - 3 }, b = (0..<n * n).map { Float($0 % 5) - 2 }
        var c = [Float](repeating: 0, count: n * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        for (i, j) in [(0, 0), (1, n - 1), (n - 1, 3), (n / 2, n / 3)] {
            let expected = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * b[j * n + $1] }
            XCTAssertEqual(c[i * n + j], expected, "C[\(i), \(j)]")
        }
    }

    func testStoppedThreadsBurnNoCPUAndStartAgain() throws {
        guard openblas_get_num_threads() > 1, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            throw XCTSkip("OpenBLAS runs one thread here: no idle workers to stop")
        }
        checkedProduct(256)  // the workers ran a job and now busy-wait for their timeout
        let spinning = cpuWhileSleeping(0.05)
        checkedProduct(256)
        BLASThreads.stopIdleThreads()
        let stopped = cpuWhileSleeping(0.05)
        XCTAssertLessThan(stopped, 0.015, "CPU while idle: \(stopped) s after stopping the workers, \(spinning) s before")
        checkedProduct(256)
        BLASThreads.stopIdleThreads()
    }
}
