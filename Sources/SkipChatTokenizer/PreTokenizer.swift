/// The regex that splits text into words before byte-level BPE, implemented as hand-written
/// scanners that follow the regex's alternatives in order (first match wins, as in Oniguruma,
/// which HF `tokenizers` uses; llama.cpp `unicode.cpp` does the same by hand).
enum PreTokenizer: Sendable, Equatable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// Llama 3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
    /// ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    case llama3
    /// Qwen2 / Qwen2.5 / Qwen3: Llama 3's regex with single digits (`\p{N}` for `\p{N}{1,3}`).
    case qwen2
    /// SmolLM2 / StarCoder: every `\p{N}` is a piece of its own (HF `Digits(individual_digits)`),
    /// then GPT-2 on the text between.
    case digitsThenGPT2

    /// The byte ranges of the words of `bytes`, in order, covering all of it.
    func split(_ bytes: ArraySlice<UInt8>) -> [Range<Int>] {
        let text = ScalarText(bytes)
        var ends: [Int] = []
        ends.reserveCapacity(text.count / 3 + 1)
        switch self {
        case .gpt2:
            Self.scanGPT2(text, 0, text.count, into: &ends)
        case .llama3:
            Self.scanLlama3(text, maxDigits: 3, into: &ends)
        case .qwen2:
            Self.scanLlama3(text, maxDigits: 1, into: &ends)
        case .digitsThenGPT2:
            var start = 0
            for i in 0..<text.count where text.classes[i] & ScalarText.number != 0 {
                Self.scanGPT2(text, start, i, into: &ends)
                ends.append(i + 1)
                start = i + 1
            }
            Self.scanGPT2(text, start, text.count, into: &ends)
        }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(ends.count)
        var start = 0
        for end in ends {
            ranges.append(text.offsets[start]..<text.offsets[end])
            start = end
        }
        return ranges
    }

    // MARK: - GPT-2

    private static func scanGPT2(_ t: ScalarText, _ start: Int, _ end: Int, into ends: inout [Int]) {
        var i = start
        while i < end {
            i = matchGPT2(t, i, end)
            ends.append(i)
        }
    }

    private static func matchGPT2(_ t: ScalarText, _ i: Int, _ end: Int) -> Int {
        if let j = contraction(t, i, end, ignoringCase: false) { return j }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: the optional space is U+0020 only.
        let k = t.values[i] == 0x20 && i + 1 < end ? i + 1 : i
        let c = t.classes[k]
        if c & ScalarText.letter != 0 { return run(t, from: k, end, ScalarText.letter) }
        if c & ScalarText.number != 0 { return run(t, from: k, end, ScalarText.number) }
        if c & ScalarText.space == 0 { return runOfOther(t, from: k, end) }
        return whitespace(t, i, end)
    }

    // MARK: - Llama 3

    private static func scanLlama3(_ t: ScalarText, maxDigits: Int, into ends: inout [Int]) {
        var i = 0
        let end = t.count
        while i < end {
            i = matchLlama3(t, i, end, maxDigits: maxDigits)
            ends.append(i)
        }
    }

    private static func matchLlama3(_ t: ScalarText, _ i: Int, _ end: Int, maxDigits: Int) -> Int {
        if let j = contraction(t, i, end, ignoringCase: true) { return j }
        let c = t.classes[i]
        // `[^\r\n\p{L}\p{N}]?\p{L}+`
        if c & ScalarText.letter != 0 { return run(t, from: i, end, ScalarText.letter) }
        if c & (ScalarText.lineBreak | ScalarText.number) == 0, i + 1 < end,
           t.classes[i + 1] & ScalarText.letter != 0 {
            return run(t, from: i + 1, end, ScalarText.letter)
        }
        // `\p{N}{1,3}` (Qwen2: `\p{N}`)
        if c & ScalarText.number != 0 {
            var j = i + 1
            while j < end, j < i + maxDigits, t.classes[j] & ScalarText.number != 0 { j += 1 }
            return j
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let k = t.values[i] == 0x20 && i + 1 < end ? i + 1 : i
        if t.classes[k] & (ScalarText.space | ScalarText.letter | ScalarText.number) == 0 {
            return run(t, from: runOfOther(t, from: k, end), end, ScalarText.lineBreak)
        }
        // `\s*[\r\n]+`: through the last line break of the whitespace run.
        let r = run(t, from: i, end, ScalarText.space)
        var last = r - 1
        while last >= i, t.classes[last] & ScalarText.lineBreak == 0 { last -= 1 }
        if last >= i { return last + 1 }
        return whitespace(t, i, end)
    }

    // MARK: - Shared pieces

    /// `\s+(?!\S)|\s+` at `i`, where `t[i]` is whitespace: a run not followed by a non-space
    /// keeps its last space for the next word.
    private static func whitespace(_ t: ScalarText, _ i: Int, _ end: Int) -> Int {
        let r = run(t, from: i, end, ScalarText.space)
        if r == end || r - i == 1 { return r }
        return r - 1
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at `i` (ASCII apostrophe), optionally case-insensitive.
    private static func contraction(_ t: ScalarText, _ i: Int, _ end: Int, ignoringCase: Bool) -> Int? {
        guard t.values[i] == 0x27, i + 1 < end else { return nil }
        func lower(_ j: Int) -> UInt32? {
            guard j < end else { return nil }
            let v = t.values[j]
            if ignoringCase {
                if v >= 0x41 && v <= 0x5A { return v + 0x20 }
                if v == 0x17F { return 0x73 }   // ſ folds to s
            }
            return v
        }
        switch lower(i + 1) {
        case 0x73, 0x74, 0x6D, 0x64: return i + 2              // s t m d
        case 0x72, 0x76: return lower(i + 2) == 0x65 ? i + 3 : nil  // re ve
        case 0x6C: return lower(i + 2) == 0x6C ? i + 3 : nil        // ll
        default: return nil
        }
    }

    private static func run(_ t: ScalarText, from i: Int, _ end: Int, _ bits: UInt8) -> Int {
        var j = i
        while j < end, t.classes[j] & bits != 0 { j += 1 }
        return j
    }

    /// `[^\s\p{L}\p{N}]+` from `i`.
    private static func runOfOther(_ t: ScalarText, from i: Int, _ end: Int) -> Int {
        var j = i
        let stop = ScalarText.space | ScalarText.letter | ScalarText.number
        while j < end, t.classes[j] & stop == 0 { j += 1 }
        return j
    }
}
