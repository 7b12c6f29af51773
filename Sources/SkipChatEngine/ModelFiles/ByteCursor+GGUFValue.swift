/// Reads GGUF metadata values (ggml/docs/gguf.md: `gguf_metadata_value_type` and
/// `gguf_metadata_value_t`). Strings are a u64 byte length + UTF-8 bytes; arrays are a u32
/// element type + u64 count + the elements. Counts are checked against the bytes left before
/// any array is allocated, and nesting is limited so a crafted file cannot exhaust the stack.
extension ByteCursor {
    /// Deepest array nesting accepted (real files use 1).
    static let maxArrayDepth = 8

    /// Reads a GGUF string.
    mutating func readGGUFString(_ what: @autoclosure () -> String) throws(ModelLoadError) -> String {
        let length = try readCount("length of \(what())", minBytesEach: 1)
        return try readString(byteCount: length, what())
    }

    /// Reads one value whose type code comes next in the file.
    mutating func readGGUFValue(key: String) throws(ModelLoadError) -> GGUFValue {
        let shown = key.shownInMessage
        let type = try read(UInt32.self, "type of metadata value '\(shown)'")
        return try readGGUFValue(type: type, key: shown, depth: 0)
    }

    /// `key` is only used in messages (already shortened by `shownInMessage`).
    private mutating func readGGUFValue(type: UInt32, key: String, depth: Int) throws(ModelLoadError) -> GGUFValue {
        let what = "metadata value '\(key)'"
        switch type {
        case 0: return .uint8(try read(UInt8.self, what))
        case 1: return .int8(try read(Int8.self, what))
        case 2: return .uint16(try read(UInt16.self, what))
        case 3: return .int16(try read(Int16.self, what))
        case 4: return .uint32(try read(UInt32.self, what))
        case 5: return .int32(try read(Int32.self, what))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, what)))
        case 7:
            let byte = try read(UInt8.self, what)
            guard byte <= 1 else { throw error("\(what) is a bool with byte value \(byte)") }
            return .bool(byte == 1)
        case 8: return .string(try readGGUFString(what))
        case 9:
            guard depth < Self.maxArrayDepth else { throw error("\(what) nests arrays deeper than \(Self.maxArrayDepth)") }
            let elementType = try read(UInt32.self, "element type of \(what)")
            guard let minBytes = Self.minimumEncodedSize(ofType: elementType) else {
                throw error("\(what) has unknown element type \(elementType)")
            }
            let count = try readCount("length of array \(what)", minBytesEach: minBytes)
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Self.reservation(for: count))
            for _ in 0..<count {
                elements.append(try readGGUFValue(type: elementType, key: key, depth: depth + 1))
            }
            return .array(elements)
        case 10: return .uint64(try read(UInt64.self, what))
        case 11: return .int64(try read(Int64.self, what))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, what)))
        default: throw error("\(what) has unknown type \(type)")
        }
    }

    /// Fewest bytes one value of a type code can occupy, or nil for an unknown code.
    private static func minimumEncodedSize(ofType type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 8, 10, 11, 12: 8
        case 9: 12
        default: nil
        }
    }
}
