/// UTF-8 text decoded into Unicode scalars with the character classes the pre-tokenizer
/// regexes test (`\p{L}`, `\p{N}`, `\s` as Oniguruma/Rust regex define them for Unicode text:
/// general categories L*, N*, and the White_Space property).
struct ScalarText {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let space: UInt8 = 4
    static let lineBreak: UInt8 = 8   // \r or \n (also `space`)

    /// Scalar values.
    var values: [UInt32] = []
    /// Class bits per scalar.
    var classes: [UInt8] = []
    /// Byte offset of each scalar in the source, plus the end offset.
    var offsets: [Int] = []

    init(_ bytes: ArraySlice<UInt8>) {
        values.reserveCapacity(bytes.count)
        classes.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let (v, n) = Self.decodeScalar(bytes, at: i)
            values.append(v)
            classes.append(Self.classify(v))
            offsets.append(i)
            i += n
        }
        offsets.append(bytes.endIndex)
    }

    var count: Int { values.count }

    /// Decodes one scalar of well-formed UTF-8 (Swift strings always are).
    private static func decodeScalar(_ b: ArraySlice<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F), 2) }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F), 3)
        }
        return ((b0 & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6
                | UInt32(b[i + 3] & 0x3F), 4)
    }

    private static let asciiClasses: [UInt8] = (0..<128).map { classifySlow(UInt32($0)) }

    static func classify(_ v: UInt32) -> UInt8 {
        v < 128 ? asciiClasses[Int(v)] : classifySlow(v)
    }

    private static func classifySlow(_ v: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(v) else { return 0 }
        if v == 0x0A || v == 0x0D { return space | lineBreak }
        let properties = scalar.properties
        if properties.isWhitespace { return space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        default:
            return 0
        }
    }
}
