import Foundation

/// The three kinds of round: a plain step, a fixed-exit draft-and-verify round, and a
/// dynamic-exit round. Each returns true when the turn ended (an end-of-turn token was committed).
extension GenerationSession {
    /// One plain decoding step: the pending token runs all L layers; its logits give the next token.
    func autoregressiveStep(_ settings: DecoderSettings, _ state: inout RoundState) -> Bool {
        let p = tokens.count - 1
        forward.embed([tokens[p]], into: rows)
        forward.runLayers(0..<layerCount, hidden: rows, count: 1, startPosition: p)
        forward.logits(hidden: rows, count: 1, into: logitBuffer)
        state.stats.layerEvaluations += layerCount
        let token = choose(row: 0, settings: settings, extraContext: [])
        state.stats.rounds += 1
        let event = commit(token, kind: .verifier, exitLayer: layerCount, &state)
        state.onEvent(.committed(event))
        return model.tokenizer.endOfTurnIDs.contains(token)
    }

    /// Draft up to `depth` tokens with layers [0, exitLayer), verify them with one batched pass of
    /// layers [exitLayer, L), accept, roll back.
    func speculativeRound(_ settings: DecoderSettings, exitLayer e: Int, depth: Int, _ state: inout RoundState) -> Bool {
        let start = Date()
        let p = tokens.count - 1
        let sampling = !settings.sampling.isGreedy
        let processor = LogitsProcessor(settings.sampling)
        var drafts: [Int32] = []
        var draftTexts: [String] = []
        var draftDistributions: [TokenDistribution] = []
        var current = tokens[p]
        for i in 0..<depth {
            // Draft i: run the previous token through layers [0, E); row i keeps its hidden
            // state after layer E (the exit-query cache) for verification.
            let row = rows + i * hiddenSize
            forward.embed([current], into: row)
            forward.runLayers(0..<e, hidden: row, count: 1, startPosition: p + i)
            state.stats.layerEvaluations += e
            let draft = pickDraft(hidden: row, exitLayer: e, position: p + i, sampling: sampling, processor: processor,
                                  context: tokens + drafts, distributions: &draftDistributions)
            drafts.append(draft)
            draftTexts.append(emitDraft(draft, exitLayer: e, index: i, &state))
            if model.tokenizer.endOfTurnIDs.contains(draft) { break }
            current = draft
        }
        return verify(drafts: drafts, draftTexts: draftTexts, draftExitLayers: Array(repeating: e, count: drafts.count),
                      draftDistributions: draftDistributions, verifyFrom: e, depth: depth, settings: settings,
                      start: start, &state)
    }

    /// Dynamic exit: each draft runs layer by layer and exits at the first layer whose top-1
    /// early-exit probability reaches the threshold (or at `maxExitLayer`). Hidden states after
    /// every layer are kept, so verification starts at the shallowest exit of the round.
    func dynamicRound(_ settings: DecoderSettings, depth: Int, _ state: inout RoundState) -> Bool {
        let start = Date()
        let p = tokens.count - 1
        let sampling = !settings.sampling.isGreedy
        let processor = LogitsProcessor(settings.sampling)
        let stride = (layerCount + 1) * hiddenSize
        var drafts: [Int32] = []
        var draftTexts: [String] = []
        var exits: [Int] = []
        var draftDistributions: [TokenDistribution] = []
        var current = tokens[p]
        for i in 0..<depth {
            let row = rows + i * hiddenSize
            forward.embed([current], into: row)
            var exitLayer = settings.maxExitLayer
            var logitsReady = false
            for l in 0..<settings.maxExitLayer {
                catchUp(layer: l, draftIndex: i, startPosition: p, &state)
                forward.runLayers(l..<(l + 1), hidden: row, count: 1, startPosition: p + i)
                (snapshots + i * stride + (l + 1) * hiddenSize).update(from: row, count: hiddenSize)
                if l + 1 == settings.maxExitLayer { break }
                forward.draftLogits(hidden: row, count: 1, exitLayer: l + 1, position: p + i, into: logitBuffer)
                if LogitsProcessor.topProbability(logitBuffer, count: forward.draftCandidates) >= settings.dynamicThreshold {
                    exitLayer = l + 1
                    logitsReady = true
                    break
                }
            }
            state.stats.layerEvaluations += exitLayer
            let draft = pickDraft(hidden: row, exitLayer: exitLayer, position: p + i, sampling: sampling, processor: processor,
                                  context: tokens + drafts, distributions: &draftDistributions, logitsReady: logitsReady)
            drafts.append(draft)
            exits.append(exitLayer)
            draftTexts.append(emitDraft(draft, exitLayer: exitLayer, index: i, &state))
            if model.tokenizer.endOfTurnIDs.contains(draft) { break }
            current = draft
        }
        // Verify from the shallowest exit: every draft's hidden state after that layer is in the
        // snapshots; deeper drafts' layers [eMin, E_i) are recomputed identically in the batch.
        let eMin = exits.min() ?? settings.maxExitLayer
        for i in 0..<drafts.count {
            (rows + i * hiddenSize).update(from: snapshots + i * stride + eMin * hiddenSize, count: hiddenSize)
        }
        forward.truncate(layers: eMin..<layerCount, to: p)
        return verify(drafts: drafts, draftTexts: draftTexts, draftExitLayers: exits, draftDistributions: draftDistributions,
                      verifyFrom: eMin, depth: depth, settings: settings, start: start, &state)
    }

