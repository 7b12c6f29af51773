/// Where complete UTF-8 ends in a byte buffer (Unicode 15 §3.9, Table 3-7 well-formed sequences).
enum UTF8Prefix {
    /// The end of the longest prefix of `bytes[start...]` that holds only complete characters
    /// and ill-formed subsequences that no further byte can complete (those decode as U+FFFD).
    /// What follows is an incomplete but so far well-formed character.
    static func completeEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xED: length = 3; high = 0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; low = 0x90
            case 0xF4: length = 4; high = 0x8F
            case 0xF1...0xF3: length = 4
            default: i += 1; continue   // never starts a character
            }
            var j = i + 1
            var broken = false
            while j < i + length {
                if j == n { return i }    // incomplete so far: wait for more bytes
                let c = bytes[j]
                let ok = j == i + 1 ? (low...high).contains(c) : (0x80...0xBF).contains(c)
                if !ok { broken = true; break }
                j += 1
            }
            i = broken ? j : i + length
        }
        return n
    }
}
