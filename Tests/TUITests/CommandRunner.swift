import Foundation
import XCTest

/// Runs the release binary (`TmuxHarness.binary`) as a plain command, for the command-line tests.
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Skips unless the binary and the default model are there.
    static func requireBinaryAndModel() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else {
            throw XCTSkip("no skipchat binary at \(TmuxHarness.binary) (build it, or set SKIPCHAT_BIN)")
        }
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSHomeDirectory() + "/.cache"
        let model = cache + "/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("the default model is not installed (\(model))") }
    }

    /// `skipchat ARGUMENTS` with `environment` added to this process's; standard input reads
    /// `input` (empty when nil) and then ends.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-cli-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out"), err = scratch.appendingPathComponent("err")
        try Data().write(to: out)
        try Data().write(to: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TmuxHarness.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let input {
            let file = scratch.appendingPathComponent("in")
            try Data(input.utf8).write(to: file)
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The prompt length `generate --json` reports in its "started" event.
    static func promptTokens(_ arguments: [String]) throws -> Int {
        let result = try run(["generate", "--json", "--max-tokens", "1"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        for line in result.stdout.split(separator: "\n") {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == "started" else { continue }
            return try XCTUnwrap(object["prompt_tokens"] as? Int)
        }
        XCTFail("no started event in \(result.stdout)")
        return -1
    }

    /// The ids `skipchat tokenize` prints for `text`.
    static func tokenize(_ text: String, noSpecial: Bool = false) throws -> [Int32] {
        let result = try run(["tokenize"] + (noSpecial ? ["--no-special"] : []) + [text])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode([Int32].self, from: Data(result.stdout.utf8))
    }
}
