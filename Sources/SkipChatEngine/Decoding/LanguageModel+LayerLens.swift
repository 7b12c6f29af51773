import Foundation

/// One early-exit prediction of the layer lens.
public struct ExitPrediction: Sendable, Equatable {
    public var id: Int32
    /// Softmax probability at that exit (temperature 1, full vocabulary).
    public var probability: Float
}

extension LanguageModel {
    /// The layer lens (LayerSkip §2's motivating analysis, made interactive): what every layer
    /// would predict for the token at `position` if the model exited there. The hidden state of
    /// position − 1 after each layer l goes through the shared final RMSNorm and the full LM head
    /// (raw exits, no adapters).
    ///
    /// Runs on a private KV cache (the conversation is prefilled once), so it never disturbs a
    /// generation session; call it from the thread that generates, between generations (the
    /// kernels' thread pool serves one caller at a time).
    ///
    /// - Parameters:
    ///   - tokens: the sequence; tokens[position] is the token being explained.
    ///   - position: 1 ..< tokens.count.
    ///   - top: predictions per layer.
    /// - Returns: L rows, layer 1 first, each the `top` most probable tokens, most probable first.
    public func layerLens(tokens: [Int32], position: Int, top: Int) -> [[ExitPrediction]] {
        precondition(position >= 1 && position < tokens.count, "layer lens: position outside the sequence")
        let vocab = weights.lmHead.rows, d = config.hiddenSize
        let pass = ForwardPass(model: llama, maxBatch: 32, maxPositions: position + 1)
        pass.prefill(tokens[0..<(position - 1)], startPosition: 0)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        pass.embed([tokens[position - 1]], into: hidden)
        return (0..<config.layerCount).map { l in
            pass.runLayers(l..<(l + 1), hidden: hidden, count: 1, startPosition: position - 1)
            pass.logits(hidden: hidden, count: 1, into: logits)
            return Self.topPredictions(logits, count: vocab, top: top)
        }
    }

    /// The `top` most probable entries of softmax(logits), most probable first.
    static func topPredictions(_ logits: UnsafePointer<Float>, count: Int, top: Int) -> [ExitPrediction] {
        let best = Int(LogitsProcessor.argmax(logits, count: count))
        let maxLogit = logits[best]
        var total: Float = 0
        var kept: [(Int, Float)] = []
        for i in 0..<count {
            total += expf(logits[i] - maxLogit)
            if kept.count < top || logits[i] > kept[kept.count - 1].1 {
                kept.append((i, logits[i]))
                kept.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
                if kept.count > top { kept.removeLast() }
            }
        }
        return kept.map { ExitPrediction(id: Int32($0.0), probability: expf($0.1 - maxLogit) / total) }
    }
}
