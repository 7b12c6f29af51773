/// Rendering, following each template's Jinja source line by line.
extension ChatTemplate {
    /// The prompt text for `messages`, exactly as HF `apply_chat_template(messages,
    /// tokenize=False, add_generation_prompt:)` renders the original template. Llama 2's
    /// template has no generation prompt and raises on non-alternating roles; here such
    /// conversations render as the template's loop would, without the check.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) -> String {
        switch style {
        case .chatML(let defaultSystem):
            var out = ""
            for (i, m) in messages.enumerated() {
                if i == 0, m.role != "system", let defaultSystem {
                    out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
                }
                out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n"
            }
            if addGenerationPrompt { out += "<|im_start|>assistant\n" }
            return out
        case .llama3:
            var out = ""
            for (i, m) in messages.enumerated() {
                if i == 0 { out += "<|begin_of_text|>" }
                out += "<|start_header_id|>\(m.role)<|end_header_id|>\n\n\(Self.pythonStrip(m.content))<|eot_id|>"
            }
            if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }
            return out
        case .llama2:
            var turns = messages[...]
            var system: String?
            if let first = messages.first, first.role == "system" {
                system = first.content
                turns = messages.dropFirst()
            }
            var out = ""
            for (j, m) in turns.enumerated() {
                var content = m.content
                if j == 0, let system { content = "<<SYS>>\n\(system)\n<</SYS>>\n\n" + content }
                if m.role == "user" {
                    out += "<s>[INST] \(Self.pythonStrip(content)) [/INST]"
                } else if m.role == "assistant" {
                    out += " \(Self.pythonStrip(content)) </s>"
                }
            }
            return out
        case .plain:
            return messages.map(\.content).joined(separator: "\n")
        }
    }

    /// Python's `str.strip()` (Jinja's `trim`): removes characters for which `isspace()` is
    /// true — Unicode White_Space plus U+001C…U+001F.
    static func pythonStrip(_ s: String) -> String {
        func isSpace(_ c: Unicode.Scalar) -> Bool {
            c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
        }
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
