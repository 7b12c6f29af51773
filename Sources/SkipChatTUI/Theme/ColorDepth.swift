/// How many colours the terminal can show, best first; the theme's exact colours are reduced to
/// the nearest colour the depth offers.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    case mono = 0
    case ansi8 = 8
    case ansi16 = 16
    case palette256 = 256
    /// 24-bit colour: needs a direct-colour terminfo entry (e.g. TERM=xterm-direct), since
    /// ncurses can emit only what terminfo describes.
    case truecolor = 16_777_216

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Chooses the depth from the environment and the terminal's capabilities.
    /// - Parameters:
    ///   - environment: process environment (NO_COLOR, COLORTERM).
    ///   - terminalColors: the terminfo colour count (`COLORS` after `start_color`).
    ///   - hasColors: `has_colors()`.
    public static func detect(environment: [String: String], terminalColors: Int, hasColors: Bool) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .mono }
        guard hasColors else { return .mono }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        if (colorTerm == "truecolor" || colorTerm == "24bit"), terminalColors >= truecolor.rawValue { return .truecolor }
        if terminalColors >= 256 { return .palette256 }
        if terminalColors >= 16 { return .ansi16 }
        if terminalColors >= 8 { return .ansi8 }
        return .mono
    }

    /// The terminal colour number nearest to `color` at this depth (nil in mono).
    public func colorNumber(for color: RGB) -> Int? {
        switch self {
        case .mono: return nil
        case .truecolor: return Int(color.red) << 16 | Int(color.green) << 8 | Int(color.blue)
        case .palette256: return Self.nearest(color, in: Self.xterm256, offset: 16)
        case .ansi16: return Self.nearest(color, in: Self.ansi, offset: 0)
        case .ansi8: return Self.nearest(color, in: Array(Self.ansi.prefix(8)), offset: 0)
        }
    }

    private static func nearest(_ color: RGB, in palette: [RGB], offset: Int) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (index, candidate) in palette.enumerated() {
            let d = color.distanceSquared(to: candidate)
            if d < bestDistance { best = index; bestDistance = d }
        }
        return best + offset
    }

    /// xterm's 16 standard colours.
    static let ansi: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    /// Colours 16 … 255 of the xterm palette: the 6×6×6 cube, then 24 greys.
    static let xterm256: [RGB] = {
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        var palette: [RGB] = []
        for r in levels { for g in levels { for b in levels { palette.append(RGB(r, g, b)) } } }
        for i in 0..<24 { let v = UInt8(8 + 10 * i); palette.append(RGB(v, v, v)) }
        return palette
    }()
}
