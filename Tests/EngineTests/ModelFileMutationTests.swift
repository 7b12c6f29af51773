import Foundation
import XCTest
@testable import SkipChatEngine

/// Thousands of randomly corrupted copies of the fixtures (bytes flipped, truncated, length and
/// count fields inflated), fed to both readers: each must load or throw `ModelLoadError` —
/// never crash, hang or allocate without bound. Seeded, so a failure reproduces.
final class ModelFileMutationTests: XCTestCase {
    /// Values written over length and count fields.
    static let inflated: [UInt64] = [.max, 1 << 62, 1 << 60, 1 << 40, UInt64(Int32.max), 0x8000_0000, 0xFFFF_FFFF, 0]

    /// One random corruption of `data`, mostly inside its first `headerBytes` bytes (where the
    /// structure is; flips in tensor data only change weights).
    static func mutate(_ data: Data, headerBytes: Int, using rng: inout SeededGenerator) -> Data {
        var copy = data
        let header = max(1, min(headerBytes, data.count))
        func position() -> Int { Bool.random(using: &rng) || Bool.random(using: &rng) ? Int.random(in: 0..<header, using: &rng) : Int.random(in: 0..<data.count, using: &rng) }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:  // flip a few bytes
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let at = position()
                copy[copy.startIndex + at] ^= UInt8.random(in: 1...255, using: &rng)
            }
        case 1:  // truncate
            copy = copy.prefix(Int.random(in: 0..<data.count, using: &rng))
        case 2:  // inflate a 64-bit field
            let at = min(position(), data.count - 8)
            copy.patch(inflated.randomElement(using: &rng)!, at: at)
        default:  // inflate a 32-bit field
            let at = min(position(), data.count - 4)
            copy.patch(UInt32(truncatingIfNeeded: inflated.randomElement(using: &rng)! >> UInt64.random(in: 0...32, using: &rng)), at: at)
        }
        return copy
    }

    /// Opening must return or throw `ModelLoadError` (typed throws guarantees the type); the
    /// test counts both outcomes so a reader that rejects everything is noticed.
    private func open(_ path: String, loaded: inout Int, rejected: inout Int) {
        do {
            _ = try ModelFile.open(path: path)
            loaded += 1
        } catch {
            XCTAssertFalse(error.description.contains("\n"), error.description)
            rejected += 1
        }
    }

    func testCorruptedGGUFFiles() throws {
        let scratch = try ModelFileTestSupport.scratchDirectory(for: self, inMemory: true)
        let original = try Data(contentsOf: try ModelFileTestSupport.fixture("tiny-llama.gguf"))
        let path = scratch.appendingPathComponent("mutant.gguf")
        var rng = SeededGenerator(seed: 0x5EED_0001)
        var loaded = 0, rejected = 0
        for _ in 0..<2000 {
            try Self.mutate(original, headerBytes: 7712, using: &rng).write(to: path)
            open(path.path, loaded: &loaded, rejected: &rejected)
        }
        XCTAssertGreaterThan(rejected, 1000)
        XCTAssertGreaterThan(loaded, 0)
    }

    func testCorruptedHuggingFaceCheckpoints() throws {
        let directory = try ModelFileTestSupport.copyHFFixture(into: try ModelFileTestSupport.scratchDirectory(for: self, inMemory: true))
        let names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                     "config.json", "model.safetensors.index.json"]
        let originals = try names.map { try Data(contentsOf: directory.appendingPathComponent($0)) }
        var rng = SeededGenerator(seed: 0x5EED_0002)
        var loaded = 0, rejected = 0
        for _ in 0..<1000 {
            // Mostly shards; sometimes the config or index.
            let which = Int.random(in: 0..<10, using: &rng) < 8 ? Int.random(in: 0...1, using: &rng) : Int.random(in: 2...3, using: &rng)
            let original = originals[which]
            let headerBytes = which <= 1 ? 8 + Int(original.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) : original.count
            let url = directory.appendingPathComponent(names[which])
            try Self.mutate(original, headerBytes: headerBytes, using: &rng).write(to: url)
            open(directory.path, loaded: &loaded, rejected: &rejected)
            try original.write(to: url)
        }
        XCTAssertGreaterThan(rejected, 500)
        XCTAssertGreaterThan(loaded, 0)
    }
}
