/// The layer lens (F4): for the token under the cursor, each layer's early-exit top-3
/// predictions; ◆ marks the first layer from which the top prediction stays the kept token.
enum LensView {
    static func lines(_ state: ChatState, height: Int) -> [StyledLine] {
        guard let selection = state.lensSelection else { return [] }
        let token = state.session.messages[selection.message].tokens[selection.token]
        var lines: [StyledLine] = [[Span("lens ", .accent), Span("\"\(DraftLane.printable(text: token.text))\"", .selection),
                                    Span("  ←/→ move · Esc leaves", .muted)]]
        guard let layers = state.lensLayers else {
            lines.append([Span("  computing…", .muted)])
            return lines
        }
        let settled = settledLayer(layers, keptID: token.id)
        var shown = layers
        let room = max(1, height - 1)
        if shown.count > room {
            // Keep the first, the last, the settled layer, and layers spread evenly between.
            let must = Set([layers.first?.layer, layers.last?.layer, settled].compactMap { $0 })
            let step = Double(layers.count) / Double(room)
            var picked = Set((0..<room).map { layers[min(layers.count - 1, Int(Double($0) * step))].layer })
            picked.formUnion(must)
            shown = layers.filter { picked.contains($0.layer) }
            while shown.count > room, let drop = shown.indices.dropFirst().first(where: { !must.contains(shown[$0].layer) }) {
                shown.remove(at: drop)
            }
        }
        for row in shown {
            var line: StyledLine = [
                Span(row.layer == settled ? "◆" : " ", .accent),
                Span(String(format: "%3d ", row.layer), .legend(layer: row.layer)),
            ]
            for prediction in row.predictions.prefix(3) {
                let role: Role = prediction.id == token.id ? .token(.verifier, layer: row.layer) : .plain
                line.append(Span(DraftLane.printable(text: prediction.text).padding(8), role))
                line.append(Span(String(format: "%3.0f%% ", prediction.probability * 100), .muted))
            }
            lines.append(line)
        }
        return lines
    }

    /// The first layer from which every deeper layer's top prediction is the kept token.
    static func settledLayer(_ layers: [LensLayer], keptID: Int32) -> Int? {
        var settled: Int?
        for row in layers.reversed() {
            guard row.predictions.first?.id == keptID else { break }
            settled = row.layer
        }
        return settled
    }
}
