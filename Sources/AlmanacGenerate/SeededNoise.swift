/// Deterministic, stateless pseudo-random numbers keyed by what they are for.
///
/// Every draw is a pure function of the seed, a ``Stream`` and up to three integers (province,
/// year, month …), so any value can be computed on its own, in any order, on any thread, and
/// a series does not shift when another series or the year range changes. The mixing is
/// SplitMix64's finaliser; normal deviates use the Irwin–Hall sum of four uniforms, so no
/// transcendental function (whose last bit may differ between C libraries) is involved.
///
/// Not cryptographic and not meant to be: it only has to look irregular and never repeat.
struct SeededNoise: Sendable, Hashable {
    /// What a draw is for; distinct streams give independent numbers for the same keys.
    enum Stream: UInt64, Sendable {
        case cpiProvince = 1, cpiCommon, cpiProvinceTrend
        case grdpProvinceTrend, grdpQuarter, grdpShare, grdpRevised, grdpRevision
        case budgetTrend, budgetYear, budgetMonth, budgetRevised, budgetRevision, budgetPlan
        case expenditureMonth, fdiProjects, fdiSize
    }

    /// The seed every draw starts from.
    let seed: UInt64

    /// SplitMix64's output function: a bijection on 64 bits with good avalanche.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 64 random bits for the keys.
    func bits(_ stream: Stream, _ a: Int, _ b: Int = 0, _ c: Int = 0, salt: UInt64 = 0) -> UInt64 {
        var h = SeededNoise.mix(seed)
        for key in [stream.rawValue, UInt64(bitPattern: Int64(a)), UInt64(bitPattern: Int64(b)),
                    UInt64(bitPattern: Int64(c)), salt] {
            h = SeededNoise.mix(h ^ key)
        }
        return h
    }

    /// A uniform number in [0, 1).
    func uniform(_ stream: Stream, _ a: Int, _ b: Int = 0, _ c: Int = 0, salt: UInt64 = 0) -> Double {
        Double(bits(stream, a, b, c, salt: salt) >> 11) * 0x1p-53
    }

    /// An approximately standard normal number (mean 0, variance 1, bounded by ±3.47).
    func normal(_ stream: Stream, _ a: Int, _ b: Int = 0, _ c: Int = 0) -> Double {
        var sum = 0.0
        for salt in UInt64(1)...4 { sum += uniform(stream, a, b, c, salt: salt) }
        return (sum - 2) * 3.0.squareRoot()
    }
}
