/// Lookup tables built once when a tokenizer is loaded.
extension Tokenizer {
    static func byteIDs(_ spec: TokenizerSpec, pieceIDs: [VocabKey: Int32]) -> [Int32] {
        var table = [Int32](repeating: -1, count: 256)
        switch spec.kind {
        case .byteLevel:
            for b in 0..<256 {
                table[b] = pieceIDs[VocabKey(ByteLevelAlphabet.encode([UInt8(b)]))] ?? -1
            }
        case .sentencePiece:
            for (i, piece) in spec.pieces.enumerated() where spec.types[i] == .byte {
                if let piece, let b = TokenBytesTable.byteFallbackValue(piece), table[Int(b)] < 0 {
                    table[Int(b)] = Int32(i)
                }
            }
        }
        return table
    }

    /// SentencePiece pieces that merges may start from or produce (sentencepiece keeps control,
    /// unknown, unused and byte pieces out of its piece table).
    static func isMergeable(_ type: TokenizerSpec.TokenType) -> Bool {
        type == .normal || type == .userDefined
    }

    static func scalarIDs(_ spec: TokenizerSpec) -> [UInt32: Int32] {
        guard case .sentencePiece = spec.kind else { return [:] }
        var table: [UInt32: Int32] = [:]
        for (i, piece) in spec.pieces.enumerated() where isMergeable(spec.types[i]) {
            guard let piece else { continue }
            var it = piece.unicodeScalars.makeIterator()
            if let first = it.next(), it.next() == nil, table[first.value] == nil {
                table[first.value] = Int32(i)
            }
        }
        return table
    }

    /// Merges from a ranked list of pairs (HF `merges`, GGUF `tokenizer.ggml.merges`).
    /// - Throws: `TokenizerError.invalidField` when a pair names a token the vocabulary lacks.
    static func mergeTable(_ list: [(String, String)], pieceIDs: [VocabKey: Int32]) throws -> MergeTable {
        var table = MergeTable(capacity: list.count)
        for (rank, (left, right)) in list.enumerated() {
            guard let l = pieceIDs[VocabKey(left)], let r = pieceIDs[VocabKey(right)],
                  let m = pieceIDs[VocabKey(left + right)] else {
                throw TokenizerError.invalidField("merges", reason: "entry \(rank) '\(left) \(right)' uses a token not in the vocabulary")
            }
            table.add(l, r, rank: Int32(rank), merged: m)
        }
        return table
    }

    /// Merges implied by SentencePiece scores: every split of a piece into two pieces, ranked by
    /// the merged piece's score (higher first; equal scores share a rank so the leftmost pair
    /// wins, as in sentencepiece's agenda).
    static func mergeTable(scores: [Float], spec: TokenizerSpec) -> MergeTable {
        var ids: [VocabKey: Int32] = [:]
        var candidates: [Int] = []
        for (i, piece) in spec.pieces.enumerated() where isMergeable(spec.types[i]) {
            guard let piece, i < scores.count else { continue }
            if ids[VocabKey(piece)] == nil { ids[VocabKey(piece)] = Int32(i) }
            candidates.append(i)
        }
        candidates.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var table = MergeTable(capacity: candidates.count * 2)
        var rank: Int32 = -1
        var lastScore = Float.nan
        for i in candidates {
            if scores[i] != lastScore {
                rank += 1
                lastScore = scores[i]
            }
            guard let piece = spec.pieces[i] else { continue }
            let scalars = piece.unicodeScalars
            var split = scalars.index(after: scalars.startIndex)
            while split < scalars.endIndex {
                if let l = ids[VocabKey(String(scalars[..<split]))], let r = ids[VocabKey(String(scalars[split...]))] {
                    table.add(l, r, rank: rank, merged: Int32(i))
                }
                split = scalars.index(after: split)
            }
        }
        return table
    }
}
