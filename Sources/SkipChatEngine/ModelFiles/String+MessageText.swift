/// Making text taken from a model file safe to put in a one-line error message.
extension String {
    /// Longest name shown in a message (GGUF limits tensor names to 64 bytes).
    static let maxShownLength = 80

    /// Control characters escaped (`\n`, `\u{1b}`, …), so the message stays on one line.
    var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += scalar.escaped(asASCII: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A name or key read from a file, escaped and cut to `maxShownLength` characters.
    var shownInMessage: String {
        let escaped = escapingControlCharacters
        return escaped.count <= Self.maxShownLength ? escaped : escaped.prefix(Self.maxShownLength - 1) + "…"
    }
}
