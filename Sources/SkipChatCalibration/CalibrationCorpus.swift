import Foundation
import SkipChatEngine

/// Calibration text: documents read from a file, each either a conversation (rendered with the
/// model's chat template, special tokens parsed) or plain text (tokenised as text, with BOS when
/// the tokenizer adds one). Every tenth document is held out for evaluation.
///
/// Accepted files (UTF-8):
/// - JSONL, one object a line: `{"messages": [{"role": …, "content": …}, …]}` or `{"text": …}`;
/// - anything else is plain text, split into documents at blank lines (paragraphs are merged
///   until a document has at least 1,000 characters).
public struct CalibrationCorpus {
    public enum Document: Equatable {
        case conversation([ChatMessage])
        case text(String)
    }

    /// Where it was read from (recorded in the sidecar).
    public let source: String
    public let documents: [Document]

    /// - Throws: `CalibrationError.corpus` when the file is unreadable, not UTF-8, has a malformed
    ///   JSONL line, or holds no text.
    public init(path: String) throws(CalibrationError) {
        let expanded = NSString(string: path).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw .corpus(path, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .corpus(path, "is not UTF-8 text") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        source = path
        documents = trimmed.hasPrefix("{") ? try Self.jsonLines(trimmed, path: path) : Self.paragraphs(trimmed)
        guard !documents.isEmpty else { throw .corpus(path, "holds no text") }
    }

    /// Documents given directly (for tests).
    public init(source: String, documents: [Document]) {
        self.source = source
        self.documents = documents
    }

    private static func jsonLines(_ text: String, path: String) throws(CalibrationError) -> [Document] {
        var documents: [Document] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw .corpus(path, "line \(index + 1) is not a JSON object")
            }
            if let messages = object["messages"] as? [[String: Any]] {
                let parsed = messages.compactMap { m -> ChatMessage? in
                    guard let role = m["role"] as? String, let content = m["content"] as? String else { return nil }
                    return ChatMessage(role: role, content: content)
                }
                guard parsed.count == messages.count else { throw .corpus(path, "line \(index + 1) has a message without role and content strings") }
                if !parsed.isEmpty { documents.append(.conversation(parsed)) }
            } else if let body = object["text"] as? String {
                if !body.isEmpty { documents.append(.text(body)) }
            } else {
                throw .corpus(path, "line \(index + 1) has neither \"messages\" nor \"text\"")
            }
        }
        return documents
    }

    private static func paragraphs(_ text: String) -> [Document] {
        var documents: [Document] = []
        var current = ""
        for paragraph in text.components(separatedBy: "\n\n") where !paragraph.trimmingCharacters(in: .whitespaces).isEmpty {
            current += current.isEmpty ? paragraph : "\n\n" + paragraph
            if current.count >= 1000 {
                documents.append(.text(current))
                current = ""
            }
        }
        if !current.isEmpty { documents.append(.text(current)) }
        return documents
    }

    /// Token sequences for training and held-out evaluation: documents are tokenised in order
    /// (document i is held out when i % 10 == 9), each cut to `maxLength` tokens, until each
    /// split has its budget of scored positions (or the corpus ends). `maxLength` is capped at
    /// the model's context.
    public func sequences(for model: LanguageModel, trainTokens: Int, heldoutTokens: Int,
                          maxLength: Int = defaultSequenceLength) -> (train: [CalibrationSequence], heldout: [CalibrationSequence]) {
        var train: [CalibrationSequence] = [], heldout: [CalibrationSequence] = []
        walk(model: model, trainTokens: trainTokens, heldoutTokens: heldoutTokens, maxLength: maxLength,
             take: { _, document in document }) { sequence, isHeldout, _ in
            if isHeldout { heldout.append(sequence) } else { train.append(sequence) }
        }
        return (train, heldout)
    }

    /// The selection rule of `sequences` (and of `selfDistilled`, which must pick the same
    /// documents): documents in order, document i held out when i % 10 == 9, a document skipped
    /// once its split has its budget of scored positions, the walk ended when both have theirs.
    /// `take` gives the document to use in place of document i (called only for documents a
    /// split still needs); `use` gets its sequence, cut to `maxLength` (capped at the model's
    /// context), whether it is held out, and the scored positions of each split so far.
    /// - Returns: how many documents were looked at.
    @discardableResult
    func walk<E: Error>(model: LanguageModel, trainTokens: Int, heldoutTokens: Int, maxLength: Int,
                        take: (Int, Document) throws(E) -> Document,
                        use: (CalibrationSequence, _ isHeldout: Bool, _ counts: (train: Int, heldout: Int)) -> Void) throws(E) -> Int {
        let maxLength = min(maxLength, model.config.contextLength)
        var counts = (train: 0, heldout: 0)
        for (i, document) in documents.enumerated() {
            let isHeldout = i % 10 == 9
            if isHeldout ? counts.heldout >= heldoutTokens : counts.train >= trainTokens { continue }
            let sequence = Self.sequence(of: try take(i, document), model: model).cut(to: maxLength)
            guard sequence.scoredCount > 0 else { continue }
            if isHeldout { counts.heldout += sequence.scoredCount } else { counts.train += sequence.scoredCount }
            use(sequence, isHeldout, counts)
            if counts.train >= trainTokens && counts.heldout >= heldoutTokens { return i + 1 }
        }
        return documents.count
    }

    /// The tokens of a document and the positions to score. For a conversation these are the
    /// positions whose next token belongs to an assistant message (what a draft predicts in a
    /// chat; a system prompt repeated in every document would otherwise inflate agreement);
    /// conversations without one, and plain text, score every position but the first.
    static func sequence(of document: Document, model: LanguageModel) -> CalibrationSequence {
        let tokenizer = model.tokenizer
        switch document {
        case let .conversation(messages):
            let render = { (m: [ChatMessage], prompt: Bool) in
                model.promptTokens(m, addGenerationPrompt: prompt).count
            }
            let ids = model.promptTokens(messages, addGenerationPrompt: false)
            var scored: [Range<Int>] = []
            for i in messages.indices where messages[i].role == "assistant" {
                let start = render(Array(messages[..<i]), true), end = render(Array(messages[...i]), false)
                if start >= 1 && start < end && end <= ids.count { scored.append((start - 1)..<(end - 1)) }
            }
            return CalibrationSequence(tokens: ids, scored: scored.isEmpty ? [1..<max(1, ids.count)] : scored)
        case let .text(body):
            var ids = tokenizer.encode(body, parseSpecial: false)
            if tokenizer.addsBOS, let bos = tokenizer.bosID { ids.insert(bos, at: 0) }
            return CalibrationSequence(tokens: ids, scored: [1..<max(1, ids.count)])
        }
    }

    /// Tokens of a calibration sequence at most (before the cap at the model's context).
    public static let defaultSequenceLength = 512

    /// `$XDG_CACHE_HOME/skipchat/corpus/chitchat.jsonl`, written by scripts/fetch-corpus.sh.
    public static var defaultPath: String {
        LanguageModel.cacheDirectory.appendingPathComponent("corpus/chitchat.jsonl").path
    }
}

/// One calibration sequence: its tokens (run from position 0) and the positions whose residual
/// streams are used (never position 0: it is never drafted, and its attention-sink outliers
/// would dominate a least-squares fit).
public struct CalibrationSequence: Sendable, Equatable {
    public var tokens: [Int32]
    /// Disjoint ascending position ranges inside 1 ..< tokens.count.
    public var scored: [Range<Int>]

    public init(tokens: [Int32], scored: [Range<Int>]) {
        self.tokens = tokens
        let limit = max(1, tokens.count)
        self.scored = scored.map { $0.clamped(to: 1..<limit) }.filter { !$0.isEmpty }
    }

    public var scoredCount: Int { scored.reduce(0) { $0 + $1.count } }

    /// The first `length` tokens, with the scored ranges cut to them.
    func cut(to length: Int) -> CalibrationSequence {
        CalibrationSequence(tokens: Array(tokens.prefix(length)), scored: scored)
    }
}
