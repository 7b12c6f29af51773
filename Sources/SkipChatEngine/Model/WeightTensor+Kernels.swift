import CKernels

extension WeightTensor {
    /// A kernel job y = W · x for this [rows × cols] weight, writing each position's `rows`
    /// outputs into a row of `output` (`output.width` floats apart).
    func job(into output: Rows) -> sc_matmul_job {
        sc_matmul_job(type: Int32(type.rawValue), w: data, rows: Int64(rows), cols: Int64(cols),
                      y: output.base, y_stride: Int64(output.width))
    }

    /// The stored bytes of row `i` (`rowBytes` of them).
    func rowData(_ i: Int) -> UnsafeRawPointer { data + i * rowBytes }

    /// Rows `ids` dequantised to float32 (sc_dequantize_row), [ids.count × cols] row-major.
    package func dequantizedRows(_ ids: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: ids.count * cols)
        out.withUnsafeMutableBufferPointer { buffer in
            let rows = Rows(buffer.baseAddress!, width: cols)
            for (r, id) in ids.enumerated() { sc_dequantize_row(Int32(type.rawValue), rowData(id), rows.row(r), Int64(cols)) }
        }
        return out
    }
}
