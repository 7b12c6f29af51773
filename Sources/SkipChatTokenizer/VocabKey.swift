/// A vocabulary string compared and hashed by its UTF-8 bytes. Swift's `String` equality is
/// canonical equivalence ("é" == "e\u{301}"), but vocabularies hold both spellings as
/// different tokens, as HF `tokenizers` and `sentencepiece` (byte-wise maps) do.
struct VocabKey: Hashable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (a: VocabKey, b: VocabKey) -> Bool {
        a.string.utf8.elementsEqual(b.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Splits "left right" at its first U+0020 (merge-list entries); nil without one.
    /// Works on scalars, so a right half starting with a combining mark is not glued to the space.
    func splitMergeEntry() -> (String, String)? {
        guard let space = utf8.firstIndex(of: 0x20) else { return nil }
        return (String(self[..<space]), String(self[utf8.index(after: space)...]))
    }
}
