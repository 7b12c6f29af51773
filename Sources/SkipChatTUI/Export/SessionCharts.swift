import SkipChatPlot

/// The export's statistics as inline SVG: acceptance by draft position, and the histogram of
/// committed tokens' exit layers in the layer colours.
enum SessionCharts {
    static func section(_ statistics: SessionStatistics, colors: ExportColors) -> String {
        var charts: [any Chart] = []
        if !statistics.draftedByPosition.isEmpty {
            let bars = statistics.acceptanceByPosition.enumerated().map { index, rate in
                BarChart.Bar(label: "\(index + 1)", value: rate,
                             tooltip: "draft \(index + 1) of a round: \(statistics.acceptedByPosition[index]) of \(statistics.draftedByPosition[index]) accepted (\(formatPercent(rate)))")
            }
            charts.append(BarChart(title: "acceptance by draft position", xTitle: "draft position in the round",
                                   yTitle: "accepted", bars: bars, yFormat: .percent, yMax: 1))
        }
        let counts = statistics.exitLayerCounts
        let histogram = counts.enumerated().map { index, count in
            BarChart.Bar(label: "\(index + 1)", value: Double(count), color: colors.layer(index + 1),
                         tooltip: "exit layer \(index + 1): \(count) committed tokens")
        }
        charts.append(BarChart(title: "exit layers of committed tokens", xTitle: "exit layer", yTitle: "tokens",
                               bars: histogram, labelEvery: max(1, counts.count / 10)))
        var out = "<section class=\"charts\" aria-label=\"statistics\">\n"
        for chart in charts {
            out += SVGDocument(charts: [chart], panelWidth: 460, panelHeight: 280, style: colors.chartStyle).render(standalone: false)
        }
        return out + "</section>\n"
    }
}
