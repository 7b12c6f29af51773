import SkipChatEngine
import SkipChatPlot

/// A theme's colours as CSS for a page: a terminal-default colour becomes a concrete one (the
/// page has no terminal to inherit from), dark or light after the theme's foreground.
struct ExportColors {
    let theme: Theme
    let layerCount: Int
    let background: String
    let foreground: String
    /// True when the page is dark (light text).
    let dark: Bool

    init(theme: Theme, layerCount: Int) {
        self.theme = theme
        self.layerCount = layerCount
        let palette = theme.palette
        if case .rgb(let bg) = palette.background {
            dark = bg.luminance < 0.4
        } else if case .rgb(let fg) = palette.foreground {
            dark = fg.luminance > 0.4
        } else {
            dark = false
        }
        background = Self.css(palette.background) ?? (dark ? "#1c1c1c" : "#ffffff")
        foreground = Self.css(palette.foreground) ?? (dark ? "#d0d0d0" : "#222222")
    }

    /// `color` as `#rrggbb`, or the page's foreground for the terminal default.
    func css(_ color: ThemeColor) -> String { Self.css(color) ?? foreground }

    /// The colour of exit layer `layer` (1 … L).
    func layer(_ layer: Int) -> String { css(theme.layerColor(layer, of: layerCount)) }

    /// CSS declarations for a token kind's attributes in the theme; rejected drafts are always
    /// struck through (the export shows them where they were proposed).
    func declarations(for kind: TokenKind) -> String {
        let attributes = theme.tokenAttributes[kind] ?? []
        var parts: [String] = []
        if attributes.contains(.bold) { parts.append("font-weight:bold") }
        if attributes.contains(.italic) { parts.append("font-style:italic") }
        if attributes.contains(.dim) { parts.append("opacity:0.6") }
        var lines: [String] = []
        if attributes.contains(.underline) { lines.append("underline") }
        if kind == .rejected { lines.append("line-through") }
        if !lines.isEmpty { parts.append("text-decoration:" + lines.joined(separator: " ")) }
        if attributes.contains(.reverse) { parts.append("filter:invert(1)") }
        return parts.joined(separator: ";")
    }

    /// The charts' style on this page.
    var chartStyle: ChartStyle {
        ChartStyle(background: background, foreground: foreground, grid: css(theme.palette.border),
                   reference: css(theme.palette.muted), palette: [css(theme.palette.accent)])
    }

    private static func css(_ color: ThemeColor) -> String? {
        if case .rgb(let rgb) = color { return rgb.hex }
        return nil
    }
}
