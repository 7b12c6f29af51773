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
}
