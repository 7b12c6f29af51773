import Foundation
import SkipChatEngine
import TOMLKit

/// The optional config file, `$XDG_CONFIG_HOME/skipchat/config.toml` (documented in
/// docs/keys.md). Its keys, their types and ranges are the `configKey` rows of `Knob.table`.
public enum ChatConfig {
    /// `$XDG_CONFIG_HOME/skipchat` (or `~/.config/skipchat`).
    public static func directory(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/skipchat" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/skipchat"
    }

    /// Parses a config file's text into options. Bounds that depend on the model (exit layer,
    /// context) are checked once it is loaded (`ChatOptions.problems`).
    /// - Throws: `ConfigError` naming the file and the problem: TOML syntax (line and column),
    ///   unknown keys, a value of the wrong type or out of its knob's range.
    public static func parse(_ text: String, source: String) throws -> ChatOptions {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(description: "\(source): \(error.description) at line \(error.source.begin.line), column \(error.source.begin.column)")
        }
        let knobs = Dictionary(uniqueKeysWithValues: Knob.table.compactMap { knob in knob.configKey.map { ($0, knob) } })
        let unknown = table.keys.filter { knobs[$0] == nil }.sorted()
        if !unknown.isEmpty { throw ConfigError(description: "\(source): unknown key(s) \(unknown.joined(separator: ", "))") }
        var options = ChatOptions()
        for key in table.keys.sorted() {
            guard let knob = knobs[key], let item = table[key] else { continue }
            guard let value = value(item, for: knob) else {
                throw ConfigError(description: "\(source): field '\(key)' has the wrong type")
            }
            if let problem = knob.problem(value) { throw ConfigError(description: "\(source): \(key) \(problem)") }
            options.set(knob.id, value)
        }
        return options
    }

    /// The TOML value as a value of `knob`'s type; nil when it has another type. Numbers accept
    /// integers (`top_p = 1`); seeds keep the low 64 bits of a negative integer; a draft head is an
    /// integer or text (`draft_head = 4096`, `"4096"`, `"auto"`).
    private static func value(_ item: any TOMLValueConvertible, for knob: Knob) -> KnobValue? {
        switch knob.range {
        case .integers, .exitLayers, .contextWindow: item.int.map { .integer($0) }
        case .numbers: (item.double ?? item.int.map(Double.init)).map { .number(Float($0)) }
        case .seeds: item.int.map { .seed(UInt64(truncatingIfNeeded: $0)) }
        case .words: item.string.map { .word($0) }
        case .draftHeads: item.int.map { .integer($0) } ?? item.string.flatMap { try? knob.parse($0).get() }
        case .text: item.string.map { .text($0) }
        case .onOff: item.bool.map { .onOff($0) }
        }
    }

    /// Reads the config file at `path` (a missing file is no error: empty options).
    public static func load(path: String) throws -> ChatOptions {
        guard FileManager.default.fileExists(atPath: path) else { return ChatOptions() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(description: "\(path): cannot read the config file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }
}
