import AlmanacTesting
import AlmanacDomain
import AlmanacLog
import Foundation
import Testing

/// The ingest writes observation payloads from parts encoded once per series
/// (`ObservationEvent.EncodedSeries`, `EncodedText`); the bytes must be those of
/// `ObservationEvent.write(to:)`, escapes and optional fields included.
@Suite struct EventEncodingTests {
    @Test func preparedPartsWriteTheSameBytes() {
        var rng = SplitMix(seed: 77)
        let texts = ["cpi.index", "Thái Nguyên", "a\"b", "back\\slash", "tab\there", "line\nbreak", "\u{1}", "x", "", "2021-Q1", "ước tính"]
        for _ in 0..<2000 {
            let dimsCount = Int(rng.next() % 4)
            var dims: [(name: String, value: String)] = []
            for d in 0..<dimsCount { dims.append(("d\(d)\(rng.pick(["", "\"", "é"]))", rng.pick(texts))) }
            let kind: ObservationEvent.Kind = [.reported, .revised, .retracted][Int(rng.next() % 3)]
            let e = ObservationEvent(kind: kind, submission: rng.next() % 1_000_000, indicator: rng.pick(texts), region: rng.pick(texts),
                                     period: rng.pick(texts), dims: dims, value: rng.next() % 4 == 0 ? nil : rng.pick(texts),
                                     unit: rng.pick(texts), status: rng.pick(texts),
                                     releaseDate: rng.next() % 2 == 0 ? nil : rng.pick(texts),
                                     previousValue: rng.next() % 3 == 0 ? nil : rng.pick(texts),
                                     previousStatus: rng.next() % 3 == 0 ? nil : rng.pick(texts),
                                     previousSubmission: rng.next() % 3 == 0 ? nil : rng.next() % 1000)
            let a = ByteBuffer(capacity: 64), b = ByteBuffer(capacity: 64)
            e.write(to: a)
            ObservationEvent.write(submission: e.submission, series: .init(indicator: e.indicator, region: e.region, dims: dims),
                                   period: .init(e.period), value: e.value, unit: .init(e.unit), status: .init(e.status),
                                   releaseDate: e.releaseDate.map { .init($0) }, previousValue: e.previousValue,
                                   previousStatus: e.previousStatus, previousSubmission: e.previousSubmission, to: b)
            #expect(a.array == b.array)
        }
    }
}
