import SkipChatTokenizer

extension LanguageModel {
    /// The token ids of `messages` rendered with the model's chat template
    /// (`ChatTemplate.prompt`): template markup becomes control tokens, message content is always
    /// encoded as text (`Tokenizer.encode(_: ChatPrompt)`). No BOS is added beyond what the
    /// template renders. A model without a template renders `plain`: commands that render
    /// conversations call `chatTemplate()` first, which refuses such a model in one line.
    public func promptTokens(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> [Int32] {
        tokenizer.encode(template.prompt(messages, addGenerationPrompt: addGenerationPrompt))
    }
}
