import Foundation

/// A chat prompt format. Rather than interpreting Jinja, `recognise(source:)` tells by its markers
/// which template is stored with the model, and `render` reproduces, character for character, what HF
/// `apply_chat_template` renders with it (jinja2 with `trim_blocks`, `lstrip_blocks`).
public struct ChatTemplate: Sendable, Equatable {
    enum Style: Sendable, Equatable {
        /// `<|im_start|>role\ncontent<|im_end|>\n`; `defaultSystem` is inserted when the
        /// conversation does not start with a system message (SmolLM2, Qwen2).
        case chatML(defaultSystem: String?)
        /// Qwen3: ChatML whose answers drop their `<think>…</think>` part, except after the last
        /// user message, where the thinking is kept (and an empty one written for the final answer).
        case qwen3
        /// Meta Llama 3 Instruct: header ids, trimmed content, `<|eot_id|>`, BOS text first.
        /// The Llama 3.1–3.3 templates (non-nil `today`) always open with a system turn that
        /// starts "Cutting Knowledge Date: December 2023\nToday Date: …\n\n".
        case llama3(today: TodayDate?)
        /// Meta Llama 2 chat: `<s>[INST] <<SYS>>…<</SYS>> … [/INST] answer </s>`.
        case llama2
        /// Gemma 2/3: `<bos><start_of_turn>user\n…<end_of_turn>\n<start_of_turn>model\n`, the
        /// system message prefixed to the first user turn.
        case gemma
        /// Phi-3 / 3.5: `<|user|>\n…<|end|>\n<|assistant|>\n`.
        case phi3
        /// Mistral's `[INST] … [/INST] answer</s>` forms (`MistralForm`), BOS text first.
        case mistral(MistralForm)
        /// No template: the messages' contents, joined by newlines.
        case plain
    }

    /// The `[INST]` forms of Mistral's templates (llama.cpp's names: mistral-v1, -v3, -v3-tekken).
    /// None has a generation prompt: a prompt ends with `[/INST]`. Each ends an answer with EOS.
    enum MistralForm: String, Sendable, Equatable, CaseIterable {
        /// The first Mistral-7B-Instruct v0.1/v0.2 template: `[INST] user [/INST]answer</s>`; it
        /// has no system message (the template raises on one; here it is put before the first
        /// user message, separated by a blank line, as in `v1`).
        case v0 = "mistral-v0"
        /// Mistral-7B-Instruct v0.1/v0.2 today: ` [INST] user [/INST] answer</s>`, the system
        /// message before the first user message, separated by a blank line.
        case v1 = "mistral-v1"
        /// Mistral-7B-Instruct v0.3, Mistral-Large-2407: `[INST] user[/INST]
        /// answer</s>` with the answer trimmed; the system message before the *last* user message.
        case v3 = "mistral-v3"
        /// Mistral-Nemo (Tekken vocabulary): `[INST]user[/INST]answer</s>`, otherwise as `v3`.
        case v3Tekken = "mistral-v3-tekken"
    }

    /// The date after "Today Date: " in a Llama 3.1+ system turn.
    enum TodayDate: Sendable, Equatable {
        /// "26 Jul 2024", the template's own default (Llama 3.1, 3.3).
        case fixed
        /// The rendering date, `strftime_now("%d %b %Y")` (Llama 3.2).
        case now
    }

    let style: Style

    /// Its name, one of `names`.
    public var name: String {
        switch style {
        case .chatML: return "chatml"
        case .qwen3: return "qwen3"
        case .llama3: return "llama3"
        case .llama2: return "llama2"
        case .gemma: return "gemma"
        case .phi3: return "phi3"
        case .mistral(let form): return form.rawValue
        case .plain: return "plain"
        }
    }

    /// The names `init(named:)` accepts.
    public static let names = ["chatml", "qwen3", "llama3", "llama2", "gemma", "phi3"] + MistralForm.allCases.map(\.rawValue) + ["plain"]

    /// The SmolLM2 template's default system prompt (its `tokenizer.chat_template`).
    public static let smolLM2SystemPrompt = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

    init(style: Style) {
        self.style = style
    }

    /// The template chosen with `--template NAME`. "chatml" has no default system prompt (the
    /// detected SmolLM2 template does). Nil for other names.
    public init?(named: String) {
        switch named.lowercased() {
        case "chatml": style = .chatML(defaultSystem: nil)
        case "qwen3": style = .qwen3
        case "llama3": style = .llama3(today: nil)
        case "llama2": style = .llama2
        case "gemma": style = .gemma
        case "phi3": style = .phi3
        case "plain": style = .plain
        case let name:
            guard let form = MistralForm(rawValue: name) else { return nil }
            style = .mistral(form)
        }
    }

