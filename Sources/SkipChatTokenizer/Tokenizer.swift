/// A BPE tokenizer: GPT-2-style byte-level BPE (SmolLM2, Llama 3, GPT-2) or SentencePiece BPE
/// with byte fallback (Llama 2, CodeLlama, Mistral v1). Built from GGUF metadata
/// (`init(gguf:)`) or from HF tokenizer.json (`init(tokenizerJSON:tokenizerConfig:)`); encodes to
/// the same ids as HF `tokenizers` / `sentencepiece`. Immutable, so safe to share across threads.
public final class Tokenizer: Sendable {
    let kind: TokenizerSpec.Kind
    let pieces: [String?]
    let types: [TokenizerSpec.TokenType]
    let tokenBytesTable: TokenBytesTable
    let merges: MergeTable
    /// Byte-level: the token of each byte's alphabet character. SentencePiece: the `<0xXX>` token.
    /// -1 where the vocabulary has none.
    let byteIDs: [Int32]
    /// Vocabulary string → id (first id wins on duplicates).
    let pieceIDs: [VocabKey: Int32]
    /// SentencePiece: single-character pieces by scalar value.
    let scalarIDs: [UInt32: Int32]
    let unknownID: Int32?
    let added: AddedTokenMatcher

    /// Whether a BOS token should be prepended to a plain prompt (`tokenizer.ggml.add_bos_token`,
    /// tokenizer_config.json `add_bos_token`, or the post-processor's template). `encode` never
    /// adds it; a chat template that renders its own BOS text (`ChatTemplate.rendersBOS`) needs none.
    public let addsBOS: Bool
    /// The beginning-of-sequence token (`tokenizer.ggml.bos_token_id`, tokenizer_config.json
    /// `bos_token`, else the post-processor's first special token).
    public let bosID: Int32?
    /// The end-of-sequence token (`tokenizer.ggml.eos_token_id`, tokenizer_config.json `eos_token`).
    public let eosID: Int32?
    /// Ids that end a reply: EOS, the file's end-of-turn id, and the control tokens that chat
    /// templates close a turn with (`<|im_end|>`, `<|eot_id|>`, `<|eom_id|>`, `<|end_of_text|>`,
    /// `<|endoftext|>`, `</s>`, `<end_of_turn>`, `<|end|>`) when the vocabulary has them.
    public let endOfTurnIDs: Set<Int32>
    /// Number of ids (highest id + 1).
    public let vocabularySize: Int
    /// The chat template stored with the vocabulary (tokenizer_config.json `chat_template`, or
    /// GGUF `tokenizer.chat_template` when the reader filled `GGUFVocabulary.chatTemplate`).
    public let chatTemplateSource: String?

    static let endOfTurnStrings: Set<String> = [
        "<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|endoftext|>", "</s>",
        "<end_of_turn>", "<|end|>",
    ]

    init(spec: TokenizerSpec) throws {
        kind = spec.kind
        pieces = spec.pieces
        types = spec.types
        vocabularySize = spec.pieces.count
        tokenBytesTable = TokenBytesTable(spec)
        var ids = [VocabKey: Int32](minimumCapacity: spec.pieces.count)
        for (i, piece) in spec.pieces.enumerated() {
            if let piece, ids[VocabKey(piece)] == nil { ids[VocabKey(piece)] = Int32(i) }
        }
        pieceIDs = ids
        byteIDs = Self.byteIDs(spec, pieceIDs: ids)
        scalarIDs = Self.scalarIDs(spec)
        if let list = spec.merges {
            merges = try Self.mergeTable(list, pieceIDs: ids)
        } else if let scores = spec.scores {
            merges = Self.mergeTable(scores: scores, spec: spec)
        } else {
            throw TokenizerError.missingField("merges (or SentencePiece scores)")
        }
        unknownID = spec.unknownID
        // HF lists control and unknown tokens (`<unk>`) as special added tokens.
        added = AddedTokenMatcher(spec.pieces.indices.compactMap { i in
            let type = spec.types[i]
            guard let piece = spec.pieces[i], type == .control || type == .userDefined || type == .unknown
            else { return nil }
            return .init(bytes: Array(piece.utf8), id: Int32(i), special: type != .userDefined)
        })
        addsBOS = spec.addsBOS
        bosID = spec.bosID
        eosID = spec.eosID
        var ends = Set([spec.eosID, spec.eotID].compactMap { $0 })
        for (i, piece) in spec.pieces.enumerated()
        where spec.types[i] == .control || spec.types[i] == .userDefined {
            if let piece, Self.endOfTurnStrings.contains(piece) { ends.insert(Int32(i)) }
        }
        endOfTurnIDs = ends
        chatTemplateSource = spec.chatTemplate
        for id in [spec.bosID, spec.eosID, spec.unknownID, spec.eotID].compactMap({ $0 })
        where !isDefined(id) {
            throw TokenizerError.invalidField("special token id", reason: "\(id) is not in the vocabulary")
        }
    }

    func isDefined(_ id: Int32) -> Bool {
        id >= 0 && Int(id) < vocabularySize && pieces[Int(id)] != nil
    }

    /// The raw bytes of one token: byte-level pieces decoded, byte-fallback `<0xXX>` pieces
    /// resolved, SentencePiece ▁ as a space, control tokens as their text. Empty for unknown ids.
    public func tokenBytes(_ id: Int32) -> [UInt8] {
        guard isDefined(id) else { return [] }
        return Array(tokenBytesTable[Int(id)])
    }

    /// The bytes of `ids`, concatenated (byte-fallback runs regroup into characters). No clean-up:
    /// a SentencePiece dummy-prefix space is kept, unlike HF's `Strip` decoder.
    /// - Throws: `TokenizerError.unknownTokenID` for an id outside the vocabulary.
    public func decode(_ ids: [Int32]) throws -> [UInt8] {
        var out: [UInt8] = []
        for id in ids {
            guard isDefined(id) else { throw TokenizerError.unknownTokenID(id, vocabularySize: vocabularySize) }
            out += tokenBytesTable[Int(id)]
        }
        return out
    }

    /// A token for display (`skipchat tokenize --pieces`): the vocabulary string for SentencePiece
    /// and added tokens; for byte-level tokens the decoded text, with bytes that are not complete
    /// UTF-8 shown as `<0xXX>`. "" for unknown ids.
    public func pieceText(_ id: Int32) -> String {
        guard isDefined(id), let piece = pieces[Int(id)] else { return "" }
        guard case .byteLevel = kind, types[Int(id)] != .control, types[Int(id)] != .userDefined else {
            return piece
        }
        let bytes = tokenBytesTable[Int(id)]
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return bytes.map { "<0x" + String($0, radix: 16, uppercase: true).leftPadded(2) + ">" }.joined()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
