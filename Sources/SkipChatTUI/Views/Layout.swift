/// Where each part of the chat goes for a terminal size. Rows are given away bottom-up by
/// priority: input, then legend and draft lane when there is room; the transcript takes the rest.
public struct Layout: Equatable, Sendable {
    public var status: Rect
    public var transcript: Rect
    /// The stats or lens panel, when one is open and fits.
    public var panel: Rect?
    public var draftLane: Rect?
    public var legend: Rect?
    public var input: Rect

    /// Smallest usable terminal; below it the chat shows only a "too small" line.
    public static let minimumRows = 6
    public static let minimumColumns = 24
    /// Widest the side panel gets when it sits beside the transcript.
    static let sidePanelWidth = 40

    /// Computes the layout.
    /// - Parameters:
    ///   - inputLines: lines the input box would like (grows with its text).
    ///   - panelLines: rows the open panel would like (nil: no panel).
    /// - Returns: nil when the terminal is smaller than the minimum.
    public static func compute(rows: Int, columns: Int, inputLines: Int, panelLines: Int?) -> Layout? {
        guard rows >= minimumRows, columns >= minimumColumns else { return nil }
        let status = Rect(row: 0, column: 0, height: 1, width: columns)
        var bottom = rows
        let inputHeight = min(max(1, inputLines), rows >= 20 ? 6 : 2)
        bottom -= inputHeight
        let input = Rect(row: bottom, column: 0, height: inputHeight, width: columns)
        var legend: Rect?
        if rows >= 10 {
            bottom -= 1
            legend = Rect(row: bottom, column: 0, height: 1, width: columns)
        }
        var lane: Rect?
        let laneHeight = rows >= 20 ? 2 : (rows >= 8 ? 1 : 0)
        if laneHeight > 0 {
            bottom -= laneHeight
            lane = Rect(row: bottom, column: 0, height: laneHeight, width: columns)
        }
        var transcript = Rect(row: 1, column: 0, height: bottom - 1, width: columns)
        var panel: Rect?
        if let wanted = panelLines {
            if columns >= 100 {
                let width = sidePanelWidth
                transcript.width = columns - width - 1
                panel = Rect(row: transcript.row, column: columns - width, height: transcript.height, width: width)
            } else if transcript.height >= 4 {
                let height = min(wanted, transcript.height / 2)
                transcript.height -= height
                panel = Rect(row: transcript.row + transcript.height, column: 0, height: height, width: columns)
            }
        }
        return Layout(status: status, transcript: transcript, panel: panel, draftLane: lane, legend: legend, input: input)
    }
}
