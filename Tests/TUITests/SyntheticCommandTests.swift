import Foundation
import SkipChatEngine
import XCTest

/// `--synthetic NAME` and `bench synthetic-gguf`: the one-line errors.
final class SyntheticCommandTests: XCTestCase {
    private func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else {
            throw XCTSkip("no skipchat binary at \(TmuxHarness.binary) (build it, or set SKIPCHAT_BIN)")
        }
    }

    func testUnknownNameListsTheNames() throws {
        try requireBinary()
        for arguments in [["bench", "roofline", "--synthetic", "llama9"], ["bench", "acceptance", "--synthetic", "llama9"],
                          ["bench", "overhead", "--synthetic", "llama9"], ["bench", "precision", "--synthetic", "llama9"],
                          ["bench", "synthetic-gguf", "llama9", "/tmp/never-written.gguf"]] {
            let result = try CommandRunner.run(arguments)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains("The value 'llama9' is invalid"), result.stderr)
            for name in ["llama3.2-1b", "llama3.2-1b-q8_0", "llama3.2-1b-q4_k_m", "llama3-8b-q8_0", "llama3-8b-q4_k_m", "llama2-7b-q4_k_m"] {
                XCTAssertTrue(result.stderr.contains(name), "\(arguments): \(result.stderr)")
            }
        }
    }

    func testSyntheticAndModelContradict() throws {
        try requireBinary()
        let result = try CommandRunner.run(["bench", "roofline", "--synthetic", "llama3.2-1b", "--model", "/tmp/x.gguf"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--synthetic and --model contradict each other"), result.stderr)
    }

    func testExistingOutputNeedsForce() throws {
        try requireBinary()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID()).gguf").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try CommandRunner.run(["bench", "synthetic-gguf", "llama3.2-1b-q4_k_m", path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("\(path) exists; add --force to overwrite it"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep")
    }

    func testUnwritableOutputIsOneLine() throws {
        try requireBinary()
        let result = try CommandRunner.run(["bench", "synthetic-gguf", "llama3.2-1b-q4_k_m", "/nonexistent-dir/x.gguf"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "skipchat: cannot create /nonexistent-dir/x.gguf: No such file or directory\n")
    }
}
