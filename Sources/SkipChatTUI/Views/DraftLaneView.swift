import SkipChatEngine

/// The draft lane: each round's drafts as they are proposed, then ✓ accepted / ✗ rejected and
/// the verifier's → correction; auto mode's exploration rounds are marked "explore". With two rows
/// the previous round stays above the current one.
enum DraftLaneView {
    static func draw(_ state: ChatState, in rect: Rect, on canvas: Canvas) {
        var rounds = [state.lane.current]
        if rect.height > 1 { rounds.insert(state.lane.previous, at: 0) }
        for (offset, round) in rounds.enumerated() {
            // Before the first round both rows are empty: the label goes on the top one only.
            let text: StyledLine = round == nil && offset > 0 && rounds[0] == nil ? [] : line(round, mode: state.settings.mode)
            canvas.draw(text, row: rect.row + offset, column: rect.column, width: rect.width, fill: .plain)
        }
    }

    static func line(_ round: DraftLane.Round?, mode: DecodingMode) -> StyledLine {
        guard let round else {
            return [Span(mode == .autoregressive ? "drafts  (autoregressive: none)" : "drafts", .muted)]
        }
        var line: StyledLine = [Span(String("r\(round.number)".prefix(6)).padding(6) + "  ", .muted)]
        if round.exploring { line.append(Span("explore ", .accent)) }
        for chip in round.chips {
            switch chip.kind {
            case .accepted:
                line += [Span("✓", .muted), Span(chip.text, .token(.accepted, layer: chip.layer)), Span(" ", .plain)]
            case .rejected:
                line += [Span("✗", .error), Span(chip.text, .token(.rejected, layer: chip.layer)), Span(" ", .plain)]
            case .verifier:
                line += [Span("→", .accent), Span(chip.text, .token(.verifier, layer: chip.layer)), Span(" ", .plain)]
            case .draft, .prompt:
                line += [Span("·", .muted), Span(chip.text, .token(.draft, layer: chip.layer)), Span(" ", .plain)]
            }
        }
        return line
    }
}

extension String {
    /// The string padded with spaces to `width` columns.
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - DisplayWidth.width(of: self)))
    }
}
