import Foundation
import XCTest

/// Untrusted text never drives the terminal (issue 21), on the release binary with the hostile
/// fixture (`scripts/fixtures/make_untrusted_fixtures.py`): its `general.name` holds OSC 0/8/52,
/// CSI 2J, BEL and U+202E; the two tokens it emits first for "Hi" spell an OSC 0 title with a
/// clear screen and BEL, and U+202E + "evil". On a terminal (a pty from `script`, or tmux)
/// they arrive as visible escapes; through a pipe `generate` keeps the model's exact bytes.
final class UntrustedTextEndToEndTests: XCTestCase {
    private var fixture: String { Bundle.module.url(forResource: "Fixtures/untrusted/hostile.gguf", withExtension: nil)!.path }
    private var pipedReference: Data {
        get throws { try Data(contentsOf: Bundle.module.url(forResource: "Fixtures/untrusted/hostile.generate.bin", withExtension: nil)!) }
    }
    private let generate = ["generate", "--prompt", "Hi", "--max-tokens", "12"]

    /// The file's title and the ESC bytes it holds, as they would appear raw.
    private static let rawSequences: [String] = ["\u{1b}]0;PWNED", "\u{1b}]8;", "\u{1b}]52;", "\u{1b}[2J", "\u{07}", "\u{202E}"]
    private static let shownTitle = "\\x1b]0;PWNED-TITLE\\x07"

