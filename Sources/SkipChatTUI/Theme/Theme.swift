import SkipChatEngine

/// Colours and attributes of the chat. Views name roles (`Role`); `style(for:layerCount:depth:)`
/// turns a role into a `CellStyle` the terminal can show at its colour depth.
public struct Theme: Equatable, Sendable {
    /// Semantic colours of the interface.
    public struct Palette: Equatable, Sendable {
        public var background: ThemeColor
        public var foreground: ThemeColor
        public var user: ThemeColor
        public var speaker: ThemeColor
        public var system: ThemeColor
        public var notice: ThemeColor
        public var error: ThemeColor
        public var muted: ThemeColor
        public var border: ThemeColor
        public var accent: ThemeColor
        public var statusForeground: ThemeColor
        public var statusBackground: ThemeColor
        public var statusKey: ThemeColor
        public var selectionBackground: ThemeColor
    }

    public var name: String
    public var palette: Palette
    /// Gradient stops over layers 1 … L (empty: tokens use the foreground colour).
    public var layerRamp: [RGB]
    /// Attributes per token kind; these alone must tell the kinds apart (mono, NO_COLOR).
    public var tokenAttributes: [TokenKind: TextAttributes]

    /// The colour of exit layer `layer` (1 … `layerCount`) on the ramp.
    public func layerColor(_ layer: Int, of layerCount: Int) -> ThemeColor {
        guard let first = layerRamp.first else { return palette.foreground }
        guard layerRamp.count > 1, layerCount > 1 else { return .rgb(first) }
        let t = Double(min(max(layer, 1), layerCount) - 1) / Double(layerCount - 1)
        let scaled = t * Double(layerRamp.count - 1)
        let index = min(Int(scaled), layerRamp.count - 2)
        return .rgb(layerRamp[index].mixed(with: layerRamp[index + 1], scaled - Double(index)))
    }

    /// The cell style of `role` at colour depth `depth`.
    public func style(for role: Role, layerCount: Int, depth: ColorDepth) -> CellStyle {
        let (fg, bg, colorAttributes, monoAttributes) = parts(of: role, layerCount: layerCount)
        guard depth > .mono else { return CellStyle(attributes: monoAttributes) }
        return CellStyle(foreground: number(fg, depth), background: number(bg, depth), attributes: colorAttributes)
    }

    private func number(_ color: ThemeColor, _ depth: ColorDepth) -> Int? {
        switch color {
        case .terminalDefault: return nil
        case .rgb(let rgb): return depth.colorNumber(for: rgb)
        }
    }

    /// A bar without a background colour of its own is drawn in reverse video.
    private func bar(_ background: ThemeColor) -> TextAttributes {
        background == .terminalDefault ? .reverse : []
    }

    /// Foreground, background, attributes with colour, attributes without colour.
    private func parts(of role: Role, layerCount: Int)
        -> (ThemeColor, ThemeColor, TextAttributes, TextAttributes) {
        let p = palette
        switch role {
        case .plain: return (p.foreground, p.background, [], [])
        case .user: return (p.user, p.background, [.bold], [.bold])
        case .speaker: return (p.speaker, p.background, [.bold], [.bold, .underline])
        case .system: return (p.system, p.background, [.italic], [.italic])
        case .notice: return (p.notice, p.background, [], [.dim])
        case .error: return (p.error, p.background, [.bold], [.bold, .reverse])
        case .muted: return (p.muted, p.background, [], [.dim])
        case .border: return (p.border, p.background, [], [.dim])
        case .accent: return (p.accent, p.background, [.bold], [.bold])
        case .status: return (p.statusForeground, p.statusBackground, bar(p.statusBackground), [.reverse])
        case .statusKey: return (p.statusKey, p.statusBackground, bar(p.statusBackground).union(.bold), [.reverse, .bold])
        case .selection: return (p.foreground, p.selectionBackground, bar(p.selectionBackground).union(.bold), [.reverse, .bold])
        case .token(let kind, let layer):
            let attributes = tokenAttributes[kind] ?? []
            return (layerColor(layer, of: layerCount), p.background, attributes, attributes)
        case .legend(let layer):
            // Not reversed: the legend's bars grow with depth, and a reversed full block would
            // show only the background, hiding the deepest layers.
            return (layerColor(layer, of: layerCount), p.background, [], [])
        }
    }
}
