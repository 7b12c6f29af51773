import Foundation
import SkipChatTokenizer

/// Test-only reader of a GGUF file's metadata (ggml/docs/gguf.md: header, then key/value pairs),
/// enough to fill `GGUFVocabulary` from the default model and llama.cpp's vocab-only files. The
/// engine has its own reader; this one keeps the tokenizer tests free of engine code.
struct GGUFMetadataReader {
    enum Value {
        case int(Int64), float(Double), bool(Bool), string(String), array([Value])
    }

    private let data: Data
    private var pos = 0

    static func vocabulary(at url: URL) throws -> GGUFVocabulary {
        var reader = GGUFMetadataReader(data: try Data(contentsOf: url, options: .alwaysMapped))
        let kv = try reader.readMetadata()
        func string(_ k: String) -> String? { if case .string(let s)? = kv[k] { return s }; return nil }
        func int(_ k: String) -> Int32? { if case .int(let i)? = kv[k] { return Int32(i) }; return nil }
        func bool(_ k: String) -> Bool? { if case .bool(let b)? = kv[k] { return b }; return nil }
        func array(_ k: String) -> [Value]? { if case .array(let a)? = kv[k] { return a }; return nil }
        let tokens = array("tokenizer.ggml.tokens")?.map { v -> String in if case .string(let s) = v { return s }; return "" } ?? []
        return GGUFVocabulary(
            model: string("tokenizer.ggml.model") ?? "", pre: string("tokenizer.ggml.pre"), tokens: tokens,
            scores: array("tokenizer.ggml.scores")?.map { v in if case .float(let f) = v { return Float(f) }; return 0 },
            tokenTypes: array("tokenizer.ggml.token_type")?.map { v in if case .int(let i) = v { return Int32(i) }; return 1 },
            merges: array("tokenizer.ggml.merges")?.map { v in if case .string(let s) = v { return s }; return "" },
            bosID: int("tokenizer.ggml.bos_token_id"), eosID: int("tokenizer.ggml.eos_token_id"),
            unknownID: int("tokenizer.ggml.unknown_token_id"), paddingID: int("tokenizer.ggml.padding_token_id"),
            eotID: int("tokenizer.ggml.eot_token_id"), addBOS: bool("tokenizer.ggml.add_bos_token"),
            addEOS: bool("tokenizer.ggml.add_eos_token"), addSpacePrefix: bool("tokenizer.ggml.add_space_prefix"),
            chatTemplate: string("tokenizer.chat_template"))
    }

    private init(data: Data) { self.data = data }

    private mutating func readMetadata() throws -> [String: Value] {
        guard try raw(4) == Array("GGUF".utf8) else { throw CocoaError(.fileReadCorruptFile) }
        _ = try uint(4)            // version
        _ = try uint(8)            // tensor count
        let count = try uint(8)
        var kv: [String: Value] = [:]
        for _ in 0..<count {
            let key = try string()
            kv[key] = try value(type: UInt32(try uint(4)))
        }
        return kv
    }

    private mutating func raw(_ n: Int) throws -> [UInt8] {
        guard pos + n <= data.count else { throw CocoaError(.fileReadCorruptFile) }
        defer { pos += n }
        return [UInt8](data[data.startIndex + pos ..< data.startIndex + pos + n])
    }

    private mutating func uint(_ n: Int) throws -> UInt64 {
        try raw(n).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func string() throws -> String {
        String(decoding: try raw(Int(try uint(8))), as: UTF8.self)
    }

    private mutating func value(type: UInt32) throws -> Value {
        switch type {
        case 0, 2, 4, 10: return .int(Int64(bitPattern: try uint([0: 1, 2: 2, 4: 4, 10: 8][type]!)))
        case 1: return .int(Int64(Int8(bitPattern: UInt8(try uint(1)))))
        case 3: return .int(Int64(Int16(bitPattern: UInt16(try uint(2)))))
        case 5: return .int(Int64(Int32(bitPattern: UInt32(try uint(4)))))
        case 11: return .int(Int64(bitPattern: try uint(8)))
        case 6: return .float(Double(Float(bitPattern: UInt32(try uint(4)))))
        case 12: return .float(Double(bitPattern: try uint(8)))
        case 7: return .bool(try uint(1) != 0)
        case 8: return .string(try string())
        case 9:
            let elementType = UInt32(try uint(4))
            let n = Int(try uint(8))
            var out: [Value] = []
            out.reserveCapacity(n)
            for _ in 0..<n { out.append(try value(type: elementType)) }
            return .array(out)
        default: throw CocoaError(.fileReadCorruptFile)
        }
    }
}
