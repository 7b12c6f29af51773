import Dispatch

/// Random bytes that are valid blocks of a tensor type, made fast: whole 64-bit words from a
/// seeded SplitMix64, 1 MiB chunks spread over all cores, each chunk seeded from its index so the
/// bytes never depend on the thread count. Every block is distinct memory (bandwidth is honest).
///
/// Values (each range keeps a random model's activations finite through 32 layers):
/// - BF16: sign and 8 mantissa bits random, magnitude in [2⁻⁷, 2⁻⁵).
/// - Q8_0: fp16 d in [2⁻¹², 2⁻¹¹); quants odd, so in −127…127 like `quantize_row_q8_0`'s.
/// - Q4_K: fp16 d and dmin in [2⁻¹⁴, 2⁻¹³); 6-bit sub-block scales/minima and nibbles random.
/// - Q6_K: fp16 d in [2⁻¹⁶, 2⁻¹⁵) (subnormal, as real files have); int8 scales and quants random.
enum SyntheticFill {
    /// The types `random` can make.
    static let supportedTypes: Set<TensorType> = [.bf16, .q8_0, .q4_K, .q6_K]
    /// Bytes per chunk of work (rounded down to whole blocks).
    static let chunkBytes = 1 << 20

    /// Fills `blocks` blocks of `type` at `base` from `seed`.
    static func random(_ type: TensorType, blocks: Int, into base: UnsafeMutableRawPointer, seed: UInt64) {
        precondition(supportedTypes.contains(type), "synthetic weights cannot be \(type)")
        let perChunk = max(1, chunkBytes / type.blockBytes)
        let chunks = (blocks + perChunk - 1) / perChunk
        let address = UInt(bitPattern: base)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let first = chunk * perChunk
            let start = UnsafeMutableRawPointer(bitPattern: address)! + first * type.blockBytes
            var rng = SeededGenerator(seed: seed ^ (UInt64(chunk) &* 0xD1B5_4A32_D192_ED03))
            fillChunk(type, blocks: min(perChunk, blocks - first), at: start, rng: &rng)
        }
    }

    private static func fillChunk(_ type: TensorType, blocks: Int, at p: UnsafeMutableRawPointer, rng: inout SeededGenerator) {
        let (keep, set): (UInt64, UInt64) = switch type {
        case .bf16: (0x80FF_80FF_80FF_80FF, 0x3C00_3C00_3C00_3C00)  // exponent 120 or 121
        case .q8_0: (~0, 0x0101_0101_0101_0101)  // odd bytes: never −128
        default: (~0, 0)
        }
        let bytes = blocks * type.blockBytes
        let words = bytes / 8
        for i in 0..<words { p.storeBytes(of: (rng.next() & keep) | set, toByteOffset: i * 8, as: UInt64.self) }
        let tail = (rng.next() & keep) | set
        withUnsafeBytes(of: tail.littleEndian) { (p + words * 8).copyMemory(from: $0.baseAddress!, byteCount: bytes - words * 8) }
        let stride = type.blockBytes
        switch type {
        case .q8_0:
            for b in 0..<blocks { p.storeBytes(of: UInt16(0x0C00 | rng.next() & 0x3FF).littleEndian, toByteOffset: b * stride, as: UInt16.self) }
        case .q4_K:
            for b in 0..<blocks {
                let r = rng.next()
                p.storeBytes(of: UInt16(0x0400 | r & 0x3FF).littleEndian, toByteOffset: b * stride, as: UInt16.self)
                p.storeBytes(of: UInt16(0x0400 | (r >> 16) & 0x3FF).littleEndian, toByteOffset: b * stride + 2, as: UInt16.self)
            }
        case .q6_K:
            for b in 0..<blocks { p.storeBytes(of: UInt16(0x0100 | rng.next() & 0xFF).littleEndian, toByteOffset: b * stride + 208, as: UInt16.self) }
        default:
            break
        }
    }
}
