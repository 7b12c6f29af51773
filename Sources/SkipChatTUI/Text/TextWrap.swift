/// Word wrapping of styled text to a column width. Lines break at spaces when they can and between
/// grapheme clusters otherwise; a cluster (wide, combining, emoji) is never split. Control
/// characters and bidi overrides are shown as their visible escapes (`TerminalText`, in the muted
/// role) so model output can never move the cursor or drive the terminal.
public enum TextWrap {
    private struct Cell {
        var character: Character
        var role: Role
        var width: Int
    }

    /// Wraps `spans` (which may contain newlines) into lines no wider than `width` columns.
    /// An empty input gives one empty line.
    public static func wrap(_ spans: [Span], width: Int) -> [StyledLine] {
        let width = max(1, width)
        var lines: [StyledLine] = []
        var current: [Cell] = []
        var used = 0
        var breakAfter: Int?  // cells before and including the last space

        func flush(_ cells: ArraySlice<Cell>) { lines.append(merge(cells)) }

        for span in spans.flatMap(\.visibleSpans) {
            for character in span.text {
                if character == "\n" || character == "\r\n" {
                    flush(current[...])
                    current = []
                    used = 0
                    breakAfter = nil
                    continue
                }
                for cell in cells(for: character, role: span.role, width: width) {
                    if used + cell.width > width {
                        if cell.character == " " {
                            flush(current[...])
                            current = []
                            used = 0
                            breakAfter = nil
                            continue
                        }
                        if let split = breakAfter, split < current.count {
                            flush(current[..<split])
                            current = Array(current[split...])
                        } else {
                            flush(current[...])
                            current = []
                        }
                        used = current.reduce(0) { $0 + $1.width }
                        breakAfter = nil
                    }
                    current.append(cell)
                    used += cell.width
                    if cell.character == " " { breakAfter = current.count }
                }
            }
        }
        flush(current[...])
        return lines
    }

    /// The cells one input character becomes: tabs expand, and a cluster wider than the whole
    /// line is replaced so that it cannot overflow (controls are already escapes here).
    private static func cells(for character: Character, role: Role, width: Int) -> [Cell] {
        if character == "\t" { return Array(repeating: Cell(character: " ", role: role, width: 1), count: 4) }
        let w = DisplayWidth.width(of: character)
        if w > width { return [Cell(character: "\u{FFFD}", role: role, width: 1)] }
        return [Cell(character: character, role: role, width: w)]
    }

    private static func merge(_ cells: ArraySlice<Cell>) -> StyledLine {
        var line: StyledLine = []
        for cell in cells {
            if let last = line.last, last.role == cell.role {
                line[line.count - 1].text.append(cell.character)
            } else {
                line.append(Span(String(cell.character), cell.role))
            }
        }
        return line
    }
}
