/// The committed multi-style corpus that picks the rows of a model's default reduced draft head
/// (`DraftHeadSelection`): casual chat, Python code and explanatory replies, a few hundred KB of
/// text compiled into the binary. Made by `models/draft-head-corpus/make-corpus.py`, which names
/// the sources and licences (README.md beside it).
public enum DraftHeadCorpus {
    /// The line that separates documents inside a style's text.
    static let separator = "\n<<<document>>>\n"

    /// Every style's text, in order: chitchat, code, explanations.
    static var styles: [(name: String, text: String)] {
        [("chitchat", chitchat), ("code", code), ("explanations", explanations)]
    }

    /// The documents of every style, in order (each is tokenised on its own).
    public static var documents: [String] {
        styles.flatMap { $0.text.components(separatedBy: separator) }
    }

    /// FNV-1a 64 of the corpus text (every style, in order): part of the draft-head cache key, so
    /// a changed corpus rebuilds every cached head.
    public static let version: UInt64 = {
        var hash = FNV1a()
        for style in styles {
            hash.add(style.name.utf8)
            hash.add(style.text.utf8)
        }
        return hash.value
    }()
}

/// FNV-1a, 64-bit (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3):
/// a cheap content fingerprint for cache keys and file checksums, not a cryptographic hash.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }

    mutating func add(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { add($0) }
    }
}
