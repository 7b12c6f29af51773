extension ModelFile {
    /// Lines for `skipchat info`: name, format, architecture and shapes, RoPE settings, tensor
    /// type counts and file size, e.g. "layers        30", "rope          adjacent pairs, theta 100000".
    public var summaryLines: [String] {
        let c = config
        var rope = "\(c.ropeStyle == .adjacentPairs ? "adjacent pairs" : "rotate-half"), theta \(Self.number(c.ropeTheta))"
        if let s = c.ropeScaling {
            rope += ", llama3 scaling factor \(Self.number(s.factor)), low/high freq factor \(Self.number(s.lowFreqFactor))/\(Self.number(s.highFreqFactor)), original context \(s.originalMaxPositions)"
        }
        if let f = c.ropeFrequencyFactors, let low = f.min(), let high = f.max() {
            rope += ", per-frequency factors (rope_freqs) \(Self.number(low)) to \(Self.number(high))"
        }
        if let local = c.slidingRoPETheta { rope += "; sliding layers theta \(Self.number(local))" }
        let types = tensorTypeCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        let rows: [(String, String)] = [
            ("model", name), ("path", path), ("format", format.description), ("architecture", architecture),
            ("layers", "\(c.layerCount)"), ("hidden", "\(c.hiddenSize)"), ("FFN", "\(c.ffnSize)"),
            ("heads", "\(c.headCount) query / \(c.kvHeadCount) KV, head dim \(c.headDim)"),
            ("vocab", "\(c.vocabSize)"), ("context", "\(c.contextLength)"),
            ("rms norm eps", "\(c.rmsNormEps)"), ("rope", rope), ("block", blockSummary),
            ("attention", attentionSummary),
            ("LM head", c.tiedEmbeddings ? "tied to the token embedding" : "separate"),
            ("tensors", "\(tensorTypeCounts.values.reduce(0, +)): \(types)"),
            ("file size", "\(fileSize) bytes (\(Self.mebibytes(fileSize)) MiB)"),
        ]
        return rows.map { $0.0.padding(toLength: 14, withPad: " ", startingAt: 0) + $0.1 }
    }

    /// The family's block: "gemma3: (1 + w) RMSNorm, post-norms, Q/K norms, GELU-tanh MLP, embeddings × √hidden".
    private var blockSummary: String {
        let a = config.architecture
        var parts = ["RMSNorm"]
        if a.postNorms { parts.append("post-norms") }
        if a.attentionBiases || weights.layers.first?.queryBias != nil { parts.append("Q/K/V biases") }
        if a.queryKeyNorm { parts.append("Q/K norms") }
        if a.fusedProjections { parts.append("fused QKV and gate-up") }
        parts.append(a.activation == .silu ? "SwiGLU MLP" : "GELU-tanh MLP")
        if a.embeddingScale == .squareRootOfHidden { parts.append("embeddings × √hidden") }
        if let cap = config.finalLogitSoftcap { parts.append("logit soft-cap \(Self.number(cap))") }
        return "\(a.name): " + parts.joined(separator: ", ")
    }

    /// "scale 0.25, sliding window 512 on 22 of 26 layers" or "scale 0.125, global".
    private var attentionSummary: String {
        let c = config
        let sliding = c.slidingLayers.filter { $0 }.count
        let window = sliding > 0 ? "sliding window \(c.slidingWindow) on \(sliding) of \(c.layerCount) layers" : "global"
        return "scale \(c.attentionScale), \(window)"
    }

    /// 100000.0 → "100000", 1.5 → "1.5".
    private static func number(_ x: Float) -> String {
        x == x.rounded() && abs(x) < 1e15 ? "\(Int64(x))" : "\(x)"
    }

    private static func mebibytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + (1 << 19)) >> 20
        return "\(tenths / 10).\(tenths % 10)"
    }
}