    private func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else {
            throw XCTSkip("no skipchat binary at \(TmuxHarness.binary) (build it, or set SKIPCHAT_BIN)")
        }
    }

    /// Runs `skipchat ARGUMENTS` on a pty (`script -qec`) and returns every byte it wrote there.
    /// Standard input reads `input` and then ends.
    private func onTerminal(_ arguments: [String], environment: [String: String] = ["NO_COLOR": "1"],
                            input: String = "") throws -> Data {
        try requireBinary()
        guard let script = TmuxHarness.which("script") else { throw XCTSkip("script (util-linux) is not installed") }
        let command = ([TmuxHarness.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-pty-\(UUID())")
        let inputFile = output.appendingPathExtension("in")
        defer { try? FileManager.default.removeItem(at: output); try? FileManager.default.removeItem(at: inputFile) }
        try Data().write(to: output)
        try Data(input.utf8).write(to: inputFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["-qec", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["LANG": "C.UTF-8"]) { $1 }) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: output)
    }

    private func assertNoRawSequence(_ bytes: Data, among sequences: [String] = rawSequences,
                                     file: StaticString = #filePath, line: UInt = #line) {
        let text = String(decoding: bytes, as: UTF8.self)
        for raw in sequences {
            XCTAssertFalse(text.contains(raw), "raw \(raw.debugDescription) in \(text.debugDescription)", file: file, line: line)
        }
    }

    func testPipedGenerateKeepsTheModelsExactBytes() throws {
        try requireBinary()
        for flags in [[], ["--sanitize", "auto"], ["--sanitize", "never"]] {
            let result = try CommandRunner.run(generate + ["--model", fixture] + flags)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(Data(result.stdout.utf8), try pipedReference, "flags \(flags)")
        }
        // With colour and rejected drafts inline, as main wrote them.
        let colour = ["--color", "always", "--show-rejected", "--exit-layer", "2", "--depth", "3"]
        let result = try CommandRunner.run(generate + ["--model", fixture] + colour)
        XCTAssertEqual(result.status, 0, result.stderr)
        let reference = Bundle.module.url(forResource: "Fixtures/untrusted/hostile.generate-color.bin", withExtension: nil)!
        XCTAssertEqual(Data(result.stdout.utf8), try Data(contentsOf: reference))
    }

    func testJSONEscapesAsJSONDoesAndKeepsTheText() throws {
        try requireBinary()
        let result = try CommandRunner.run(generate + ["--model", fixture, "--json", "--autoregressive"])  // every token a "token" event
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stdout.utf8.contains(0x1B))
        XCTAssertFalse(result.stdout.utf8.contains(0x07))
        var text = ""
        for line in result.stdout.split(separator: "\n") {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["event"] as? String == "token", let token = object["token"] as? [String: Any] else { continue }
            text += try XCTUnwrap(token["text"] as? String)
        }
        XCTAssertEqual(text + "\n", String(decoding: try pipedReference, as: UTF8.self))
    }

    func testGenerateSanitizeAlwaysShowsEscapes() throws {
        try requireBinary()
        let result = try CommandRunner.run(generate + ["--model", fixture, "--sanitize", "always"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // The reference with each unsafe scalar written as Python's repr does.
        let expected = String(decoding: try pipedReference, as: UTF8.self).unicodeScalars.map { scalar -> String in
            switch scalar.value {
            case 0x09, 0x0A: String(scalar)
            case 0x00...0x1F, 0x7F...0x9F: String(format: "\\x%02x", scalar.value)
            case 0x202A...0x202E, 0x2066...0x2069: String(format: "\\u%04x", scalar.value)
            default: String(scalar)
            }
        }.joined()
        XCTAssertEqual(result.stdout, expected)
        XCTAssertTrue(result.stdout.hasPrefix(Self.shownTitle + "\\x1b[2J\\u202eevil"))
    }

    func testGenerateOnATerminalWritesNoControlFromTheFile() throws {
        let plain = try onTerminal(generate + ["--model", fixture])
        XCTAssertFalse(plain.contains(0x1B), String(decoding: plain, as: UTF8.self).debugDescription)
        assertNoRawSequence(plain)
        XCTAssertTrue(String(decoding: plain, as: UTF8.self).contains(Self.shownTitle))
        // With colour the only escapes are SGR (ESC [ ... m).
        let coloured = try onTerminal(generate + ["--model", fixture, "--color", "always", "--show-rejected"], environment: [:])
        assertNoRawSequence(coloured)
        let text = String(decoding: coloured, as: UTF8.self)
        XCTAssertNil(text.range(of: "\u{1b}\\[[0-9;]*[^0-9;m]", options: .regularExpression), text.debugDescription)
    }

    func testInfoTokenizeAndErrorsOnATerminalWriteNoControlFromTheFile() throws {
        let info = try onTerminal(["info", "--model", fixture])
        XCTAssertFalse(info.contains(0x1B))
        assertNoRawSequence(info)
        XCTAssertTrue(String(decoding: info, as: UTF8.self).contains("name\\u202etxt.exe"))

        let decoded = try onTerminal(["tokenize", "--model", fixture, "--decode", "[86, 225]"])
        XCTAssertFalse(decoded.contains(0x1B))
        assertNoRawSequence(decoded)

        // Error lines quoting a path made of escape sequences (main wrote export's raw).
        let name = "/nonexistent/\u{1b}]0;PWNED\u{07}\u{1b}[2J"
        for arguments in [["info", "--model", name + ".gguf"], ["export", name + ".json", "--html", "/nonexistent/out.html"]] {
            let bytes = try onTerminal(arguments)
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(bytes.contains(0x1B), text.debugDescription)
            XCTAssertFalse(bytes.contains(0x07), text.debugDescription)
            XCTAssertTrue(text.contains("PWNED"), text.debugDescription)
        }
    }

    func testLineModeChatOnATerminalWritesNoControlFromTheFile() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-line-\(UUID())")
        defer { try? FileManager.default.removeItem(at: state) }
        let bytes = try onTerminal(["chat", "--line", "--greedy", "--model", fixture],
                                   environment: ["NO_COLOR": "1", "XDG_STATE_HOME": state.path, "XDG_CONFIG_HOME": state.path],
                                   input: "Hi\n")
        XCTAssertFalse(bytes.contains(0x1B), String(decoding: bytes, as: UTF8.self).debugDescription)
        assertNoRawSequence(bytes)
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains(Self.shownTitle))
    }

    func testFullScreenChatShowsEscapesAndKeepsThePaneTitle() throws {
        let tmux = try TmuxHarness(arguments: ["--model", fixture, "--greedy"])
        try tmux.waitUntilReady()
        let capture = tmux.stateDirectory.appendingPathComponent("pty.bytes")
        try tmux.run(["pipe-pane", "-t", tmux.session, "-o", "cat >> '\(capture.path)'"])
        let title = try tmux.format("#{pane_title}")
        try tmux.ask("Hi")
        let screen = try tmux.waitFor("the reply with its escapes shown") { $0.contains("PWNED-TITLE\\x07") }
        XCTAssertTrue(screen.contains("\\u202eevil"), screen)
        XCTAssertTrue(screen.contains("you"), "the screen was cleared:\n\(screen)")
        XCTAssertEqual(try tmux.format("#{pane_title}"), title)
        try tmux.send("F4")  // the lens over the last token
        try tmux.send("Escape")
        try tmux.send("C-d")
        try tmux.waitFor("the exit status") { $0.contains("EXIT=") }
        let bytes = try Data(contentsOf: capture)
        XCTAssertFalse(bytes.isEmpty)
        // curses itself writes CSI sequences (its own clear screen among them), never OSC or BEL.
        assertNoRawSequence(bytes, among: ["\u{1b}]", "\u{07}", "\u{202E}", "\u{9B}", "\u{9D}"])
    }
}
