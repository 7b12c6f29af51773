/// What a synthetic model is made from: a shape, a storage recipe, a vocabulary family and a
/// seed. The same spec always makes the same bytes, in memory or as a GGUF file.
public struct SyntheticSpec: Sendable {
    /// The shape's name, e.g. "llama3-8b-q4_k_m" (the file's `general.name` is "synthetic NAME").
    public var name: String
    /// The shape; `ropeStyle` must be `.adjacentPairs` and `ropeScaling` nil (the GGUF layout:
    /// scaling goes in `ropeFrequencyFactors`), so that the file reads back as this config.
    public var config: LlamaConfig
    public var recipe: SyntheticRecipe
    public var vocabulary: SyntheticVocabulary.Family
    public var seed: UInt64

    /// - Precondition: the matrices' row lengths (hidden size, heads × head size, FFN size) are
    ///   multiples of the recipe's block sizes (256 for Q4_K_M), and the vocabulary is at least
    ///   `vocabulary.minimumSize`.
    public init(name: String, config: LlamaConfig, recipe: SyntheticRecipe, vocabulary: SyntheticVocabulary.Family, seed: UInt64) {
        precondition(config.vocabSize >= vocabulary.minimumSize, "vocabulary too small for its special tokens")
        self.name = name
        self.config = config
        self.recipe = recipe
        self.vocabulary = vocabulary
        self.seed = seed
    }
}
