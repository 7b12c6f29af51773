import Foundation

/// A synthetic model as a GGUF file llama.cpp loads (architecture "llama", the `llama.*` keys
/// its loader reads, llama.cpp tensor names and types) and skipchat reads back as `config`.
extension SyntheticSpec {
    /// Alignment of the tensor data (the GGUF default, written explicitly).
    static let alignment = 32

    /// `general.*`, `llama.*` and `tokenizer.*` keys, in that order. The name is "synthetic NAME"
    /// (shown as "synthetic-NAME": basename "synthetic", size label NAME).
    var metadata: [(key: String, value: GGUFValue)] {
        let c = config
        func u32(_ n: Int) -> GGUFValue { .uint32(UInt32(n)) }
        return [
            ("general.architecture", .string("llama")),
            ("general.name", .string("synthetic \(name)")),
            ("general.basename", .string("synthetic")),
            ("general.size_label", .string(name)),
            ("general.file_type", .uint32(recipe.fileType)),
            ("general.quantization_version", .uint32(2)),
            ("general.alignment", u32(Self.alignment)),
            ("llama.vocab_size", u32(c.vocabSize)),
            ("llama.context_length", u32(c.contextLength)),
            ("llama.embedding_length", u32(c.hiddenSize)),
            ("llama.block_count", u32(c.layerCount)),
            ("llama.feed_forward_length", u32(c.ffnSize)),
            ("llama.rope.dimension_count", u32(c.headDim)),
            ("llama.attention.head_count", u32(c.headCount)),
            ("llama.attention.head_count_kv", u32(c.kvHeadCount)),
            ("llama.attention.layer_norm_rms_epsilon", .float32(c.rmsNormEps)),
            ("llama.rope.freq_base", .float32(c.ropeTheta)),
        ] + vocabulary.metadata(size: c.vocabSize, seed: seed)
    }

    /// The whole file's layout, with its tensors' contents.
    func gguf() -> (writer: GGUFWriter, tensors: [SyntheticTensor]) {
        let tensors = tensors
        return (GGUFWriter(metadata: metadata, tensors: tensors.map(\.info), alignment: Self.alignment), tensors)
    }

    /// Writes the model as a GGUF file at `path` (created, or truncated when it exists).
    ///
    /// - Throws: `GGUFWriteError` when the file cannot be created, sized or mapped.
    public func writeGGUF(to path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw GGUFWriteError.system("cannot create \(path)") }
        defer { close(fd) }
        try write(to: fd)
    }

    /// Writes the model as a GGUF file into the open, writable file `fd`.
    func write(to fd: Int32) throws {
        let (writer, tensors) = gguf()
        try writer.write(to: fd) { index, destination in tensors[index].fill(into: destination) }
    }
}
