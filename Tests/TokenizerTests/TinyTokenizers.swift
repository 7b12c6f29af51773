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

/// A small deterministic generator (SplitMix64) so that randomised tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
