import Foundation

/// The two kinds of round: a plain step, and a draft-and-verify round (fixed or dynamic exit).
/// Each returns true when the turn ended (an end-of-turn token was committed).
extension GenerationSession {
    /// One plain decoding step: the pending token runs all L layers; its logits give the next token.
    func autoregressiveStep(_ settings: DecoderSettings, _ state: inout RoundState) -> Bool {
        let p = tokens.count - 1
        forward.embed([tokens[p]], into: rows.row(0))
        forward.runLayers(0..<layerCount, hidden: rows.row(0), count: 1, startPosition: p)
        forward.logits(hidden: rows.row(0), count: 1, into: logitRows.row(0))
        state.stats.layerEvaluations += layerCount
        let token = choose(row: 0, settings: settings, extraContext: [])
        state.stats.rounds += 1
        let event = commit(token, kind: .verifier, exitLayer: layerCount, &state)
        state.onEvent(.committed(event))
        return model.tokenizer.endOfTurnIDs.contains(token)
    }

    /// One self-speculative round in three steps (the shape of gpt-fast's `speculative_decode`):
    /// draft up to `depth` tokens, verify them in one batched pass, commit what was accepted.
    /// `exitLayer` nil means dynamic exit.
    /// `exploring` marks an auto-mode exploration round in its summary.
    func speculativeRound(_ settings: DecoderSettings, exitLayer: Int?, depth: Int, exploring: Bool = false,
                          _ state: inout RoundState) -> Bool {
        let start = Date()
        let drafts = draft(settings, exitLayer: exitLayer, depth: depth, &state)
        let outcome = verify(drafts, settings: settings, &state)
        commit(outcome, settings: settings, depth: depth, start: start, exploring: exploring, &state)
        return outcome.verifierToken.map { model.tokenizer.endOfTurnIDs.contains($0) } ?? true
    }

    /// Drafts up to `depth` tokens (fewer when one ends the turn), each emitted as a `.draft`
    /// event. Afterwards rows 0 ..< count hold the drafts' hidden states after the shallowest exit
    /// E of the round; layers < E hold KV up to the last draft's input, layers ≥ E up to p − 1.
    private func draft(_ settings: DecoderSettings, exitLayer: Int?, depth: Int, _ state: inout RoundState) -> [Draft] {
        let p = tokens.count - 1
        let processor = LogitsProcessor(settings.sampling)
        var drafts: [Draft] = []
        var current = tokens[p]
        for i in 0..<depth {
            // Draft i: run the previous token through layers [0, E); row i keeps its hidden
            // state after layer E (the exit-query cache) for verification.
            let row = rows.row(i)
            forward.embed([current], into: row)
            let e: Int, logitsReady: Bool
            if let exitLayer {
                forward.runLayers(0..<exitLayer, hidden: row, count: 1, startPosition: p + i)
                (e, logitsReady) = (exitLayer, false)
            } else {
                (e, logitsReady) = runToConfidentExit(settings, draftIndex: i, &state)
            }
            state.stats.layerEvaluations += e
            let (token, distribution) = pickDraft(hidden: row, exitLayer: e, position: p + i, settings: settings,
                                                  processor: processor, context: tokens + drafts.map(\.token),
                                                  logitsReady: logitsReady)
            let text = emitDraft(token, exitLayer: e, index: i, &state)
            drafts.append(Draft(token: token, text: text, exitLayer: e, distribution: distribution))
            if model.tokenizer.endOfTurnIDs.contains(token) { break }
            current = token
        }
        alignToShallowestExit(drafts)
        return drafts
    }

