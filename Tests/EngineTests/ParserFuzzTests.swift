import Foundation
import XCTest
@testable import SkipChatBenchmark
@testable import SkipChatEngine

/// 5 000 mutated inputs per engine parser (`skipchat bench fuzz` runs 100 000): each must parse
/// or throw a one-line error, within the time limit, without the resident size growing by more
/// than a few MiB. Seeded, so a failure reproduces; a crash or hang ends the test process naming
/// the input left in the scratch directory.
final class ParserFuzzTests: XCTestCase {
    static let iterations = 5_000

    func testSeedsParse() throws {
        let scratch = try ModelFileTestSupport.scratchDirectory(for: self, inMemory: true)
        for target in FuzzTarget.engineTargets {
            for (i, seed) in target.seeds.enumerated() {
                let url = scratch.appendingPathComponent("\(target.name)-seed-\(i).\(target.fileExtension)")
                try seed.write(to: url)
                XCTAssertNoThrow(try target.parse(url.path), "seed \(i) of \(target.name)")
            }
        }
    }

    func testGGUF() throws { try fuzz(.gguf) }
    func testSafetensors() throws { try fuzz(.safetensors) }
    func testConfigJSON() throws { try fuzz(.config) }
    func testTokenizerJSON() throws { try fuzz(.tokenizerJSON) }
    func testDraftSidecar() throws { try fuzz(.exitAdapters) }

    private func fuzz(_ target: FuzzTarget, file: StaticString = #filePath, line: UInt = #line) throws {
        let scratch = try ModelFileTestSupport.scratchDirectory(for: self, inMemory: true)
        let report = try FuzzRunner(directory: scratch, timeLimit: 10).run(target, iterations: Self.iterations, seed: 0xF0_22)
        print(target.name + String(format: ": %.0f mutations/s, %d accepted, %d rejected, RSS growth %.1f MiB",
                     report.mutationsPerSecond, report.accepted, report.rejected, Double(report.rssGrowth) / 1_048_576))
        XCTAssertEqual(report.failures, [], file: file, line: line)
        XCTAssertGreaterThan(report.rejected, Self.iterations / 10, "the mutations should break most inputs", file: file, line: line)
        XCTAssertGreaterThan(report.accepted, 0, "some mutants (e.g. flips in data) should still parse", file: file, line: line)
        XCTAssertLessThan(report.rssGrowth, 64 << 20, "resident memory grew by \(report.rssGrowth) bytes", file: file, line: line)
    }
}
