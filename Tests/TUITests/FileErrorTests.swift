import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// A bad session, config or theme file is named, with the byte offset or the field at fault.
final class FileErrorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-file-errors-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            XCTFail("no error")
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testTruncatedSessionNamesFileAndByteOffset() throws {
        let path = directory.appendingPathComponent("session.json").path
        let session = ChatSession(model: "m", systemPrompt: "s", messages: [SessionMessage(role: .user, text: "hello there"),
                                                                           SessionMessage(role: .assistant, text: "hi")])
        try session.save(to: path)
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [1, full.count / 3, full.count / 2, full.count - 2] {
            try full.prefix(cut).write(to: URL(fileURLWithPath: path))
            let text = message { try ChatSession.load(from: path) }
            XCTAssertEqual(text, "\(path): byte \(cut): unexpected end of file", "cut at \(cut)")
        }
        var state = Fake.state()
        XCTAssertEqual(state.submit("/load \(path)", now: 0), [.load(path: path)])
        _ = state.submitPerformingFiles("/load \(path)")
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .error, text: "cannot load \(path): byte \(full.count - 2): unexpected end of file"))
    }

    func testSessionSyntaxAndFieldErrors() throws {
        let path = directory.appendingPathComponent("bad.json").path
        let cases: [(String, String)] = [
            (#"{"model": "m", "messages": [}"#, "byte 28: unexpected '}'"),
            (#"{"model": "m" "messages": []}"#, "byte 14: unexpected '\"' where ',' or '}' should be"),
            (#"{"model": "m", "messages": [{"role": "robot", "text": "x", "tokens": []}], "version": 1}"#, "field 'messages[0].role' is invalid"),
            (#"{"model": "m", "messages": [{"role": "user", "tokens": []}], "version": 1}"#, "field 'messages[0].text' is missing"),
            (#"{"model": 7, "messages": [], "version": 1}"#, "field 'model' is not a string"),
            (#"{"model": "m", "messages": {}, "version": 1}"#, "field 'messages' is not a list"),
            ("[]", "not a skipchat session: the file is not an object"),
            (#"{"name": "a package.json"}"#, "not a skipchat session: field 'version' is missing"),
        ]
        for (json, expected) in cases {
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(message { try ChatSession.load(from: path) }, "\(path): \(expected)", json)
        }
    }

    func testAMissingSessionFileSaysSoInOneLine() {
        let path = directory.appendingPathComponent("no-such-session.json").path
        XCTAssertEqual(message { try ChatSession.load(from: path) }, "\(path): cannot read: No such file or directory")
    }

    func testConfigAndThemeErrorsNameTheField() {
        XCTAssertEqual(message { try ChatConfig.parse("temperature = \"hot\"\n", source: "/c/config.toml") },
                       "/c/config.toml: field 'temperature' has the wrong type")
        XCTAssertTrue(message { try ChatConfig.parse("depth = 4\nmode = \n", source: "/c/config.toml") }
                      .hasPrefix("/c/config.toml: "))
        XCTAssertTrue(message { try ChatConfig.parse("depth = 4\nmode = \n", source: "/c/config.toml") }.contains("line 2, column"))
        XCTAssertEqual(message { try Theme.parse("[colors]\nerror = 5\n", source: "/t/mine.toml") },
                       "/t/mine.toml: field 'colors.error' has the wrong type")
    }
}
