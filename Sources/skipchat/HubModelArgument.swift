import Foundation
import SkipChatHub
import SkipChatTUI

/// `--model hf:ORG/NAME[:QUANT]`: a model on the Hugging Face Hub, found in (or pulled into) the
/// Hugging Face cache and replaced by its local path; any other value is a path and passes as is.
enum HubModelArgument {
    /// The local path `model` names. A Hub error is one line on standard error and exit status 1.
    static func resolve(_ model: String?) throws -> String? {
        guard let model else { return nil }
        return try failing { try path(model) }
    }

    /// The local path `model` names (`hf:` resolved, anything else as is), for the chat, which
    /// also reads the model from config.toml.
    /// - Throws: `HubError` (one line).
    static func path(_ model: String) throws -> String {
        guard model.hasPrefix(HubModelReference.prefix) else { return model }
        let reference = try HubModelReference(parsing: String(model.dropFirst(HubModelReference.prefix.count)))
        return try HubPull(log: printErrorLine, shown: { TerminalText.sanitized($0) }).modelPath(for: reference).path
    }
}
