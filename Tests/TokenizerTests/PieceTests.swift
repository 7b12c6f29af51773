import Foundation
import SkipChatTokenizer
import XCTest

/// Token bytes and display pieces.
final class PieceTests: XCTestCase {
    func testSentencePiecePiecesAndBytes() throws {
        let tok = try TinyTokenizers.sentencePiece()
        let ids = tok.encode("Hello 𝄞")   // U+1D11E is not in the tiny vocabulary
        XCTAssertTrue(tok.pieceText(ids[0]).hasPrefix("\u{2581}"))
        XCTAssertEqual(tok.pieceText(ids.last!).count, 6)              // "<0xXX>"
        XCTAssertEqual(tok.tokenBytes(ids.last!).count, 1)
        XCTAssertEqual(tok.tokenBytes(tok.bosID!), Array("<s>".utf8))
        XCTAssertEqual(tok.vocabularySize, 700)
        XCTAssertEqual(tok.endOfTurnIDs, [2])
    }

    func testByteLevelPieces() throws {
        let tok = try TinyTokenizers.byteLevel()
        let ids = tok.encode("<|im_start|>\n𝄞")
        XCTAssertEqual(ids.map { tok.pieceText($0) }, ["<|im_start|>", "\n", "<0xF0><0x9D>", "<0x84>", "<0x9E>"])
        XCTAssertEqual(tok.tokenBytes(ids[1]), [0x0A])
        XCTAssertEqual(tok.tokenBytes(ids[2]), [0xF0, 0x9D])
        XCTAssertEqual(tok.endOfTurnIDs, [0, 2])   // <|endoftext|> and <|im_end|>
        XCTAssertEqual(tok.encode("<|im_start|>", parseSpecial: false).count > 1, true)
    }

    func testDefaultModelMetadata() throws {
        let tok = try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.defaultModel))
        XCTAssertEqual(tok.vocabularySize, 49_152)
        XCTAssertEqual(tok.bosID, 1)
        XCTAssertEqual(tok.eosID, 2)
        XCTAssertFalse(tok.addsBOS)
        XCTAssertTrue(tok.endOfTurnIDs.isSuperset(of: [2]))
        XCTAssertEqual(tok.pieceText(1), "<|im_start|>")
        XCTAssertEqual(tok.encode("What is the capital of France?"), [1780, 314, 260, 3575, 282, 4649, 47])
    }
}
