/// Turns the terminal's input, one Unicode scalar at a time, into keys. Escape sequences are
/// parsed whole — CSI (`ESC [` parameters, intermediates, final byte), SS3 (`ESC O` final) and
/// the Linux console's `ESC [ [` function keys — in every common encoding of the keys the chat
/// uses (xterm, VT220, rxvt, Linux console; modifiers as `;m` parameters, xterm's encoding:
/// m − 1 = shift 1 + alt 2 + ctrl 4). Whatever is not a key the chat knows (focus reports,
/// mouse reports, Insert, unknown sequences) is dropped, never inserted as text.
/// Reference: ECMA-48 §5.4 (control sequence syntax); xterm's ctlseqs ("PC-Style Function Keys").
struct KeyDecoder {
    /// The escape sequence read so far, starting with ESC; empty between sequences.
    private var pending: [Unicode.Scalar] = []
    /// Raw bytes still to skip after `ESC [ M` (an X10 mouse report: button, column, row).
    private var mouseBytesLeft = 0
    /// The sequence in progress outgrew `maxSequenceLength`: it is dropped at its final byte.
    private var overlong = false

    /// The longest sequence kept; a longer one is garbage and is dropped.
    static let maxSequenceLength = 64

    /// Whether a sequence is unfinished: the caller should read on, and call `timeout()` when
    /// nothing more comes within the escape delay.
    var isPending: Bool { !pending.isEmpty || mouseBytesLeft > 0 }

    /// Feeds one scalar; returns the keys it completes (none while a sequence is unfinished).
    mutating func feed(_ scalar: Unicode.Scalar) -> [Key] {
        if mouseBytesLeft > 0 {
            mouseBytesLeft -= 1
            return []
        }
        guard !pending.isEmpty else {
            if scalar == "\u{1b}" {
                pending = [scalar]
                return []
            }
            return Self.key(forCharacter: scalar.value).map { [$0] } ?? []
        }
        let v = scalar.value
        if pending.count == 1 {
            switch scalar {
            case "[", "O":
                pending.append(scalar)
                return []
            case "\u{1b}":
                return [.escape]  // a second ESC starts the next sequence
            case "\r":
                pending = []
                return [.altEnter]
            default:
                pending = []
                if v >= 32 && v != 127 { return [.alt(Character(scalar))] }
                return [.escape] + (Self.key(forCharacter: v).map { [$0] } ?? [])
            }
        }
        let introducer = pending[1]
        // The Linux console's F1…F5: ESC [ [ A…E.
        if introducer == "[", pending.count == 3, pending[2] == "[" {
            pending = []
            return ("A"..."E").contains(scalar) ? [.function(Int(v - 0x40))] : []
        }
        if introducer == "[", pending.count == 2, scalar == "[" {
            pending.append(scalar)
            return []
        }
        if introducer == "[", pending.count == 2, scalar == "M" {
            pending = []
            mouseBytesLeft = 3
            return []
        }
        // rxvt ends Shift+Home etc. with `$`, otherwise an intermediate byte.
        let rxvtFinal = v == 0x24 && Self.isNumeric(pending.dropFirst(2))
        if (0x30...0x3F).contains(v) || ((0x20...0x2F).contains(v) && !rxvtFinal) {
            if pending.count < Self.maxSequenceLength { pending.append(scalar) } else { overlong = true }
            return []
        }
        guard rxvtFinal || (0x40...0x7E).contains(v) else {
            // Not part of a sequence: drop what was read and take this scalar afresh.
            pending = []
            overlong = false
            return feed(scalar)
        }
        let body = String(String.UnicodeScalarView(pending.dropFirst(2)))
        pending = []
        if overlong {
            overlong = false
            return []
        }
        let key = introducer == "[" ? Self.csi(body, final: scalar) : Self.ss3(body, final: scalar)
        return key.map { [$0] } ?? []
    }