    /// Verification, acceptance, commit and roll-back shared by fixed and dynamic rounds.
    /// Rows 0 ..< drafts.count hold hidden states after layer `verifyFrom`; layers < verifyFrom
    /// hold KV for positions up to p + drafts.count − 1, layers ≥ verifyFrom up to p − 1.
    private func verify(drafts: [Int32], draftTexts: [String], draftExitLayers: [Int], draftDistributions: [TokenDistribution],
                        verifyFrom e: Int, depth: Int, settings: DecoderSettings, start: Date, _ state: inout RoundState) -> Bool {
        let p = tokens.count - 1
        let k = drafts.count
        let lastEndsTurn = model.tokenizer.endOfTurnIDs.contains(drafts[k - 1])
        // The last draft is an input only if a bonus token may follow it.
        let verifyRows = lastEndsTurn ? k : k + 1
        if !lastEndsTurn {
            let row = rows + k * hiddenSize
            forward.embed([drafts[k - 1]], into: row)
            forward.runLayers(0..<e, hidden: row, count: 1, startPosition: p + k)
            state.stats.layerEvaluations += e
        }
        forward.runLayers(e..<layerCount, hidden: rows, count: verifyRows, startPosition: p)
        forward.logits(hidden: rows, count: verifyRows, into: logitBuffer)
        state.stats.layerEvaluations += (layerCount - e) * verifyRows

        let result: AcceptanceResult
        if settings.sampling.isGreedy {
            let argmax = (0..<verifyRows).map { LogitsProcessor.argmax(logitBuffer + $0 * vocab, count: vocab) }
            result = acceptGreedy(drafts: drafts, verifierArgmax: argmax, hasBonusRow: !lastEndsTurn)
        } else {
            let processor = LogitsProcessor(settings.sampling)
            result = acceptSampled(drafts: drafts, draftDistributions: draftDistributions, hasBonusRow: !lastEndsTurn,
                                   verifier: { i in
                                       processor.distribution(self.logitBuffer + i * self.vocab, count: self.vocab,
                                                              context: self.tokens + drafts[..<i])
                                   }, rng: &rng)
        }

        // Retract the rejected drafts' text, commit the accepted ones and the verifier's token.
        let m = result.accepted
        let pushedRejected = drafts[m...].filter { !model.tokenizer.endOfTurnIDs.contains($0) }.count
        let retracted = state.detokenizer.retract(pushedRejected)
        var acceptedEvents: [TokenEvent] = []
        for i in 0..<m {
            var event = record(drafts[i], kind: .accepted, exitLayer: draftExitLayers[i], &state)
            event.text = draftTexts[i]
            acceptedEvents.append(event)
        }
        let rejectedEvents = (m..<k).map { i in
            TokenEvent(id: drafts[i], text: "", bytes: model.tokenizer.tokenBytes(drafts[i]), exitLayer: draftExitLayers[i],
                       kind: .rejected, round: state.stats.rounds + 1, position: p + 1 + i)
        }
        var verifierEvent: TokenEvent?
        if let v = result.verifierToken {
            verifierEvent = commit(v, kind: .verifier, exitLayer: layerCount, &state)
        }
        forward.truncate(to: p + m + 1)

        state.stats.rounds += 1
        state.stats.draftedTokens += k
        state.stats.acceptedDrafts += m
        for i in 0..<k {
            if state.stats.draftedByPosition.count <= i {
                state.stats.draftedByPosition.append(0)
                state.stats.acceptedByPosition.append(0)
            }
            state.stats.draftedByPosition[i] += 1
            if i < m { state.stats.acceptedByPosition[i] += 1 }
        }
        let seconds = Date().timeIntervalSince(start)
        let meanExit = Int((Double(draftExitLayers.reduce(0, +)) / Double(k)).rounded())
        let summary = RoundSummary(round: state.stats.rounds, drafted: k, accepted: m, exitLayer: meanExit,
                                   depth: depth, mode: settings.mode, seconds: seconds)
        state.onEvent(.verified(round: summary, accepted: acceptedEvents, rejected: rejectedEvents,
                                verifierToken: verifierEvent, retractedBytes: retracted))
        if settings.mode == .auto { autoTuner.record(exitLayer: e, drafted: k, accepted: m) }
        let ended = result.verifierToken.map { model.tokenizer.endOfTurnIDs.contains($0) } ?? true
        return ended
    }

