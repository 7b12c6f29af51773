import Foundation

/// Loading from HF `tokenizer.json` (+ `tokenizer_config.json`), as written by HF `tokenizers`
/// and `transformers`' converters.
extension Tokenizer {
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// Qwen2's tokenizer.json split pattern: Llama 3's with single digits.
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// Builds the tokenizer of a HF `tokenizer.json`. Supported: `model.type` "BPE" with
    /// - a `ByteLevel` pre-tokenizer (GPT-2 regex), `Sequence[Digits(individual_digits), ByteLevel]`
    ///   (SmolLM2/StarCoder) or `Sequence[Split(Llama 3 or Qwen2 regex), ByteLevel(use_regex: false)]`;
    /// - or SentencePiece-style: `Prepend("▁")` + `Replace(" ", "▁")` normalizers (legacy Llama) or a
    ///   `Metaspace` pre-tokenizer without splitting, with `byte_fallback`.
    /// `added_tokens` are matched before BPE (`special` ones only when parsing special tokens).
    /// From `tokenizerConfig`: `add_bos_token`, `bos_token`, `eos_token`, `chat_template`; without
    /// `add_bos_token`, BOS is added when the post-processor's template starts with a special token.
    /// - Throws: `TokenizerError` for unreadable files, another model type (WordPiece, Unigram,
    ///   WordLevel), an unsupported pre-tokenizer or normalizer, or missing/malformed fields.
    public convenience init(tokenizerJSON: URL, tokenizerConfig: URL?) throws {
        let root = try Self.readJSON(tokenizerJSON)
        let config = try tokenizerConfig.map(Self.readJSON) ?? .object([])
        guard let model = root["model"], model.members != nil else { throw TokenizerError.missingField("model") }
        let type = model["type"]?.string ?? (model["merges"] != nil ? "BPE" : "unknown")
        guard type == "BPE" else { throw TokenizerError.unsupportedModel(type) }
        guard let vocab = model["vocab"]?.members else { throw TokenizerError.missingField("model.vocab") }
        guard let rawMerges = model["merges"]?.array else { throw TokenizerError.missingField("model.merges") }

        var pieces: [String?] = []
        var types: [TokenizerSpec.TokenType] = []
        let addedTokens = root["added_tokens"]?.array ?? []
        // Ids are dense in real files; bounding them by the entry count keeps a corrupt id from
        // allocating the id table far beyond the file's size.
        let idLimit = min(1 << 24, 2 * (vocab.count + addedTokens.count) + 1024)
        func put(_ piece: String, _ id: Int?, _ type: TokenizerSpec.TokenType, _ field: String) throws {
            guard let id, id >= 0, id < idLimit else {
                throw TokenizerError.invalidField(field, reason: "'\(piece)' has no valid id (ids must be below \(idLimit) for \(vocab.count + addedTokens.count) entries)")
            }
            if id >= pieces.count {
                pieces += Array(repeating: nil, count: id + 1 - pieces.count)
                types += Array(repeating: .unused, count: id + 1 - types.count)
            }
            pieces[id] = piece
            types[id] = type
        }
        let byteFallback = model["byte_fallback"]?.bool ?? false
        for (piece, value) in vocab {
            let isByte = byteFallback && TokenBytesTable.byteFallbackValue(piece) != nil
            try put(piece, value.int, isByte ? .byte : .normal, "model.vocab")
        }
        for token in addedTokens {
            guard let content = token["content"]?.string else {
                throw TokenizerError.invalidField("added_tokens", reason: "entry without content")
            }
            try put(content, token["id"]?.int, token["special"]?.bool == true ? .control : .userDefined, "added_tokens")
        }
        let unknownID = (model["unk_token"]?.string).flatMap { Self.firstID(of: $0, in: pieces) }
        if let unknownID, types[Int(unknownID)] == .normal { types[Int(unknownID)] = .unknown }

        let merges = try rawMerges.enumerated().map { i, entry -> (String, String) in
            if let pair = entry.string?.splitMergeEntry() { return pair }
            if let pair = entry.array?.compactMap(\.string), pair.count == 2 { return (pair[0], pair[1]) }
            throw TokenizerError.invalidField("model.merges", reason: "entry \(i) is not 'a b' or [a, b]")
        }
        let kind = try Self.jsonKind(root, ignoreMerges: model["ignore_merges"]?.bool ?? false)
        func id(of key: String) -> Int32? {
            let text = config[key]?.string ?? config[key]?["content"]?.string
            return text.flatMap { Self.firstID(of: $0, in: pieces) }
        }
        let templateBOS = Self.postProcessorBOS(root["post_processor"], pieces: pieces)
        try self.init(spec: TokenizerSpec(
            kind: kind, pieces: pieces, types: types, merges: merges, scores: nil,
            bosID: id(of: "bos_token") ?? templateBOS, eosID: id(of: "eos_token"), unknownID: unknownID,
            eotID: nil, addsBOS: config["add_bos_token"]?.bool ?? (templateBOS != nil),
            chatTemplate: Self.chatTemplate(config["chat_template"])))
    }

