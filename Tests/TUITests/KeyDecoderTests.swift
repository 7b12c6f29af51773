@testable import SkipChatTUI
import XCTest

/// Escape sequences become keys or nothing; they never reach the input box as text.
final class KeyDecoderTests: XCTestCase {
    /// Feeds `input`, then a timeout if a sequence is left unfinished.
    private func keys(_ input: String) -> [Key] {
        var decoder = KeyDecoder()
        var out = input.unicodeScalars.flatMap { decoder.feed($0) }
        if decoder.isPending { out += decoder.timeout() }
        return out
    }

    func testHomeEndPageDeleteInEveryCommonEncoding() {
        let cases: [(String, Key)] = [
            ("\u{1b}[H", .home), ("\u{1b}OH", .home), ("\u{1b}[1~", .home), ("\u{1b}[7~", .home), ("\u{1b}[1;5H", .home),
            ("\u{1b}[7^", .home), ("\u{1b}[7$", .home), ("\u{1b}[7@", .home),
            ("\u{1b}[F", .end), ("\u{1b}OF", .end), ("\u{1b}[4~", .end), ("\u{1b}[8~", .end), ("\u{1b}[1;2F", .end),
            ("\u{1b}[5~", .pageUp), ("\u{1b}[5;5~", .pageUp), ("\u{1b}[5^", .pageUp),
            ("\u{1b}[6~", .pageDown), ("\u{1b}[6;3~", .pageDown), ("\u{1b}[6$", .pageDown),
            ("\u{1b}[3~", .delete), ("\u{1b}[3;5~", .delete), ("\u{1b}[3$", .delete),
        ]
        for (sequence, key) in cases { XCTAssertEqual(keys(sequence), [key], sequence.debugDescription) }
    }

    func testArrowsWithModifiers() {
        let cases: [(String, Key)] = [
            ("\u{1b}[A", .up), ("\u{1b}OA", .up), ("\u{1b}[1;2A", .up), ("\u{1b}[1;5A", .up), ("\u{1b}[a", .up), ("\u{1b}Oa", .up),
            ("\u{1b}[B", .down), ("\u{1b}OB", .down), ("\u{1b}[1;5B", .down),
            ("\u{1b}[C", .right), ("\u{1b}OC", .right), ("\u{1b}[1;5C", .right), ("\u{1b}Oc", .right),
            ("\u{1b}[D", .left), ("\u{1b}OD", .left), ("\u{1b}[1;6D", .left), ("\u{1b}[d", .left),
            ("\u{1b}[1;3A", .altUp), ("\u{1b}[1;4B", .altDown), ("\u{1b}[1;7C", .altRight), ("\u{1b}[1;8D", .altLeft),
        ]
        for (sequence, key) in cases { XCTAssertEqual(keys(sequence), [key], sequence.debugDescription) }
    }

    func testFunctionKeysPasteAndBackTab() {
        let cases: [(String, Key)] = [
            ("\u{1b}OP", .function(1)), ("\u{1b}[11~", .function(1)), ("\u{1b}[[A", .function(1)), ("\u{1b}[1;2P", .function(1)),
            ("\u{1b}OS", .function(4)), ("\u{1b}[[E", .function(5)), ("\u{1b}[15~", .function(5)), ("\u{1b}[17~", .function(6)),
            ("\u{1b}[21~", .function(10)), ("\u{1b}[23~", .function(11)), ("\u{1b}[24;5~", .function(12)),
            ("\u{1b}[200~", .pasteBegin), ("\u{1b}[201~", .pasteEnd), ("\u{1b}[Z", .backTab), ("\u{1b}OM", .enter),
        ]
        for (sequence, key) in cases { XCTAssertEqual(keys(sequence), [key], sequence.debugDescription) }
    }

    /// Reports and unknown sequences are dropped whole; the text around them survives.
    func testUnknownSequencesAreDropped() {
        for sequence in ["\u{1b}[I", "\u{1b}[O", "\u{1b}[<0;12;5M", "\u{1b}[<64;1;1m", "\u{1b}[M !!", "\u{1b}[2~", "\u{1b}[99z",
                         "\u{1b}[?1;2c", "\u{1b}[>1;2;3c", "\u{1b}[27;5;13~", "\u{1b}[1;2;3;4;5;6 q", "\u{1b}[57u", "\u{1b}Oz",
                         "\u{1b}[" + String(repeating: "1;", count: 100) + "R"] {
            XCTAssertEqual(keys("a" + sequence + "b"), [.character("a"), .character("b")], sequence.debugDescription)
        }
    }

    func testEscapeAltAndControlCharacters() {
        XCTAssertEqual(keys("\u{1b}"), [.escape])
        XCTAssertEqual(keys("\u{1b}x"), [.alt("x")])
        XCTAssertEqual(keys("\u{1b}["), [.alt("[")])
        XCTAssertEqual(keys("\u{1b}O"), [.alt("O")])
        XCTAssertEqual(keys("\u{1b}\r"), [.altEnter])
        XCTAssertEqual(keys("\u{1b}\u{1b}[A"), [.escape, .up])
        XCTAssertEqual(keys("\u{1b}[1;5"), [])  // cut short: dropped at the timeout
        XCTAssertEqual(keys("\u{1b}[1\u{03}"), [.control("c")])  // a control character ends the sequence
        XCTAssertEqual(keys("é\r\t\u{7f}\u{01}"), [.character("é"), .enter, .tab, .backspace, .control("a")])
    }
}
