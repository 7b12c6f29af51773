/// One turn of a conversation, as chat templates see it (`{"role": …, "content": …}`).
public struct ChatMessage: Sendable, Codable, Equatable {
    /// "system", "user" or "assistant".
    public var role: String
    /// The message text, inserted verbatim (templates may strip surrounding whitespace).
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
