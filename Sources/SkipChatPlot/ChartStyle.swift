/// Colours and type of a chart, as CSS colour strings (`#rrggbb`).
public struct ChartStyle: Sendable, Equatable {
    /// Panel background (`none`: transparent).
    public var background: String
    /// Axes, tick labels and titles.
    public var foreground: String
    /// Grid lines.
    public var grid: String
    /// Reference lines (plain decoding, ideal cost).
    public var reference: String
    /// Colours given to series and bars that bring none of their own, in order.
    public var palette: [String]
    /// Font family list for all text.
    public var font: String

    /// Creates a style.
    public init(background: String, foreground: String, grid: String, reference: String, palette: [String],
                font: String = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif") {
        self.background = background
        self.foreground = foreground
        self.grid = grid
        self.reference = reference
        self.palette = palette
        self.font = font
    }

    /// Dark text on white, with the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008).
    public static let light = ChartStyle(
        background: "#ffffff", foreground: "#222222", grid: "#e4e4e4", reference: "#555555",
        palette: ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#f0e442", "#000000"])
}
