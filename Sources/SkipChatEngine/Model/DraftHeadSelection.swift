import SkipChatTokenizer

/// Which draft head drafts read: `auto` (the rule of `DraftHeadSelection`), `full` (the whole LM
/// head) or the `rows` most frequent ids of the draft-head corpus. Verification always reads the
/// full head, so the choice changes speed and acceptance, never the greedy output.
public enum DraftHeadRequest: Sendable, Equatable, CustomStringConvertible {
    case auto, full
    /// The N most frequent corpus ids (1 ≤ N ≤ vocabulary size, checked when the model loads).
    case rows(Int)

    /// Parses "auto", "full" or a positive number of rows; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "full": self = .full
        default:
            guard let n = Int(text), n >= 1 else { return nil }
            self = .rows(n)
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .full: "full"
        case .rows(let n): String(n)
        }
    }
}

/// How often each token id occurs in a tokenised corpus.
public struct TokenCounts: Sendable, Equatable {
    /// Ids that occur, most frequent first, ties by the smaller id.
    public var ids: [Int32]
    /// Occurrences of `ids`, same order.
    public var counts: [Int]

    /// Every token counted (the sum of `counts`).
    public var total: Int { counts.reduce(0, +) }

    /// - Precondition: `ids` and `counts` have the same length.
    public init(ids: [Int32], counts: [Int]) {
        precondition(ids.count == counts.count)
        self.ids = ids
        self.counts = counts
    }

    /// Counts the tokens of `documents`, each encoded on its own as plain text (special-token
    /// text stays text). Ids ≥ `vocabularySize` (tokenizer ids without a head row) are left out.
    public init(documents: [String], tokenizer: Tokenizer, vocabularySize: Int) {
        var tally = [Int](repeating: 0, count: max(vocabularySize, 0))
        for document in documents where !document.isEmpty {
            for id in tokenizer.encode(document, parseSpecial: false) where id >= 0 && Int(id) < tally.count {
                tally[Int(id)] += 1
            }
        }
        let ranked = tally.indices.filter { tally[$0] > 0 }.sorted { (tally[$0], $1) > (tally[$1], $0) }
        self.init(ids: ranked.map { Int32($0) }, counts: ranked.map { tally[$0] })
    }
}

/// The rows of a reduced-vocabulary draft head (`DraftHead`), chosen from token frequencies of
/// the draft-head corpus (`DraftHeadCorpus`) under the model's own tokenizer.
///
/// **When**: only when the LM head is more than `headShareThreshold` (10%) of a token's weight
/// reads; below that a reduced head saves too little to risk any acceptance. On the default model
/// (49,152 × 576) and on Llama 3.2 1B (128,256 × 2,048) the head is ~21%.
///
/// **How many rows (the auto rule)**: the smallest N whose most frequent ids cover at least
/// `coverageTarget` (95%) of the corpus tokens, rounded up to a multiple of `rowMultiple` (64:
/// whole cache lines and kernel tiles), clamped to `rowRange` (1,024 … 16,384) and to the
/// vocabulary. Coverage is the draft's ceiling: a draft token outside the set is never proposed,
/// so ~95% keeps the loss to a few drafts in a hundred while the head shrinks 5–30×. The floor
/// keeps the head useful on styles the corpus under-represents; the ceiling bounds its cost (16k
/// rows are 13% of a 128k head).
///
/// **Which ids**: the end-of-turn / EOS ids (`Tokenizer.endOfTurnIDs`, so a draft can end a
/// reply), then the most frequent corpus ids (ties by smaller id), then — when N exceeds the ids
/// the corpus holds — unseen ids from 0 up. Rows are stored in ascending id order, so an argmax
/// tie resolves to the smaller id as on the full head.
public enum DraftHeadSelection {
    public static let coverageTarget = 0.95
    public static let rowMultiple = 64
    public static let rowRange = 1_024...16_384
    public static let headShareThreshold = 0.10

    /// The auto rule's N for `counts` over a vocabulary of `vocabularySize` ids (≥ 1); the
    /// rule's constants may be given (tests use a small range).
    public static func automaticRows(_ counts: TokenCounts, vocabularySize: Int, coverage target: Double = coverageTarget,
                                     multiple: Int = rowMultiple, range: ClosedRange<Int> = rowRange) -> Int {
        let total = counts.total
        var covered = 0
        var n = 0
        while n < counts.counts.count && Double(covered) < target * Double(total) {
            covered += counts.counts[n]
            n += 1
        }
        let rounded = (n + multiple - 1) / multiple * multiple
        return max(1, min(vocabularySize, min(range.upperBound, max(range.lowerBound, rounded))))
    }

    /// The `rows` ids of a draft head, ascending: `required` ids first (those < vocabularySize),
    /// then the most frequent of `counts`, then unseen ids from 0 up.
    /// - Precondition: 1 ≤ rows ≤ vocabularySize.
    public static func ids(_ counts: TokenCounts, rows: Int, required: some Sequence<Int32>, vocabularySize: Int) -> [Int32] {
        precondition(rows >= 1 && rows <= vocabularySize)
        var chosen = Set<Int32>()
        var order: [Int32] = []
        func take(_ id: Int32) {
            if order.count < rows && id >= 0 && Int(id) < vocabularySize && chosen.insert(id).inserted { order.append(id) }
        }
        required.sorted().forEach(take)
        counts.ids.forEach(take)
        var next: Int32 = 0
        while order.count < rows {
            take(next)
            next += 1
        }
        return order.sorted()
    }

    /// Share of the corpus tokens whose id is in `ids` (0…1; 0 for an empty corpus).
    public static func coverage(of ids: [Int32], _ counts: TokenCounts) -> Double {
        let set = Set(ids)
        let covered = zip(counts.ids, counts.counts).reduce(0) { $0 + (set.contains($1.0) ? $1.1 : 0) }
        return counts.total == 0 ? 0 : Double(covered) / Double(counts.total)
    }

    /// The auto rule's N for the Llama 3 tokenizer (128,256 ids; llama.cpp's
    /// `ggml-vocab-llama-bpe.gguf`) over this corpus, for random-weight shapes, which have no
    /// tokenizer: their reduced head is the first N rows (`DraftHeadSelectionTests` recomputes N
    /// when that vocabulary is installed).
    public static let llama3Rows = 3_776
}
