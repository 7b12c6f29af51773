import Foundation

/// The sampling settings a model recommends for chat, and where they come from.
public struct RecommendedSampling: Sendable, Equatable {
    public var parameters: SamplingParameters
    /// Where `parameters` come from: "generation_config.json", "the SmolLM2 model card" or
    /// "llama.cpp's defaults".
    public var source: String
    /// Whether the model's own generation config sets a repetition penalty.
    public var setsRepetitionPenalty = false

    /// The chat's repetition penalty when the model sets none: ollama's defaults
    /// (`repeat_penalty` 1.1 over `repeat_last_n` 64 tokens). Without it the default model loops
    /// within a reply at its model card's T 0.2 / top-p 0.9 (docs/performance.md, loop rate).
    public static let chatRepetitionPenalty: Float = 1.1
    public static let chatRepetitionWindow = 64

    /// These settings for chat: with the repetition penalty 1.1 over the last 64 tokens unless
    /// the model's generation config sets a penalty (`generate` keeps the model's own settings).
    public var forChat: RecommendedSampling {
        guard !setsRepetitionPenalty else { return self }
        var chat = self
        chat.parameters.repetitionPenalty = Self.chatRepetitionPenalty
        chat.parameters.repetitionWindow = Self.chatRepetitionWindow
        chat.source += " + repetition penalty 1.1 over the last 64 tokens"
        return chat
    }

    /// The SmolLM2 model card's recommendation (temperature 0.2, top-p 0.9).
    public static let smolLM2 = RecommendedSampling(parameters: SamplingParameters(temperature: 0.2, topP: 0.9),
                                                    source: "the SmolLM2 model card")
    /// llama.cpp's `common_params_sampling` defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05.
    public static let llamaCpp = RecommendedSampling(
        parameters: SamplingParameters(temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05), source: "llama.cpp's defaults")
}

extension ModelFile {
    /// The chat sampling this model recommends: a Hugging Face checkpoint's
    /// `generation_config.json` (HF `GenerationConfig` semantics: `do_sample` false or absent is
    /// greedy; otherwise temperature 1, top-k 50, top-p 1 unless given); the SmolLM2 model card's
    /// settings for a SmolLM2 model (GGUF `general.basename` or `general.name`); else llama.cpp's
    /// defaults.
    /// - Throws: `ModelLoadError` naming generation_config.json and the field when it is malformed.
    public func recommendedSampling() throws(ModelLoadError) -> RecommendedSampling {
        if case .huggingFace = format {
            let url = URL(fileURLWithPath: path).appendingPathComponent("generation_config.json")
            if FileManager.default.fileExists(atPath: url.path) { return try Self.generationConfig(url) }
        }
        let names = [metadata["general.basename"]?.string, metadata["general.name"]?.string, name].compactMap { $0 }
        if names.contains(where: { $0.lowercased().contains("smollm2") }) { return .smolLM2 }
        return .llamaCpp
    }

    private struct GenerationConfig: Decodable {
        var do_sample: Bool?
        var temperature: Double?
        var top_k: Int?
        var top_p: Double?
        var min_p: Double?
        var repetition_penalty: Double?
    }

    static func generationConfig(_ url: URL) throws(ModelLoadError) -> RecommendedSampling {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelLoadError(file: url.path, "cannot read: \(error.localizedDescription)")
        }
        let config: GenerationConfig
        do {
            config = try JSONDecoder().decode(GenerationConfig.self, from: data)
        } catch {
            throw ModelLoadError(file: url.path, DecodingProblem.describe(error, in: data))
        }
        var p = SamplingParameters()
        let setsPenalty = config.repetition_penalty != nil
        if let r = config.repetition_penalty {
            guard r > 0 && r <= 10 else { throw ModelLoadError(file: url.path, "repetition_penalty \(r) is not in (0, 10]") }
            p.repetitionPenalty = Float(r)
        }
        if config.do_sample == true {
            let t = config.temperature ?? 1, k = config.top_k ?? 50, top = config.top_p ?? 1, minP = config.min_p ?? 0
            guard (0...100).contains(t) else { throw ModelLoadError(file: url.path, "temperature \(t) is not in [0, 100]") }
            guard k >= 0 else { throw ModelLoadError(file: url.path, "top_k \(k) is negative") }
            guard top > 0 && top <= 1 else { throw ModelLoadError(file: url.path, "top_p \(top) is not in (0, 1]") }
            guard (0...1).contains(minP) else { throw ModelLoadError(file: url.path, "min_p \(minP) is not in [0, 1]") }
            p.temperature = Float(t)
            p.topK = k
            p.topP = Float(top)
            p.minP = Float(minP)
        }
        var recommended = RecommendedSampling(parameters: p, source: "generation_config.json")
        recommended.setsRepetitionPenalty = setsPenalty
        return recommended
    }
}
