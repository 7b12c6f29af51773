/// A model, config or tokenizer file that cannot be used. `description` is one line naming the
/// file and the problem, e.g. "model.gguf: tensor 'blk.3.attn_q.weight' data ends past the end of the file".
public struct ModelLoadError: Error, CustomStringConvertible, Equatable {
    /// Path of the file at fault.
    public var file: String
    /// What is wrong, without the path.
    public var message: String

    /// Control characters in `file` and `message` (which may quote names read from a corrupt
    /// file) are escaped, so `description` is always one line.
    public init(file: String, _ message: String) {
        self.file = file.escapingControlCharacters
        self.message = message.escapingControlCharacters
    }

    public var description: String { "\(file): \(message)" }
}
