// Block formats: row sizes and sc_dequantize_row on hand-built blocks (GGML layouts).
import CKernels
import XCTest

final class QuantTests: XCTestCase {
    func testRowBytes() {
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_F32), 10), 40)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_F16), 10), 20)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_BF16), 7), 14)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_Q4_0), 64), 36)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_Q4_1), 64), 40)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_Q8_0), 64), 68)
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_Q8_0), 40), 0)
        XCTAssertEqual(sc_row_bytes(99, 64), 0)
    }

    private func dequantize(_ type: Int32, _ bytes: [UInt8], cols: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: cols)
        bytes.withUnsafeBytes { sc_dequantize_row(type, $0.baseAddress, &out, Int64(cols)) }
        return out
    }

    func testQ4_0() {
        // d = 0.5 (f16 0x3800); byte i holds element i (low nibble) and element i + 16 (high nibble).
        var block: [UInt8] = [0x00, 0x38]
        for i in 0..<16 { block.append(UInt8(i) | UInt8(15 - i) << 4) }
        let low: [Float] = (0..<16).map { Float($0 - 8) * 0.5 }
        let high: [Float] = (0..<16).map { Float(7 - $0) * 0.5 }
        let expected = low + high
        XCTAssertEqual(dequantize(Int32(SC_TYPE_Q4_0), block, cols: 32), expected)
    }

    func testQ4_1() {
        // d = 2 (0x4000), m = -1 (0xBC00).
        var block: [UInt8] = [0x00, 0x40, 0x00, 0xBC]
        for i in 0..<16 { block.append(UInt8(i) | 3 << 4) }
        let low: [Float] = (0..<16).map { Float($0) * 2 - 1 }
        let expected = low + [Float](repeating: 5, count: 16)
        XCTAssertEqual(dequantize(Int32(SC_TYPE_Q4_1), block, cols: 32), expected)
    }

    func testQ8_0TwoBlocks() {
        // Block 0: d = 0.25 (0x3400), qs = -16…15; block 1: d = -1 (0xBC00), qs all 127.
        var row: [UInt8] = [0x00, 0x34]
        row += (0..<32).map { (i: Int) -> UInt8 in UInt8(bitPattern: Int8(i - 16)) }
        row += [0x00, 0xBC] + [UInt8](repeating: 127, count: 32)
        let first: [Float] = (0..<32).map { Float($0 - 16) * 0.25 }
        let expected = first + [Float](repeating: -127, count: 32)
        XCTAssertEqual(dequantize(Int32(SC_TYPE_Q8_0), row, cols: 64), expected)
    }

    func testHalfPrecisionFormats() {
        // F16: 1, -2, 65504 (max), 2^-24 (smallest subnormal), -0, inf.
        let halves: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8000, 0x7C00]
        var bytes: [UInt8] = []
        for h in halves { bytes.appendLE(h) }
        let f16 = dequantize(Int32(SC_TYPE_F16), bytes, cols: halves.count)
        XCTAssertEqual(f16, [1, -2, 65504, 0x1p-24, -0.0, .infinity])
        XCTAssertEqual(f16[4].sign, .minus)
        XCTAssertTrue(dequantize(Int32(SC_TYPE_F16), [0x01, 0x7E], cols: 1)[0].isNaN)
        // BF16: upper halves of 1.5 and -3.25.
        let bf16 = dequantize(Int32(SC_TYPE_BF16), [0xC0, 0x3F, 0x50, 0xC0], cols: 2)
        XCTAssertEqual(bf16, [1.5, -3.25])
        // Every F16 value matches Swift's Float16 conversion.
        var all: [UInt8] = []
        for h in 0...UInt16.max { all.appendLE(h) }
        let converted = dequantize(Int32(SC_TYPE_F16), all, cols: 65536)
        for h in 0...UInt16.max {
            let want = Float(Float16(bitPattern: h))
            XCTAssertTrue(converted[Int(h)].bitPattern == want.bitPattern || (want.isNaN && converted[Int(h)].isNaN), "f16 \(h)")
        }
    }
}
