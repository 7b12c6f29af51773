/// bfloat16: the upper 16 bits of an IEEE float32.
package enum BFloat16 {
    /// `value` rounded to nearest even; NaN stays NaN.
    package static func bits(_ value: Float) -> UInt16 {
        let b = value.bitPattern
        if value.isNaN { return UInt16(b >> 16) | 0x40 }
        return UInt16((b + 0x7FFF + ((b >> 16) & 1)) >> 16)
    }

    /// The float32 that `bits` stands for.
    package static func float(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
