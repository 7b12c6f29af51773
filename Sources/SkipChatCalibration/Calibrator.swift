import COpenBLAS
import Foundation
import SkipChatEngine

/// What to fit.
public struct CalibrationOptions: Sendable {
    /// Exit layers to fit adapters for (1 … L−1).
    public var layers: [Int]
    /// Training positions (scored positions, see `CalibrationSequence`).
    public var trainTokens: Int
    /// Held-out positions: half choose λ, half are reported.
    public var heldoutTokens: Int
    /// Size of the reduced draft head (0 = none).
    public var draftVocabulary: Int
    /// Ridge penalties tried, relative to the mean diagonal of the Gram matrix.
    public var relativeLambdas: [Double] = [1e-4, 1e-3, 1e-2, 1e-1]

    public init(layers: [Int], trainTokens: Int, heldoutTokens: Int, draftVocabulary: Int) {
        self.layers = layers
        self.trainTokens = trainTokens
        self.heldoutTokens = heldoutTokens
        self.draftVocabulary = draftVocabulary
    }

    /// L/8, 2L/8, … 6L/8: the exit layers `skipchat bench sweep` tries by default.
    public static func defaultLayers(layerCount: Int) -> [Int] {
        Set((1...6).map { max(1, layerCount * $0 / 8) }).filter { $0 < layerCount }.sorted()
    }
}

/// Fits exit adapters (per-layer ridge maps from layer E's residual stream to the last layer's,
/// Belrose et al. 2023 "tuned lens") and a reduced draft vocabulary on a corpus, and measures
/// held-out agreement with and without them.
public enum Calibrator {
    /// - Parameter progress: one line at a time, for standard error.
    /// - Returns: the sidecar contents and the measurements.
    /// - Throws: `CalibrationError` for bad layers, a corpus too small to fit, or an unsolvable system.
    public static func run(model: LanguageModel, corpus: CalibrationCorpus, options: CalibrationOptions,
                           progress: (String) -> Void = { _ in }) throws(CalibrationError) -> (DraftSidecarFile, CalibrationReport) {
        let started = Date()
        let config = model.config
        let (d, last) = (config.hiddenSize, config.layerCount)
        for l in options.layers where l < 1 || l >= last { throw .layerOutOfRange(l, last) }
        let layers = Set(options.layers).sorted()

        progress("tokenising \(corpus.source)")
        let (trainSequences, heldoutSequences) = corpus.sequences(for: model, trainTokens: options.trainTokens,
                                                                  heldoutTokens: options.heldoutTokens)
        let trainCount = trainSequences.reduce(0) { $0 + $1.scoredCount }
        let heldoutCount = heldoutSequences.reduce(0) { $0 + $1.scoredCount }
        guard trainCount >= 16 && heldoutCount >= 2 else { throw .tooFewTokens(min(trainCount, heldoutCount), 16) }

        let train = HiddenStates.collect(model: model.llama, sequences: trainSequences, layers: layers) {
            progress("training states: \($0)/\(trainCount) tokens")
        }
        let heldout = HiddenStates.collect(model: model.llama, sequences: heldoutSequences, layers: layers) {
            progress("held-out states: \($0)/\(heldoutCount) tokens")
        }
        let vocabulary = draftVocabulary(trainSequences, size: options.draftVocabulary, model: model)
        progress("fitting \(layers.count) exit adapters")
        let argmax = ExitArgmax(model: model.llama)
        let split = heldout.rows / 2
        let (selection, report) = (heldout.rows(0..<split), heldout.rows(split..<heldout.rows))
        let finalSelection = argmax.argmax(selection[last] ?? [], rows: split).full
        let finalReport = argmax.argmax(report[last] ?? [], rows: heldout.rows - split).full

        var maps: [Int: (weight: [Float], bias: [Float])] = [:]
        var lambdas: [Int: Double] = [:]
        var agreements: [LayerAgreement] = []
        for layer in layers {
            let ridge = RidgeRegression(x: train.byLayer[layer] ?? [], y: train.byLayer[last] ?? [], rows: train.rows, dimension: d)
            var best: (score: Double, relative: Double, map: (weight: [Float], bias: [Float]))?
            for relative in options.relativeLambdas {
                guard let fit = ridge.solve(lambda: relative * ridge.gramScale) else { continue }
                let stored = (fit.weight.map { BFloat16.float(BFloat16.bits($0)) }, fit.bias)
                let mapped = apply(stored, to: selection[layer] ?? [], rows: split, dimension: d)
                let score = ExitArgmax.agreement(argmax.argmax(mapped, rows: split).full, finalSelection)
                if score > best?.score ?? -1 { best = (score, relative, stored) }
            }
            guard let chosen = best else { throw .singular(layer) }
            let rows = heldout.rows - split
            let raw = ExitArgmax.agreement(argmax.argmax(report[layer] ?? [], rows: rows).full, finalReport)
            let adapted = argmax.argmax(apply(chosen.map, to: report[layer] ?? [], rows: rows, dimension: d), rows: rows,
                                        candidates: vocabulary.isEmpty ? nil : vocabulary)
            agreements.append(LayerAgreement(layer: layer, raw: raw, adapted: ExitArgmax.agreement(adapted.full, finalReport),
                                             adaptedDraftHead: adapted.restricted.map { ExitArgmax.agreement($0, finalReport) },
                                             relativeLambda: chosen.relative))
            maps[layer] = chosen.map
            lambdas[layer] = chosen.relative * ridge.gramScale
            progress(String(format: "layer %d: agreement %.3f raw, %.3f adapted (λ = %g × scale)",
                            layer, raw, ExitArgmax.agreement(adapted.full, finalReport), chosen.relative))
        }
        let inVocabulary = Set(vocabulary)
        let settings = DraftSidecarFile.Settings(modelName: model.name, modelFileSize: model.file.fileSize, hiddenSize: d,
                                                layerCount: last, vocabSize: model.weights.lmHead.rows, tokens: train.rows,
                                                corpus: corpus.source, lambdas: lambdas)
        let result = CalibrationReport(
            model: model.name, corpus: corpus.source, trainTokens: train.rows, selectionTokens: split,
            reportTokens: heldout.rows - split, draftVocabulary: vocabulary.count,
            draftVocabularyCoverage: vocabulary.isEmpty ? nil
                : Double(finalReport.filter { inVocabulary.contains($0) }.count) / Double(max(1, finalReport.count)),
            layers: agreements, seconds: Date().timeIntervalSince(started))
        return (DraftSidecarFile(settings: settings, maps: maps, draftVocabulary: vocabulary), result)
    }

