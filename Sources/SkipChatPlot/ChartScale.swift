/// A linear map from data values onto a pixel range, with "nice" tick values (1, 2 or 5 × 10^n
/// steps; Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
public struct ChartScale: Sendable {
    /// Data range shown, lower and upper end (lower < upper).
    public let domain: ClosedRange<Double>
    /// Pixel coordinates the domain's lower and upper ends map to (may be reversed, as SVG's y is).
    public let range: (start: Double, end: Double)
    /// Tick values inside the domain, ascending.
    public let ticks: [Double]
    /// Distance between ticks.
    public let step: Double

    /// A scale over `values` (plus `include`, e.g. 0 or a reference line), widened to whole tick
    /// steps with about `tickCount` ticks. An empty or single-valued input gets a unit-wide domain.
    public init(covering values: [Double], include: [Double] = [], range: (start: Double, end: Double), tickCount: Int = 5) {
        let all = (values + include).filter(\.isFinite)
        var low = all.min() ?? 0
        var high = all.max() ?? 1
        if high - low < 1e-12 { low -= 0.5; high += 0.5 }
        let step = Self.niceStep((high - low) / Double(max(1, tickCount)))
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        self.init(domain: low...high, range: range, step: step)
    }

    /// A scale over a fixed domain with ticks every `step`.
    public init(domain: ClosedRange<Double>, range: (start: Double, end: Double), step: Double) {
        self.domain = domain
        self.range = range
        self.step = step
        var ticks: [Double] = []
        var index = (domain.lowerBound / step).rounded(.up)
        while index * step <= domain.upperBound + step * 1e-9 {
            ticks.append(abs(index * step) < step * 1e-9 ? 0 : index * step)
            index += 1
        }
        self.ticks = ticks
    }

    /// The pixel coordinate of `value`.
    public func position(_ value: Double) -> Double {
        let t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return range.start + t * (range.end - range.start)
    }

    /// The smallest 1, 2 or 5 × 10^n at least `rough` (rough > 0).
    public static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow10(floorLog10(rough))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    private static func floorLog10(_ x: Double) -> Int {
        var exponent = 0
        var value = x
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return exponent
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}

/// A number as a tick label: as few decimals as the step needs ("0.25", "1", "1.5").
func tickLabel(_ value: Double, step: Double) -> String {
    var decimals = 0
    var scaled = step
    while decimals < 6, abs(scaled - scaled.rounded()) > 1e-9 { scaled *= 10; decimals += 1 }
    return formatFixed(value, decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point, rounded half away from zero (no
/// Foundation): formatFixed(2.345, decimals: 1) = "2.3".
public func formatFixed(_ value: Double, decimals: Int) -> String {
    var factor = 1.0
    for _ in 0..<decimals { factor *= 10 }
    let scaled = (abs(value) * factor).rounded()
    let negative = value < 0 && scaled > 0
    let whole = Int(scaled / factor)
    let fraction = Int(scaled - Double(whole) * factor)
    var text = String(whole)
    if decimals > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return negative ? "-" + text : text
}

/// A pixel coordinate for SVG: one decimal, no trailing ".0".
func px(_ value: Double) -> String {
    let text = formatFixed(value, decimals: 1)
    return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
}
