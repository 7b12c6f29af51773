/// A standalone SVG image (SVG 1.1) of charts laid out in a grid of equal panels.
public struct SVGDocument: Sendable {
    public var charts: [any Chart]
    /// Panels per row.
    public var columns: Int
    /// Size of one panel, pixels.
    public var panelWidth: Double
    public var panelHeight: Double
    public var style: ChartStyle
    /// Text under the charts (the machine and command that made them), wrapped to the width;
    /// nil: none.
    public var caption: String?

    /// Creates a document.
    public init(charts: [any Chart], columns: Int = 1, panelWidth: Double = 560, panelHeight: Double = 340,
                style: ChartStyle = .light, caption: String? = nil) {
        self.charts = charts
        self.columns = max(1, columns)
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.style = style
        self.caption = caption
    }

    /// Total width and height, pixels.
    public var size: (width: Double, height: Double) {
        let rows = (charts.count + columns - 1) / columns
        let width = Double(min(columns, max(1, charts.count))) * panelWidth
        return (width, Double(max(1, rows)) * panelHeight + Double(captionLines(width: width).count) * 15 + (caption == nil ? 0 : 9))
    }

    /// The caption broken at spaces into lines that fit `width` (11 px text, about 6.2 px a
    /// character); a word longer than a line stays whole.
    func captionLines(width: Double) -> [String] {
        guard let caption else { return [] }
        let limit = max(10, Int((width - 16) / 6.2))
        var lines: [String] = [], line = ""
        for word in caption.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > limit {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty ? [] : [line])
    }

    /// The `<svg>` element with every chart; `standalone` adds the XML declaration a file needs.
    public func render(standalone: Bool = true) -> String {
        let (width, height) = size
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(px(width))\" height=\"\(px(height))\" viewBox=\"0 0 \(px(width)) \(px(height))\" font-family=\"\(Markup.escape(style.font))\">\n"
        if style.background != "none" {
            out += "<rect x=\"0\" y=\"0\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"\(style.background)\"/>\n"
        }
        for (index, chart) in charts.enumerated() {
            let frame = ChartFrame(x: Double(index % columns) * panelWidth, y: Double(index / columns) * panelHeight,
                                   width: panelWidth, height: panelHeight)
            out += "<g>\n" + chart.svg(in: frame, style: style) + "</g>\n"
        }
        let lines = captionLines(width: width)
        for (index, line) in lines.enumerated() {
            let y = height - 9 - Double(lines.count - 1 - index) * 15
            out += "<text x=\"8\" y=\"\(px(y))\" font-size=\"11\" fill=\"\(style.reference)\">\(Markup.escape(line))</text>\n"
        }
        return out + "</svg>\n"
    }
}
