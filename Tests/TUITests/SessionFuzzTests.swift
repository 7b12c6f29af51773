import Foundation
import SkipChatBenchmark
import SkipChatEngine
import SkipChatTUI
import XCTest

/// 5 000 mutated session files (`skipchat bench fuzz --parser session` runs 100 000): each loads
/// or throws, within the time limit, without the resident size growing by more than a few MiB.
final class SessionFuzzTests: XCTestCase {
    func testSessionFiles() throws {
        let scratch = FuzzRunner.scratchDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(at: scratch) }
        let report = try FuzzRunner(directory: scratch, timeLimit: 10).run(ChatSession.fuzzTarget, iterations: 5_000, seed: 0xF0_22)
        XCTAssertEqual(report.failures, [])
        XCTAssertGreaterThan(report.rejected, 500)
        XCTAssertGreaterThan(report.accepted, 0)
        XCTAssertLessThan(report.rssGrowth, 64 << 20)
    }
}
