import Foundation
import XCTest

/// A model file truncated while mapped (re-downloaded mid-chat) raises SIGBUS on the next read:
/// the process ends with one line naming the file and status 1, and the chat gives the terminal
/// back first.
final class TruncatedModelEndToEndTests: XCTestCase {
    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-truncate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    private func expectedLine(_ path: String) -> String {
        "skipchat: model file \(path) changed or was truncated while in use"
    }

    func testGenerateEndsWithOneLineWhenTheModelIsTruncatedMidReply() throws {
        try CommandRunner.requireBinaryAndModel()
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.cache"
        let directory = try scratch()
        let model = directory.appendingPathComponent("model.gguf").path
        try FileManager.default.copyItem(atPath: cache + "/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf", toPath: model)
        let errors = directory.appendingPathComponent("stderr")
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TmuxHarness.binary)
        process.arguments = ["generate", "--model", model, "--raw", "--prompt", "1, 2, 3, 4, 5, 6,", "--max-tokens", "5000"]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        // The reply has started: every later token reads the weights again.
        XCTAssertFalse(output.fileHandleForReading.availableData.isEmpty)
        XCTAssertEqual(truncate(model, 4096), 0)
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertEqual(try String(contentsOf: errors, encoding: .utf8), expectedLine(model) + "\n")
    }

    func testFullScreenChatRestoresTheTerminalWhenTheModelIsTruncated() throws {
        let model = try scratch().appendingPathComponent("model.gguf").path
        let fixture = Bundle.module.url(forResource: "Fixtures/untrusted/hostile.gguf", withExtension: nil)!.path
        try FileManager.default.copyItem(atPath: fixture, toPath: model)
        let tmux = try TmuxHarness(arguments: ["--model", model])
        try tmux.waitUntilReady()
        XCTAssertEqual(truncate(model, 4096), 0)
        try tmux.ask("Hi")
        // The harness prints the exit status, then the terminal's icanon and echo modes.
        let screen = try tmux.waitFor("the exit status and terminal modes") { $0.contains("EXIT=") && $0.contains("icanon") }
        XCTAssertTrue(screen.contains("EXIT=1"), screen)
        let unwrapped = { (text: String) in text.filter { !$0.isWhitespace } }
        XCTAssertTrue(unwrapped(screen).contains(unwrapped(expectedLine(model))), screen)
        XCTAssertFalse(screen.contains("-icanon") || screen.contains("-echo"), "terminal modes not restored:\n\(screen)")
        XCTAssertEqual(try tmux.format("#{alternate_on}"), "0")
    }
}
