import Foundation
import SkipChatTokenizer

/// Where a model's tokenizer comes from.
public enum TokenizerSource: Sendable {
    /// Stored in the GGUF file's `tokenizer.ggml.*` metadata.
    case gguf(GGUFVocabulary)
    /// Hugging Face `tokenizer.json`, with `tokenizer_config.json` when the checkpoint has one.
    case huggingFace(tokenizerJSON: URL, tokenizerConfig: URL?)
    /// The model file has no tokenizer.
    case none

    /// The tokenizer at a model path, without reading any weights: the `tokenizer.ggml.*` metadata
    /// of a GGUF file (which may be vocab-only, with no tensors), or the `tokenizer.json` (+
    /// `tokenizer_config.json`) of a directory, which needs no `config.json` or safetensors.
    /// `path` is read as by `ModelFile.open`.
    /// - Throws: `ModelLoadError` naming the path when nothing is there, the GGUF header or
    ///   metadata is malformed, the GGUF has no `tokenizer.ggml.model` key, or the directory has
    ///   no `tokenizer.json`.
    public init(modelPath path: String) throws(ModelLoadError) {
        switch try ModelFile.Location(path: path) {
        case let .huggingFace(directory):
            self = HFCheckpoint.tokenizerSource(in: directory)
            if case .none = self { throw Self.missingTokenizerJSON(in: directory) }
        case let .gguf(file):
            guard let vocabulary = try GGUFFile(file: MappedFile(path: file), metadataOnly: true).vocabulary() else {
                throw ModelLoadError(file: file, "no tokenizer in this GGUF file (no tokenizer.ggml.model metadata key)")
            }
            self = .gguf(vocabulary)
        }
    }

    /// Builds the tokenizer. `file` names the model in the error when there is none.
    /// - Throws: `ModelLoadError` for `.none`, naming the file that is missing (a checkpoint
    ///   directory's tokenizer.json) or the metadata a GGUF lacks; the tokenizer's error when its
    ///   data is unusable.
    public func tokenizer(file: String) throws -> Tokenizer {
        switch self {
        case let .gguf(vocabulary):
            return try Tokenizer(gguf: vocabulary)
        case let .huggingFace(json, config):
            return try Tokenizer(tokenizerJSON: json, tokenizerConfig: config)
        case .none:
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
                throw Self.missingTokenizerJSON(in: URL(fileURLWithPath: file))
            }
            throw ModelLoadError(file: file, "no tokenizer in this GGUF file (no tokenizer.ggml.model metadata key)")
        }
    }

    /// "DIR/tokenizer.json: missing: …": the checkpoint has no tokenizer, or only a SentencePiece
    /// `tokenizer.model` (which skipchat does not read; transformers writes the tokenizer.json).
    static func missingTokenizerJSON(in directory: URL) -> ModelLoadError {
        let json = directory.appendingPathComponent("tokenizer.json").path
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("tokenizer.model").path) else {
            return ModelLoadError(file: json, "missing: the checkpoint has no tokenizer")
        }
        return ModelLoadError(file: json, "missing: the checkpoint has only tokenizer.model (SentencePiece), which skipchat does not "
            + "read; write tokenizer.json with transformers: AutoTokenizer.from_pretrained(DIR).save_pretrained(DIR)")
    }
}
