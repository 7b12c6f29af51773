import Foundation
import XCTest

/// `skipchat export` on the release binary: the page it writes loads in a browser, and bad input
/// gives one line, a non-zero status and no file.
final class ExportCommandTests: XCTestCase {
    private var scratch: String!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else {
            throw XCTSkip("no skipchat binary at \(TmuxHarness.binary) (build it, or set SKIPCHAT_BIN)")
        }
        scratch = NSTemporaryDirectory() + "skipchat-export-cli-\(UUID())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    private var fixture: String { Bundle.module.url(forResource: "Fixtures/export-session.json", withExtension: nil)!.path }

    private func assertOneLineFailure(_ result: CommandRunner.Result, mentioning text: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(text), result.stderr, file: file, line: line)
    }

    func testExportLoadsInAHeadlessBrowserWithoutConsoleMessages() throws {
        let page = scratch + "/session.html"
        let result = try CommandRunner.run(["export", fixture, "--html", page])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "skipchat: wrote \(page)\n")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let check = Process()
        check.executableURL = root.appendingPathComponent("scripts/check-export-browser.sh")
        check.arguments = [page]
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        if check.terminationStatus == 77 { throw XCTSkip(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(check.terminationStatus, 0, text)
        print(text, terminator: "")
    }

    func testNotASessionGivesOneLineAndNoFile() throws {
        let bogus = scratch + "/model.gguf"
        try Data("GGUF\u{3}\u{0}\u{0}\u{0}not json".utf8).write(to: URL(fileURLWithPath: bogus))
        let page = scratch + "/out.html"
        assertOneLineFailure(try CommandRunner.run(["export", bogus, "--html", page]), mentioning: "\(bogus): not a skipchat session: byte 0:")
        XCTAssertFalse(FileManager.default.fileExists(atPath: page))
        assertOneLineFailure(try CommandRunner.run(["export", scratch + "/missing.json", "--html", page]), mentioning: "missing.json")
    }

    func testEmptySessionGivesOneLineAndNoFile() throws {
        let empty = scratch + "/empty.json"
        try Data(#"{"version":1,"model":"m","messages":[]}"#.utf8).write(to: URL(fileURLWithPath: empty))
        let page = scratch + "/out.html"
        assertOneLineFailure(try CommandRunner.run(["export", empty, "--html", page]), mentioning: "no messages to export")
        XCTAssertFalse(FileManager.default.fileExists(atPath: page))
    }

    func testNothingIsOverwrittenWithoutForce() throws {
        let page = scratch + "/out.html"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: page))
        assertOneLineFailure(try CommandRunner.run(["export", fixture, "--html", page]), mentioning: "exists; --force overwrites it")
        XCTAssertEqual(try String(contentsOfFile: page, encoding: .utf8), "mine")
        let forced = try CommandRunner.run(["export", fixture, "--html", page, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOfFile: page, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    }

    func testUnwritablePathGivesOneLine() throws {
        let blocker = scratch + "/a-file"
        try Data().write(to: URL(fileURLWithPath: blocker))
        assertOneLineFailure(try CommandRunner.run(["export", fixture, "--html", blocker + "/out.html"]), mentioning: "cannot write")
    }
}
