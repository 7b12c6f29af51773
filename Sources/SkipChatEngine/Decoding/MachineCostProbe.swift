import Foundation
import Synchronization

/// Measures `MachineCosts` for a loaded model in about 0.1 s, and caches them per CPU model, kernel
/// path and precision, thread count, model file and draft sidecar, in memory and in
/// `$XDG_CACHE_HOME/skipchat/probes/<key hash>.json`. A cached file that cannot be read, was made
/// for another key, or holds implausible values is ignored and measured again (and rewritten).
/// Each process measures once more and keeps the faster record (`quieter`): a probe taken while
/// the machine was busy reads slow layers and flat batch growth, and must not steer the tuner
/// for good.
public enum MachineCostProbe {
    /// Wall time, seconds, after which no further repetition of the c(T) sweep starts (at least one
    /// runs). The head sweep and the draft exits come after it: on the default model the whole probe
    /// takes about 0.1 s on an idle 2-core Zen 4 (`probeSeconds` in the cache file).
    public static let layerSweepBudgetSeconds = 0.06

    /// Most repetitions of the c(T) sweep; the fastest time per T is kept.
    static let repetitions = 5

    private static let memo = Mutex<[String: MachineCosts]>([:])

    /// The costs of running `model` here: from memory, the cache file, or a fresh probe.
    public static func costs(for model: LanguageModel) -> MachineCosts {
        let key = cacheKey(for: model)
        if let known = memo.withLock({ $0[key] }) { return known }
        let url = cacheURL(key: key)
        let measured = measure(model)
        let costs = quieter(cached: read(url, key: key), measured: measured)
        if costs == measured { write(measured, key: key, to: url) }
        memo.withLock { $0[key] = costs }
        return costs
    }

    /// The record taken on the quieter machine: the one whose layer ran faster (load only ever
    /// slows a layer down), the measured one when nothing is cached.
    static func quieter(cached: MachineCosts?, measured: MachineCosts) -> MachineCosts {
        guard let cached, cached.layerSeconds < measured.layerSeconds else { return measured }
        return cached
    }

    /// What the costs depend on, as one line.
    public static func cacheKey(for model: LanguageModel) -> String {
        let block = model.draftBlock.map { "block E\($0.exitLayer) \($0.byteCount)B" } ?? "no block"
        let adapters = model.exitAdapters.map { $0.adapters.keys.sorted().map(String.init).joined(separator: ",") } ?? "-"
        return "\(cpuModelName) | \(KernelPath.active.rawValue) \(KernelPrecision.active.rawValue) | threads \(model.llama.pool.threads)"
            + " | \(model.file.name) \(model.file.fileSize) | \(block) | adapters \(adapters)"
            + " | draft head \(model.draftHead?.ids.count ?? 0)"
    }

    /// `$XDG_CACHE_HOME/skipchat/probes/<FNV-1a 64 of key>.json`.
    static func cacheURL(key: String) -> URL {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return LanguageModel.cacheDirectory.appendingPathComponent("probes/\(String(hash, radix: 16)).json")
    }

