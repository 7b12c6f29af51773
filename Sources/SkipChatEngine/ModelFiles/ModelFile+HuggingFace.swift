import Foundation

extension ModelFile {
    /// Opens a Hugging Face checkpoint directory (`HFCheckpoint`): Llama config from
    /// `config.json`, weights from its safetensors files checked against the config, tokenizer
    /// files and chat template from the directory. The LM head is the token embedding when
    /// `tie_word_embeddings` is true or the checkpoint has no `lm_head.weight`.
    /// `overlay` (a quantised copy, `CheckpointQuantizer`) replaces the checkpoint's tensors of the same names.
    static func openHuggingFace(directory: URL, overlay: GGUFFile? = nil) throws(ModelLoadError) -> ModelFile {
        let checkpoint = try HFCheckpoint(directory: directory)
        let configPath = directory.appendingPathComponent("config.json").path
        var config = try checkpoint.config.llamaConfig(file: configPath)
        let norms = NormWeights()
        var tensors = checkpoint.tensors
        for tensor in overlay?.tensors ?? [] where tensors[tensor.name] != nil { tensors[tensor.name] = tensor }
        let built = try LlamaWeightsBuilder(config: config, names: config.architecture.huggingFaceTensorNames, tensors: tensors,
                                            file: directory.path, norms: norms,
                                            normOffset: config.architecture.huggingFaceNormOffset).build(tieRequested: config.tiedEmbeddings)
        config.tiedEmbeddings = built.tied
        return ModelFile(
            path: directory.path, name: directory.lastPathComponent,
            architecture: checkpoint.config.modelType ?? "llama",
            format: .huggingFace(shardCount: checkpoint.shards.count), config: config, weights: built.weights,
            tokenizerSource: checkpoint.tokenizerSource, chatTemplate: try checkpoint.chatTemplate(),
            bosTokenID: checkpoint.config.bosTokenId?.ids.first, eosTokenIDs: checkpoint.config.eosTokenId?.ids ?? [],
            tensors: Array(tensors.values), metadata: [:], mappings: checkpoint.shards.map(\.file) + (overlay.map { [$0.file] } ?? []), norms: norms)
    }
}
