import Foundation

extension LanguageModel {
    /// The template a conversation is rendered with: `template` when it was recognised from the
    /// model or chosen with `--template`.
    /// - Throws: `missingTemplate` (one line naming the file without a usable template) when the
    ///   model has none; a raw prompt (`generate --raw`) needs no template.
    public func chatTemplate() throws(ModelLoadError) -> ChatTemplate {
        if let missingTemplate { throw missingTemplate }
        return template
    }

    /// The chat template of `file`, or of `name` when given (`ChatTemplate(named:)`), and, when
    /// there is neither a name nor a template skipchat recognises in the file, the error that
    /// says which file lacks one (the template is then `plain`).
    /// - Throws: `ModelLoadError` for a name that is not a template.
    static func chatTemplate(named name: String?, file: ModelFile) throws(ModelLoadError) -> (ChatTemplate, ModelLoadError?) {
        if let name {
            guard let chosen = ChatTemplate(named: name) else {
                throw ModelLoadError(file: file.path, "unknown chat template '\(name)' (known: \(ChatTemplate.names.joined(separator: ", ")))")
            }
            return (chosen, nil)
        }
        if let recognised = ChatTemplate.recognise(source: file.chatTemplate) { return (recognised, nil) }
        return (ChatTemplate(named: "plain")!, missingTemplateError(file))
    }

    /// "FILE: no chat template (…); pass --template NAME …", naming the GGUF file, or the
    /// checkpoint's `chat_template.jinja` when it has one, else its `tokenizer_config.json`.
    private static func missingTemplateError(_ file: ModelFile) -> ModelLoadError {
        let names = ChatTemplate.names.filter { $0 != "plain" }.joined(separator: ", ")
        let remedy = "pass --template NAME (\(names), or plain for bare text), or use `generate --raw` to continue a prompt as written"
        let found = file.chatTemplate.map { !$0.isEmpty } ?? false
        guard case .huggingFace = file.format else {
            return ModelLoadError(file: file.path, found ? "its chat template (tokenizer.chat_template) is not one skipchat renders; \(remedy)"
                                                         : "has no chat template (tokenizer.chat_template); \(remedy)")
        }
        let directory = URL(fileURLWithPath: file.path)
        let jinja = directory.appendingPathComponent("chat_template.jinja").path
        let config = directory.appendingPathComponent("tokenizer_config.json").path
        if FileManager.default.fileExists(atPath: jinja) {
            return ModelLoadError(file: jinja, found ? "is not a chat template skipchat renders; \(remedy)" : "is empty; \(remedy)")
        }
        guard FileManager.default.fileExists(atPath: config) else {
            return ModelLoadError(file: config, "missing, so the checkpoint has no chat template (nor chat_template.jinja); \(remedy)")
        }
        return ModelLoadError(file: config, found ? "its chat_template is not one skipchat renders; \(remedy)"
                                                  : "has no chat_template (nor is there a chat_template.jinja); \(remedy)")
    }
}
