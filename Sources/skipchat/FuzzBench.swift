import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine
import SkipChatTUI

/// `skipchat bench fuzz`: the file parsers on mutated inputs, with mutations per second and
/// peak resident memory per parser.
struct FuzzBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Feed mutated GGUF, safetensors, config.json, tokenizer.json, exit-adapter and session files to their parsers.",
        discussion: """
            Mutations: bytes flipped, truncation, length and count fields set to extremes, JSON members \
            duplicated or swapped, JSON numbers set to extremes. A thrown error is fine; a crash or a hang \
            (over --time-limit) ends the run naming the saved input; a multi-line error is saved and counted. \
            Exit status 1 when any parser failed.
            """
    )

    static let targets = FuzzTarget.engineTargets + [ChatSession.fuzzTarget]

    @Option(name: .long, help: "Mutations per parser.")
    var iterations = 100_000

    @Option(name: .long, help: "Random seed (the same seed repeats the same inputs).")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Only this parser: \(FuzzBench.targets.map(\.name).joined(separator: ", ")).")
    var parser: String?

    @Option(name: .long, help: "Directory for the inputs being parsed and the failing ones (default: a new directory in /dev/shm, else in the temporary directory).")
    var out: String?

    @Option(name: .long, help: "Per-input time limit in seconds.")
    var timeLimit = 5.0

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        if let parser, !Self.targets.contains(where: { $0.name == parser }) {
            throw ValidationError("unknown parser '\(parser)' (known: \(Self.targets.map(\.name).joined(separator: ", ")))")
        }
    }

    func run() throws {
        let directory = out.map { URL(fileURLWithPath: NSString(string: $0).expandingTildeInPath) }
            ?? FuzzRunner.scratchDirectory()
        let runner = FuzzRunner(directory: directory, timeLimit: timeLimit)
        writeOut("inputs in \(directory.path); seed \(seed); \(iterations) mutations per parser\n")
        writeOut("parser          mutations/s   accepted   rejected   peak RSS MiB   RSS growth MiB   largest input B   failures\n")
        var failed = false
        for target in Self.targets where parser == nil || target.name == parser {
            let r = try failing { try runner.run(target, iterations: iterations, seed: seed) }
            writeOut(target.name.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: " %11.0f %10d %10d %14.1f %16.1f %17d %10d\n", r.mutationsPerSecond,
                            r.accepted, r.rejected, Double(r.peakRSS) / 1_048_576, Double(r.rssGrowth) / 1_048_576,
                            r.largestInput, r.failures.count))
            for failure in r.failures { writeOut("  failure: \(failure)\n") }
            failed = failed || !r.failures.isEmpty
        }
        if failed { throw ExitCode(1) }
        if out == nil { try? FileManager.default.removeItem(at: directory) }
    }
}
