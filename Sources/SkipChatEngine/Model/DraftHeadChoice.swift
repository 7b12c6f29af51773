import Foundation
import SkipChatTokenizer

/// The draft head a model drafts with, and where it came from (shown by `skipchat info`).
public struct DraftHeadInfo: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// Calibrated: the draft sidecar's draft vocabulary (`skipchat calibrate`).
        case sidecar
        /// The draft-head corpus's most frequent ids (`DraftHeadSelection`).
        case corpus
        /// The whole LM head.
        case full
    }

    public var source: Source
    /// Rows drafts read.
    public var rows: Int
    /// Rows of the full LM head.
    public var vocabularySize: Int
    /// Share (0…1) of the draft-head corpus's tokens whose ids the rows hold; nil when the
    /// corpus was not counted (the full head, or a model whose head is cheap).
    public var coverage: Double?
    /// The full LM head's share (0…1) of a token's weight reads.
    public var headShare: Double

    /// One line, e.g. "4096 of 49152 rows (corpus; covers 95.1% of the corpus tokens; the full
    /// head is 21.4% of a token's weight reads)".
    public var summary: String {
        var parts = ["\(rows) of \(vocabularySize) rows (\(source.rawValue)"]
        if let coverage { parts.append(String(format: "covers %.1f%% of the corpus tokens", coverage * 100)) }
        parts.append(String(format: "the full head is %.1f%% of a token's weight reads)", headShare * 100))
        return parts.joined(separator: "; ")
    }
}

/// A `--draft-head N` the model cannot hold.
public struct DraftHeadError: Error, CustomStringConvertible, Equatable {
    public var rows: Int
    public var vocabularySize: Int

    public init(rows: Int, vocabularySize: Int) {
        self.rows = rows
        self.vocabularySize = vocabularySize
    }

    public var description: String {
        "a draft head of \(rows) rows: the vocabulary has \(vocabularySize) ids (use auto, full or 1 … \(vocabularySize))"
    }
}

/// Turns a `DraftHeadRequest` into the head drafts read (nil = the full LM head).
enum DraftHeadChoice {
    /// - Parameters:
    ///   - headShare: the LM head's share of a token's weight reads (0…1).
    ///   - sidecarHead: the calibrated head of the model's sidecar, if any; `auto` prefers it.
    /// - Throws: `DraftHeadError` when `.rows(N)` has N > the head's rows.
    static func resolve(_ request: DraftHeadRequest, file: ModelFile, tokenizer: Tokenizer, headShare: Double,
                        sidecarHead: DraftHead?, cacheDirectory: URL = DraftHeadCache.directory) throws -> (DraftHead?, DraftHeadInfo) {
        let head = file.weights.lmHead
        let vocab = head.rows
        func counts() -> TokenCounts {
            let key = DraftHeadCache.Key(file: file, tokenizer: tokenizer, vocabularySize: vocab)
            return DraftHeadCache.counts(for: key, in: cacheDirectory) {
                TokenCounts(documents: DraftHeadCorpus.documents, tokenizer: tokenizer, vocabularySize: vocab)
            }.0
        }
        let full = DraftHeadInfo(source: .full, rows: vocab, vocabularySize: vocab, coverage: nil, headShare: headShare)
        func corpusHead(rows: Int, counts: TokenCounts) -> (DraftHead?, DraftHeadInfo) {
            guard rows < vocab else { return (nil, full) }
            let ids = DraftHeadSelection.ids(counts, rows: rows, required: tokenizer.endOfTurnIDs, vocabularySize: vocab)
            return (DraftHead(head: head, ids: ids),
                    DraftHeadInfo(source: .corpus, rows: rows, vocabularySize: vocab,
                                  coverage: DraftHeadSelection.coverage(of: ids, counts), headShare: headShare))
        }
        switch request {
        case .full:
            return (nil, full)
        case .rows(let n):
            guard n >= 1 && n <= vocab else { throw DraftHeadError(rows: n, vocabularySize: vocab) }
            return n == vocab ? (nil, full) : corpusHead(rows: n, counts: counts())
        case .auto:
            if let sidecarHead {
                return (sidecarHead, DraftHeadInfo(source: .sidecar, rows: sidecarHead.ids.count, vocabularySize: vocab,
                                                   coverage: DraftHeadSelection.coverage(of: sidecarHead.ids, counts()),
                                                   headShare: headShare))
            }
            guard headShare > DraftHeadSelection.headShareThreshold else { return (nil, full) }
            let counted = counts()
            return corpusHead(rows: DraftHeadSelection.automaticRows(counted, vocabularySize: vocab), counts: counted)
        }
    }
}
