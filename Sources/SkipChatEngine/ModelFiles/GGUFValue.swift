/// One GGUF metadata value (ggml/docs/gguf.md, `gguf_metadata_value_type`): one case per
/// value type of the file, so a value round-trips exactly.
public enum GGUFValue: Sendable, Equatable {
    /// Integer types 0–5, 10, 11 of the spec.
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64)
    /// Float types 6 and 12.
    case float32(Float), float64(Double)
    /// Type 7 (one byte, 0 or 1).
    case bool(Bool)
    /// Type 8: UTF-8 text (invalid sequences replaced by U+FFFD).
    case string(String)
    /// An array; its elements all have the same type (arrays may nest).
    case array([GGUFValue])

    /// The value as an `Int` when it is an integer that fits, else nil.
    public var int: Int? {
        switch self {
        case .uint8(let v): Int(v)
        case .int8(let v): Int(v)
        case .uint16(let v): Int(v)
        case .int16(let v): Int(v)
        case .uint32(let v): Int(v)
        case .int32(let v): Int(v)
        case .uint64(let v): Int(exactly: v)
        case .int64(let v): Int(v)
        default: nil
        }
    }

    /// The value as a `Float` when it is a number, else nil.
    public var float: Float? {
        switch self {
        case .float32(let v): v
        case .float64(let v): Float(v)
        default: int.map(Float.init)
        }
    }

    /// The value when it is a bool, else nil.
    public var bool: Bool? { if case .bool(let v) = self { v } else { nil } }
    /// The value when it is a string, else nil.
    public var string: String? { if case .string(let v) = self { v } else { nil } }
    /// The elements when the value is an array, else nil.
    public var array: [GGUFValue]? { if case .array(let v) = self { v } else { nil } }

    /// Short text for `skipchat info`: scalars in full, arrays as their length.
    public var summary: String {
        switch self {
        case .string(let s): s.count > 60 ? "\"\(s.prefix(57))…\"" : "\"\(s)\""
        case .array(let a): "[\(a.count) values]"
        case .bool(let b): "\(b)"
        case .float32(let v): "\(v)"
        case .float64(let v): "\(v)"
        default: int.map { "\($0)" } ?? "?"
        }
    }
}
