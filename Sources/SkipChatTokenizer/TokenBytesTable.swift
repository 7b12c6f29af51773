/// The raw bytes of every token, stored flat: byte-level strings decoded, ▁ turned into a space,
/// `<0xXX>` byte-fallback pieces resolved to their byte, control and user-defined tokens as their
/// UTF-8 text (what HF `decode(skip_special_tokens=False)` prints for them).
struct TokenBytesTable: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]

    init(_ spec: TokenizerSpec) {
        bytes.reserveCapacity(spec.pieces.count * 6)
        starts.reserveCapacity(spec.pieces.count + 1)
        for (id, piece) in spec.pieces.enumerated() {
            if let piece { bytes += Self.rawBytes(piece, type: spec.types[id], kind: spec.kind) }
            starts.append(Int32(bytes.count))
        }
    }

    subscript(id: Int) -> ArraySlice<UInt8> {
        bytes[Int(starts[id])..<Int(starts[id + 1])]
    }

    private static func rawBytes(_ piece: String, type: TokenizerSpec.TokenType,
                                 kind: TokenizerSpec.Kind) -> [UInt8] {
        if type == .control || type == .userDefined || type == .unknown { return Array(piece.utf8) }
        switch kind {
        case .byteLevel:
            return ByteLevelAlphabet.decode(piece) ?? Array(piece.utf8)
        case .sentencePiece:
            if type == .byte, let b = byteFallbackValue(piece) { return [b] }
            var out: [UInt8] = []
            for s in piece.unicodeScalars {
                if s == "\u{2581}" { out.append(0x20) } else { out += Array(String(s).utf8) }
            }
            return out
        }
    }

    /// The byte a `<0xXX>` piece stands for.
    static func byteFallbackValue(_ piece: String) -> UInt8? {
        let u = Array(piece.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }
}