    /// Recognises a stored Jinja chat template by its markers: `<|im_start|>` (ChatML; a
    /// literal `<|im_start|>system\n…<|im_end|>` inside it is the default system prompt; Qwen3
    /// when it also splits answers at `</think>`),
    /// `<|start_header_id|>` (Llama 3; 3.1+ when it also has "Cutting Knowledge Date", dated by
    /// the clock when it calls `strftime_now`), `[INST]` with `<<SYS>>` (Llama 2),
    /// `<start_of_turn>` (Gemma), `<|user|>` with `<|end|>` (Phi-3), `[INST]` without
    /// `<<SYS>>` (Mistral, `mistralForm(in:)`). Nil when there is no template or it is none of
    /// these (`LanguageModel` then refuses to render conversations, naming the file).
    public static func recognise(source: String?) -> ChatTemplate? {
        guard let source, !source.isEmpty else { return nil }
        if source.contains("<|im_start|>") {
            if source.contains("split('</think>')") { return ChatTemplate(style: .qwen3) }
            return ChatTemplate(style: .chatML(defaultSystem: defaultSystemPrompt(in: source)))
        }
        if source.contains("<|start_header_id|>") {
            let dated = source.contains("Cutting Knowledge Date")
            return ChatTemplate(style: .llama3(today: dated ? (source.contains("strftime_now") ? .now : .fixed) : nil))
        }
        if source.contains("[INST]") && source.contains("<<SYS>>") { return ChatTemplate(style: .llama2) }
        if source.contains("<start_of_turn>") { return ChatTemplate(style: .gemma) }
        if source.contains("<|user|>") && source.contains("<|end|>") { return ChatTemplate(style: .phi3) }
        if source.contains("[INST]"), let form = mistralForm(in: source) { return ChatTemplate(style: .mistral(form)) }
        return nil
    }

    /// Which Mistral form a template with `[INST]` writes, by the quoted strings it builds a user
    /// turn from: `' [INST] '` (v1), `'[INST]' +` (v3-tekken), `' [/INST]'` (v0), `'[/INST]'`
    /// (v3). Nil for other `[INST]` templates (Mistral-Small 3's `[SYSTEM_PROMPT]` form).
    private static func mistralForm(in source: String) -> MistralForm? {
        func quoted(_ text: String) -> Bool { source.contains("'\(text)'") || source.contains("\"\(text)\"") }
        if source.contains("[SYSTEM_PROMPT]") { return nil }
        if quoted(" [INST] ") { return .v1 }
        if quoted("[INST]") { return .v3Tekken }
        if quoted(" [/INST]") { return .v0 }
        if quoted("[/INST]") { return .v3 }
        return nil
    }

    /// The text of the first literal `<|im_start|>system` + newline + … + `<|im_end|>` in the
    /// template that holds no quote or brace (Qwen2.5's template has a tools branch first).
    private static func defaultSystemPrompt(in source: String) -> String? {
        for newline in ["\n", "\\n"] {
            var from = source.startIndex
            while let start = source.range(of: "<|im_start|>system" + newline, range: from..<source.endIndex),
                  let end = source.range(of: "<|im_end|>", range: start.upperBound..<source.endIndex) {
                from = start.upperBound
                let text = String(source[start.upperBound..<end.lowerBound])
                if text.contains("'") || text.contains("\"") || text.contains("{") { continue }
                return text.replacingOccurrences(of: "\\n", with: "\n")
            }
        }
        return nil
    }

    /// Token strings that end a turn in this format (stop generation on them, and on EOS).
    public var endOfTurnTokens: [String] {
        switch style {
        case .chatML, .qwen3: return ["<|im_end|>"]
        case .llama3: return ["<|eot_id|>"]
        case .llama2: return ["</s>"]
        case .gemma: return ["<end_of_turn>"]
        case .phi3: return ["<|end|>"]
        case .mistral: return ["</s>"]
        case .plain: return []
        }
    }

    /// Whether `render` starts with the BOS token's text (`<|begin_of_text|>`, `<s>`, `<bos>`), so
    /// the caller must not prepend BOS again.
    public var rendersBOS: Bool {
        switch style {
        case .llama3, .llama2, .gemma, .mistral: return true
        case .chatML, .qwen3, .phi3, .plain: return false
        }
    }
}
