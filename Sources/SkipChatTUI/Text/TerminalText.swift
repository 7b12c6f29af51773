/// Text from a file or a model made safe to write to a terminal: every character a terminal
/// would act on instead of showing is replaced by a visible escape, so a model file or a model's
/// reply can never retitle the window (OSC 0), plant a link (OSC 8), write the clipboard
/// (OSC 52), clear the screen (CSI 2J), ring the bell or reorder what is shown (Trojan Source,
/// CVE-2021-42574).
///
/// The characters replaced (`isUnsafe`): the C0 controls U+0000–U+001F except tab and newline
/// (a carriage return directly before a newline is kept too), DEL U+007F, the C1 controls
/// U+0080–U+009F (U+009B is CSI and U+009D OSC on terminals that read 8-bit controls), and the
/// bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069. Each is
/// written as Python's `repr` writes it: `\x1b`, `\x7f`, `\x9b`, `\u202e`. Text that was
/// invalid UTF-8 arrives here already repaired with U+FFFD (the streaming detokenizer's work).
public enum TerminalText {
    /// One run of text: shown as it is, or the visible form of one unsafe character.
    public enum Piece: Equatable, Sendable {
        case text(String)
        case escape(String)
    }

    /// True for a character a terminal must never receive from untrusted text (see the type).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The visible form of `scalar`: `\xHH` below U+0100, `\uHHHH` above (lower-case hex).
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return scalar.value < 0x100
            ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` split into runs to show as they are and escapes, in order; joined they are
    /// `sanitized(text)`.
    public static func pieces(_ text: String) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: isUnsafe) else { return text.isEmpty ? [] : [.text(text)] }
        var pieces: [Piece] = []
        var run = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            let keptReturn = scalar == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n"
            if isUnsafe(scalar) && !keptReturn {
                if !run.isEmpty { pieces.append(.text(String(run))) }
                run = String.UnicodeScalarView()
                pieces.append(.escape(visible(scalar)))
            } else {
                run.append(scalar)
            }
        }
        if !run.isEmpty { pieces.append(.text(String(run))) }
        return pieces
    }

    /// `text` with every unsafe character replaced by its visible form, passed through
    /// `styleEscape` (e.g. to dim it with SGR 2 when colour is on).
    public static func sanitized(_ text: String, styleEscape: (String) -> String = { $0 }) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        return pieces(text).map { piece in
            switch piece {
            case .text(let run): run
            case .escape(let shown): styleEscape(shown)
            }
        }.joined()
    }

    /// `sanitized(text)` when `sanitize` is true, else `text` unchanged.
    public static func shown(_ text: String, sanitize: Bool) -> String {
        sanitize ? sanitized(text) : text
    }
}
