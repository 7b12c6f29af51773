/// The tokenizer stored in a GGUF file's metadata (`tokenizer.ggml.*` keys, ggml/docs/gguf.md),
/// as the GGUF reader hands it over. Optional fields are nil when the key is absent.
public struct GGUFVocabulary: Sendable {
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE) or "llama" (SentencePiece BPE).
    public var model: String
    /// `tokenizer.ggml.pre`: pre-tokenizer name ("smollm", "llama-bpe", "gpt2", …).
    public var pre: String?
    /// `tokenizer.ggml.tokens`, indexed by token id.
    public var tokens: [String]
    /// `tokenizer.ggml.scores`, indexed by token id (SentencePiece merge priorities).
    public var scores: [Float]?
    /// `tokenizer.ggml.token_type`, indexed by token id (1 normal, 2 unknown, 3 control,
    /// 4 user-defined, 5 unused, 6 byte).
    public var tokenTypes: [Int32]?
    /// `tokenizer.ggml.merges`: "left right" pairs, in rank order.
    public var merges: [String]?
    /// `tokenizer.ggml.bos_token_id`.
    public var bosID: Int32?
    /// `tokenizer.ggml.eos_token_id`.
    public var eosID: Int32?
    /// `tokenizer.ggml.unknown_token_id`.
    public var unknownID: Int32?
    /// `tokenizer.ggml.padding_token_id`.
    public var paddingID: Int32?
    /// `tokenizer.ggml.eot_token_id`, when the file names an end-of-turn token.
    public var eotID: Int32?
    /// `tokenizer.ggml.add_bos_token`.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_space_prefix` (SentencePiece dummy prefix).
    public var addSpacePrefix: Bool?
    /// `tokenizer.chat_template`, the Jinja chat template (see `ChatTemplate.recognise(source:)`).
    public var chatTemplate: String?

    public init(model: String, pre: String? = nil, tokens: [String], scores: [Float]? = nil,
                tokenTypes: [Int32]? = nil, merges: [String]? = nil, bosID: Int32? = nil,
                eosID: Int32? = nil, unknownID: Int32? = nil, paddingID: Int32? = nil,
                eotID: Int32? = nil, addBOS: Bool? = nil, addEOS: Bool? = nil,
                addSpacePrefix: Bool? = nil, chatTemplate: String? = nil) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.eotID = eotID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.chatTemplate = chatTemplate
    }
}
