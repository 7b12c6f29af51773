/// GPT-2's reversible byte ↔ printable-character mapping (openai/gpt-2 `encoder.py`
/// `bytes_to_unicode`, used by HF `ByteLevel`): bytes that are printable Latin-1 map to
/// themselves, the other 68 map to U+0100, U+0101, … in byte order.
enum ByteLevelAlphabet {
    /// `scalar[b]` is the character that stands for byte `b` in vocabulary strings.
    static let scalar: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 0x100
        for b in 0..<256 {
            if isPrintable(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// `byte[c]` is the byte that character `c` (< 0x144) stands for, or -1.
    static let byte: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (b, c) in scalar.enumerated() { table[Int(c)] = Int16(b) }
        return table
    }()

    private static func isPrintable(_ b: Int) -> Bool {
        (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
    }

    /// The raw bytes a byte-level vocabulary string stands for, or nil if it holds a character
    /// outside the alphabet.
    static func decode(_ piece: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(piece.utf8.count)
        for s in piece.unicodeScalars {
            let v = Int(s.value)
            guard v < byte.count, byte[v] >= 0 else { return nil }
            out.append(UInt8(byte[v]))
        }
        return out
    }

    /// The vocabulary string for raw bytes.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(scalar[Int(b)])!) }
        return String(s)
    }
}
