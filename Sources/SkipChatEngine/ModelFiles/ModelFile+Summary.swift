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
        let types = tensorTypeCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        let rows: [(String, String)] = [
            ("model", name), ("path", path), ("format", format.description), ("architecture", architecture),
            ("layers", "\(c.layerCount)"), ("hidden", "\(c.hiddenSize)"), ("FFN", "\(c.ffnSize)"),
            ("heads", "\(c.headCount) query / \(c.kvHeadCount) KV, head dim \(c.headDim)"),
            ("vocab", "\(c.vocabSize)"), ("context", "\(c.contextLength)"),
            ("rms norm eps", "\(c.rmsNormEps)"), ("rope", rope),
            ("LM head", c.tiedEmbeddings ? "tied to the token embedding" : "separate"),
            ("tensors", "\(tensorTypeCounts.values.reduce(0, +)): \(types)"),
            ("file size", "\(fileSize) bytes (\(Self.mebibytes(fileSize)) MiB)"),
        ]
        return rows.map { $0.0.padding(toLength: 14, withPad: " ", startingAt: 0) + $0.1 }
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
