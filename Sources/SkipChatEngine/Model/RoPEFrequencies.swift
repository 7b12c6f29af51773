import Foundation

/// Inverse frequencies of RoPE pairs: inv_freq[i] = θ^(−2i/d), i in [0, d/2) (RoFormer §3.4),
/// divided by `factors[i]` when given (GGUF `rope_freqs.weight`, ggml `ggml_rope_ext`
/// freq_factors), else with Llama 3.1 frequency-dependent scaling when configured (transformers
/// `_compute_llama3_parameters`: long wavelengths divided by `factor`, short ones kept, the band
/// between interpolated smoothly). The factors take the place of `scaling`, as in llama.cpp.
///
/// - Parameter factors: nil or headDim/2 positive values.
/// - Returns: headDim/2 floats.
func ropeInverseFrequencies(headDim: Int, theta: Float, scaling: Llama3RoPEScaling?, factors: [Float]?) -> [Float] {
    let half = headDim / 2
    var inv = (0..<half).map { i -> Float in 1 / powf(theta, Float(2 * i) / Float(headDim)) }
    if let factors { return zip(inv, factors).map { $0 / $1 } }
    guard let s = scaling else { return inv }
    let oldContext = Float(s.originalMaxPositions)
    let lowWavelength = oldContext / s.lowFreqFactor
    let highWavelength = oldContext / s.highFreqFactor
    for i in 0..<half {
        let wavelength = 2 * Float.pi / inv[i]
        if wavelength > lowWavelength {
            inv[i] /= s.factor
        } else if wavelength >= highWavelength {
            let smooth = (oldContext / wavelength - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor)
            inv[i] = (1 - smooth) * inv[i] / s.factor + smooth * inv[i]
        }
    }
    return inv
}
