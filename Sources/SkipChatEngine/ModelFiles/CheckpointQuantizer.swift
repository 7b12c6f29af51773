import CKernels
import Foundation

/// The weight types `--quantize` makes from a BF16/F16/F32 Hugging Face checkpoint.
public enum QuantizeType: String, CaseIterable, Sendable {
    case q8_0, q4_0, q4_k

    var tensorType: TensorType {
        switch self {
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q4_k: return .q4_K
        }
    }
}

/// Quantise on load: every matrix of a BF16/F16/F32 checkpoint quantised once with llama.cpp's
/// reference quantisers (`sc_quantize_rows`), stored as a GGUF of the checkpoint's own tensor
/// names in `$XDG_CACHE_HOME/skipchat/quantized/`, keyed by the checkpoint's content, and laid
/// over the checkpoint's tensors when it is opened (`ModelFile.open(path:quantize:)`); norms,
/// config, tokenizer and template still come from the checkpoint.
///
/// A matrix whose row length is not a whole number of the type's blocks (256 for Q4_K) takes
/// Q8_0 when its rows are a multiple of 32 (as llama.cpp falls back for such rows), else stays as stored.
public enum CheckpointQuantizer {
    /// The cache file for `directory` quantised to `type`: `<key>.<type>.gguf`, the key being an
    /// FNV-1a 64-bit hash of config.json and, per shard, its name and content hash (the blob name
    /// when the shard links into a Hugging Face cache's `blobs/`, whose names are sha256 sums) or
    /// else its size and modification time.
    public static func cachedCopy(of directory: URL, type: QuantizeType) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        mix((try? Data(contentsOf: directory.appendingPathComponent("config.json"))) ?? Data())
        let shards = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
        for shard in shards {
            let path = directory.appendingPathComponent(shard).path
            mix(shard.utf8)
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path), target.contains("blobs/") {
                mix(target.split(separator: "/").last.map { Array($0.utf8) } ?? [])
            } else if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
                mix("\(attributes[.size] ?? 0):\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)".utf8)
            }
        }
        return LanguageModel.cacheDirectory.appendingPathComponent("quantized/\(String(hash, radix: 16)).\(type.rawValue).gguf")
    }

    /// The quantised copy of the checkpoint in `directory`, made first when the cache lacks it.
    /// `progress(done, total)` counts the matrices' stored bytes read.
    /// - Throws: `ModelLoadError` for a checkpoint that cannot be read, or the copy that cannot be
    ///   written (e.g. the disk is full; nothing half-written is left behind).
    public static func quantizedCopy(of directory: URL, type: QuantizeType, threads: Int,
                                     progress: (Int, Int) -> Void = { _, _ in }) throws(ModelLoadError) -> URL {
        let destination = cachedCopy(of: directory, type: type)
        if FileManager.default.fileExists(atPath: destination.path) { return destination }
        let checkpoint = try HFCheckpoint(directory: directory)
        let plan = checkpoint.tensors.values.sorted { $0.name < $1.name }.compactMap { tensor -> (StoredTensor, TensorType)? in
            guard tensor.shape.count == 2, [.bf16, .f16, .f32].contains(tensor.type) else { return nil }
            let cols = tensor.shape[1]
            if cols % type.tensorType.blockSize == 0 { return (tensor, type.tensorType) }
            return cols % 32 == 0 ? (tensor, .q8_0) : nil
        }
        let writer = GGUFWriter(
            metadata: [("general.architecture", .string("skipchat-quantized")), ("general.name", .string(directory.lastPathComponent)),
                       ("skipchat.quantize.type", .string(type.rawValue))],
            tensors: plan.map { GGUFWriter.Tensor(name: $0.0.name, type: $0.1, dimensions: [$0.0.shape[1], $0.0.shape[0]]) })
        let total = plan.reduce(0) { $0 + $1.0.elementCount * ($1.0.type == .f32 ? 4 : 2) }
        let folder = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ModelLoadError(file: folder.path, "cannot create the directory: \(error.localizedDescription)")
        }
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ModelLoadError(file: temporary.path, "cannot create: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let pool = ThreadPool(threads: threads)
        var done = 0
        do {
            try writer.write(to: descriptor) { index, target in
                let (tensor, tensorType) = plan[index]
                let status = sc_quantize_rows(pool.raw, Int32(tensorType.rawValue), target, Int32(tensor.type.rawValue), tensor.data,
                                              Int64(tensor.shape[0]), Int64(tensor.shape[1]))
                precondition(status == 0, "sc_quantize_rows refused a planned tensor")
                done += tensor.elementCount * (tensor.type == .f32 ? 4 : 2)
                progress(done, total)
            }
        } catch {
            unlink(temporary.path)
            throw ModelLoadError(file: destination.path, "cannot write the quantised copy: \(error)")
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary.path)
            throw ModelLoadError(file: destination.path, "cannot move the quantised copy into place: \(message)")
        }
        return destination
    }
}
