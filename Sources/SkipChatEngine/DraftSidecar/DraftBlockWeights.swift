import Foundation

/// The draft block in a draft sidecar (`DraftSidecarFile`):
///
/// - `draft_block.<m>.weight` BF16 (or F32) for m in `DraftBlock.matrixNames`, shapes
///   `DraftBlock.Shape.matrixShape(m)` ([out, in], row-major);
/// - `draft_block.attn_norm.weight`, `draft_block.ffn_norm.weight` F32 [hidden];
/// - metadata `draft_block_exit_layer`, `draft_block_heads`, `draft_block_kv_heads`,
///   `draft_block_head_dim`, `draft_block_ffn`, and optionally `draft_block_agreement` (held-out
///   top-1 agreement with the final layer measured by the trainer, for the summary line).
///
/// Written by `scripts/train-draft-block/train.py` (and `write(to:)`, for tests).
public struct DraftBlockWeights: Sendable {
    public var exitLayer: Int
    public var shape: DraftBlock.Shape
    /// Name in `DraftBlock.matrixNames` → row-major values.
    public var matrices: [String: [Float]]
    /// Name in `DraftBlock.normNames` → [hidden].
    public var norms: [String: [Float]]
    /// Held-out top-1 agreement the trainer measured, when it recorded one.
    public var agreement: Double?

    public init(exitLayer: Int, shape: DraftBlock.Shape, matrices: [String: [Float]], norms: [String: [Float]],
                agreement: Double? = nil) {
        self.exitLayer = exitLayer
        self.shape = shape
        self.matrices = matrices
        self.norms = norms
        self.agreement = agreement
    }

    /// The runnable block.
    public func makeBlock() -> DraftBlock {
        DraftBlock(exitLayer: exitLayer, shape: shape, matrices: matrices, norms: norms)
    }

    /// Safetensors tensors and metadata entries of the block.
    func encoded() -> (tensors: [SafetensorsTensor], metadata: [String: String]) {
        var tensors: [SafetensorsTensor] = []
        for name in DraftBlock.matrixNames {
            tensors.append(.bf16("draft_block.\(name).weight", shape: shape.matrixShape(name), matrices[name] ?? []))
        }
        for name in DraftBlock.normNames {
            tensors.append(.f32("draft_block.\(name).weight", shape: [shape.hidden], norms[name] ?? []))
        }
        var metadata = [
            "draft_block_exit_layer": String(exitLayer), "draft_block_heads": String(shape.headCount),
            "draft_block_kv_heads": String(shape.kvHeadCount), "draft_block_head_dim": String(shape.headDim),
            "draft_block_ffn": String(shape.ffnSize),
        ]
        if let agreement { metadata["draft_block_agreement"] = String(agreement) }
        return (tensors, metadata)
    }

    /// Reads the block of a sidecar, or nil when its metadata names none.
    /// - Parameters:
    ///   - values: reads a tensor checked against a shape (throws when missing or of another shape).
    /// - Throws: `ModelLoadError` (through `fail`) when the metadata is incomplete, the exit layer
    ///   or sizes are out of range, a tensor disagrees with the metadata, or a value is not finite.
    static func read(metadata meta: [String: String], hiddenSize: Int, layerCount: Int,
                     values: (String, [Int]) throws(ModelLoadError) -> [Float],
                     fail: (String) -> ModelLoadError) throws(ModelLoadError) -> DraftBlockWeights? {
        guard let exitField = meta["draft_block_exit_layer"] else { return nil }
        guard let exit = Int(exitField), exit >= 1, exit < layerCount else {
            throw fail("draft block exit layer '\(exitField)' is not in 1…\(layerCount - 1)")
        }
        func int(_ key: String) throws(ModelLoadError) -> Int {
            guard let v = meta[key].flatMap({ Int($0) }) else { throw fail("metadata '\(key)' is missing or not a number") }
            return v
        }
        let shape = DraftBlock.Shape(hidden: hiddenSize, headCount: try int("draft_block_heads"),
                                     kvHeadCount: try int("draft_block_kv_heads"), headDim: try int("draft_block_head_dim"),
                                     ffnSize: try int("draft_block_ffn"))
        if let problem = shape.problem { throw fail("draft block: \(problem)") }
        var matrices: [String: [Float]] = [:]
        var norms: [String: [Float]] = [:]
        for name in DraftBlock.matrixNames {
            matrices[name] = try values("draft_block.\(name).weight", shape.matrixShape(name))
        }
        for name in DraftBlock.normNames {
            norms[name] = try values("draft_block.\(name).weight", [hiddenSize])
        }
        for (name, v) in matrices.merging(norms, uniquingKeysWith: { a, _ in a }) where !v.allSatisfy(\.isFinite) {
            throw fail("draft block tensor '\(name)' holds values that are not finite")
        }
        return DraftBlockWeights(exitLayer: exit, shape: shape, matrices: matrices, norms: norms,
                                 agreement: meta["draft_block_agreement"].flatMap(Double.init))
    }
}
