/// What a vocabulary file says, in one shape for both loaders (GGUF metadata, tokenizer.json).
struct TokenizerSpec {
    /// How text becomes the symbols BPE merges.
    enum Kind: Sendable, Equatable {
        /// GPT-2-style byte-level BPE; `ignoreMerges`: a word that is itself in the vocabulary is
        /// one token (HF BPE `ignore_merges`, set by Llama 3).
        case byteLevel(PreTokenizer, ignoreMerges: Bool)
        /// SentencePiece BPE over characters, spaces as ▁, byte fallback.
        case sentencePiece(DummyPrefix)
    }

    /// When SentencePiece text gets a leading ▁.
    enum DummyPrefix: Sendable, Equatable {
        case never
        /// Every text run between added tokens (sentencepiece `add_dummy_prefix`, HF legacy
        /// `Prepend` normalizer, llama.cpp).
        case always
        /// HF `Metaspace`: runs that do not already start with a space, all of them
        /// (`prepend_scheme: always`) or only one at the very start of the input (`first`).
        case unlessSpace(firstOnly: Bool)

        /// Whether a text run at `offset` in the input, starting with `firstByte`, gets the prefix.
        func applies(offset: Int, firstByte: UInt8?) -> Bool {
            switch self {
            case .never: return false
            case .always: return true
            case .unlessSpace(let firstOnly): return firstByte != 0x20 && (!firstOnly || offset == 0)
            }
        }
    }

    /// GGUF `tokenizer.ggml.token_type` values.
    enum TokenType: Int32, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    var kind: Kind
    /// Vocabulary strings by id; nil for ids the file does not define.
    var pieces: [String?]
    var types: [TokenType]
    /// Merge pairs in rank order (byte-level, and SentencePiece from tokenizer.json).
    var merges: [(String, String)]?
    /// SentencePiece piece scores (GGUF "llama" vocabularies), used when `merges` is nil.
    var scores: [Float]?
    var bosID: Int32?
    var eosID: Int32?
    var unknownID: Int32?
    var eotID: Int32?
    var addsBOS: Bool
    var chatTemplate: String?
}
