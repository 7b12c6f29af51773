import ArgumentParser
import Foundation
import SkipChatPlot

/// Output format of the benchmarks that print one report: a table, or the report as JSON.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The options of a benchmark that prints one report: its model (a file or a synthetic shape) and
/// the output format.
struct BenchReportOptions: ParsableArguments {
    @OptionGroup var bench: BenchModelOptions

    @Option(name: .long, help: "Output: table or json.")
    var format: ReportFormat = .table

    /// Prints `report` as JSON when `--format json` asks for it; returns whether it did (the
    /// caller prints its table otherwise).
    func printedJSON(_ report: some Encodable) -> Bool {
        guard format == .json else { return false }
        printJSON(report)
        return true
    }
}

/// `--plot FILE` and `--force`: a benchmark's results also written as an SVG chart.
struct PlotOptions: ParsableArguments {
    @Option(name: .long, help: "Also write the results as an SVG plot to this file.")
    var plot: String?

    @Flag(name: .long, help: "Let --plot overwrite an existing file.")
    var force = false

    /// Refuses, before the benchmark runs, a plot file that exists without --force.
    func validate() throws {
        if let plot, !force, FileManager.default.fileExists(atPath: plot) {
            throw ValidationError("\(plot) exists; --force overwrites it")
        }
    }

    /// Writes the chart `document` makes when --plot was given (it is not made otherwise).
    func write(_ document: () -> SVGDocument) throws {
        if let plot { try BenchPlots.write(document(), to: plot, force: force) }
    }
}
