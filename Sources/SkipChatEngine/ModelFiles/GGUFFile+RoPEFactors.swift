/// Reading llama.cpp's per-frequency RoPE factors from a GGUF file.
extension GGUFFile {
    /// The tensor llama.cpp's converter writes for Llama 3.1/3.2 (`rope_type` "llama3") RoPE
    /// scaling: one divisor per dimension pair (conversion/llama.py `generate_extra_tensors`).
    static let ropeFactorsTensorName = "rope_freqs.weight"

    /// LongRoPE's factors for contexts up to the original length (Phi-3; llama.cpp's converter
    /// writes `short_factor` here, and `long_factor` as `rope_factors_long.weight`).
    static let shortRoPEFactorsTensorName = "rope_factors_short.weight"

    /// The values of tensor `name` (`rope_freqs.weight` unless told), or nil when the file has
    /// none. Throws unless the tensor is F32 or F16 with exactly headDim/2 values, each finite and positive.
    func ropeFrequencyFactors(headDim: Int, name: String = ropeFactorsTensorName) throws(ModelLoadError) -> [Float]? {
        guard let tensor = tensors.first(where: { $0.name == name }) else { return nil }
        let count = headDim / 2
        guard tensor.elementCount == count else {
            throw fail("tensor '\(name)' has \(tensor.elementCount) values (shape \(tensor.shape)), expected \(count), half the head size \(headDim)")
        }
        let factors: [Float]
        switch tensor.type {
        case .f32:
            factors = Array(UnsafeBufferPointer(start: tensor.data.assumingMemoryBound(to: Float.self), count: count))
        case .f16:
            let bits = tensor.data.assumingMemoryBound(to: UInt16.self)
            factors = (0..<count).map { NormWeights.halfToFloat(bits[$0]) }
        default:
            throw fail("tensor '\(name)' has type \(tensor.type), expected F32 or F16")
        }
        if let i = factors.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw fail("tensor '\(name)' value \(i) is \(factors[i]), expected a finite factor > 0")
        }
        return factors
    }
}
