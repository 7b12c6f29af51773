import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine
import SkipChatPlot
import SkipChatTUI

/// SVG plots of benchmark results (`--plot`), with a caption naming the CPU and kernels.
enum BenchPlots {
    /// Speedup and acceptance against exit layer, one line per depth (fixed-exit settings), the
    /// plain-decoding line at 1.0×.
    static func sweep(_ results: [SweepResult], model: String) -> SVGDocument {
        let fixed = results.filter { $0.mode == .fixed && $0.exitLayer != nil && $0.depth != nil }
        let depths = Set(fixed.compactMap(\.depth)).sorted()
        func series(_ value: (SweepResult) -> Double) -> [LineChart.Series] {
            depths.map { k in
                LineChart.Series(name: "K=\(k)", points: fixed.filter { $0.depth == k }
                    .sorted { $0.exitLayer! < $1.exitLayer! }
                    .map { LineChart.Point(x: Double($0.exitLayer!), y: value($0)) })
            }
        }
        let speedup = LineChart(title: "speedup over plain decoding", xTitle: "exit layer E", yTitle: "speedup",
                                series: series(\.speedup), references: [LineChart.Reference(value: 1, label: "plain decoding 1.0×")],
                                yFormat: .times)
        let acceptance = LineChart(title: "draft acceptance", xTitle: "exit layer E", yTitle: "accepted drafts",
                                   series: series(\.acceptanceRate), yFormat: .percent)
        return SVGDocument(charts: [speedup, acceptance], columns: 2, caption: caption(model))
    }

    /// Cost of verifying T positions in one batch, in decode steps, against T; the ideal (free
    /// batching) line at 1.0 and the cost of T separate steps.
    static func roofline(_ report: RooflineReport, model: String) -> SVGDocument {
        let measured = [LineChart.Point(x: 1, y: 1)] + zip(report.verifyPositions, report.verifyCostRatio).map {
            LineChart.Point(x: Double($0), y: $1)
        }
        let separate = measured.map { LineChart.Point(x: $0.x, y: $0.x) }
        let chart = LineChart(title: "cost of T batched positions", xTitle: "positions T (depth K = T − 1)",
                              yTitle: "decode steps",
                              series: [LineChart.Series(name: "measured", points: measured),
                                       LineChart.Series(name: "T separate steps", points: separate)],
                              references: [LineChart.Reference(value: 1, label: "ideal: one step")], yFormat: .times)
        return SVGDocument(charts: [chart], caption: caption(model))
    }

    /// Decode and prefill speed against context length, and the cost of verifying depth 2 and 4
    /// there in decode steps (ideal: 1).
    static func context(_ report: ContextReport, model: String) -> SVGDocument {
        func series(_ name: String, _ value: (ContextReport.Row) -> Double) -> LineChart.Series {
            LineChart.Series(name: name, points: report.rows.map { LineChart.Point(x: Double($0.length), y: value($0)) })
        }
        let speed = LineChart(title: "speed against context (KV \(report.kvType))", xTitle: "context length (positions)",
                              yTitle: "tokens/s",
                              series: [series("decode", \.decodeTokensPerSecond), series("prefill", \.prefillTokensPerSecond)])
        let verify = LineChart(title: "verification cost against context", xTitle: "context length (positions)",
                               yTitle: "decode steps",
                               series: [series("depth 2 (3 positions)", \.verifyDepth2Cost), series("depth 4 (5 positions)", \.verifyDepth4Cost)],
                               references: [LineChart.Reference(value: 1, label: "ideal: one step")], yFormat: .times)
        return SVGDocument(charts: [speed, verify], columns: 2, caption: caption(model))
    }

    /// Writes `document` to `path` (refusing an existing file without `force`).
    static func write(_ document: SVGDocument, to path: String, force: Bool) throws {
        try failing { try OutputFile.create(Data(document.render().utf8), at: path, force: force) }
        FileHandle.standardError.write(Data("bench: wrote \(path)\n".utf8))
    }

    private static func caption(_ model: String) -> String {
        "\(model) · \(cpuModel) · \(KernelSelection.summary)"
    }

    /// The CPU's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
    private static var cpuModel: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
