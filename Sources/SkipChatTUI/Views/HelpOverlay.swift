/// The F1 help overlay: every key binding and slash command, in a box over the chat.
enum HelpOverlay {
    static func lines() -> [StyledLine] {
        // The left column fits the longest keys or command ("/save [FILE] /load FILE") plus a gap.
        let labels = KeyMap.bindings.map { $0.keys.map(\.label).joined(separator: " ") }
            + KeyMap.editingHelp.map(\.0) + SlashCommand.summary.map(\.0)
        let column = max(22, (labels.map { DisplayWidth.width(of: $0) }.max() ?? 0) + 2)
        var lines: [StyledLine] = [[Span("Keys", .accent)]]
        for binding in KeyMap.bindings {
            let keys = binding.keys.map(\.label).joined(separator: " ")
            lines.append([Span(keys.padding(column), .statusKey), Span(binding.help, .plain)])
        }
        lines.append([])
        lines.append([Span("Input", .accent)])
        for (keys, help) in KeyMap.editingHelp {
            lines.append([Span(keys.padding(column), .statusKey), Span(help, .plain)])
        }
        lines.append([])
        lines.append([Span("Commands", .accent)])
        for (command, help) in SlashCommand.summary {
            lines.append([Span(command.padding(column), .statusKey), Span(help, .plain)])
        }
        lines.append([])
        lines.append([Span("Colours: exit layer (legend below); bold = verifier token, dim italic = rejected draft, underline = pending draft.", .muted)])
        return lines
    }

    /// Draws the overlay centred in `rect`, scrolled by `scroll` lines.
    static func draw(in rect: Rect, scroll: Int, on canvas: Canvas) -> Int {
        let width = min(rect.width, 78)
        let height = rect.height
        let column = rect.column + (rect.width - width) / 2
        let body = lines().flatMap { TextWrap.wrap($0, width: max(1, width - 4)) }
        let room = max(1, height - 2)
        let first = min(scroll, max(0, body.count - room))
        let title = " skipchat help · Esc closes · ↑/↓ scroll "
        canvas.draw([Span("┌" + String(repeating: "─", count: max(0, width - 2)) + "┐", .border)], row: rect.row, column: column, width: width)
        canvas.draw([Span(DisplayWidth.prefix(of: title, fitting: width - 4), .accent)], row: rect.row, column: column + 2,
                    width: min(DisplayWidth.width(of: title), width - 4))
        for row in 0..<room {
            let index = first + row
            let content = index < body.count ? body[index] : []
            canvas.draw([Span("│ ", .border)] + content, row: rect.row + 1 + row, column: column, width: width - 1)
            canvas.draw([Span("│", .border)], row: rect.row + 1 + row, column: column + width - 1, width: 1)
        }
        let more = first + room < body.count ? " ↓ more " : ""
        canvas.draw([Span("└" + more + String(repeating: "─", count: max(0, width - 2 - more.count)) + "┘", .border)],
                    row: rect.row + height - 1, column: column, width: width)
        return first
    }
}
