import Foundation

/// A synthetic model as a GGUF file llama.cpp loads (the config's architecture, the `<arch>.*`
/// keys its loader reads, llama.cpp tensor names and types) and skipchat reads back as `config`.
extension SyntheticSpec {
    /// Alignment of the tensor data (the GGUF default, written explicitly).
    static let alignment = 32

    /// `general.*`, `<arch>.*` and `tokenizer.*` keys, in that order. The name is "synthetic NAME"
    /// (shown as "synthetic-NAME": basename "synthetic", size label NAME).
    var metadata: [(key: String, value: GGUFValue)] {
        let c = config
        let arch = c.architecture.name
        func u32(_ n: Int) -> GGUFValue { .uint32(UInt32(n)) }
        var window: [(key: String, value: GGUFValue)] = []
        if c.slidingWindow > 0 { window.append(("\(arch).attention.sliding_window", u32(c.slidingWindow))) }
        if let theta = c.slidingRoPETheta { window.append(("\(arch).rope.freq_base_swa", .float32(theta))) }
        return [
            ("general.architecture", .string(arch)),
            ("general.name", .string("synthetic \(name)")),
            ("general.basename", .string("synthetic")),
            ("general.size_label", .string(name)),
            ("general.file_type", .uint32(recipe.fileType)),
            ("general.quantization_version", .uint32(2)),
            ("general.alignment", u32(Self.alignment)),
            ("\(arch).vocab_size", u32(c.vocabSize)),
            ("\(arch).context_length", u32(c.contextLength)),
            ("\(arch).embedding_length", u32(c.hiddenSize)),
            ("\(arch).block_count", u32(c.layerCount)),
            ("\(arch).feed_forward_length", u32(c.ffnSize)),
            ("\(arch).rope.dimension_count", u32(c.headDim)),
            ("\(arch).attention.head_count", u32(c.headCount)),
            ("\(arch).attention.head_count_kv", u32(c.kvHeadCount)),
            ("\(arch).attention.layer_norm_rms_epsilon", .float32(c.rmsNormEps)),
            ("\(arch).rope.freq_base", .float32(c.ropeTheta)),
        ] + window + vocabulary.metadata(size: c.vocabSize, seed: seed)
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
