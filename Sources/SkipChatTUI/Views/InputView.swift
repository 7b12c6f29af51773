/// Draws the input box: a prompt mark, the text wrapped hard at the width (so the cursor maps
/// to a cell), scrolled to keep the cursor visible.
enum InputView {
    /// Screen lines of the input and the cursor's line and column in them.
    static func layout(_ input: InputBox, width: Int) -> (lines: [String], cursorLine: Int, cursorColumn: Int) {
        let room = max(1, width - 2)
        var lines: [String] = [""]
        var used = 0
        var cursorLine = 0
        var cursorColumn = 0
        for (index, character) in input.text.enumerated() {
            if index == input.cursor { cursorLine = lines.count - 1; cursorColumn = used }
            if character == "\n" {
                lines.append("")
                used = 0
                continue
            }
            let shown: Character = character == "\t" ? " " : character
            let w = max(1, DisplayWidth.width(of: shown))
            if used + w > room {
                lines.append("")
                used = 0
                if index == input.cursor { cursorLine = lines.count - 1; cursorColumn = 0 }
            }
            lines[lines.count - 1].append(shown)
            used += w
        }
        if input.cursor == input.text.count {
            if used >= room { lines.append(""); used = 0 }
            cursorLine = lines.count - 1
            cursorColumn = used
        }
        return (lines, cursorLine, cursorColumn)
    }

    /// Draws the box; returns the cursor's screen position.
    static func draw(_ state: ChatState, in rect: Rect, on canvas: Canvas) -> (row: Int, column: Int) {
        let (lines, cursorLine, cursorColumn) = layout(state.input, width: rect.width)
        let first = max(0, min(cursorLine - rect.height + 1, lines.count - rect.height))
        for row in 0..<rect.height {
            let index = first + row
            let mark: Span = index == 0 ? Span(state.generating ? "… " : "› ", .user) : Span("  ", .plain)
            var line: StyledLine = [mark]
            if index < lines.count {
                line.append(Span(lines[index], .plain))
            } else if index == 0 {
                line.append(Span("", .plain))
            }
            if state.input.isEmpty && index == 0 {
                line.append(Span(state.generating ? "Esc stops · F1 help" : "type a message · F1 help · /help", .muted))
            }
            canvas.draw(line, row: rect.row + row, column: rect.column, width: rect.width)
        }
        return (rect.row + cursorLine - first, rect.column + 2 + cursorColumn)
    }
}
