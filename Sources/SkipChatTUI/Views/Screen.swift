/// What the screen found when it drew, for `ChatState.viewport(_:)`: the transcript's height in
/// rows, the scroll position clamped to the transcript, and the help overlay's (nil: not shown).
public struct Viewport: Equatable, Sendable {
    public var pageSize: Int
    public var scrollBack: Int
    public var helpScroll: Int?
}

/// A drawn frame: where the cursor belongs (nil: hide it) and the viewport it showed.
struct Frame {
    var cursor: (row: Int, column: Int)?
    var viewport: Viewport
}

/// Puts the whole chat on a canvas: layout, then every view in its rectangle. Reads the state,
/// never writes it: what the layout decided comes back in the `Frame`.
final class Screen {
    private let transcript = TranscriptView()

    /// Draws `state` on `canvas` at time `now` (seconds, monotonic).
    func draw(_ state: ChatState, on canvas: Canvas, now: Double) -> Frame {
        let inputLines = InputView.layout(state.input, width: canvas.columns).lines.count
        let panelLines: Int? = state.lensSelection != nil
            ? state.layerCount + 1
            : (state.showStats ? StatsPanel.lines(state, width: canvas.columns).count : nil)
        guard let layout = Layout.compute(rows: canvas.rows, columns: canvas.columns,
                                          inputLines: inputLines, panelLines: panelLines) else {
            drawTooSmall(on: canvas)
            return Frame(cursor: nil, viewport: Viewport(pageSize: state.pageSize, scrollBack: state.scrollBack, helpScroll: nil))
        }
        canvas.draw(StatusBar.line(state, width: canvas.columns, now: now), row: 0, column: 0,
                    width: canvas.columns, fill: .status)
        var viewport = Viewport(pageSize: layout.transcript.height, scrollBack: 0, helpScroll: nil)
        viewport.scrollBack = transcript.draw(state, in: layout.transcript, on: canvas)
        if let panel = layout.panel { drawPanel(state, in: panel, beside: layout.transcript, on: canvas) }
        if let lane = layout.draftLane { DraftLaneView.draw(state, in: lane, on: canvas) }
        if let legend = layout.legend {
            canvas.draw(LegendView.line(layerCount: state.layerCount, exitLayer: state.shownExitLayer, width: legend.width),
                        row: legend.row, column: legend.column, width: legend.width)
        }
        let cursor = InputView.draw(state, in: layout.input, on: canvas)
        if state.showHelp {
            let area = Rect(row: 1, column: 0, height: canvas.rows - 1 - layout.input.height, width: canvas.columns)
            viewport.helpScroll = HelpOverlay.draw(in: area, scroll: state.helpScroll, on: canvas)
            return Frame(cursor: nil, viewport: viewport)
        }
        return Frame(cursor: state.lensSelection == nil ? cursor : nil, viewport: viewport)
    }

    private func drawPanel(_ state: ChatState, in rect: Rect, beside transcript: Rect, on canvas: Canvas) {
        let side = rect.column > 0
        // A panel below the transcript spends its first row on a rule.
        let lines = state.lensSelection != nil
            ? LensView.lines(state, height: side ? rect.height : rect.height - 1)
            : StatsPanel.lines(state, width: rect.width)
        if side {
            for row in rect.row..<(rect.row + rect.height) {
                canvas.draw([Span("│", .border)], row: row, column: rect.column - 1, width: 1)
            }
        }
        for row in 0..<rect.height {
            let content: StyledLine
            if !side && row == 0 {
                content = [Span(String(repeating: "─", count: rect.width), .border)]
            } else {
                let index = side ? row : row - 1
                content = index < lines.count ? lines[index] : []
            }
            canvas.draw(content, row: rect.row + row, column: rect.column, width: rect.width)
        }
    }

    private func drawTooSmall(on canvas: Canvas) {
        for row in 0..<canvas.rows {
            canvas.draw(row == 0 ? [Span("terminal too small", .error)] : [], row: row, column: 0, width: canvas.columns)
        }
    }
}
