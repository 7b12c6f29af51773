import Foundation

extension ModelFile {
    /// Opens a GGUF file: header, metadata and tensors (`GGUFFile`), Llama config from the
    /// `<arch>.*` keys, tokenizer from `tokenizer.ggml.*`, weights checked against the config.
    /// The LM head is tied to the token embedding when the file has no `output.weight`.
    static func openGGUF(path: String) throws(ModelLoadError) -> ModelFile {
        let gguf = try GGUFFile(file: MappedFile(path: path))
        let architecture = try gguf.llamaArchitecture()
        var config = try gguf.llamaConfig(architecture: architecture.name, family: architecture.family)
        try LlamaConfigCheck.validate(config, file: path)
        let tensors = Dictionary(gguf.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let norms = NormWeights()
        let built = try LlamaWeightsBuilder(config: config, names: config.architecture.ggufTensorNames, tensors: tensors,
                                            file: path, norms: norms).build(tieRequested: false)
        config.tiedEmbeddings = built.tied
        let vocabulary = try gguf.vocabulary()
        let fileName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ModelFile(
            path: path, name: gguf.metadata["general.name"]?.string ?? fileName, architecture: architecture.name,
            format: .gguf(version: gguf.version), config: config, weights: built.weights,
            tokenizerSource: vocabulary.map { .gguf($0) } ?? .none, chatTemplate: gguf.chatTemplate,
            bosTokenID: vocabulary?.bosID.map(Int.init), eosTokenIDs: vocabulary?.eosID.map { [Int($0)] } ?? [],
            tensors: gguf.tensors, metadata: gguf.metadata, mappings: [gguf.file], norms: norms)
    }
}
