/// A tensor as a model file stores it, before it is checked against a config: its name, type,
/// shape (outermost dimension first, row-major: [rows, cols] for a matrix, [n] for a vector)
/// and the location of its bytes inside a mapped file.
struct StoredTensor {
    let name: String
    let type: TensorType
    /// Dimensions, outermost first. For GGUF this is the reverse of the file's `ne` order.
    let shape: [Int]
    /// Start of the tensor's bytes; valid while the owning `MappedFile` is alive.
    let data: UnsafeRawPointer

    /// Number of values (the product of `shape`).
    var elementCount: Int { shape.reduce(1, *) }

    /// The tensor as a `WeightTensor`: a vector becomes one row, a matrix keeps its shape.
    /// Only called after the shape has been checked to have one or two dimensions.
    var weight: WeightTensor {
        WeightTensor(name: name, type: type, rows: shape.count == 2 ? shape[0] : 1,
                     cols: shape.last ?? 1, data: data)
    }

    /// Product of `dims`, or nil when a dimension is negative or the product overflows `Int`.
    static func checkedProduct(_ dims: [Int]) -> Int? {
        var total = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            total = p
        }
        return total
    }
}
