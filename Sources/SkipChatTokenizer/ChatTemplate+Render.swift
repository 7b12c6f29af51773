import Foundation

/// Rendering, following each template's Jinja source line by line.
extension ChatTemplate {
    /// The prompt text for `messages`, exactly as HF `apply_chat_template(messages,
    /// tokenize=False, add_generation_prompt:)` renders the original template. Llama 2's
    /// template has no generation prompt and raises on non-alternating roles; here such
    /// conversations render as the template's loop would, without the check. Llama 3.1+ tool
    /// calls and tool roles are not rendered specially (skipchat has none).
    ///
    /// - Parameter now: the date a Llama 3.2 template's `strftime_now` gives.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, now: Date = Date()) -> String {
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
        case .llama3(let today):
            var turns = messages[...]
            var out = ""
            if let today {
                let system = turns.first?.role == "system" ? Self.pythonStrip(turns.removeFirst().content) : ""
                let date = today == .now ? Self.dayMonthYear(now) : "26 Jul 2024"
                out += "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                    + "Cutting Knowledge Date: December 2023\nToday Date: \(date)\n\n\(system)<|eot_id|>"
            } else if !turns.isEmpty {
                out += "<|begin_of_text|>"
            }
            for m in turns {
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

    /// `date` as strftime "%d %b %Y" in the C locale and the local time zone: "05 Mar 2025".
    static func dayMonthYear(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd MMM yyyy"
        return formatter.string(from: date)
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
