import Foundation

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
    /// split has its token budget (or the corpus ends). `maxLength` is capped at the model's context.
    public func sequences(for model: LanguageModel, trainTokens: Int, heldoutTokens: Int,
                          maxLength: Int = 512) -> (train: [[Int32]], heldout: [[Int32]]) {
        let maxLength = min(maxLength, model.config.contextLength)
        var train: [[Int32]] = [], heldout: [[Int32]] = []
        var trainCount = 0, heldoutCount = 0
        for (i, document) in documents.enumerated() {
            let isHeldout = i % 10 == 9
            if isHeldout ? heldoutCount >= heldoutTokens : trainCount >= trainTokens { continue }
            let ids = Array(tokens(of: document, model: model).prefix(maxLength))
            guard ids.count > 1 else { continue }
            if isHeldout { heldout.append(ids); heldoutCount += ids.count - 1 } else { train.append(ids); trainCount += ids.count - 1 }
            if trainCount >= trainTokens && heldoutCount >= heldoutTokens { break }
        }
        return (train, heldout)
    }

    private func tokens(of document: Document, model: LanguageModel) -> [Int32] {
        switch document {
        case let .conversation(messages):
            return model.tokenizer.encode(model.template.render(messages, addGenerationPrompt: false), parseSpecial: true)
        case let .text(body):
            var ids = model.tokenizer.encode(body, parseSpecial: false)
            if model.tokenizer.addsBOS, let bos = model.tokenizer.bosID { ids.insert(bos, at: 0) }
            return ids
        }
    }

    /// `$XDG_CACHE_HOME/skipchat/corpus/chitchat.jsonl`, written by scripts/fetch-corpus.sh.
    public static var defaultPath: String {
        LanguageModel.cacheDirectory.appendingPathComponent("corpus/chitchat.jsonl").path
    }
}
