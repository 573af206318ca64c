import Foundation

/// A character in otherwise Latin text that only looks like a Latin letter.
///
/// `Thái Nguyên` typed with a Cyrillic `а` (U+0430) renders identically but matches nothing.
/// Ingest reports such characters by position so the agency can fix the source file.
public struct LookAlike: Sendable, Hashable, CustomStringConvertible {
    /// The offending character as it appears in the input.
    public let character: Character
    /// Its Unicode scalar value (the first scalar of the character).
    public let scalar: UInt32
    /// Offset of the character in the input, counted in `Character`s from 0.
    public let offset: Int
    /// The Latin letter it imitates, when known; nil for invisible characters.
    public let resembles: Character?
    /// The script or kind of the character: `Cyrillic`, `Greek`, `fullwidth` or `invisible`.
    public let script: String

    /// One line such as `U+0430 CYRILLIC 'а' at 2 looks like Latin 'a'`.
    public var description: String {
        let hex = "U+" + String(format: "%04X", scalar)
        if let resembles {
            return "\(hex) \(script) '\(character)' at \(offset) looks like Latin '\(resembles)'"
        }
        return "\(hex) \(script) character at \(offset) is invisible"
    }
}

extension TextFolding {
    /// Cyrillic and Greek letters that render like Latin ones, with the letter they imitate.
    ///
    /// Not the full Unicode confusables table: the letters that actually occur when text is
    /// typed on a Russian or Greek keyboard layout, which is how they reach agency files.
    static let lookAlikeTable: [UInt32: Character] = [
        // Cyrillic lowercase
        0x0430: "a", 0x0435: "e", 0x043E: "o", 0x0440: "p", 0x0441: "c", 0x0443: "y",
        0x0445: "x", 0x0456: "i", 0x0458: "j", 0x0455: "s", 0x04BB: "h", 0x0501: "d",
        0x04CF: "l", 0x0432: "b", 0x043A: "k", 0x043C: "m", 0x043D: "h", 0x0442: "t",
        0x0457: "i", 0x0491: "r",
        // Cyrillic uppercase
        0x0410: "A", 0x0412: "B", 0x0415: "E", 0x041A: "K", 0x041C: "M", 0x041D: "H",
        0x041E: "O", 0x0420: "P", 0x0421: "C", 0x0422: "T", 0x0425: "X", 0x0423: "Y",
        0x0406: "I", 0x0408: "J", 0x0405: "S",
        // Greek lowercase
        0x03BF: "o", 0x03BD: "v", 0x03C1: "p", 0x03B9: "i", 0x03BA: "k", 0x03C5: "u",
        0x03B1: "a", 0x03C4: "t", 0x03C7: "x",
        // Greek uppercase
        0x0391: "A", 0x0392: "B", 0x0395: "E", 0x0396: "Z", 0x0397: "H", 0x0399: "I",
        0x039A: "K", 0x039C: "M", 0x039D: "N", 0x039F: "O", 0x03A1: "P", 0x03A4: "T",
        0x03A5: "Y", 0x03A7: "X",
    ]

    /// Reports every look-alike or invisible character in `s`.
    ///
    /// Cyrillic (U+0400–U+052F) and Greek (U+0370–U+03FF) letters are reported only when the
    /// text also contains a Latin letter: a name written wholly in Cyrillic is a foreign name,
    /// not a spoofed one. Fullwidth Latin letters (U+FF21–U+FF5A) and zero-width characters
    /// (U+200B–U+200D, U+2060, U+FEFF) are always reported. At most ``lookAlikesMax`` are
    /// returned; one is enough to reject a row.
    public static func lookAlikes(in s: String) -> [LookAlike] {
        let hasLatin = s.unicodeScalars.contains { scalar in
            (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
                || (0xC0...0x24F).contains(scalar.value) || (0x1E00...0x1EFF).contains(scalar.value)
        }
        var found: [LookAlike] = []
        for (offset, character) in s.enumerated() {
            guard found.count < lookAlikesMax, offset < inputCharactersMax else { break }
            guard let scalar = character.unicodeScalars.first else { continue }
            let v = scalar.value
            let script: String
            var resembles: Character? = lookAlikeTable[v]
            switch v {
            case 0x0400...0x052F where hasLatin: script = "Cyrillic"
            case 0x0370...0x03FF where hasLatin: script = "Greek"
            case 0xFF21...0xFF3A, 0xFF41...0xFF5A:
                script = "fullwidth"
                resembles = Character(Unicode.Scalar(v - 0xFEE0)!)
            case 0x200B...0x200D, 0x2060, 0xFEFF:
                script = "invisible"
                resembles = nil
            default: continue
            }
            found.append(LookAlike(character: character, scalar: v, offset: offset,
                                   resembles: resembles, script: script))
        }
        return found
    }

    /// The most look-alikes ``lookAlikes(in:)`` reports for one string.
    public static let lookAlikesMax = 32

    /// `s` with known look-alike letters replaced by the Latin letters they imitate and
    /// invisible characters removed; used to find what a spoofed name was meant to be.
    public static func replacingLookAlikes(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if let latin = lookAlikeTable[v] {
                out.append(contentsOf: latin.unicodeScalars)
            } else if (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) {
                out.append(Unicode.Scalar(v - 0xFEE0)!)
            } else if (0x200B...0x200D).contains(v) || v == 0x2060 || v == 0xFEFF {
                continue
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