    /// Dynamic exit: draft `draftIndex` (embedded in its row) runs layer by layer and exits at the
    /// first layer whose top-1 early-exit probability reaches the threshold (or at
    /// `maxExitLayer`). Its hidden state after every layer is kept in the snapshots.
    /// - Returns: the exit layer, and whether the draft logits of that exit are in logit row 0.
    private func runToConfidentExit(_ settings: DecoderSettings, draftIndex i: Int, _ state: inout RoundState) -> (Int, Bool) {
        let p = tokens.count - 1
        let row = rows.row(i)
        for l in 0..<settings.maxExitLayer {
            catchUp(layer: l, draftIndex: i, startPosition: p, &state)
            forward.runLayers(l..<(l + 1), hidden: row, count: 1, startPosition: p + i)
            snapshot(i, afterLayer: l + 1).update(from: row, count: hiddenSize)
            if l + 1 == settings.maxExitLayer { break }
            forward.draftLogits(hidden: row, count: 1, exitLayer: l + 1, position: p + i, into: logitRows.row(0))
            if LogitsProcessor.topProbability(logitRows.row(0), count: forward.draftCandidates) >= settings.dynamicThreshold {
                return (l + 1, true)
            }
        }
        return (settings.maxExitLayer, false)
    }

    /// Dynamic exit: verification starts at the shallowest exit E of the round. Every draft's
    /// hidden state after E is in the snapshots; deeper drafts' layers [E, E_i) are recomputed
    /// identically in the verification batch, so their KV entries there are dropped.
    private func alignToShallowestExit(_ drafts: [Draft]) {
        let exits = drafts.map(\.exitLayer)
        guard let eMin = exits.min(), exits.contains(where: { $0 != eMin }) else { return }
        for i in drafts.indices { rows.rows.copy(snapshot(i, afterLayer: eMin), toRow: i) }
        forward.truncate(layers: eMin..<layerCount, to: tokens.count - 1)
    }

    /// Runs layers [E, L) over the drafts' rows in one batch (the last draft also gets layers
    /// [0, E) first, unless it ends the turn) and accepts a prefix: greedy or speculative sampling.
    private func verify(_ drafts: [Draft], settings: DecoderSettings, _ state: inout RoundState) -> Outcome {
        let p = tokens.count - 1
        let k = drafts.count
        let e = drafts.map(\.exitLayer).min() ?? layerCount
        let lastEndsTurn = model.tokenizer.endOfTurnIDs.contains(drafts[k - 1].token)
        // The last draft is an input only if a bonus token may follow it.
        let verifyRows = lastEndsTurn ? k : k + 1
        if !lastEndsTurn {
            let row = rows.row(k)
            forward.embed([drafts[k - 1].token], into: row)
            forward.runLayers(0..<e, hidden: row, count: 1, startPosition: p + k)
            state.stats.layerEvaluations += e
        }
        forward.runLayers(e..<layerCount, hidden: rows.row(0), count: verifyRows, startPosition: p)
        forward.logits(hidden: rows.row(0), count: verifyRows, into: logitRows.row(0))
        state.stats.layerEvaluations += (layerCount - e) * verifyRows

        let draftTokens = drafts.map(\.token)
        let result: AcceptanceResult
        if settings.sampling.isGreedy {
            let argmax = (0..<verifyRows).map { LogitsProcessor.argmax(logitRows.row($0), count: vocab) }
            result = acceptGreedy(drafts: draftTokens, verifierArgmax: argmax, hasBonusRow: !lastEndsTurn)
        } else {
            let processor = LogitsProcessor(settings.sampling)
            result = acceptSampled(drafts: draftTokens, draftDistributions: drafts.compactMap(\.distribution),
                                   hasBonusRow: !lastEndsTurn,
                                   verifier: { i in
                                       processor.distribution(self.logitRows.row(i), count: self.vocab,
                                                              context: self.tokens + draftTokens[..<i])
                                   }, rng: &rng)
        }
        return Outcome(drafts: drafts, accepted: result.accepted, verifierToken: result.verifierToken, verifiedFrom: e)
    }

