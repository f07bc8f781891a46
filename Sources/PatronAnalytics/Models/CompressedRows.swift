/// Model input with identical (x, t_x, T) rows merged and the distinct values of x, t_x and T tabulated, so that
/// logarithms and special functions are computed once per distinct value instead of once per customer.
struct CompressedRows: Sendable {
    /// Distinct frequencies.
    var xValues: [Int]
    /// Distinct recencies.
    var txValues: [Double]
    /// Distinct ages.
    var tValues: [Double]
    /// Per row: index into `xValues`, `txValues`, `tValues`.
    var xIndex: [Int32]
    var txIndex: [Int32]
    var tIndex: [Int32]
    /// Per row: the number of customers it stands for.
    var weight: [Double]
    /// Total weight per distinct x.
    var weightPerX: [Double]
    /// Total weight.
    var totalWeight: Double

    var count: Int { weight.count }

    init(_ data: FrequencyRecencyData) {
        let n = data.count
        var xTable = IndexTable(capacity: 64), txTable = IndexTable(capacity: 1024), tTable = IndexTable(capacity: 1024)
        var xValues: [Int] = [], txValues: [Double] = [], tValues: [Double] = []
        // First pass: index the distinct values of each column.
        var xi = [Int32](repeating: 0, count: n), txi = xi, ti = xi
        for i in 0..<n {
            let x = data.frequency[i], tx = data.recency[i], t = data.T[i]
            let a = xTable.index(of: UInt64(bitPattern: Int64(x)))
            if a.isNew { xValues.append(x) }
            xi[i] = a.index
            let b = txTable.index(of: tx.bitPattern)
            if b.isNew { txValues.append(tx) }
            txi[i] = b.index
            let c = tTable.index(of: t.bitPattern)
            if c.isNew { tValues.append(t) }
            ti[i] = c.index
        }
        // Second pass: merge identical rows, keyed by their three indices packed into 64 bits when they fit.
        var xIndex: [Int32] = [], txIndex: [Int32] = [], tIndex: [Int32] = [], weight: [Double] = []
        let fits = xValues.count < 1 << 20 && txValues.count < 1 << 22 && tValues.count < 1 << 22
        if fits {
            var rowTable = IndexTable(capacity: min(n, 1 << 16))
            for i in 0..<n {
                let key = UInt64(xi[i]) << 44 | UInt64(txi[i]) << 22 | UInt64(ti[i])
                let r = rowTable.index(of: key)
                if r.isNew {
                    xIndex.append(xi[i]); txIndex.append(txi[i]); tIndex.append(ti[i]); weight.append(data.weight[i])
                } else {
                    weight[Int(r.index)] += data.weight[i]
                }
            }
        } else {
            xIndex = xi; txIndex = txi; tIndex = ti; weight = data.weight
        }
        self.xValues = xValues
        self.txValues = txValues
        self.tValues = tValues
        self.xIndex = xIndex
        self.txIndex = txIndex
        self.tIndex = tIndex
        self.weight = weight
        var weightPerX = [Double](repeating: 0, count: xValues.count)
        for i in 0..<weight.count { weightPerX[Int(xIndex[i])] += weight[i] }
        self.weightPerX = weightPerX
        self.totalWeight = weight.reduce(0, +)
    }

    /// Every `stride`-th row (weights kept), sharing the value tables: a cheap sample for a warm start.
    func subsample(stride: Int) -> CompressedRows {
        var copy = self
        let picked = Swift.stride(from: 0, to: count, by: stride)
        copy.xIndex = picked.map { xIndex[$0] }
        copy.txIndex = picked.map { txIndex[$0] }
        copy.tIndex = picked.map { tIndex[$0] }
        copy.weight = picked.map { weight[$0] }
        copy.weightPerX = [Double](repeating: 0, count: xValues.count)
        for i in copy.weight.indices { copy.weightPerX[Int(copy.xIndex[i])] += copy.weight[i] }
        copy.totalWeight = copy.weight.reduce(0, +)
        return copy
    }
}
