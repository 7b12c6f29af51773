/// A view of float32 rows, `width` values each, row-major ([rows × width]). The one place that
/// turns a row index into an address: callers say `row(i)`, never `pointer + i * width`.
public struct Rows {
    /// Row 0.
    public let base: UnsafeMutablePointer<Float>
    /// Values per row.
    public let width: Int

    public init(_ base: UnsafeMutablePointer<Float>, width: Int) {
        self.base = base
        self.width = width
    }

    /// Row `i`, [width].
    public func row(_ i: Int) -> UnsafeMutablePointer<Float> { base + i * width }

    /// The rows from `i` on.
    public func dropping(_ i: Int) -> Rows { Rows(row(i), width: width) }

    /// Copies `source` ([width]) into row `i`.
    public func copy(_ source: UnsafePointer<Float>, toRow i: Int) { row(i).update(from: source, count: width) }
}

/// Memory for `capacity` rows of `width` floats, owned; `rows` views it.
public final class RowBuffer {
    public let rows: Rows

    public init(capacity: Int, width: Int) {
        rows = Rows(.allocate(capacity: capacity * width), width: width)
    }

    deinit { rows.base.deallocate() }

    /// Row `i` (see `Rows.row`).
    public func row(_ i: Int) -> UnsafeMutablePointer<Float> { rows.row(i) }
}

/// `count` consecutive positions from `start` on that go through transformer blocks together:
/// their residual-stream rows (updated in place), their positions as the kernels take them, and
/// the scratch the blocks work in.
struct Batch {
    /// [count × hidden]: the residual stream.
    let hidden: Rows
    let start: Int
    let count: Int
    let scratch: BlockScratch

    /// Writes positions start ..< start + count into the scratch's position buffer.
    /// Precondition: 1 ≤ count ≤ scratch.maxBatch.
    init(hidden: Rows, count: Int, start: Int, scratch: BlockScratch) {
        precondition(count >= 1 && count <= scratch.maxBatch, "batch of \(count) outside 1…\(scratch.maxBatch)")
        self.hidden = hidden
        self.count = count
        self.start = start
        self.scratch = scratch
        for t in 0..<count { scratch.positions[t] = Int32(start + t) }
    }

    /// Int32 positions of the rows, [count].
    var positions: UnsafePointer<Int32> { UnsafePointer(scratch.positions) }
}
