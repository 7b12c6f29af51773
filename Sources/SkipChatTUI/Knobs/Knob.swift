import SkipChatEngine

/// Names a row of `Knob.table`.
public enum KnobID: String, CaseIterable, Sendable {
    case model, quantize, threads, precision, kvType, kernels, draftHead
    case exitLayer, depth, mode, threshold
    case temperature, topK, topP, minP, repetitionPenalty, seed, greedy
    case maxTokens, context, system, theme, ghostText
}

/// One setting a user can change, with every name it goes by. `Knob.table` lists them all; the
/// command-line options, config.toml, `/set`, the knob keys, the range checks and the knob section
/// of docs/keys.md are all read from it.
public struct Knob: Sendable {
    public let id: KnobID
    /// What notices and the docs call it ("temperature").
    public let name: String
    /// Command-line spelling with its value name, e.g. "--temperature T" (nil: no flag).
    public let flag: String?
    /// Environment variable that sets it (nil: none).
    public let environment: String?
    /// Key in config.toml (nil: not in the config file).
    public let configKey: String?
    /// `/set` names, the canonical one first (empty: `/set` does not change it).
    public let setNames: [String]
    /// Another slash command that changes it ("/theme NAME"), nil when none.
    public let command: String?
    /// Keys that change it while chatting (nil: none).
    public let keys: KnobKeys?
    public let range: KnobRange
    /// The default, in words ("the model's recommendation").
    public let defaultValue: String
    /// One sentence for `--help`, the help overlay and docs/keys.md.
    public let help: String

    /// The row of `id`.
    public static subscript(_ id: KnobID) -> Knob {
        guard let knob = table.first(where: { $0.id == id }) else { preconditionFailure("Knob.table has no row for \(id)") }
        return knob
    }

    /// The flag without dashes or value name ("temperature" for "--temperature T").
    public var flagName: String? {
        flag?.split(separator: " ").first.map { String($0.drop(while: { $0 == "-" })) }
    }

    /// The value name of the flag ("T" for "--temperature T").
    public var valueName: String? {
        guard let flag else { return nil }
        let words = flag.split(separator: " ")
        return words.count > 1 && !words[1].hasPrefix("-") ? String(words[1]) : nil
    }

    /// `help` with the accepted values, for `--help` ("Sampling temperature (0 = greedy); 0 … 2.").
    public var helpWithRange: String {
        switch range {
        case .text, .onOff, .words: help
        default: "\(help) Range: \(range.text)."
        }
    }

    /// Parses `text` as a value of this knob (syntax only; `problem` tests the range).
    /// - Returns: the value, or a message naming what is expected.
    public func parse(_ text: String) -> Result<KnobValue, KnobProblem> {
        switch range {
        case .integers, .exitLayers, .contextWindow:
            guard let n = Int(text) else { return .failure(KnobProblem("\(name) needs a whole number (got \(text))")) }
            return .success(.integer(n))
        case .numbers:
            guard let x = Float(text), x.isFinite else { return .failure(KnobProblem("\(name) needs a number (got \(text))")) }
            return .success(.number(x))
        case .seeds:
            guard let n = UInt64(text) else { return .failure(KnobProblem("\(name) needs a whole number ≥ 0 (got \(text))")) }
            return .success(.seed(n))
        case .words(let words, let aliases):
            let wanted = text.lowercased()
            guard let word = words.first(where: { $0 == wanted }) ?? aliases[wanted] ?? words.first(where: { $0.hasPrefix(wanted) }) else {
                return .failure(KnobProblem("\(name): one of \(words.joined(separator: ", ")) (got \(text))"))
            }
            return .success(.word(word))
        case .draftHeads:
            // Any word is well formed here; the range tells auto and full from the rest.
            return .success(Int(text).map { .integer($0) } ?? .word(text.lowercased()))
        case .text:
            return .success(.text(text))
        case .onOff:
            switch text.lowercased() {
            case "on", "true", "yes", "1": return .success(.onOff(true))
            case "off", "false", "no", "0": return .success(.onOff(false))
            default: return .failure(KnobProblem("\(name) is on or off (got \(text))"))
            }
        }
    }

    /// Why `value` is not acceptable for this knob ("must be between 0 and 2 (got 5)"), or nil.
    /// Bounds that depend on the model (exit layers, context) are checked only when `model` is given.
    public func problem(_ value: KnobValue, model: ModelBounds? = nil) -> String? {
        range.problem(value, model: model).map { "\($0) (got \(value.text))" }
    }
}

/// The keys that change a knob while chatting.
public enum KnobKeys: Sendable, Equatable {
    /// `down` and `up` move the knob by `step` (ending at the ends of its range).
    case steps(down: [Key], up: [Key], step: Float)
    /// Each press moves to the next value of a `.words` range, round the end.
    case cycle([Key])
    /// Each press turns it on or off.
    case toggle([Key])
}

/// The sizes of the loaded model that bound some knobs.
public struct ModelBounds: Sendable, Equatable {
    /// Layers L (exit layers run 1 … L−1).
    public var layerCount: Int
    /// The model's context length in tokens (the largest context window).
    public var contextLength: Int

    /// Creates bounds for a model with `layerCount` layers and a `contextLength`-token context.
    public init(layerCount: Int, contextLength: Int) {
        self.layerCount = layerCount
        self.contextLength = contextLength
    }
}

/// A knob's value as read from a flag, a config key or `/set`.
public enum KnobValue: Equatable, Sendable {
    case integer(Int)
    case number(Float)
    case seed(UInt64)
    case word(String)
    case text(String)
    case onOff(Bool)

    /// The value as the user would type it ("0.7", "auto", "on").
    public var text: String {
        switch self {
        case .integer(let n): String(n)
        case .number(let x): KnobRange.format(x)
        case .seed(let n): String(n)
        case .word(let w), .text(let w): w
        case .onOff(let on): on ? "on" : "off"
        }
    }
}

/// A value a knob does not accept, in one line.
public struct KnobProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
