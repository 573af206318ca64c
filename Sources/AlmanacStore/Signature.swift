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
        let digest = Data(stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
            let s = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[s...hex.index(after: s)], radix: 16)!
        })
        return publicKey.isValidSignature(signature, for: digest)
            ? nil : "the signature does not match this file and the agency's key (forged, or made for other bytes)"
    }

    static func decodeSignature(_ raw: Data) -> Data? {
        if raw.count == 64 { return raw }
        let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 128, text.allSatisfy(\.isHexDigit) {
            return Data(stride(from: 0, to: 128, by: 2).map { i in
                let s = text.index(text.startIndex, offsetBy: i)
                return UInt8(text[s...text.index(after: s)], radix: 16)!
            })
        }
        if let d = Data(base64Encoded: text), d.count == 64 { return d }
        return nil
    }
}
