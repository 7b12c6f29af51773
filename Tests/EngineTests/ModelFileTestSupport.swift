import Foundation
import XCTest
@testable import SkipChatEngine

/// Fixture paths, scratch directories and byte-level helpers for the model file tests.
enum ModelFileTestSupport {
    /// A file or directory under Tests/EngineTests/Fixtures.
    static func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil), "fixture \(name)")
    }

    /// A new empty directory, removed when the test case finishes. `inMemory` puts it on
    /// /dev/shm where there is one (the mutation tests write thousands of files).
    static func scratchDirectory(for test: XCTestCase, inMemory: Bool = false) throws -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = inMemory && FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("skipchat-modelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Copies the Hugging Face fixture directory into `directory` and returns the copy.
    static func copyHFFixture(into directory: URL) throws -> URL {
        let copy = directory.appendingPathComponent("tiny-llama-hf")
        try FileManager.default.copyItem(at: try fixture("tiny-llama-hf"), to: copy)
        return copy
    }

    /// Opens `path` and returns the `ModelLoadError`, failing the test if it loads or throws
    /// anything else.
    static func loadError(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> ModelLoadError? {
        do {
            _ = try ModelFile.open(path: path)
            XCTFail("\(path) loaded but should not have", file: file, line: line)
        } catch {
            return error
        }
        return nil
    }

    /// Asserts that opening `path` fails with one line that names `fileSuffix` and contains `text`.
    static func assertLoadError(_ path: String, names fileSuffix: String, contains text: String,
                                file sourceFile: StaticString = #filePath, line: UInt = #line) {
        guard let error = loadError(path, file: sourceFile, line: line) else { return }
        let description = error.description
        XCTAssertTrue(error.file.hasSuffix(fileSuffix), "error names \(error.file), expected …\(fileSuffix)", file: sourceFile, line: line)
        XCTAssertTrue(description.contains(text), "\"\(description)\" lacks \"\(text)\"", file: sourceFile, line: line)
        XCTAssertFalse(description.contains("\n"), "error is not one line: \(description)", file: sourceFile, line: line)
    }
}

/// Little-endian byte building and patching for hand-made or edited GGUF files.
extension Data {
    mutating func append<T: FixedWidthInteger>(le value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends a GGUF string (u64 length + bytes).
    mutating func appendGGUFString(_ s: String) {
        append(le: UInt64(s.utf8.count))
        append(contentsOf: Array(s.utf8))
    }

    /// Overwrites the bytes at `offset` with `value`, little-endian.
    mutating func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { replaceSubrange(offset..<offset + $0.count, with: $0) }
    }

    /// Offset just past the first occurrence of GGUF string `s` (its length prefix and bytes).
    func offsetAfterGGUFString(_ s: String) throws -> Int {
        var needle = Data()
        needle.appendGGUFString(s)
        let range = try XCTUnwrap(self.range(of: needle), "'\(s)' not found")
        return range.upperBound - startIndex
    }

    /// The start of a GGUF header with the given counts (magic, version 3, tensor and KV counts).
    static func ggufHeader(tensorCount: UInt64, kvCount: UInt64) -> Data {
        var d = Data("GGUF".utf8)
        d.append(le: UInt32(3))
        d.append(le: tensorCount)
        d.append(le: kvCount)
        return d
    }
}
