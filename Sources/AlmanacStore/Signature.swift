import Crypto
import Foundation

extension Store {
    /// Checks an Ed25519 signature over the file's SHA-256 digest (the 32 raw bytes).
    /// Returns a problem sentence, or nil when the signature is good.
    static func checkSignature(key: Data, sha256 hex: String, path: String?) -> String? {
        guard let path else { return "the agency has a public key, so the file must be signed (no --signature given)" }
        guard let raw = FileManager.default.contents(atPath: path) else { return "cannot read the signature file \(path)" }
        guard let signature = decodeSignature(raw) else {
            return "the signature file is not a 64-byte Ed25519 signature (raw, base64 or hex)"
        }
        guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
            return "the agency's public key is not a valid Ed25519 key"
        }
        guard let digest = Store.bytes(fromHex: hex) else { return "the file's digest is not hexadecimal" }
        return publicKey.isValidSignature(signature, for: digest)
            ? nil : "the signature does not match this file and the agency's key (forged, or made for other bytes)"
    }

    static func decodeSignature(_ raw: Data) -> Data? { decodeKeyMaterial(raw, byteCount: 64) }

    /// Key or signature bytes as agencies hand them over: exactly `byteCount` raw bytes, or
    /// the same bytes as hexadecimal or base64 text (surrounding whitespace ignored).
    public static func decodeKeyMaterial(_ raw: Data, byteCount: Int) -> Data? {
        if raw.count == byteCount { return raw }
        let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == byteCount * 2, let bytes = bytes(fromHex: text) { return bytes }
        if let d = Data(base64Encoded: text), d.count == byteCount { return d }
        return nil
    }

    /// The bytes of an even-length hexadecimal text, or nil.
    static func bytes(fromHex text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out = Data(capacity: digits.count / 2)
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let hi = hexValue(digits[i]), let lo = hexValue(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
