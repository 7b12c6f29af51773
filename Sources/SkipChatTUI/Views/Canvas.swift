/// Where views draw: the terminal, or a grid of cells in tests. Rows and columns are 0-based.
public protocol Canvas: AnyObject {
    var rows: Int { get }
    var columns: Int { get }
    /// Writes `text` (already cut to fit, no control characters) at a position.
    func put(_ text: String, role: Role, row: Int, column: Int)
}

extension Canvas {
    /// Draws `line` in `width` columns from `column`: cut between clusters when too long, padded
    /// with blanks in `fill` when short, so that nothing of an older frame shows through.
    /// Control characters and bidi overrides are drawn as their visible escapes (`TerminalText`).
    public func draw(_ line: StyledLine, row: Int, column: Int, width: Int, fill: Role = .plain) {
        guard row >= 0, row < rows, width > 0 else { return }
        var x = column
        let end = min(column + width, columns)
        for span in line.flatMap(\.visibleSpans) where x < end {
            let piece = DisplayWidth.prefix(of: span.text, fitting: end - x)
            if !piece.isEmpty { put(piece, role: span.role, row: row, column: x) }
            x += DisplayWidth.width(of: piece)
            if piece.count < span.text.count { break }
        }
        if x < end { put(String(repeating: " ", count: end - x), role: fill, row: row, column: x) }
    }

    /// Blanks a rectangle.
    public func clear(_ rect: Rect, role: Role = .plain) {
        for row in rect.row..<(rect.row + rect.height) {
            draw([], row: row, column: rect.column, width: rect.width, fill: role)
        }
    }
}

/// A rectangle of the screen.
public struct Rect: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var height: Int
    public var width: Int

    /// Creates a rectangle.
    public init(row: Int, column: Int, height: Int, width: Int) {
        self.row = row
        self.column = column
        self.height = height
        self.width = width
    }
}

/// A canvas in memory: what tests look at.
public final class TextCanvas: Canvas {
    public let rows: Int
    public let columns: Int
    /// Cells row by row; the cells a wide character covers after its first hold nil.
    public private(set) var cells: [[(Character?, Role)]]

    /// Creates a blank canvas.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        cells = Array(repeating: Array(repeating: (" ", .plain), count: columns), count: rows)
    }

    public func put(_ text: String, role: Role, row: Int, column: Int) {
        guard row >= 0, row < rows else { return }
        var x = column
        for character in text {
            let w = DisplayWidth.width(of: character)
            guard x + max(w, 1) <= columns else { return }
            cells[row][x] = (character, role)
            for extra in stride(from: 1, to: w, by: 1) { cells[row][x + extra] = (nil, role) }
            x += max(w, 1)
        }
    }

    /// The text of one row.
    public func line(_ row: Int) -> String { String(cells[row].compactMap(\.0)) }
    /// All rows, joined by newlines.
    public var text: String { (0..<rows).map(line).joined(separator: "\n") }
    /// The role of one cell.
    public func role(row: Int, column: Int) -> Role { cells[row][column].1 }
}
