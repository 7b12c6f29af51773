/// A calibration that cannot run. `description` is one line.
public enum CalibrationError: Error, CustomStringConvertible, Equatable {
    /// The corpus file (path) is unusable, and why.
    case corpus(String, String)
    /// The corpus gave fewer positions than a fit needs (found, needed).
    case tooFewTokens(Int, Int)
    /// An exit layer outside 1 … L−1 (layer, L).
    case layerOutOfRange(Int, Int)
    /// No penalty gave a solvable system for this exit layer.
    case singular(Int)

    public var description: String {
        switch self {
        case let .corpus(path, problem): "corpus \(path): \(problem)"
        case let .tooFewTokens(found, needed):
            "the corpus gave \(found) tokens per split, a fit needs at least \(needed); use a larger corpus"
        case let .layerOutOfRange(layer, count): "exit layer \(layer) is not in 1…\(count - 1)"
        case let .singular(layer): "the ridge system for exit layer \(layer) could not be solved at any penalty"
        }
    }
}