    /// The CPU's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
    static var cpuModelName: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }

    private struct CacheFile: Codable {
        var key: String
        var costs: MachineCosts
    }

    static func read(_ url: URL, key: String) -> MachineCosts? {
        guard let data = try? Data(contentsOf: url), data.count < 1 << 20,
              let file = try? JSONDecoder().decode(CacheFile.self, from: data),
              file.key == key, file.costs.isPlausible else { return nil }
        return file.costs
    }

    static func write(_ costs: MachineCosts, key: String, to url: URL) {
        guard let data = try? JSONEncoder().encode(CacheFile(key: key, costs: costs)) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }

    /// Runs the probe: c(T) from batches of T = 1 … 9 positions through groups of 3 layers (a
    /// different group each run, so no run finds the previous run's weights in cache; the fastest of
    /// up to `repetitions`, since other work only ever adds time), the full head at T = 1 … 9 (the
    /// faster of two at T = 1), and one draft exit per candidate exit layer.
    public static func measure(_ model: LanguageModel) -> MachineCosts {
        let start = Date()
        let config = model.config
        let L = config.layerCount, d = config.hiddenSize, n = MachineCosts.maxBatch
        let pass = ForwardPass(model: model.llama, maxBatch: n, maxPositions: 2 * n)
        pass.exitAdapters = model.exitAdapters
        pass.draftHead = model.draftHead
        pass.draftBlock = model.draftBlock
        let rows = RowBuffer(capacity: n, width: d)
        let logits = RowBuffer(capacity: n, width: model.weights.lmHead.rows)
        let tokens = (0..<Int32(n)).map { $0 % Int32(model.weights.lmHead.rows) }
        let group = min(L, 3), groups = max(1, L / group)

        func timed(_ body: () -> Void) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        func runGroup(_ g: Int, count t: Int) -> Double {
            pass.truncate(to: 0)
            pass.embed(tokens[0..<t], into: rows.row(0))
            let layers = (g % groups) * group..<((g % groups) * group + group)
            return timed { pass.runLayers(layers, hidden: rows.row(0), count: t, startPosition: 0) }
        }

        // Warm-up: one position through every layer and the head, so that no timed run pays for
        // the first touch of mapped weight pages (minor faults cost more than a 3-layer run at
        // T = 1 and made c(T) read flat), and the thread pool is awake.
        pass.truncate(to: 0)
        pass.embed(tokens[0..<1], into: rows.row(0))
        pass.runLayers(0..<L, hidden: rows.row(0), count: 1, startPosition: 0)
        pass.logits(hidden: rows.row(0), count: 1, into: logits.row(0))
        _ = runGroup(groups - 1, count: n)
        var layerTimes = Array(repeating: [Double](), count: n)
        var run = 0
        for _ in 0..<repetitions {
            for t in 1...n {
                layerTimes[t - 1].append(runGroup(run, count: t))
                run += 1
            }
            if Date().timeIntervalSince(start) > layerSweepBudgetSeconds { break }
        }
        let layerBest = layerTimes.map { $0.min() ?? 0 }
        pass.embed(tokens, into: rows.row(0))
        // The head is the probe's largest cost (on the default model a third of a step): the
        // faster of two runs at T = 1, the denominator, one run at each larger T (`growth` drops a
        // slow one).
        let headTimes = (1...n).map { t in
            let once = timed { pass.logits(hidden: rows.row(0), count: t, into: logits.row(0)) }
            return t > 1 ? once : min(once, timed { pass.logits(hidden: rows.row(0), count: t, into: logits.row(0)) })
        }

        func exitTime(_ e: Int) -> Double {
            pass.truncate(to: 0)
            pass.embed(tokens[0..<1], into: rows.row(0))
            if model.draftBlock?.exitLayer == e {  // the block attends to its own cache entry
                pass.runLayers(0..<e, hidden: rows.row(0), count: 1, startPosition: 0)
            }
            return timed { pass.draftLogits(hidden: rows.row(0), count: 1, exitLayer: e, position: 0, into: logits.row(0)) }
        }
        var exits: [Int: Double] = [:]
        for e in model.calibratedExitLayers { exits[e] = min(exitTime(e), exitTime(e)) }
        let plainLayer = (1..<max(2, L)).first { !model.calibratedExitLayers.contains($0) } ?? 1
        let plainExit = min(exitTime(plainLayer), exitTime(plainLayer))
        pass.truncate(to: 0)

        let one = max(layerBest[0], 1e-9), head = max(headTimes[0], 1e-9)
        return MachineCosts(layerSeconds: one / Double(group), batchGrowth: growth(layerBest.map { $0 / one }),
                            headSeconds: head, headGrowth: growth(headTimes.map { $0 / head }),
                            exitSeconds: exits, plainExitSeconds: max(plainExit, 1e-9),
                            probeSeconds: Date().timeIntervalSince(start))
    }

    /// Timing ratios made into a cost curve: 1 at T = 1, never falling as T grows. Other work on
    /// the CPU only ever adds time, so each reading is an upper bound of the true, non-decreasing
    /// curve, and c(T) = min over T' ≥ T of the readings is the tightest one: a spike at one T is
    /// dropped instead of being carried to every larger T. Non-finite readings are skipped.
    static func growth(_ ratios: [Double]) -> [Double] {
        var out = Array(repeating: Double.infinity, count: ratios.count)
        var lowest = Double.infinity
        for i in ratios.indices.reversed() {
            if ratios[i].isFinite { lowest = min(lowest, ratios[i]) }
            out[i] = lowest
        }
        for i in out.indices {
            out[i] = i == 0 ? 1 : (out[i].isFinite ? max(out[i], out[i - 1]) : out[i - 1])
        }
        return out
    }
}
