/// Turns a stream of token ids into text that only ever contains complete UTF-8 characters,
/// and can take back the last tokens (rejected speculative drafts). Tokens may split a
/// character (byte-level BPE, `<0xXX>` byte fallback): its bytes wait until it is complete.
/// Bytes that can never form a character are emitted as U+FFFD (Swift's repair, the Unicode
/// "maximal subpart" practice). No space clean-up is applied.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    /// Every byte of the pushed tokens.
    private var bytes: [UInt8] = []
    /// End offset in `bytes` of each pushed token.
    private var tokenEnds: [Int] = []
    /// Emission points: bytes consumed and UTF-8 length of text emitted up to then.
    private var marks: [(consumed: Int, emitted: Int)] = [(0, 0)]

    public init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// Appends one token; returns the text that became complete (possibly "").
    /// Unknown ids contribute no bytes.
    public mutating func push(_ id: Int32) -> String {
        bytes += tokenizer.tokenBytes(id)
        tokenEnds.append(bytes.count)
        return emit(upTo: UTF8Prefix.completeEnd(bytes, from: marks[marks.count - 1].consumed))
    }

    /// Drops the last `count` pushed tokens (all of them if fewer were pushed). Returns how many
    /// bytes of the UTF-8 text already returned by `push` must be deleted from the end of the
    /// display; text before that is never touched. A character split across the retraction
    /// point is deleted whole and its surviving bytes wait again.
    public mutating func retract(_ count: Int) -> Int {
        let drop = min(max(count, 0), tokenEnds.count)
        guard drop > 0 else { return 0 }
        tokenEnds.removeLast(drop)
        let keep = tokenEnds.last ?? 0
        bytes.removeSubrange(keep...)
        let emittedBefore = marks[marks.count - 1].emitted
        // Undo emissions that used dropped bytes: those that consumed them, and a U+FFFD that
        // a dropped byte proved ill-formed (the kept bytes alone are just incomplete).
        while marks.count > 1 {
            let last = marks[marks.count - 1].consumed
            let previous = marks[marks.count - 2].consumed
            guard last > keep || UTF8Prefix.completeEnd(bytes, from: previous) < last else { break }
            marks.removeLast()
        }
        return emittedBefore - marks[marks.count - 1].emitted
    }

    /// Emits whatever is still pending, an incomplete trailing character as U+FFFD, and ends
    /// the stream's pending state (later pushes start afresh after it).
    public mutating func finish() -> String {
        emit(upTo: bytes.count)
    }

    private mutating func emit(upTo end: Int) -> String {
        let last = marks[marks.count - 1]
        guard end > last.consumed else { return "" }
        let text = String(decoding: bytes[last.consumed..<end], as: UTF8.self)
        marks.append((end, last.emitted + text.utf8.count))
        return text
    }
}