    /// Retracts the rejected drafts' text, commits the accepted drafts and the verifier's token,
    /// rolls every KV cache back to the committed length and reports the round.
    private func commit(_ outcome: Outcome, settings: DecoderSettings, depth: Int, start: Date, exploring: Bool,
                        _ state: inout RoundState) {
        let p = tokens.count - 1
        let drafts = outcome.drafts, k = drafts.count, m = outcome.accepted
        let pushedRejected = drafts[m...].filter { !model.tokenizer.endOfTurnIDs.contains($0.token) }.count
        let retracted = state.detokenizer.retract(pushedRejected)
        let acceptedEvents = drafts[..<m].map { d in
            var event = record(d.token, kind: .accepted, exitLayer: d.exitLayer, &state)
            event.text = d.text
            return event
        }
        let rejectedEvents = drafts.indices[m...].map { i in
            TokenEvent(id: drafts[i].token, text: "", bytes: model.tokenizer.tokenBytes(drafts[i].token),
                       exitLayer: drafts[i].exitLayer, kind: .rejected, round: state.stats.rounds + 1, position: p + 1 + i)
        }
        let verifierEvent = outcome.verifierToken.map { commit($0, kind: .verifier, exitLayer: layerCount, &state) }
        forward.truncate(to: p + m + 1)

        state.stats.rounds += 1
        state.stats.speculation.recordRound(drafted: k, accepted: m)
        let meanExit = Int((Double(drafts.reduce(0) { $0 + $1.exitLayer }) / Double(k)).rounded())
        let summary = RoundSummary(round: state.stats.rounds, drafted: k, accepted: m, exitLayer: meanExit,
                                   depth: depth, mode: settings.mode, seconds: Date().timeIntervalSince(start),
                                   exploring: exploring)
        state.onEvent(.verified(round: summary, accepted: acceptedEvents, rejected: rejectedEvents,
                                verifierToken: verifierEvent, retractedBytes: retracted))
        if settings.mode == .auto { autoTuner.record(exitLayer: outcome.verifiedFrom, drafted: k, accepted: m) }
    }

    /// Computes the draft logits of one hidden state at `exitLayer` and `position` (unless
    /// `logitsReady`: they are in logit row 0 already) and picks the draft token: argmax, or a
    /// sample of the processed distribution, returned with it.
    private func pickDraft(hidden: UnsafePointer<Float>, exitLayer: Int, position: Int, settings: DecoderSettings,
                           processor: LogitsProcessor, context: [Int32], logitsReady: Bool) -> (Int32, TokenDistribution?) {
        let columns = logitsReady ? forward.draftHead?.ids
            : forward.draftLogits(hidden: hidden, count: 1, exitLayer: exitLayer, position: position, into: logitRows.row(0))
        let n = forward.draftCandidates
        if settings.sampling.isGreedy {
            let best = LogitsProcessor.argmax(logitRows.row(0), count: n)
            return (columns?[Int(best)] ?? best, nil)
        }
        let q = processor.distribution(logitRows.row(0), count: n, context: context, columns: columns)
        return (q.sample(rng.nextUnit()), q)
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
        for j in first..<i { catchUpRows.rows.copy(snapshot(j, afterLayer: l), toRow: j - first) }
        forward.runLayers(l..<(l + 1), hidden: catchUpRows.row(0), count: i - first, startPosition: p + first)
        for j in first..<i { snapshot(j, afterLayer: l + 1).update(from: catchUpRows.row(j - first), count: hiddenSize) }
        state.stats.layerEvaluations += i - first
    }

    /// Commits an accepted draft (its text was already streamed as a draft).
    private func record(_ id: Int32, kind: TokenKind, exitLayer: Int, _ state: inout RoundState) -> TokenEvent {
        let event = TokenEvent(id: id, text: "", bytes: model.tokenizer.tokenBytes(id), exitLayer: exitLayer,
                               kind: kind, round: state.stats.rounds + 1, position: tokens.count)
        tokens.append(id)
        state.generated.append(id)
        state.stats.committedTokens += 1
        state.stats.speculation.recordCommitted(exitLayer: exitLayer)
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
        let logits = logitRows.row(row)
        if settings.sampling.isGreedy { return LogitsProcessor.argmax(logits, count: vocab) }
        return LogitsProcessor(settings.sampling).distribution(logits, count: vocab, context: tokens + extraContext)
            .sample(rng.nextUnit())
    }
}
