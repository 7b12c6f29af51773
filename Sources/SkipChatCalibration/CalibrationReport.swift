/// Held-out top-1 agreement of one exit layer with the last layer (the fraction of positions
/// whose early-exit argmax equals the full model's argmax).
public struct LayerAgreement: Sendable, Codable, Equatable {
    /// Exit layer E: the residual stream after E layers.
    public var layer: Int
    /// Raw early exit: final norm + LM head on layer E's residual stream (LayerSkip as is).
    public var raw: Double
    /// With the fitted exit adapter, over the full vocabulary.
    public var adapted: Double
    /// With the adapter and the reduced draft head (nil when there is none).
    public var adaptedDraftHead: Double?
    /// Chosen ridge penalty, relative to the mean diagonal of the Gram matrix.
    public var relativeLambda: Double
}

/// What `Calibrator.run` measured.
public struct CalibrationReport: Sendable, Codable, Equatable {
    public var model: String
    public var corpus: String
    /// Positions the adapters were fitted on.
    public var trainTokens: Int
    /// Positions used to choose λ (first half of the held-out split) and to report (second half).
    public var selectionTokens: Int
    public var reportTokens: Int
    /// Ids in the draft head (0 = none).
    public var draftVocabulary: Int
    /// Share of the report positions whose final-layer argmax is in the draft vocabulary.
    public var draftVocabularyCoverage: Double?
    public var layers: [LayerAgreement]
    /// Wall-clock seconds of the whole calibration.
    public var seconds: Double
}
