/// A key press, decoded from the terminal (see `Terminal.readKey`).
public enum Key: Hashable, Sendable {
    /// Printable text (one grapheme cluster).
    case character(Character)
    /// Ctrl plus a letter, given as the lowercase letter (Ctrl-C = `.control("c")`).
    case control(Character)
    /// Alt (Meta) plus a printable character; case matters (Alt+E ≠ Alt+e).
    case alt(Character)
    case enter, altEnter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case altUp, altDown, altLeft, altRight
    /// F1 … F12.
    case function(Int)
    /// Bracketed paste: the text between these is pasted, not typed.
    case pasteBegin, pasteEnd
    /// The terminal changed size.
    case resize

    /// How the help overlay writes the key.
    public var label: String {
        switch self {
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt+" + String(c)
        case .enter: return "Enter"
        case .altEnter: return "Alt+Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift+Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .escape: return "Esc"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .altUp: return "Alt+↑"
        case .altDown: return "Alt+↓"
        case .altLeft: return "Alt+←"
        case .altRight: return "Alt+→"
        case .function(let n): return "F\(n)"
        case .pasteBegin, .pasteEnd: return "paste"
        case .resize: return "resize"
        }
    }
}
