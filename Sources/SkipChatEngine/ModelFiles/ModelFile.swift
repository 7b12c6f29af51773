import Foundation

/// A Llama-family model opened from disk: a GGUF file or a Hugging Face checkpoint directory.
///
/// The files are memory-mapped read-only and stay mapped for the life of this object; every
/// `WeightTensor` in `weights` points into them, so keep the `ModelFile` alive while they are
/// used. Immutable after `open`, hence safe to share between threads.
public final class ModelFile: @unchecked Sendable {
    /// The path given to `open` (a .gguf file, or the checkpoint directory for Hugging Face).
    public let path: String
    /// `general.name` for GGUF, else the file or directory name.
    public let name: String
    /// `general.architecture` for GGUF, `model_type` for Hugging Face ("llama" when absent).
    public let architecture: String
    /// GGUF (with its version) or Hugging Face safetensors (with its shard count).
    public let format: ModelFormat
    /// Shapes and RoPE settings; `tiedEmbeddings` tells whether `weights.lmHead` is the embedding.
    public let config: LlamaConfig
    /// Every weight, shape-checked against `config`. Norm weights are always F32 (converted
    /// when the file stores them as F16/BF16); matrices keep their stored type.
    public let weights: LlamaWeights
    /// Where the tokenizer comes from: the GGUF vocabulary, the checkpoint's tokenizer.json, or none.
    public let tokenizerSource: TokenizerSource
    /// Jinja chat template from the file (GGUF `tokenizer.chat_template`, or the checkpoint's
    /// `chat_template.jinja` / `tokenizer_config.json`), if any.
    public let chatTemplate: String?
    /// Beginning-of-sequence token id, if the file names one.
    public let bosTokenID: Int?
    /// End-of-sequence token ids (Hugging Face configs may list several).
    public let eosTokenIDs: [Int]
    /// Total bytes of the model files (all shards; config and tokenizer files not counted).
    public let fileSize: Int
    /// Number of tensors of each type in the files, used or not.
    public let tensorTypeCounts: [TensorType: Int]
    /// GGUF metadata by key (e.g. `metadata["llama.context_length"]?.int`); empty for Hugging Face.
    public let metadata: [String: GGUFValue]
    /// Keeps the mappings that `weights` point into alive.
    private let mappings: [MappedFile]
    /// Keeps the F32 copies of F16/BF16 norm weights alive.
    private let norms: NormWeights

    init(path: String, name: String, architecture: String, format: ModelFormat, config: LlamaConfig,
         weights: LlamaWeights, tokenizerSource: TokenizerSource, chatTemplate: String?, bosTokenID: Int?,
         eosTokenIDs: [Int], tensors: [StoredTensor], metadata: [String: GGUFValue], mappings: [MappedFile],
         norms: NormWeights) {
        self.path = path
        self.name = name
        self.architecture = architecture
        self.format = format
        self.config = config
        self.weights = weights
        self.tokenizerSource = tokenizerSource
        self.chatTemplate = chatTemplate
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
        self.fileSize = mappings.reduce(0) { $0 + $1.size }
        self.tensorTypeCounts = tensors.reduce(into: [:]) { $0[$1.type, default: 0] += 1 }
        self.metadata = metadata
        self.mappings = mappings
        self.norms = norms
    }

    /// Opens a model. `path` may be a `.gguf` file, a Hugging Face checkpoint directory, or that
    /// directory's `config.json`, `model.safetensors.index.json` or a `.safetensors` shard.
    /// A leading `~` is expanded.
    ///
    /// - Throws: `ModelLoadError` (one line naming the file and the problem) when the path is
    ///   missing, the file is malformed or truncated, the architecture or a tensor type is not
    ///   supported, or a weight is missing or has the wrong shape for the config.
    public static func open(path: String) throws(ModelLoadError) -> ModelFile {
        switch try Location(path: path) {
        case let .huggingFace(directory): return try openHuggingFace(directory: directory)
        case let .gguf(file): return try openGGUF(path: file)
        }
    }

    /// What a model path names: a Hugging Face checkpoint directory (also when the path is one of
    /// its `.json` or `.safetensors` files) or a GGUF file (any other file). A leading `~` is expanded.
    enum Location {
        case huggingFace(directory: URL)
        case gguf(path: String)

        /// - Throws: `ModelLoadError` when nothing exists at `path`.
        init(path: String) throws(ModelLoadError) {
            let expanded = NSString(string: path).expandingTildeInPath
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
                throw ModelLoadError(file: path, "no such file or directory")
            }
            let url = URL(fileURLWithPath: expanded)
            let fileName = url.lastPathComponent
            if isDirectory.boolValue {
                self = .huggingFace(directory: url)
            } else if fileName.hasSuffix(".json") || fileName.hasSuffix(".safetensors") {
                self = .huggingFace(directory: url.deletingLastPathComponent())
            } else {
                self = .gguf(path: expanded)
            }
        }
    }
}
