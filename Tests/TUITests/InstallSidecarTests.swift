import Foundation
import XCTest

/// scripts/install-sidecar.sh (what scripts/setup.sh runs): the shipped sidecar goes in when none
/// is there or an earlier shipped version is, and a user's own sidecar is never overwritten.
final class InstallSidecarTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private let sidecarName = "SmolLM2-135M-Instruct.Q4_1.gguf.exit-adapters.safetensors"

    /// Runs the script on a model directory with a shipped file and a superseded list of our own.
    private func install(modelDir: URL, shipped: URL, list: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/install-sidecar.sh").path, modelDir.path, shipped.path, list.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, text)
        return text
    }

    private func sha256(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        process.waitUntilExit()
        return String(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
    }

    func testInstallsReplacesOurOldVersionsAndKeepsAUsersOwn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("install-sidecar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("shipped")
        let models = dir.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let shipped = source.appendingPathComponent(sidecarName)
        try Data("new shipped version".utf8).write(to: shipped)
        let old = dir.appendingPathComponent("old")
        try Data("old shipped version".utf8).write(to: old)
        let list = dir.appendingPathComponent("superseded.sha256")
        try Data("# earlier versions\n\(try sha256(old))\n".utf8).write(to: list)
        let target = models.appendingPathComponent(sidecarName)

        // None there: installed (the directory is made).
        _ = try install(modelDir: models, shipped: shipped, list: list)
        XCTAssertEqual(try Data(contentsOf: target), Data("new shipped version".utf8))
        // An earlier shipped version: replaced.
        try Data("old shipped version".utf8).write(to: target)
        _ = try install(modelDir: models, shipped: shipped, list: list)
        XCTAssertEqual(try Data(contentsOf: target), Data("new shipped version".utf8))
        // A user's own sidecar: kept, and said so.
        try Data("the user's own calibration".utf8).write(to: target)
        let said = try install(modelDir: models, shipped: shipped, list: list)
        XCTAssertEqual(try Data(contentsOf: target), Data("the user's own calibration".utf8))
        XCTAssertTrue(said.contains("kept your own sidecar"), said)
    }

    /// The committed list names every earlier shipped version (so set-up upgrades them) and never
    /// the current one.
    func testCommittedListHasTheEarlierVersionsNotTheCurrentOne() throws {
        let list = try String(contentsOf: root.appendingPathComponent("models/adapters/superseded.sha256"), encoding: .utf8)
        let hashes = Set(list.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
        let current = try sha256(root.appendingPathComponent("models/adapters/\(sidecarName)"))
        XCTAssertFalse(hashes.contains(current))
        // The versions shipped before draft block v2 (12483c1, 64325cd, a0143d6).
        for earlier in ["3e5f770c4eb597059625fad7a2972e6d263c852d396f3880dddb1f2c9978babb",
                        "fdde6b685e6e6dae680d41a5de2534282e06c58a38d1e8e6aa7d95c4f0d001f3",
                        "e0bd51e007e019f92dc4a824b644bb4254ac99f8df6fdf9a807abf60ae1415e3"] {
            XCTAssertTrue(hashes.contains(earlier), earlier)
        }
    }
}
