import Foundation

/// One line saying why a JSON file (config.json, generation_config.json, a saved chat session)
/// did not decode: the field at fault, or the byte offset of the first syntax error.
public enum DecodingProblem {
    /// What went wrong decoding `data`: "byte 812: unexpected end of file" for a syntax error
    /// (Foundation's JSON parser does not say where), else `describe(_:)` of the decoding error.
    public static func describe(_ error: any Error, in data: Data) -> String {
        guard let error = error as? DecodingError else { return "cannot decode: \(error)" }
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
           let syntax = JSONSyntaxCheck.firstError(in: Array(data)) {
            return "byte \(syntax.offset): \(syntax.reason)"
        }
        return describe(error)
    }

    /// The field a decoding error is about, written as a path ("messages[3].role"), and what is
    /// wrong with it.
    public static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            var out = ""
            for key in path {
                if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\(field(context.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let context):
            let place = context.codingPath.isEmpty ? "the file" : "field '\(field(context.codingPath))'"
            return "\(place) is not \(jsonKind(type))"
        case .valueNotFound(_, let context):
            return "field '\(field(context.codingPath))' is null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field '\(field(context.codingPath))' is invalid"
        @unknown default:
            return "cannot decode"
        }
    }

    /// The JSON kind a Swift type decodes from, in words ("an object", "a list", "a string").
    static func jsonKind(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary") { return "an object" }
        if name.hasPrefix("Array") { return "a list" }
        switch name {
        case "String": return "a string"
        case "Bool": return "true or false"
        case "Double", "Float": return "a number"
        case let integer where integer.hasPrefix("Int") || integer.hasPrefix("UInt"): return "an integer"
        default: return "a \(name)"
        }
    }
}

/// Finds the first JSON syntax error (RFC 8259 grammar) and its byte offset. Only checks: the
/// values themselves are decoded by Foundation.
enum JSONSyntaxCheck {
    struct Failure: Error {
        var offset: Int
        var reason: String
    }

    /// Deepest nesting checked (deeper input is reported, not recursed into).
    static let maxDepth = 512

    /// nil when `bytes` is one well-formed JSON value with optional white space around it.
    static func firstError(in bytes: [UInt8]) -> Failure? {
        var scanner = Scanner(bytes: bytes)
        do throws(Failure) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            if scanner.i < bytes.count { throw scanner.unexpected("after the end of the JSON value") }
            return nil
        } catch {
            return error
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        func unexpected(_ context: String = "") -> Failure {
            guard i < bytes.count else { return Failure(offset: i, reason: "unexpected end of file") }
            let b = bytes[i]
            let shown = (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02X", b)
            return Failure(offset: i, reason: "unexpected \(shown)" + (context.isEmpty ? "" : " " + context))
        }

        mutating func expect(_ byte: UInt8, _ context: String) throws(Failure) {
            guard i < bytes.count, bytes[i] == byte else { throw unexpected(context) }
            i += 1
        }

        mutating func value(depth: Int) throws(Failure) {
            guard i < bytes.count else { throw unexpected() }
            if depth > JSONSyntaxCheck.maxDepth { throw Failure(offset: i, reason: "nested deeper than \(JSONSyntaxCheck.maxDepth)") }
            switch bytes[i] {
            case UInt8(ascii: "{"): try container(close: UInt8(ascii: "}"), keyed: true, depth: depth)
            case UInt8(ascii: "["): try container(close: UInt8(ascii: "]"), keyed: false, depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: throw unexpected()
            }
        }

        mutating func container(close: UInt8, keyed: Bool, depth: Int) throws(Failure) {
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == close { i += 1; return }
            while true {
                if keyed {
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw unexpected("where a key should be") }
                    try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"), "where ':' should be")
                    skipSpace()
                }
                try value(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw unexpected() }
                if bytes[i] == close { i += 1; return }
                try expect(UInt8(ascii: ","), "where ',' or '\(Character(Unicode.Scalar(close)))' should be")
                skipSpace()
            }
        }

        mutating func string() throws(Failure) {
            i += 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""): i += 1; return
                case UInt8(ascii: "\\"):
                    i += 1
                    guard i < bytes.count else { throw unexpected() }
                    if bytes[i] == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            i += 1
                            guard i < bytes.count, let c = Character(Unicode.Scalar(bytes[i])).hexDigitValue, c >= 0 else {
                                throw unexpected("in a \\u escape")
                            }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(bytes[i]) {
                        throw unexpected("after '\\'")
                    }
                    i += 1
                case 0..<0x20: throw unexpected("(a control character) in a string")
                default: i += 1
                }
            }
            throw unexpected()
        }

        mutating func number() throws(Failure) {
            func digits() throws(Failure) {
                guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else { throw unexpected("where a digit should be") }
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            if i < bytes.count, bytes[i] == UInt8(ascii: "0") { i += 1 } else { try digits() }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") { i += 1; try digits() }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                try digits()
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for byte in word.utf8 {
                guard i < bytes.count, bytes[i] == byte else { throw unexpected("in '\(word)'") }
                i += 1
            }
        }
    }
}
