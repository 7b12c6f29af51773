import Foundation
import SkipChatEngine

/// Random corruptions of a valid parser input: bytes flipped, truncation, 64- and 32-bit length
/// or count fields set to extremes, and for JSON text also members duplicated, swapped and
/// numbers set to extremes. Seeded, so a failing input can be regenerated.
public struct FuzzMutator {
    /// Values written over length and count fields.
    static let extremes: [UInt64] = [.max, 1 << 63, 1 << 62, 1 << 40, UInt64(Int32.max), 0x8000_0000, 0xFFFF_FFFF, 0]
    /// Numbers written over JSON numbers.
    static let extremeNumbers = ["-1", "0", "18446744073709551616", "9223372036854775807", "-9223372036854775809",
                                 "1e308", "-1e309", "4294967296", "2147483648", "0.5", "NaN", "1" + String(repeating: "0", count: 400)]

    private var rng: SeededGenerator

    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// One corruption of `data`. Byte-level positions fall inside the first `structureBytes`
    /// bytes three times in four (where headers and metadata are; flips in tensor data only
    /// change weights). `json`: the data is (or begins with) JSON text, so JSON mutations apply.
    public mutating func mutate(_ data: Data, structureBytes: Int, json: Bool) -> Data {
        guard data.count >= 8 else { return data }
        let kinds = json ? 7 : 4
        var copy = Array(data)
        switch Int.random(in: 0..<kinds, using: &rng) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                copy[position(in: copy.count, structureBytes)] ^= UInt8.random(in: 1...255, using: &rng)
            }
        case 1:
            copy.removeLast(Int.random(in: 1...copy.count, using: &rng))
        case 2:
            patch(&copy, Self.extremes.randomElement(using: &rng)!, at: min(position(in: copy.count, structureBytes), copy.count - 8))
        case 3:
            let value = UInt32(truncatingIfNeeded: Self.extremes.randomElement(using: &rng)! >> UInt64.random(in: 0...32, using: &rng))
            patch(&copy, value, at: min(position(in: copy.count, structureBytes), copy.count - 4))
        case 4:
            duplicateMember(&copy, structureBytes)
        case 5:
            swapMembers(&copy, structureBytes)
        default:
            extremeNumber(&copy, structureBytes)
        }
        return Data(copy)
    }

    private mutating func position(in count: Int, _ structureBytes: Int) -> Int {
        let structure = max(1, min(structureBytes, count))
        return Int.random(in: 0..<4, using: &rng) < 3 ? Int.random(in: 0..<structure, using: &rng) : Int.random(in: 0..<count, using: &rng)
    }

    private func patch<T: FixedWidthInteger>(_ bytes: inout [UInt8], _ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }

    /// Offsets of `,` `{` `[` in the JSON part: the text between two of them is roughly one
    /// member or element (exactness is not needed; a broken result is a mutation too).
    private func separators(_ bytes: [UInt8], _ structureBytes: Int) -> [Int] {
        bytes.prefix(structureBytes).indices.filter { [0x2C, 0x7B, 0x5B].contains(bytes[$0]) }
    }

    /// A random member `,…` copied in after itself (a duplicated key or element).
    private mutating func duplicateMember(_ bytes: inout [UInt8], _ structureBytes: Int) {
        let cuts = separators(bytes, structureBytes)
        guard cuts.count >= 2 else { return }
        let i = Int.random(in: 0..<cuts.count - 1, using: &rng)
        let member = bytes[cuts[i] + 1..<cuts[i + 1]]
        bytes.insert(contentsOf: [0x2C] + member, at: cuts[i + 1])
    }

    /// Two neighbouring members exchanged (reordered keys or elements).
    private mutating func swapMembers(_ bytes: inout [UInt8], _ structureBytes: Int) {
        let cuts = separators(bytes, structureBytes)
        guard cuts.count >= 3 else { return }
        let i = Int.random(in: 0..<cuts.count - 2, using: &rng)
        let first = Array(bytes[cuts[i] + 1..<cuts[i + 1]]), second = Array(bytes[cuts[i + 1] + 1..<cuts[i + 2]])
        bytes.replaceSubrange(cuts[i] + 1..<cuts[i + 2], with: second + [bytes[cuts[i + 1]]] + first)
    }

    /// A run of digits replaced by an extreme number.
    private mutating func extremeNumber(_ bytes: inout [UInt8], _ structureBytes: Int) {
        let digits = bytes.prefix(structureBytes).indices.filter { (0x30...0x39).contains(bytes[$0]) }
        guard let start = digits.randomElement(using: &rng) else { return }
        var end = start
        while end < bytes.count, (0x30...0x39).contains(bytes[end]) || bytes[end] == 0x2E { end += 1 }
        bytes.replaceSubrange(start..<end, with: Array(Self.extremeNumbers.randomElement(using: &rng)!.utf8))
    }
}
