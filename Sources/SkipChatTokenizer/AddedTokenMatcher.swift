/// Finds added tokens (control / special and user-defined tokens) in text before BPE runs:
/// leftmost match first, the longest one at that position (HF `AddedVocabulary`, which uses
/// Aho-Corasick with leftmost-longest semantics; llama.cpp `tokenizer_st_partition`).
struct AddedTokenMatcher: Sendable {
    struct Entry: Sendable {
        var bytes: [UInt8]
        var id: Int32
        /// Special tokens are matched only when the caller asks to parse special tokens;
        /// user-defined ones always are.
        var special: Bool
    }

    /// A piece of the input: plain text to run BPE over, or one added token.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    /// Entries by first byte, longest first.
    private let byFirstByte: [[Entry]]

    init(_ entries: [Entry]) {
        var table = [[Entry]](repeating: [], count: 256)
        for e in entries where !e.bytes.isEmpty { table[Int(e.bytes[0])].append(e) }
        byFirstByte = table.map { $0.sorted { $0.bytes.count > $1.bytes.count } }
    }

    /// Splits `bytes` into plain-text runs and added tokens; a special token matches only where
    /// `specialAllowed` accepts its byte range.
    func segments(_ bytes: [UInt8], specialAllowed: (Range<Int>) -> Bool) -> [Segment] {
        var out: [Segment] = []
        var textStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            if let match = longestMatch(bytes, at: i, specialAllowed: specialAllowed) {
                if textStart < i { out.append(.text(textStart..<i)) }
                out.append(.token(match.id))
                i += match.bytes.count
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < n { out.append(.text(textStart..<n)) }
        return out
    }

    private func longestMatch(_ bytes: [UInt8], at i: Int, specialAllowed: (Range<Int>) -> Bool) -> Entry? {
        let candidates = byFirstByte[Int(bytes[i])]
        if candidates.isEmpty { return nil }
        for e in candidates where i + e.bytes.count <= bytes.count {
            let range = i..<(i + e.bytes.count)
            if bytes[range].elementsEqual(e.bytes) && (!e.special || specialAllowed(range)) { return e }
        }
        return nil
    }
}
