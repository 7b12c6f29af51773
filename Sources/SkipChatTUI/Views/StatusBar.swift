import SkipChatEngine

/// The top line: model, knobs, acceptance, speed, context. Fields drop from the right when the
/// terminal is narrow; a knob that just changed is highlighted.
enum StatusBar {
    /// How long a changed knob stays highlighted, seconds.
    static let highlightSeconds = 1.5

    static func line(_ state: ChatState, width: Int, now: Double) -> StyledLine {
        let s = state.settings
        let recent = now - state.changedAt < highlightSeconds ? state.changedKnob : nil
        func field(_ label: String, _ value: String, _ knobs: Set<KnobID>) -> StyledLine {
            let valueRole: Role = recent.map(knobs.contains) ?? false ? .selection : .statusKey
            return [Span(" " + label, .status), Span(value, valueRole)]
        }
        func percent(_ x: Double?) -> String { x.map { "\(Int(($0 * 100).rounded()))%" } ?? "–" }

        let autoRound = state.lastAutoRound
        // The model name gives way to the knobs on narrow terminals.
        let nameRoom = max(6, width / 4)
        let modelName = TerminalText.sanitized(state.modelName)  // measured as it will be drawn
        let name = DisplayWidth.width(of: modelName) <= nameRoom
            ? modelName : DisplayWidth.prefix(of: modelName, fitting: nameRoom - 1) + "…"
        var fields: [StyledLine] = [
            [Span(" " + (state.generating ? "●" : "○") + " ", state.generating ? .statusKey : .status),
             Span(name, .status)],
            // Auto mode picks E and K itself each round: show what the last round used.
            field("E ", "\(state.shownExitLayer)/\(state.layerCount)", [.exitLayer]),
            field("K ", "\(autoRound?.depth ?? s.depth)", [.depth]),
            field("", s.mode.rawValue, [.mode]),
            field("", SamplingSummary.text(s.sampling), [.temperature, .topK, .topP, .minP, .repetitionPenalty, .seed]),
            field("acc ", "\(percent(state.stats.lastRoundAcceptance)) (\(percent(state.stats.sessionAcceptance)))", []),
            state.stats.prefill.map { field("prefill ", "\($0.done * 100 / max($0.total, 1))% of \($0.total)", []) }
                ?? field("", String(format: "%.1f tok/s", state.stats.tokensPerSecond), []),
            field("ctx ", "\(state.stats.contextTokens)/\(state.contextLength)", []),
        ]
        if s.mode == .dynamic {
            fields.insert(field("thr ", String(format: "%.2f", s.dynamicThreshold), [.threshold]), at: 5)
        }
        // Auto mode says what it decided and why, "auto · plain (E10 K1 would run 0.93×)", when
        // that leaves room for every other field; otherwise the mode field stays "auto".
        if s.mode == .auto, let tuner = state.stats.tuner {
            var explained = fields
            explained[3] = field("", s.mode.rawValue + " · " + tuner.summary, [.mode])
            let separators = 2 * (fields.count - 1), hint = DisplayWidth.width(of: " F1 help ")
            if explained.map(\.displayWidth).reduce(separators, +) + hint <= width { fields = explained }
        }
        var line: StyledLine = []
        var used = 0
        for (index, f) in fields.enumerated() {
            let separator: StyledLine = index == 0 ? [] : [Span(" │", .status)]
            let w = (separator + f).displayWidth
            if used + w > width { break }
            line += separator + f
            used += w
        }
        let hint = " F1 help "
        if used + DisplayWidth.width(of: hint) <= width {
            line.append(Span(String(repeating: " ", count: width - used - DisplayWidth.width(of: hint)), .status))
            line.append(Span(hint, .status))
        }
        return line
    }
}
