/// BPE merges: for a pair of adjacent token ids, the merge's priority (lower first) and the
/// id of the merged token. Built from tokenizer.json / GGUF merge lists (rank = list index, as in
/// HF `tokenizers`) or from SentencePiece scores (rank = order of the merged piece's score, equal
/// scores share a rank, as in `sentencepiece` `bpe_model.cc`).
struct MergeTable: Sendable {
    private var table: [UInt64: UInt64] = [:]

    init(capacity: Int) {
        table.reserveCapacity(capacity)
    }

    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Adds a merge unless the pair already has one (the first, best-ranked entry wins).
    mutating func add(_ left: Int32, _ right: Int32, rank: Int32, merged: Int32) {
        let k = Self.key(left, right)
        if table[k] == nil {
            table[k] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: merged))
        }
    }

    func lookup(_ left: Int32, _ right: Int32) -> (rank: Int32, merged: Int32)? {
        guard let v = table[Self.key(left, right)] else { return nil }
        return (Int32(bitPattern: UInt32(v >> 32)), Int32(bitPattern: UInt32(v & 0xFFFF_FFFF)))
    }

    /// Applies merges to `symbols` until none applies: always the best-ranked adjacent pair,
    /// the leftmost among equals (HF `Word::merge_all`, sentencepiece's agenda).
    /// A linked list over the symbols and a binary heap of candidate pairs: O(n log n).
    func apply(to symbols: inout [Int32]) {
        let n = symbols.count
        guard n > 1 else { return }
        var next = [Int32](unsafeUninitializedCapacity: n) { buf, count in
            for i in 0..<n { buf[i] = Int32(i + 1) }
            buf[n - 1] = -1
            count = n
        }
        var prev = [Int32](unsafeUninitializedCapacity: n) { buf, count in
            for i in 0..<n { buf[i] = Int32(i - 1) }
            count = n
        }
        var heap = PairHeap()
        for i in 0..<(n - 1) {
            if let m = lookup(symbols[i], symbols[i + 1]) { heap.push(rank: m.rank, position: Int32(i)) }
        }
        while let (rank, p) = heap.pop() {
            let pos = Int(p)
            let r = next[pos]
            // Skip stale entries: the symbol was merged away or the pair changed since.
            guard symbols[pos] >= 0, r >= 0,
                  let m = lookup(symbols[pos], symbols[Int(r)]), m.rank == rank else { continue }
            symbols[pos] = m.merged
            symbols[Int(r)] = -1
            let rr = next[Int(r)]
            next[pos] = rr
            if rr >= 0 { prev[Int(rr)] = p }
            let l = prev[pos]
            if l >= 0, let lm = lookup(symbols[Int(l)], m.merged) { heap.push(rank: lm.rank, position: l) }
            if rr >= 0, let rm = lookup(m.merged, symbols[Int(rr)]) { heap.push(rank: rm.rank, position: p) }
        }
        symbols.removeAll { $0 < 0 }
    }
}

/// A binary min-heap of (rank, position) pairs packed into one integer, ordered by rank then
/// position.
private struct PairHeap {
    private var items: [UInt64] = []

    mutating func push(rank: Int32, position: Int32) {
        items.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: position)))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[i] < items[parent] else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int32, Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, items[l] < items[m] { m = l }
                if r < items.count, items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return (Int32(bitPattern: UInt32(top >> 32)), Int32(bitPattern: UInt32(top & 0xFFFF_FFFF)))
    }
}
