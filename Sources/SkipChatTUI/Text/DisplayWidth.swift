import CNCurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal column widths of text, measured per grapheme cluster with `wcwidth`.
///
/// A cluster (a base character with its combining marks, an emoji ZWJ sequence, a flag) is
/// measured and wrapped as one unit, never split.
public enum DisplayWidth {
    /// `wcwidth` answers only under a UTF-8 `LC_CTYPE`; the C locale makes every non-ASCII
    /// character unmeasurable. Set once, before the first measurement.
    private static let utf8Locale: Bool = {
        if let current = setlocale(LC_CTYPE, nil), isUTF8(String(cString: current)) { return true }
        if let chosen = setlocale(LC_CTYPE, ""), isUTF8(String(cString: chosen)) { return true }
        return setlocale(LC_CTYPE, "C.UTF-8") != nil
    }()

    private static func isUTF8(_ locale: String) -> Bool {
        let lower = locale.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }

    /// Makes sure `LC_CTYPE` is UTF-8 (the terminal calls this before `initscr`).
    @discardableResult
    public static func prepareLocale() -> Bool { utf8Locale }

    /// Columns one grapheme cluster occupies: the sum of its scalars' `wcwidth` (zero-width
    /// marks and joiners add nothing; control characters count 0). This is exactly how ncurses
    /// advances the cursor, so layout and screen always agree.
    public static func width(of cluster: Character) -> Int {
        _ = utf8Locale
        var total = 0
        for scalar in cluster.unicodeScalars {
            total += max(0, Int(skipchat_wcwidth(wchar_t(bitPattern: scalar.value))))
        }
        return total
    }

    /// Columns a string occupies on one line.
    public static func width(of text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// The longest prefix of `text` that fits in `columns`, cut between clusters.
    public static func prefix(of text: String, fitting columns: Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = width(of: text[index])
            if used + w > columns { break }
            used += w
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