    /// Nothing more arrived within the escape delay: a lone ESC is the Esc key, `ESC [` and
    /// `ESC O` are Alt+[ and Alt+O; an unfinished longer sequence is dropped.
    mutating func timeout() -> [Key] {
        defer {
            pending = []
            mouseBytesLeft = 0
            overlong = false
        }
        switch pending.count {
        case 1: return [.escape]
        case 2: return [.alt(Character(pending[1]))]
        default: return []
        }
    }

    /// A plain character (not part of an escape sequence) as a key.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    private static func isNumeric(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        !scalars.isEmpty && scalars.allSatisfy { ("0"..."9").contains($0) || $0 == ";" }
    }

    /// `ESC [ body final`. Parameters are numbers separated by `;` (sub-parameters after `:`
    /// ignored); a private marker (`<` SGR mouse, `?`, `>`, `=`) means a report, not a key.
    static func csi(_ body: String, final: Unicode.Scalar) -> Key? {
        if let marker = body.unicodeScalars.first, (0x3C...0x3F).contains(marker.value) { return nil }
        guard body.unicodeScalars.allSatisfy({ (0x30...0x3B).contains($0.value) }) else { return nil }
        let params = body.split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0.split(separator: ":").first ?? "") }
        let number = params.first.flatMap { $0 }
        let alt = ((params.count > 1 ? params[1] ?? 1 : 1) - 1) & 2 != 0
        switch final {
        case "A", "B", "C", "D": return arrow(final, alt: alt)
        case "a", "b", "c", "d": return arrow(Unicode.Scalar(final.value - 32)!, alt: false)  // rxvt Shift+arrow
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "P", "Q", "R", "S": return .function(Int(final.value - 0x50) + 1)
        case "~", "^", "@", "$": return number.flatMap(tilde)  // VT220; rxvt marks Ctrl ^, Ctrl+Shift @, Shift $
        default: return nil  // focus reports (I, O), mouse (M, m), and the rest
        }
    }

    /// `ESC O body final` (application cursor and keypad mode).
    static func ss3(_ body: String, final: Unicode.Scalar) -> Key? {
        guard body.unicodeScalars.allSatisfy({ (0x30...0x39).contains($0.value) }) else { return nil }
        switch final {
        case "A", "B", "C", "D": return arrow(final, alt: false)
        case "a", "b", "c", "d": return arrow(Unicode.Scalar(final.value - 32)!, alt: false)  // rxvt Ctrl+arrow
        case "H": return .home
        case "F": return .end
        case "M": return .enter
        case "P", "Q", "R", "S": return .function(Int(final.value - 0x50) + 1)
        default:
            // Keypad characters in application keypad mode: j…y are * + , - . / 0…9, X is =.
            let keypad: [Unicode.Scalar: Character] = ["j": "*", "k": "+", "l": ",", "m": "-", "n": ".", "o": "/", "X": "="]
            if let c = keypad[final] { return .character(c) }
            if ("p"..."y").contains(final) { return .character(Character(Unicode.Scalar(final.value - 0x40)!)) }
            return nil
        }
    }

    private static func arrow(_ final: Unicode.Scalar, alt: Bool) -> Key? {
        switch final {
        case "A": return alt ? .altUp : .up
        case "B": return alt ? .altDown : .down
        case "C": return alt ? .altRight : .right
        case "D": return alt ? .altLeft : .left
        default: return nil
        }
    }

    /// The VT220 `ESC [ n ~` keys.
    private static func tilde(_ n: Int) -> Key? {
        switch n {
        case 1, 7: return .home
        case 3: return .delete
        case 4, 8: return .end
        case 5: return .pageUp
        case 6: return .pageDown
        case 11...15: return .function(n - 10)
        case 17...21: return .function(n - 11)
        case 23, 24: return .function(n - 12)
        case 200: return .pasteBegin
        case 201: return .pasteEnd
        default: return nil  // 2 = Insert, and the rest
        }
    }
}
