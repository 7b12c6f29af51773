import Foundation
import SkipChatEngine
import SkipChatTokenizer
import XCTest

/// The streaming detokenizer shows only complete characters and retracts drafts by byte count
/// without touching earlier text.
final class StreamingDetokenizerTests: XCTestCase {
    private func texts() throws -> [String] {
        try TestFiles.fixture("tiny-spm").cases.map(\.text)
    }

    /// Pushing every token then finishing gives exactly the decoded bytes; no U+FFFD appears
    /// for text that has none (so no half character was ever shown).
    func testStreamEqualsDecode() throws {
        for tok in [try TinyTokenizers.sentencePiece(), try TinyTokenizers.byteLevel()] {
            for text in try texts() {
                let ids = tok.encode(text)
                var stream = StreamingDetokenizer(tokenizer: tok)
                var shown = ""
                for id in ids { shown += stream.push(id) }
                let beforeFinish = shown
                shown += stream.finish()
                XCTAssertEqual(Array(shown.utf8), try tok.decode(ids), text.debugDescription)
                if !text.contains("\u{FFFD}") {
                    XCTAssertFalse(beforeFinish.contains("\u{FFFD}"), text.debugDescription)
                }
            }
        }
    }

    /// Byte-fallback tokens split characters: nothing is shown until the character is complete.
    func testSplitCharacterWaits() throws {
        let tok = try TinyTokenizers.sentencePiece()
        let ids = tok.encode("𝄞")   // U+1D11E is not in the tiny vocabulary: ▁ + four <0xXX> tokens
        XCTAssertEqual(ids.count, 5)
        var stream = StreamingDetokenizer(tokenizer: tok)
        XCTAssertEqual(stream.push(ids[0]), " ")
        for id in ids[1..<4] { XCTAssertEqual(stream.push(id), "") }
        XCTAssertEqual(stream.push(ids[4]), "𝄞")
        XCTAssertEqual(stream.finish(), "")
    }

    /// A stream cut inside a character flushes it as U+FFFD at the end.
    func testFinishFlushesIncompleteAsReplacement() throws {
        let tok = try TinyTokenizers.sentencePiece()
        let ids = tok.encode("𝄞")
        var stream = StreamingDetokenizer(tokenizer: tok)
        var shown = ""
        for id in ids.dropLast() { shown += stream.push(id) }
        shown += stream.finish()
        XCTAssertEqual(shown, " \u{FFFD}")
    }

    /// Random pushes and retractions: the display (edited only by appending pushed text and
    /// deleting the returned byte counts) always equals the complete-character prefix of the
    /// committed tokens' bytes, and finally their full decoding.
    func testRandomRetractions() throws {
        var rng = SeededGenerator(seed: 7)
        for tok in [try TinyTokenizers.sentencePiece(), try TinyTokenizers.byteLevel()] {
            let pool = try texts().flatMap { tok.encode($0) }
            for _ in 0..<200 {
                var stream = StreamingDetokenizer(tokenizer: tok)
                var display: [UInt8] = []
                var committed: [Int32] = []
                for _ in 0..<40 {
                    if Bool.random(using: &rng), !committed.isEmpty {
                        let n = Int.random(in: 1...min(4, committed.count), using: &rng)
                        let delete = stream.retract(n)
                        XCTAssertLessThanOrEqual(delete, display.count)
                        display.removeLast(delete)
                        committed.removeLast(n)
                    } else {
                        let id = pool[Int.random(in: 0..<pool.count, using: &rng)]
                        display += Array(stream.push(id).utf8)
                        committed.append(id)
                    }
                    let bytes = try tok.decode(committed)
                    XCTAssertTrue(bytes.starts(with: display) || String(decoding: bytes, as: UTF8.self).utf8
                                    .starts(with: display), "display is not a prefix of the committed text")
                    XCTAssertNotNil(String(validating: display, as: UTF8.self))
                }
                display += Array(stream.finish().utf8)
                XCTAssertEqual(display, Array(String(decoding: try tok.decode(committed), as: UTF8.self).utf8))
            }
        }
    }

    /// Retracting through a split character deletes the whole character, never earlier text.
    func testRetractInsideCharacter() throws {
        let tok = try TinyTokenizers.sentencePiece()
        let ids = tok.encode("a𝄞")
        var stream = StreamingDetokenizer(tokenizer: tok)
        var shown = ""
        for id in ids { shown += stream.push(id) }
        XCTAssertEqual(shown, " a𝄞")
        XCTAssertEqual(stream.retract(1), 4)           // the 𝄞 goes, " a" stays
        XCTAssertEqual(stream.push(ids.last!), "𝄞")   // its first three bytes were kept pending
        XCTAssertEqual(stream.retract(100), 6)          // everything
        XCTAssertEqual(stream.retract(1), 0)
    }
}
