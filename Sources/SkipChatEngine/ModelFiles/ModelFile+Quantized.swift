import Foundation

extension ModelFile {
    /// Opens a model as `open(path:)` does; with `quantize`, a Hugging Face checkpoint's BF16/F16/F32
    /// matrices come from its quantised copy in the cache (`CheckpointQuantizer`: made once, with
    /// `progress(done, total)` in source bytes, and reused at every later start).
    /// - Throws: `ModelLoadError`, also when `quantize` is given for a GGUF file.
    public static func open(path: String, quantize: QuantizeType?, threads: Int,
                            progress: (Int, Int) -> Void = { _, _ in }) throws(ModelLoadError) -> ModelFile {
        guard let quantize else { return try open(path: path) }
        switch try Location(path: path) {
        case .gguf:
            throw ModelLoadError(file: path, "--quantize quantises Hugging Face checkpoints (BF16/F16/F32); a GGUF file is used as stored")
        case let .huggingFace(directory):
            let copy = try CheckpointQuantizer.quantizedCopy(of: directory, type: quantize, threads: threads, progress: progress)
            return try openHuggingFace(directory: directory, overlay: GGUFFile(file: MappedFile(path: copy.path)))
        }
    }
}
