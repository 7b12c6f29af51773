/// Text → ids.
extension Tokenizer {
    /// The ids of `text`, without BOS/EOS (HF `encode(text, add_special_tokens=False)`).
    /// Added tokens are matched first: special (control) tokens such as `<|im_start|>` only when
    /// `parseSpecial` is true, user-defined tokens always. Every other run of text goes through
    /// the pre-tokenizer and BPE. Never fails: Swift strings are valid UTF-8, and bytes or
    /// characters the vocabulary lacks become byte-fallback or unknown tokens.
    public func encode(_ text: String, parseSpecial: Bool = true) -> [Int32] {
        encode(bytes: Array(text.utf8)) { _ in parseSpecial }
    }

    /// The ids of a chat prompt (`ChatTemplate.prompt`), without BOS/EOS: special tokens are
    /// matched only where they lie wholly inside the template's markup, so message content is
    /// always text (user-defined added tokens still match everywhere, as in `encode(_:)`). Text
    /// runs span markup and content alike, so a prompt whose content holds no special-token
    /// text encodes exactly as `encode(prompt.text)` does (HF tokenizers on the rendered text).
    public func encode(_ prompt: ChatPrompt) -> [Int32] {
        var bytes: [UInt8] = []
        var isMarkup: [Bool] = []
        for part in prompt.parts {
            let partBytes = Array(part.text.utf8)
            bytes += partBytes
            if case .markup = part {
                isMarkup += repeatElement(true, count: partBytes.count)
            } else {
                isMarkup += repeatElement(false, count: partBytes.count)
            }
        }
        return encode(bytes: bytes) { range in isMarkup[range].allSatisfy { $0 } }
    }

    /// `bytes` encoded; `specialAllowed` says whether a special token may match at a byte range.
    private func encode(bytes: [UInt8], specialAllowed: (Range<Int>) -> Bool) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(bytes.count / 3 + 1)
        var cache: [ArraySlice<UInt8>: [Int32]] = [:]
        for segment in added.segments(bytes, specialAllowed: specialAllowed) {
            switch segment {
            case .token(let id):
                out.append(id)
            case .text(let range):
                switch kind {
                case .byteLevel(let pre, let ignoreMerges):
                    for word in pre.split(bytes[range]) {
                        let w = bytes[word]
                        if let ids = cache[w] {
                            out += ids
                        } else {
                            let ids = encodeByteLevelWord(w, ignoreMerges: ignoreMerges)
                            cache[w] = ids
                            out += ids
                        }
                    }
                case .sentencePiece(let prefix):
                    let addPrefix = prefix.applies(offset: range.lowerBound, firstByte: bytes[range].first)
                    out += encodeSentencePiece(bytes[range], addPrefix: addPrefix)
                }
            }
        }
        return out
    }

    private func encodeByteLevelWord(_ word: ArraySlice<UInt8>, ignoreMerges: Bool) -> [Int32] {
        if ignoreMerges, let id = pieceIDs[VocabKey(ByteLevelAlphabet.encode(word))] { return [id] }
        var symbols: [Int32] = []
        symbols.reserveCapacity(word.count)
        for b in word where byteIDs[Int(b)] >= 0 { symbols.append(byteIDs[Int(b)]) }
        merges.apply(to: &symbols)
        return symbols
    }

    /// SentencePiece BPE over one run of text: spaces become ▁, characters become pieces (or
    /// their UTF-8 bytes as `<0xXX>` pieces, else the unknown token), then merges.
    private func encodeSentencePiece(_ text: ArraySlice<UInt8>, addPrefix: Bool) -> [Int32] {
        let space: UInt32 = 0x2581
        var symbols: [Int32] = []
        symbols.reserveCapacity(text.count + 1)
        func append(_ scalar: Unicode.Scalar) {
            let v = scalar.value == 0x20 ? space : scalar.value
            if let id = scalarIDs[v] {
                symbols.append(id)
                return
            }
            for b in String(Unicode.Scalar(v)!).utf8 {
                if byteIDs[Int(b)] >= 0 {
                    symbols.append(byteIDs[Int(b)])
                } else if let unk = unknownID {
                    symbols.append(unk)
                    return
                }
            }
        }
        if addPrefix { append(Unicode.Scalar(space)!) }
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars { append(scalar) }
        merges.apply(to: &symbols)
        return symbols
    }
}
