import Foundation

/// The tokenizer files of a Hugging Face checkpoint directory.
extension HFCheckpoint {
    /// `tokenizer.json` (with `tokenizer_config.json` when present), or `.none` without it.
    var tokenizerSource: TokenizerSource { Self.tokenizerSource(in: directory) }

    /// `tokenizer.json` in `directory` (with `tokenizer_config.json` when present), or `.none`.
    static func tokenizerSource(in directory: URL) -> TokenizerSource {
        let json = directory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: json.path) else { return .none }
        let config = directory.appendingPathComponent("tokenizer_config.json")
        return .huggingFace(tokenizerJSON: json, tokenizerConfig: FileManager.default.fileExists(atPath: config.path) ? config : nil)
    }

    /// The chat template: `chat_template.jinja` when present (newer transformers), else
    /// `chat_template` in `tokenizer_config.json` — a string, or a list of `{name, template}`
    /// from which the one named "default" (else the first) is taken. Nil when there is none;
    /// throws when `tokenizer_config.json` exists but is not a JSON object.
    func chatTemplate() throws(ModelLoadError) -> String? {
        let jinja = directory.appendingPathComponent("chat_template.jinja")
        if let text = try? String(contentsOf: jinja, encoding: .utf8) { return text }
        let url = directory.appendingPathComponent("tokenizer_config.json")
        guard let data = try? Data(contentsOf: url) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelLoadError(file: url.path, "is not a JSON object")
        }
        switch object["chat_template"] {
        case let text as String:
            return text
        case let list as [[String: Any]]:
            let named = list.first { $0["name"] as? String == "default" } ?? list.first
            return named?["template"] as? String
        default:
            return nil
        }
    }
}
