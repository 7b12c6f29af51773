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
}
