import SkipChatTUI
import XCTest

/// `TerminalText`, one test per class of character a terminal acts on. The expected escapes are
/// written from the code point with `String(format:)`, Python's `repr` spelling.
final class TerminalTextTests: XCTestCase {
    private func expected(_ value: UInt32) -> String {
        value < 0x100 ? String(format: "\\x%02x", value) : String(format: "\\u%04x", value)
    }

    private func assertEscaped(_ values: ClosedRange<UInt32>, file: StaticString = #filePath, line: UInt = #line) {
        for value in values {
            let scalar = Unicode.Scalar(value)!
            let text = "a" + String(Character(scalar)) + "b"
            XCTAssertTrue(TerminalText.isUnsafe(scalar), "U+\(String(value, radix: 16))", file: file, line: line)
            XCTAssertEqual(TerminalText.sanitized(text), "a" + expected(value) + "b", file: file, line: line)
            XCTAssertEqual(TerminalText.pieces(text), [.text("a"), .escape(expected(value)), .text("b")], file: file, line: line)
        }
    }

    func testC0ControlsExceptTabAndNewlineAreEscaped() {
        assertEscaped(0x00...0x08)
        assertEscaped(0x0B...0x1F)
        XCTAssertEqual(TerminalText.sanitized("\u{1b}]0;title\u{07}"), "\\x1b]0;title\\x07")
    }

    func testDeleteAndC1ControlsAreEscaped() {
        assertEscaped(0x7F...0x9F)
        XCTAssertEqual(TerminalText.sanitized("\u{9b}2J"), "\\x9b2J")  // 8-bit CSI
    }

    func testBidiOverridesAndIsolatesAreEscaped() {
        assertEscaped(0x202A...0x202E)
        assertEscaped(0x2066...0x2069)
        XCTAssertEqual(TerminalText.sanitized("name\u{202E}txt.exe"), "name\\u202etxt.exe")
    }

    func testTabNewlineAndCarriageReturnBeforeNewlineAreKept() {
        XCTAssertEqual(TerminalText.sanitized("a\tb\nc\r\nd"), "a\tb\nc\r\nd")
        XCTAssertEqual(TerminalText.sanitized("a\rb"), "a\\x0db")
        XCTAssertEqual(TerminalText.sanitized("a\r"), "a\\x0d")
    }

    func testEverythingElseIsUntouched() {
        // Printable ASCII, Latin-1, the marks next to the bidi ranges (LRM/RLM, ZWJ), U+FFFD, emoji.
        let text = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }.joined()
            + "é\u{A0}ÿ\u{200E}\u{200F}\u{2029}\u{206A}\u{200D}\u{FFFD}👩‍👩‍👧"
        XCTAssertEqual(TerminalText.sanitized(text), text)
        XCTAssertEqual(TerminalText.pieces(text), [.text(text)])
        XCTAssertEqual(TerminalText.pieces(""), [])
    }

    func testEscapesCanBeStyled() {
        XCTAssertEqual(TerminalText.sanitized("a\u{7}b") { "<\($0)>" }, "a<\\x07>b")
        XCTAssertEqual(TerminalText.shown("a\u{7}", sanitize: false), "a\u{7}")
    }

    func testSpansSplitEscapesIntoTheMutedRole() {
        let spans = Span("x\u{1b}y", .token(.verifier, layer: 3)).visibleSpans
        XCTAssertEqual(spans, [Span("x", .token(.verifier, layer: 3)), Span("\\x1b", .muted), Span("y", .token(.verifier, layer: 3))])
    }

    func testCanvasDrawsEscapesAndNeverAControl() {
        let canvas = TextCanvas(rows: 1, columns: 30)
        canvas.draw([Span("t\u{1b}]0;x\u{7}\u{202E}z", .status)], row: 0, column: 0, width: 30)
        XCTAssertEqual(canvas.line(0).trimmingCharacters(in: .whitespaces), "t\\x1b]0;x\\x07\\u202ez")
        XCTAssertFalse(canvas.line(0).unicodeScalars.contains(where: TerminalText.isUnsafe))
    }
}
