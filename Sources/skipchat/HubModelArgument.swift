import Foundation
import SkipChatHub
import SkipChatTUI

/// `--model hf:ORG/NAME[:QUANT]`: a model on the Hugging Face Hub, found in (or pulled into) the
/// Hugging Face cache and replaced by its local path; any other value is a path and passes as is.
enum HubModelArgument {
    /// The local path `model` names. A Hub error is one line on standard error and exit status 1.
    static func resolve(_ model: String?) throws -> String? {
        guard let model, model.hasPrefix(HubModelReference.prefix) else { return model }
        return try failing {
            let reference = try HubModelReference(parsing: String(model.dropFirst(HubModelReference.prefix.count)))
            return try HubPull(log: printErrorLine, shown: { TerminalText.sanitized($0) }).modelPath(for: reference).path
        }
    }
}
