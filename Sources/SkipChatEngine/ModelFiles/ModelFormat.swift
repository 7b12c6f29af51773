/// The on-disk format a `ModelFile` was read from.
public enum ModelFormat: Sendable, Equatable, CustomStringConvertible {
    /// A single GGUF file of the given version (2 or 3).
    case gguf(version: Int)
    /// A Hugging Face checkpoint directory with this many safetensors files.
    case huggingFace(shardCount: Int)

    public var description: String {
        switch self {
        case .gguf(let version): "GGUF v\(version)"
        case .huggingFace(let shards): "Hugging Face safetensors (\(shards) file\(shards == 1 ? "" : "s"))"
        }
    }
}
