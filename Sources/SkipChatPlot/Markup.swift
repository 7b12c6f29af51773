/// Escaping for text and attribute values in XML, XHTML and SVG (XML 1.0 §2.4, §2.2), so that
/// model and user text always stays text.
public enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as character references, and every
    /// character XML 1.0 does not allow (C0 controls other than tab, newline and carriage
    /// return) or HTML calls a parse error (DEL, C1 controls, noncharacters) replaced by a
    /// visible stand-in: the Unicode control picture (U+2400 + code) for C0 and DEL, U+FFFD
    /// for the rest. Safe in element content and in single- or double-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 {
                    out.unicodeScalars.append(Unicode.Scalar(0x2400 + v)!)
                } else if v == 0x7F {
                    out.unicodeScalars.append(Unicode.Scalar(0x2421)!)
                } else if (0x80...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
                    out.unicodeScalars.append(Unicode.Scalar(0xFFFD)!)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