    /// x·Wᵀ + b for `rows` row vectors x ([rows × d]).
    static func apply(_ map: (weight: [Float], bias: [Float]), to x: [Float], rows: Int, dimension d: Int) -> [Float] {
        var out = [Float](repeating: 0, count: rows * d)
        guard rows > 0 else { return out }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(d), Int32(d), 1, x, Int32(d),
                    map.weight, Int32(d), 0, &out, Int32(d))
        for r in 0..<rows { for i in 0..<d { out[r * d + i] += map.bias[i] } }
        return out
    }

    /// The `size` most frequent tokens that follow a scored position of the sequences, plus the
    /// end-of-turn ids so drafts can end a reply; most frequent first, ties by id. Holds fewer
    /// than `size` ids when the sequences have fewer distinct tokens. Empty when `size` is 0.
    static func draftVocabulary(_ sequences: [CalibrationSequence], size: Int, model: LanguageModel) -> [Int32] {
        guard size > 0 else { return [] }
        var counts: [Int32: Int] = [:]
        for s in sequences {
            for range in s.scored { for t in range where t + 1 < s.tokens.count { counts[s.tokens[t + 1], default: 0] += 1 } }
        }
        let ranked = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let endOfTurn = model.tokenizer.endOfTurnIDs.sorted().filter { Int($0) < model.weights.lmHead.rows }
        var chosen = Array(ranked.prefix(max(0, size - endOfTurn.count)))
        for id in endOfTurn where !chosen.contains(id) { chosen.append(id) }
        return chosen
    }
}
