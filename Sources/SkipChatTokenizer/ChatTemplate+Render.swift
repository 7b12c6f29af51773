import Foundation

/// Rendering, following each template's Jinja source line by line.
extension ChatTemplate {
    /// The prompt text for `messages`, exactly as HF `apply_chat_template(messages,
    /// tokenize=False, add_generation_prompt:)` renders the original template: `prompt(…).text`.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool, now: Date = Date()) -> String {
        prompt(messages, addGenerationPrompt: addGenerationPrompt, now: now).text
    }

    /// The prompt for `messages` as markup and content parts; its text is what HF
    /// `apply_chat_template(messages, tokenize=False, add_generation_prompt:)` renders. Llama 2's
    /// template has no generation prompt and raises on non-alternating roles; here such
    /// conversations render as the template's loop would, without the check. Llama 3.1+ tool
    /// calls and tool roles are not rendered specially (skipchat has none). The plain template
    /// is all content: every message, joined by newlines.
    ///
    /// - Parameter now: the date a Llama 3.2 template's `strftime_now` gives.
    public func prompt(_ messages: [ChatMessage], addGenerationPrompt: Bool, now: Date = Date()) -> ChatPrompt {
        var out = ChatPrompt()
        switch style {
        case .chatML(let defaultSystem):
            for (i, m) in messages.enumerated() {
                if i == 0, m.role != "system", let defaultSystem {
                    out += .markup("<|im_start|>system\n\(defaultSystem)<|im_end|>\n")
                }
                out += .markup("<|im_start|>\(m.role)\n")
                out += .content(m.content)
                out += .markup("<|im_end|>\n")
            }
            if addGenerationPrompt { out += .markup("<|im_start|>assistant\n") }
        case .qwen3:
            out += qwen3(messages)
            if addGenerationPrompt { out += .markup("<|im_start|>assistant\n") }
        case .llama3(let today):
            var turns = messages[...]
            if let today {
                let system = turns.first?.role == "system" ? Self.pythonStrip(turns.removeFirst().content) : ""
                let date = today == .now ? Self.dayMonthYear(now) : "26 Jul 2024"
                out += .markup("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                    + "Cutting Knowledge Date: December 2023\nToday Date: \(date)\n\n")
                out += .content(system)
                out += .markup("<|eot_id|>")
            } else if !turns.isEmpty {
                out += .markup("<|begin_of_text|>")
            }
            for m in turns {
                out += .markup("<|start_header_id|>\(m.role)<|end_header_id|>\n\n")
                out += .content(Self.pythonStrip(m.content))
                out += .markup("<|eot_id|>")
            }
            if addGenerationPrompt { out += .markup("<|start_header_id|>assistant<|end_header_id|>\n\n") }
        case .llama2:
            var turns = messages[...]
            var system: String?
            if let first = messages.first, first.role == "system" {
                system = first.content
                turns = messages.dropFirst()
            }
            for (j, m) in turns.enumerated() {
                var content = ChatPrompt([.content(m.content)])
                if j == 0, let system {
                    content = ChatPrompt([.markup("<<SYS>>\n"), .content(system), .markup("\n<</SYS>>\n\n"), .content(m.content)])
                }
                if m.role == "user" {
                    out += .markup("<s>[INST] ")
                    out += content.stripped()
                    out += .markup(" [/INST]")
                } else if m.role == "assistant" {
                    out += .markup(" ")
                    out += content.stripped()
                    out += .markup(" </s>")
                }
            }
        case .gemma:
            // google/gemma-3-*-it: a system message becomes a prefix of the first turn; roles
            // "assistant" → "model"; content trimmed.
            var turns = messages[...]
            var prefix: String?
            if let first = turns.first, first.role == "system" {
                prefix = first.content + "\n\n"
                turns = turns.dropFirst()
            }
            out += .markup("<bos>")
            for (j, m) in turns.enumerated() {
                out += .markup("<start_of_turn>\(m.role == "assistant" ? "model" : m.role)\n")
                if j == 0, let prefix { out += .content(prefix) }
                out += .content(Self.pythonStrip(m.content))
                out += .markup("<end_of_turn>\n")
            }
            if addGenerationPrompt { out += .markup("<start_of_turn>model\n") }
        case .phi3:
            // microsoft/Phi-3.5-mini-instruct: system (when not empty), user and assistant turns;
            // other roles are skipped; without a generation prompt the template ends with eos_token.
            for m in messages where ["user", "assistant"].contains(m.role) || (m.role == "system" && !m.content.isEmpty) {
                out += .markup("<|\(m.role)|>\n")
                out += .content(m.content)
                out += .markup("<|end|>\n")
            }
            out += .markup(addGenerationPrompt ? "<|assistant|>\n" : "<|endoftext|>")
        case .mistral(let form):
            out += mistral(form, messages)
        case .plain:
            for (i, m) in messages.enumerated() {
                if i > 0 { out += .markup("\n") }
                out += .content(m.content)
            }
        }
        return out
    }

    /// Qwen/Qwen3-0.6B's template without tools: ChatML turns; an answer's text up to its last
    /// `</think>` is its thinking, dropped from answers before the last user message and kept,
    /// as `<think>\nthinking\n</think>\n\n`, after it when the answer is the last message or has
    /// thinking.
    private func qwen3(_ messages: [ChatMessage]) -> ChatPrompt {
        var out = ChatPrompt()
        let lastQuery = messages.lastIndex { $0.role == "user" && !($0.content.hasPrefix("<tool_response>") && $0.content.hasSuffix("</tool_response>")) }
            ?? messages.count - 1
        for (i, m) in messages.enumerated() {
            if m.role == "user" || m.role == "system" {
                out += .markup("<|im_start|>\(m.role)\n")
                out += .content(m.content)
                out += .markup("<|im_end|>\n")
            } else if m.role == "assistant" {
                var content = m.content
                var thinking = ""
                if let lastEnd = content.range(of: "</think>", options: .backwards),
                   let firstEnd = content.range(of: "</think>") {
                    let before = Self.pythonStrip(String(content[..<firstEnd.lowerBound]), trailing: "\n")
                    thinking = Self.pythonStrip(String(before.components(separatedBy: "<think>").last ?? before), leading: "\n")
                    content = Self.pythonStrip(String(content[lastEnd.upperBound...]), leading: "\n")
                }
                out += .markup("<|im_start|>assistant\n")
                if i > lastQuery && (i == messages.count - 1 || !thinking.isEmpty) {
                    out += .markup("<think>\n")
                    out += .content(Self.pythonStrip(Self.pythonStrip(thinking, leading: "\n"), trailing: "\n"))
                    out += .markup("\n</think>\n\n")
                    out += .content(Self.pythonStrip(content, leading: "\n"))
                } else {
                    out += .content(content)
                }
                out += .markup("<|im_end|>\n")
            }
        }
        return out
    }

    /// Python `s.lstrip(c)`: `s` without the leading run of the character `c`.
    static func pythonStrip(_ s: String, leading c: Unicode.Scalar) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != c }) else { return "" }
        return String(scalars[first...])
    }

    /// Python `s.rstrip(c)`: `s` without the trailing run of the character `c`.
    static func pythonStrip(_ s: String, trailing c: Unicode.Scalar) -> String {
        let scalars = s.unicodeScalars
        guard let last = scalars.lastIndex(where: { $0 != c }) else { return "" }
        return String(scalars[...last])
    }

    /// Mistral's templates (mistralai/Mistral-7B-Instruct-v0.2's original and current ones,
    /// Mistral-Large-Instruct-2407's, Mistral-Nemo-Instruct-2407's): BOS, then user turns in
    /// `[INST]` and answers closed by `</s>`; the system message joins the first user message
    /// (v0, v1) or the last message when it is a user's (v3) as "system\n\nuser". Roles other than user and assistant (which the
    /// templates refuse) are left out; the generation prompt is the closing `[/INST]` itself.
    private func mistral(_ form: MistralForm, _ messages: [ChatMessage]) -> ChatPrompt {
        var out = ChatPrompt([.markup("<s>")])
        var turns = messages[...]
        var system: String?
        if let first = turns.first, first.role == "system" {
            system = first.content
            turns = turns.dropFirst()
        }
        // v3 tests `loop.last`: without a final user message the system message is not shown.
        let systemTurn = form == .v3 || form == .v3Tekken ? turns.indices.last : turns.firstIndex { $0.role == "user" }
        for i in turns.indices {
            let m = turns[i]
            if m.role == "user" {
                switch form {
                case .v0: out += .markup("[INST] ")
                case .v1: out += .markup(" [INST] ")
                case .v3: out += .markup("[INST] ")
                case .v3Tekken: out += .markup("[INST]")
                }
                if i == systemTurn, let system { out += .content(system + "\n\n") }
                out += .content(m.content)
                out += .markup(form == .v0 || form == .v1 ? " [/INST]" : "[/INST]")
            } else if m.role == "assistant" {
                switch form {
                case .v0, .v3Tekken: out += .content(m.content)
                case .v1: out += .markup(" "); out += .content(m.content)
                case .v3: out += .markup(" "); out += .content(Self.pythonStrip(m.content))
                }
                out += .markup("</s>")
            }
        }
        return out
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
        pythonStripTrailing(pythonStripLeading(s))
    }

    /// `str.lstrip()`: `pythonStrip` at the start only.
    static func pythonStripLeading(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonSpace($0) }) else { return "" }
        return String(scalars[first...])
    }

    /// `str.rstrip()`: `pythonStrip` at the end only.
    static func pythonStripTrailing(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let last = scalars.lastIndex(where: { !isPythonSpace($0) }) else { return "" }
        return String(scalars[...last])
    }

    private static func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }
}
