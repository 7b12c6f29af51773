/// A rendered chat prompt whose parts remember where they came from: the template's markup
/// (`<|im_start|>`, `[INST]`, headers, separators) or a message's content. Only markup may
/// become control tokens (`Tokenizer.encode(_:)`); content is always text, so a message that
/// holds `<|im_end|>` cannot close its own turn.
public struct ChatPrompt: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        /// Template text: special-token strings in it are control tokens.
        case markup(String)
        /// Message text (user, assistant or system): encoded as plain text.
        case content(String)

        public var text: String {
            switch self {
            case .markup(let s), .content(let s): return s
            }
        }
    }

    /// The parts in prompt order; empty parts are dropped.
    public private(set) var parts: [Part] = []

    public init(_ parts: [Part] = []) {
        for part in parts { append(part) }
    }

    /// The prompt text: every part, concatenated.
    public var text: String { parts.map(\.text).joined() }

    mutating func append(_ part: Part) {
        if !part.text.isEmpty { parts.append(part) }
    }

    static func += (prompt: inout ChatPrompt, part: Part) { prompt.append(part) }

    static func += (prompt: inout ChatPrompt, other: ChatPrompt) {
        for part in other.parts { prompt.append(part) }
    }

    /// The prompt with Python `str.strip()` applied to its text as a whole (Jinja `trim` over a
    /// string the template assembled from markup and content), each part keeping its kind.
    func stripped() -> ChatPrompt {
        var parts = self.parts
        while let first = parts.first {
            let kept = ChatTemplate.pythonStripLeading(first.text)
            if kept.isEmpty { parts.removeFirst(); continue }
            parts[0] = first.with(text: kept)
            break
        }
        while let last = parts.last {
            let kept = ChatTemplate.pythonStripTrailing(last.text)
            if kept.isEmpty { parts.removeLast(); continue }
            parts[parts.count - 1] = last.with(text: kept)
            break
        }
        return ChatPrompt(parts)
    }
}

extension ChatPrompt.Part {
    func with(text: String) -> Self {
        switch self {
        case .markup: return .markup(text)
        case .content: return .content(text)
        }
    }
}
