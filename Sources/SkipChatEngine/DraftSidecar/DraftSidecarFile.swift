import CKernels
import Foundation

/// A model's draft sidecar: the fitted per-layer exit adapters, the reduced draft vocabulary
/// (draft head), the trained draft block, and what they were fitted for, as stored in a
/// safetensors file (`SafetensorsWriter`). On disk it keeps its first name,
/// `*.exit-adapters.safetensors`, so installed files keep working:
///
/// - `exit_adapter.<E>.weight` BF16 [hidden, hidden] ([out, in], row-major), for each exit layer E;
/// - `exit_adapter.<E>.bias` F32 [hidden];
/// - `draft_vocab` F32 [N] token ids, most frequent first (F32 holds ids < 2²⁴ exactly; the
///   engine's safetensors reader takes float types only); absent when there is no draft head;
/// - a draft block, when there is one (`DraftBlockWeights`);
/// - `__metadata__`: `format` = "skipchat.exit-adapters", `version` = "1", and the `Settings`.
public struct DraftSidecarFile {
    /// What the adapters were fitted for (checked before use) and how (shown to the user).
    public struct Settings: Sendable, Equatable {
        /// `ModelFile.name`, `fileSize`, hidden size, layer count and vocabulary of the model.
        public var modelName: String
        public var modelFileSize: Int
        public var hiddenSize: Int
        public var layerCount: Int
        public var vocabSize: Int
        /// Training tokens the maps were fitted on.
        public var tokens: Int
        /// Path or name of the calibration corpus.
        public var corpus: String
        /// Ridge penalty chosen for each exit layer (absolute, on the centred Gram matrix).
        public var lambdas: [Int: Double]

        public init(modelName: String, modelFileSize: Int, hiddenSize: Int, layerCount: Int, vocabSize: Int,
                    tokens: Int, corpus: String, lambdas: [Int: Double]) {
            self.modelName = modelName
            self.modelFileSize = modelFileSize
            self.hiddenSize = hiddenSize
            self.layerCount = layerCount
            self.vocabSize = vocabSize
            self.tokens = tokens
            self.corpus = corpus
            self.lambdas = lambdas
        }

        /// The settings a sidecar for `file` must carry.
        package static func identity(of file: ModelFile) -> (name: String, size: Int, hidden: Int, layers: Int, vocab: Int) {
            (file.name, file.fileSize, file.config.hiddenSize, file.config.layerCount, file.weights.lmHead.rows)
        }
    }

    public var settings: Settings
    /// Exit layer E (1 … L−1) → weight [hidden × hidden] ([out][in]) and bias [hidden].
    public var maps: [Int: (weight: [Float], bias: [Float])]
    /// Draft-head token ids; empty = draft over the full vocabulary.
    public var draftVocabulary: [Int32]
    /// The trained draft block, when there is one.
    public var draftBlock: DraftBlockWeights?

    public init(settings: Settings, maps: [Int: (weight: [Float], bias: [Float])], draftVocabulary: [Int32],
                draftBlock: DraftBlockWeights? = nil) {
        self.settings = settings
        self.maps = maps
        self.draftVocabulary = draftVocabulary
        self.draftBlock = draftBlock
    }

    static let format = "skipchat.exit-adapters"

    /// Exit layers, ascending.
    public var layers: [Int] { maps.keys.sorted() }

