import Foundation

/// Folds text to a form in which Vietnamese names compare equal however they were typed.
///
/// Agencies write the same province as `Thái Nguyên`, `THAI NGUYEN`, `Thai  Nguyen` or in
/// decomposed Unicode (NFD, as macOS file systems and some spreadsheets produce). All of those
/// fold to `thai nguyen`. Folding is lossy on purpose: it is for matching, never for storage.
public enum TextFolding {
    /// Inputs longer than this are folded only up to this many characters.
    ///
    /// Names and codes are short; a limit keeps a hostile gigabyte-long cell from costing
    /// more than a bounded amount of work in every lookup.
    public static let inputCharactersMax = 4_096

    /// NFC, lowercased, Vietnamese diacritics removed (đ/Đ -> d), whitespace runs collapsed to one space, trimmed.
    ///
    /// Combining marks (U+0300–U+036F, which covers every Vietnamese tone and vowel mark,
    /// including the horn of ơ/ư and the breve of ă) are dropped after canonical decomposition,
    /// so NFC and NFD inputs give the same result. Look-alike letters are *not* replaced here;
    /// see ``lookAlikes(in:)`` and ``replacingLookAlikes(_:)``.
    public static func fold(_ s: String) -> String {
        if let ascii = foldASCII(s) { return ascii }
        let bounded = s.count > inputCharactersMax ? String(s.prefix(inputCharactersMax)) : s
        let decomposed = bounded.decomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decomposed.unicodeScalars {
            if isCombiningMark(scalar) { continue }
            if scalar.properties.isWhitespace || scalar.value == 0x200B || scalar.value == 0xFEFF {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0x0111, 0x0110: out.append("d")  // đ, Đ: a letter of its own, not d + mark
            default:
                for lower in scalar.properties.lowercaseMapping.unicodeScalars { out.append(lower) }
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// The fold of pure-ASCII text without Unicode normalisation (the common case: codes,
    /// units, names typed without accents); nil when `s` has any non-ASCII byte. Gives the
    /// same result as the general path for ASCII input.
    static func foldASCII(_ s: String) -> String? {
        var copy = s
        return copy.withUTF8 { bytes -> String? in
            guard bytes.count <= inputCharactersMax else { return nil }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            var pendingSpace = false
            for b in bytes {
                if b >= 0x80 { return nil }
                if b == 0x20 || (0x09...0x0D).contains(b) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `s` in NFC with Vietnamese diacritics removed (đ/Đ -> d/D), case and spacing kept:
    /// `Thái Nguyên` -> `Thai Nguyen`. For ASCII display names, not for matching.
    public static func removingDiacritics(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars where !isCombiningMark(scalar) {
            switch scalar.value {
            case 0x0111: out.append("d")
            case 0x0110: out.append("D")
            default: out.append(scalar)
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// Whether a scalar is a combining diacritical mark that folding drops.
    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F:
            return true
        default:
            return false
        }
    }
}
