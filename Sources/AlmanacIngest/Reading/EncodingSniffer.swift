/// Recognises the encodings Vietnamese agency files arrive in when they are not UTF-8,
/// so that an error can say what to do instead of only "invalid byte".
///
/// These are guesses from byte statistics, used only for hints; nothing is ever decoded
/// from a legacy encoding.
enum EncodingSniffer {
    /// True when the head looks like UTF-16: a UTF-16 byte order mark, or NUL bytes in
    /// most even or most odd positions (ASCII text saved as UTF-16 without a BOM).
    static func looksLikeUTF16(_ head: UnsafeRawBufferPointer) -> Bool {
        if head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)) {
            return true
        }
        let n = min(head.count, 512) & ~1
        guard n >= 4 else { return false }
        var evenNul = 0
        var oddNul = 0
        for i in stride(from: 0, to: n, by: 2) {
            if head[i] == 0 { evenNul += 1 }
            if head[i + 1] == 0 { oddNul += 1 }
        }
        let pairs = n / 2
        return (evenNul * 10 >= pairs * 7 && oddNul * 10 < pairs) || (oddNul * 10 >= pairs * 7 && evenNul * 10 < pairs)
    }

    /// A hint naming the likely legacy encoding of bytes that are not UTF-8.
    ///
    /// TCVN3 (ABC) puts its Vietnamese letters mostly in 0xA1–0xBF and 0xC6–0xFE with
    /// tone-marked vowels such as `¸` (0xB8, á) and `ª` (0xAA, ê); Windows-1258 puts its
    /// letters in 0xC0–0xFF and its combining tone marks at 0xCC, 0xD2, 0xDE, 0xEC, 0xF2,
    /// leaving 0xA1–0xBF to rare symbols. So high bytes mostly in 0xA1–0xBF suggest
    /// TCVN3, mostly in 0xC0–0xFF suggest Windows-1258.
    static func legacyEncodingHint(_ sample: UnsafeRawBufferPointer) -> String {
        var tcvn = 0
        var cp1258 = 0
        for b in sample where b >= 0x80 {
            if b >= 0xA1 && b <= 0xBF { tcvn += 1 } else if b >= 0xC0 { cp1258 += 1 }
        }
        if tcvn > cp1258 { return "the bytes look like TCVN3 (ABC, .VnTime fonts); save the file as UTF-8" }
        if cp1258 > 0 { return "the bytes look like Windows-1258 (Vietnamese Windows code page); save the file as UTF-8" }
        return "save the file as UTF-8"
    }
}
