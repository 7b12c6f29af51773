import Foundation
import SkipChatEngine
import TOMLKit

/// The optional config file, `$XDG_CONFIG_HOME/skipchat/config.toml` (documented in
/// docs/keys.md). Keys mirror the `skipchat chat` flags.
public enum ChatConfig {
    private struct File: Decodable {
        var model: String?
        var threads: Int?
        var exit_layer: Int?
        var depth: Int?
        var mode: String?
        var threshold: Double?
        var temperature: Double?
        var top_k: Int?
        var top_p: Double?
        var min_p: Double?
        var repeat_penalty: Double?
        var seed: Int?
        var max_tokens: Int?
        var context: Int?
        var theme: String?
        var system: String?
        var ghost_text: Bool?
        var draft_head: DraftHeadValue?
    }

    /// `draft_head = "auto"`, `"full"` or a number of rows (an integer or its text).
    private struct DraftHeadValue: Decodable {
        var text: String
        init(from decoder: Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let rows = try? value.decode(Int.self) {
                text = String(rows)
            } else {
                text = try value.decode(String.self)
            }
        }
    }

    /// `$XDG_CONFIG_HOME/skipchat` (or `~/.config/skipchat`).
    public static func directory(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/skipchat" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/skipchat"
    }

    /// Parses a config file's text into options.
    /// - Throws: a message naming the file and the problem.
    public static func parse(_ text: String, source: String) throws -> ChatOptions {
        let file: File
        do {
            var decoder = TOMLDecoder()
            decoder.strictDecoding = true
            file = try decoder.decode(File.self, from: text)
        } catch let error as TOMLParseError {
            throw ConfigError(description: "\(source): \(error.description) at line \(error.source.begin.line), column \(error.source.begin.column)")
        } catch let error as UnexpectedKeysError {
            throw ConfigError(description: "\(source): unknown key(s) \(error.keys.keys.sorted().joined(separator: ", "))")
        } catch let error as DecodingError {
            throw ConfigError.toml(error, source: source)
        } catch {
            throw ConfigError(description: "\(source): \(error)")
        }
        var options = ChatOptions()
        options.modelPath = file.model
        options.threads = file.threads
        options.exitLayer = file.exit_layer
        options.depth = file.depth
        if let mode = file.mode {
            guard let parsed = DecodingMode(rawValue: mode) else {
                throw ConfigError(description: "\(source): mode = \"\(mode)\" (use autoregressive, fixed, dynamic or auto)")
            }
            options.mode = parsed
        }
        options.dynamicThreshold = file.threshold.map { Float($0) }
        options.temperature = file.temperature.map { Float($0) }
        options.topK = file.top_k
        options.topP = file.top_p.map { Float($0) }
        options.minP = file.min_p.map { Float($0) }
        options.repetitionPenalty = file.repeat_penalty.map { Float($0) }
        options.seed = file.seed.map { UInt64(truncatingIfNeeded: $0) }
        options.maxTokens = file.max_tokens
        options.context = file.context
        options.theme = file.theme
        options.systemPrompt = file.system
        options.ghostText = file.ghost_text
        if let head = file.draft_head {
            guard let parsed = DraftHeadRequest(head.text) else {
                throw ConfigError(description: "\(source): draft_head = \"\(head.text)\" (use auto, full or a number of rows)")
            }
            options.draftHead = parsed
        }
        return options
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
