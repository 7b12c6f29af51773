import Foundation
import SkipChatTokenizer

/// The two tokenizers trained by the fixture script (committed, so these tests never skip).
enum TinyTokenizers {
    /// SentencePiece BPE with byte fallback, 700 pieces.
    static func sentencePiece() throws -> Tokenizer {
        try Tokenizer(tokenizerJSON: TestFiles.fixtures.appendingPathComponent("tiny-spm.tokenizer.json"),
                      tokenizerConfig: nil)
    }

    /// Byte-level BPE with the SmolLM2 pre-tokenizer, 800 tokens.
    static func byteLevel() throws -> Tokenizer {
        try Tokenizer(
            tokenizerJSON: TestFiles.fixtures.appendingPathComponent("tiny-bytelevel.tokenizer.json"),
            tokenizerConfig: TestFiles.fixtures.appendingPathComponent("tiny-bytelevel.tokenizer_config.json"))
    }
}