    /// Computes the draft logits of one hidden state at `exitLayer` and `position` (unless
    /// `logitsReady`: they are in the logit buffer already) and picks the draft token: argmax, or a sample whose
    /// distribution is appended to `distributions`.
    private func pickDraft(hidden: UnsafePointer<Float>, exitLayer: Int, position: Int, sampling: Bool, processor: LogitsProcessor,
                           context: [Int32], distributions: inout [TokenDistribution], logitsReady: Bool = false) -> Int32 {
        let columns = logitsReady ? forward.draftHead?.ids
            : forward.draftLogits(hidden: hidden, count: 1, exitLayer: exitLayer, position: position, into: logitBuffer)
        let n = forward.draftCandidates
        if !sampling {
            let best = LogitsProcessor.argmax(logitBuffer, count: n)
            return columns?[Int(best)] ?? best
        }
        let q = processor.distribution(logitBuffer, count: n, context: context, columns: columns)
        distributions.append(q)
        return q.sample(rng.nextUnit())
    }

    /// Emits a draft event; its text goes into the detokenizer provisionally.
    /// - Returns: the text the draft added.
    private func emitDraft(_ id: Int32, exitLayer: Int, index: Int, _ state: inout RoundState) -> String {
        let text = model.tokenizer.endOfTurnIDs.contains(id) ? "" : state.detokenizer.push(id)
        state.onEvent(.draft(TokenEvent(id: id, text: text, bytes: model.tokenizer.tokenBytes(id), exitLayer: exitLayer,
                                        kind: .draft, round: state.stats.rounds + 1, position: tokens.count + index)))
        return text
    }

    /// Dynamic mode: before draft `draftIndex` runs layer `layer`, earlier drafts of the round that
    /// exited below that layer get their KV entries for it (they attend to them), computed from
    /// their snapshots in one batch — exact, not copied — and their snapshots extended by a layer.
    private func catchUp(layer l: Int, draftIndex i: Int, startPosition p: Int, _ state: inout RoundState) {
        let first = forward.cache.lengths[l] - p
        guard first < i else { return }
        let stride = (layerCount + 1) * hiddenSize
        for j in first..<i {
            (catchUpRows + (j - first) * hiddenSize).update(from: snapshots + j * stride + l * hiddenSize, count: hiddenSize)
        }
        forward.runLayers(l..<(l + 1), hidden: catchUpRows, count: i - first, startPosition: p + first)
        for j in first..<i {
            (snapshots + j * stride + (l + 1) * hiddenSize).update(from: catchUpRows + (j - first) * hiddenSize, count: hiddenSize)
        }
        state.stats.layerEvaluations += i - first
    }

    /// Commits an accepted draft (its text was already streamed as a draft).
    private func record(_ id: Int32, kind: TokenKind, exitLayer: Int, _ state: inout RoundState) -> TokenEvent {
        let event = TokenEvent(id: id, text: "", bytes: model.tokenizer.tokenBytes(id), exitLayer: exitLayer,
                               kind: kind, round: state.stats.rounds + 1, position: tokens.count)
        tokens.append(id)
        state.generated.append(id)
        state.stats.committedTokens += 1
        state.stats.exitLayerCounts[exitLayer - 1] += 1
        return event
    }

    /// Commits a token that was not streamed before (verifier or autoregressive token).
    func commit(_ id: Int32, kind: TokenKind, exitLayer: Int, _ state: inout RoundState) -> TokenEvent {
        var event = record(id, kind: kind, exitLayer: exitLayer, &state)
        if !model.tokenizer.endOfTurnIDs.contains(id) { event.text = state.detokenizer.push(id) }
        return event
    }

    /// Picks the next token from logits row `row` (argmax, or a sample of the processed distribution).
    func choose(row: Int, settings: DecoderSettings, extraContext: [Int32]) -> Int32 {
        let logits = logitBuffer + row * vocab
        if settings.sampling.isGreedy { return LogitsProcessor.argmax(logits, count: vocab) }
        return LogitsProcessor(settings.sampling).distribution(logits, count: vocab, context: tokens + extraContext)
            .sample(rng.nextUnit())
    }
}