    private static func readJSON(_ url: URL) throws -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        do {
            let value = try JSONValue.parse([UInt8](data))
            guard value.members != nil else {
                throw TokenizerError.unreadableFile(path: url.path, reason: "not a JSON object")
            }
            return value
        } catch let e as JSONValue.ParseError {
            throw TokenizerError.unreadableFile(path: url.path, reason: "invalid JSON at byte \(e.offset): \(e.message)")
        }
    }

    /// The tokenizer family from `normalizer` and `pre_tokenizer`.
    private static func jsonKind(_ root: JSONValue, ignoreMerges: Bool) throws -> TokenizerSpec.Kind {
        let pre = root["pre_tokenizer"].flatMap { $0.isNull ? nil : $0 }
        let normalizer = root["normalizer"].flatMap { $0.isNull ? nil : $0 }
        let steps = pre.map { p in p["type"]?.string == "Sequence" ? (p["pretokenizers"]?.array ?? []) : [p] } ?? []
        let names = steps.map { $0["type"]?.string ?? "?" }
        let described = "[" + names.joined(separator: ", ") + "]"
        func noNormalizer() throws {
            if let normalizer { throw TokenizerError.unsupportedNormalizer("'\(normalizer["type"]?.string ?? "?")'") }
        }

        if names.last == "ByteLevel" {
            try noNormalizer()
            let useRegex = steps.last?["use_regex"]?.bool ?? true
            if steps.count == 1, useRegex { return .byteLevel(.gpt2, ignoreMerges: ignoreMerges) }
            if steps.count == 2, useRegex, names[0] == "Digits", steps[0]["individual_digits"]?.bool == true {
                return .byteLevel(.digitsThenGPT2, ignoreMerges: ignoreMerges)
            }
            if steps.count == 2, !useRegex, names[0] == "Split", steps[0]["behavior"]?.string == "Isolated" {
                switch steps[0]["pattern"]?["Regex"]?.string {
                case llama3Pattern?: return .byteLevel(.llama3, ignoreMerges: ignoreMerges)
                case qwen2Pattern?: return .byteLevel(.qwen2, ignoreMerges: ignoreMerges)
                default: break
                }
            }
            throw TokenizerError.unsupportedPreTokenizer(described)
        }
        if names == ["Metaspace"] {
            try noNormalizer()
            let m = steps[0]
            guard m["split"]?.bool != true else { throw TokenizerError.unsupportedPreTokenizer("Metaspace with split: true") }
            guard (m["replacement"]?.string ?? "\u{2581}") == "\u{2581}" else {
                throw TokenizerError.unsupportedPreTokenizer("Metaspace with a replacement other than ▁")
            }
            switch m["prepend_scheme"]?.string ?? ((m["add_prefix_space"]?.bool ?? true) ? "always" : "never") {
            case "always": return .sentencePiece(.unlessSpace(firstOnly: false))
            case "first": return .sentencePiece(.unlessSpace(firstOnly: true))
            default: return .sentencePiece(.never)
            }
        }
        guard pre == nil else { throw TokenizerError.unsupportedPreTokenizer(described) }
        return .sentencePiece(try legacySentencePiecePrefix(normalizer))
    }

    /// `Sequence[Prepend("▁"), Replace(" ", "▁")]` (or just the Replace): legacy Llama tokenizer.json.
    private static func legacySentencePiecePrefix(_ normalizer: JSONValue?) throws -> TokenizerSpec.DummyPrefix {
        guard let normalizer else {
            throw TokenizerError.unsupportedPreTokenizer("none (and no SentencePiece normalizer)")
        }
        let steps = normalizer["type"]?.string == "Sequence" ? (normalizer["normalizers"]?.array ?? []) : [normalizer]
        var prefix = TokenizerSpec.DummyPrefix.never
        var replacesSpace = false
        for step in steps {
            switch step["type"]?.string {
            case "Prepend" where step["prepend"]?.string == "\u{2581}":
                prefix = .always
            case "Replace" where step["pattern"]?["String"]?.string == " " && step["content"]?.string == "\u{2581}":
                replacesSpace = true
            case let other:
                throw TokenizerError.unsupportedNormalizer("'\(other ?? "?")'")
            }
        }
        guard replacesSpace else { throw TokenizerError.unsupportedNormalizer("without Replace(' ', '▁')") }
        return prefix
    }

    /// The special token a `TemplateProcessing` post-processor puts before a single sequence.
    private static func postProcessorBOS(_ processor: JSONValue?, pieces: [String?]) -> Int32? {
        guard let processor else { return nil }
        let list = processor["type"]?.string == "Sequence" ? (processor["processors"]?.array ?? []) : [processor]
        for step in list where step["type"]?.string == "TemplateProcessing" {
            if let name = step["single"]?.array?.first?["SpecialToken"]?["id"]?.string {
                return firstID(of: name, in: pieces)
            }
        }
        return nil
    }

    /// The first id whose piece has exactly these UTF-8 bytes.
    private static func firstID(of text: String, in pieces: [String?]) -> Int32? {
        let key = VocabKey(text)
        return pieces.firstIndex { $0.map(VocabKey.init) == key }.map { Int32($0) }
    }

    /// `chat_template`: a string, or a list of `{name, template}` (the one named "default", else the first).
    private static func chatTemplate(_ value: JSONValue?) -> String? {
        if let s = value?.string { return s }
        guard let list = value?.array else { return nil }
        let chosen = list.first { $0["name"]?.string == "default" } ?? list.first
        return chosen?["template"]?.string
    }
}
