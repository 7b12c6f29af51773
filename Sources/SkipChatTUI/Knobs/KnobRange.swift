import SkipChatEngine

/// The values a knob accepts: its one range, checked the same way on the command line, in
/// config.toml and by `/set`, and the ends at which its keys stop.
public enum KnobRange: Sendable, Equatable {
    /// Whole numbers in the range (an upper bound of `Int.max`: none).
    case integers(ClosedRange<Int>)
    /// Exit layers of the loaded model: 1 … L−1.
    case exitLayers
    /// Context windows: 16 … the loaded model's context length (`ContextWindow.minimumLength`).
    case contextWindow
    /// Numbers from `lower` (left out when `lowerOpen`) to `upper`.
    case numbers(lower: Float, upper: Float, lowerOpen: Bool)
    /// Any unsigned 64-bit number.
    case seeds
    /// One of `words`; `aliases` maps a short form onto one of them. A prefix picks the first match.
    case words([String], aliases: [String: String])
    /// Draft heads (`DraftHeadRequest`): the word `auto` or `full`, or a number of rows, 1 or more.
    /// The upper bound, the model's vocabulary size, is checked when the model loads (`DraftHeadError`).
    case draftHeads
    /// Free text: a name, a path or a prompt.
    case text
    /// On or off.
    case onOff

    /// The range in words, for `--help` and docs/keys.md ("0 … 2", "(0, 1]", "1 … L−1").
    public var text: String {
        switch self {
        case .integers(let r): r.upperBound == Int.max ? "≥ \(r.lowerBound)" : "\(r.lowerBound) … \(r.upperBound)"
        case .exitLayers: "1 … L−1"
        case .contextWindow: "\(ContextWindow.minimumLength) … the model's context"
        case .numbers(let lower, let upper, let open):
            open ? "(\(Self.format(lower)), \(Self.format(upper))]" : "\(Self.format(lower)) … \(Self.format(upper))"
        case .seeds: "0 … 2⁶⁴−1"
        case .words(let words, _): words.joined(separator: " | ")
        case .draftHeads: "\(Self.draftHeadWords.joined(separator: " | ")) | 1 … the vocabulary size"
        case .text: "text"
        case .onOff: "on | off"
        }
    }

    /// Why `value` is outside the range ("must be between 0 and 2"), or nil. The bounds that depend
    /// on the model are checked only when `model` is given.
    func problem(_ value: KnobValue, model: ModelBounds?) -> String? {
        switch (self, value) {
        case (.integers(let r), .integer(let n)):
            if r.upperBound == Int.max { return n < r.lowerBound ? "must be \(r.lowerBound) or more" : nil }
            return r.contains(n) ? nil : "must be between \(r.lowerBound) and \(r.upperBound)"
        case (.exitLayers, .integer(let n)):
            if n < 1 { return "must be 1 or more" }
            if let model, n >= model.layerCount { return "must be below the model's \(model.layerCount) layers" }
            return nil
        case (.contextWindow, .integer(let n)):
            let lower = ContextWindow.minimumLength
            guard let model else { return n < lower ? "must be \(lower) or more" : nil }
            return (lower...model.contextLength).contains(n) ? nil : "must be between \(lower) and the model's context, \(model.contextLength)"
        case (.numbers(let lower, let upper, let open), .number(let x)):
            let inside = (open ? x > lower : x >= lower) && x <= upper
            if inside { return nil }
            return open ? "must be in \(text)" : "must be between \(Self.format(lower)) and \(Self.format(upper))"
        case (.seeds, .seed), (.text, .text), (.onOff, .onOff):
            return nil
        case (.words(let words, _), .word(let w)):
            return words.contains(w) ? nil : "must be one of \(words.joined(separator: ", "))"
        case (.draftHeads, .word(let w)) where Self.draftHeadWords.contains(w):
            return nil
        case (.draftHeads, .integer(let n)) where n >= 1:
            return nil
        case (.draftHeads, .word), (.draftHeads, .integer):
            return "must be \(Self.draftHeadWords.joined(separator: ", ")) or a number of rows ≥ 1"
        default:
            return "has the wrong type"
        }
    }

    /// `x` moved into the range (for knob keys at the ends, and settings read from an older session).
    func clamp(_ x: Float) -> Float {
        guard case .numbers(let lower, let upper, let open) = self else { return x }
        return min(max(x, open ? lower.nextUp : lower), upper)
    }

    /// `n` moved into the range, for a model with `layerCount` layers.
    func clamp(_ n: Int, layerCount: Int) -> Int {
        switch self {
        case .integers(let r): min(max(n, r.lowerBound), r.upperBound)
        case .exitLayers: min(max(n, 1), max(1, layerCount - 1))
        default: n
        }
    }

    /// The words of `.draftHeads`, as `DraftHeadRequest` reads them.
    static let draftHeadWords = [DraftHeadRequest.auto.description, DraftHeadRequest.full.description]

    /// A number without a trailing ".0" ("2", "0.05").
    static func format(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(describing: x)
    }
}