    /// Writes the sidecar to `path` atomically (the weights rounded to BF16).
    /// - Throws: Foundation's error when the file cannot be written.
    public func write(to path: String) throws {
        let d = settings.hiddenSize
        var tensors: [SafetensorsTensor] = []
        for (layer, map) in maps {
            tensors.append(.bf16("exit_adapter.\(layer).weight", shape: [d, d], map.weight))
            tensors.append(.f32("exit_adapter.\(layer).bias", shape: [d], map.bias))
        }
        if !draftVocabulary.isEmpty {
            tensors.append(.f32("draft_vocab", shape: [draftVocabulary.count], draftVocabulary.map { Float($0) }))
        }
        var metadata = [
            "format": Self.format, "version": "1",
            "model_name": settings.modelName, "model_file_size": String(settings.modelFileSize),
            "hidden_size": String(d), "layer_count": String(settings.layerCount), "vocab_size": String(settings.vocabSize),
            "layers": layers.map(String.init).joined(separator: ","), "tokens": String(settings.tokens),
            "corpus": settings.corpus, "draft_vocab": String(draftVocabulary.count),
            "lambdas": layers.map { "\($0):\(settings.lambdas[$0] ?? 0)" }.joined(separator: ","),
        ]
        if let block = draftBlock?.encoded() {
            tensors += block.tensors
            metadata.merge(block.metadata) { a, _ in a }
        }
        try SafetensorsWriter.encode(tensors, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Why this sidecar cannot be used with `file` (another model: name, size or shapes differ,
    /// or a draft block whose head size is not the model's), or nil when it fits.
    public func mismatch(with file: ModelFile) -> String? {
        let want = Settings.identity(of: file)
        let s = settings
        if s.modelName != want.name { return "made for model '\(s.modelName)', not '\(want.name)'" }
        if s.modelFileSize != want.size { return "made for a \(s.modelFileSize)-byte model file, this one has \(want.size) bytes" }
        if s.hiddenSize != want.hidden || s.layerCount != want.layers || s.vocabSize != want.vocab {
            return "made for hidden \(s.hiddenSize), \(s.layerCount) layers, vocabulary \(s.vocabSize); "
                + "the model has \(want.hidden), \(want.layers), \(want.vocab)"
        }
        if let block = draftBlock, block.shape.headDim != file.config.headDim {
            return "its draft block has heads of \(block.shape.headDim) values, the model's have \(file.config.headDim)"
        }
        return nil
    }

    /// Reads and checks a sidecar (every tensor's shape against the metadata, every layer and
    /// token id in range); does not compare it with a model (see `mismatch(with:)`).
    /// - Throws: `ModelLoadError` naming the file when it is missing, corrupt, not a sidecar, or
    ///   inconsistent.
    public static func read(path: String) throws(ModelLoadError) -> DraftSidecarFile {
        let mapped = try MappedFile(path: path)
        let tensors = try SafetensorsFile(file: mapped).tensors
        func fail(_ message: String) -> ModelLoadError { ModelLoadError(file: path, message) }
        let meta = metadata(of: mapped)
        guard meta["format"] == format else { throw fail("not a skipchat exit-adapter file (no \(format) metadata)") }
        guard meta["version"] == "1" else { throw fail("exit-adapter format version \(meta["version"] ?? "?") is not supported") }
        func int(_ key: String) throws(ModelLoadError) -> Int {
            guard let v = meta[key].flatMap({ Int($0) }), v >= 0 else { throw fail("metadata '\(key)' is missing or not a count") }
            return v
        }
        let d = try int("hidden_size"), layerCount = try int("layer_count"), vocab = try int("vocab_size")
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func values(_ name: String, shape: [Int]) throws(ModelLoadError) -> [Float] {
            guard let t = byName[name] else { throw fail("tensor '\(name)' is missing") }
            guard t.shape == shape else { throw fail("tensor '\(name)' has shape \(t.shape), expected \(shape)") }
            var out = [Float](repeating: 0, count: t.elementCount)
            out.withUnsafeMutableBufferPointer { sc_dequantize_row(Int32(t.type.rawValue), t.data, $0.baseAddress, Int64($0.count)) }
            return out
        }
        var maps: [Int: (weight: [Float], bias: [Float])] = [:]
        var lambdas: [Int: Double] = [:]
        for field in (meta["layers"] ?? "").split(separator: ",") {
            guard let layer = Int(field), layer >= 1, layer < layerCount else { throw fail("exit layer '\(field)' is not in 1…\(layerCount - 1)") }
            maps[layer] = (try values("exit_adapter.\(layer).weight", shape: [d, d]), try values("exit_adapter.\(layer).bias", shape: [d]))
        }
        for pair in (meta["lambdas"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: ":")
            if parts.count == 2, let l = Int(parts[0]), let v = Double(parts[1]) { lambdas[l] = v }
        }
        let count = try int("draft_vocab")
        let ids = count == 0 ? [] : try values("draft_vocab", shape: [count])
        guard ids.allSatisfy({ $0 >= 0 && $0 < Float(vocab) && $0 == $0.rounded() }) else {
            throw fail("draft_vocab holds ids outside 0..<\(vocab)")
        }
        let block = try DraftBlockWeights.read(metadata: meta, hiddenSize: d, layerCount: layerCount,
                                               values: values, fail: fail)
        let settings = Settings(modelName: meta["model_name"] ?? "", modelFileSize: try int("model_file_size"), hiddenSize: d,
                                layerCount: layerCount, vocabSize: vocab, tokens: try int("tokens"),
                                corpus: meta["corpus"] ?? "", lambdas: lambdas)
        return DraftSidecarFile(settings: settings, maps: maps, draftVocabulary: ids.map { Int32($0) }, draftBlock: block)
    }

    /// The string pairs of `__metadata__` (the header was checked by `SafetensorsFile`).
    private static func metadata(of file: MappedFile) -> [String: String] {
        guard let lengthBytes = file.bytes(at: 0, count: 8) else { return [:] }
        let length = lengthBytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard let header = file.bytes(at: 8, count: length),
              let object = try? JSONSerialization.jsonObject(with: Data(header)) as? [String: Any] else { return [:] }
        return object["__metadata__"] as? [String: String] ?? [:]
    }
}
