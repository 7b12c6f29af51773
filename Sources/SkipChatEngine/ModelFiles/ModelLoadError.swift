/// A model, config or tokenizer file that cannot be used. `description` is one line naming the
/// file and the problem, e.g. "model.gguf: tensor 'blk.3.attn_q.weight' data ends past the end of the file".
public struct ModelLoadError: Error, CustomStringConvertible, Equatable {
    /// Path of the file at fault.
    public var file: String
    /// What is wrong, without the path.
    public var message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
