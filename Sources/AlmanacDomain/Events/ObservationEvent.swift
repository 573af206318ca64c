import AlmanacLog

/// The payload of `ObservationReported`, `ObservationRevised` and `ObservationRetracted`.
///
/// ```json
/// {"submission":12,"indicator":"gdp.grdp_growth","region":"19","period":"2021-H1",
///  "dims":{"price":"constant_2010"},"value":"6.5","unit":"percent","status":"preliminary",
///  "release_date":"2021-07-05","previous":{"value":"6.4","status":"preliminary","submission":7}}
/// ```
///
/// `value` is the decimal text exactly as the agency wrote it. `submission` is the sequence
/// number of the `SubmissionAccepted` event of the same batch. `previous` is present on
/// revisions and retractions. `dims` lists every breakdown dimension (defaults filled in),
/// keys sorted, so the identity of an observation is its (indicator, region, period, dims).
public struct ObservationEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case reported, revised, retracted }

    public var kind: Kind
    public var submission: UInt64
    public var indicator: String
    public var region: String
    public var period: String
    /// Sorted by name.
    public var dims: [(name: String, value: String)]
    /// nil for retractions.
    public var value: String?
    public var unit: String
    public var status: String
    public var releaseDate: String?
    public var previousValue: String?
    public var previousStatus: String?
    public var previousSubmission: UInt64?

    public init(kind: Kind, submission: UInt64, indicator: String, region: String, period: String,
                dims: [(name: String, value: String)], value: String?, unit: String, status: String,
                releaseDate: String? = nil, previousValue: String? = nil, previousStatus: String? = nil,
                previousSubmission: UInt64? = nil) {
        self.kind = kind
        self.submission = submission
        self.indicator = indicator
        self.region = region
        self.period = period
        self.dims = ObservationEvent.isSorted(dims) ? dims : dims.sorted { $0.name < $1.name }
        self.value = value
        self.unit = unit
        self.status = status
        self.releaseDate = releaseDate
        self.previousValue = previousValue
        self.previousStatus = previousStatus
        self.previousSubmission = previousSubmission
    }

    public static func == (a: ObservationEvent, b: ObservationEvent) -> Bool {
        a.kind == b.kind && a.submission == b.submission && a.indicator == b.indicator && a.region == b.region
            && a.period == b.period && a.dims.map(\.name) == b.dims.map(\.name) && a.dims.map(\.value) == b.dims.map(\.value)
            && a.value == b.value && a.unit == b.unit && a.status == b.status && a.releaseDate == b.releaseDate
            && a.previousValue == b.previousValue && a.previousStatus == b.previousStatus && a.previousSubmission == b.previousSubmission
    }

    public var type: EventType {
        switch kind {
        case .reported: return .observationReported
        case .revised: return .observationRevised
        case .retracted: return .observationRetracted
        }
    }

    /// `k=v;k=v` in name order: the dimension part of an observation's identity.
    public var dimsKey: String { ObservationEvent.dimsKey(dims) }

    /// Whether `dims` is already in name order (then it is kept as it is: no copy).
    @inline(__always)
    static func isSorted(_ dims: [(name: String, value: String)]) -> Bool {
        var i = 1
        while i < dims.count {
            if dims[i].name < dims[i - 1].name { return false }
            i += 1
        }
        return true
    }

    public static func dimsKey(_ dims: [(name: String, value: String)]) -> String {
        dims.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
    }

    /// Writes the payload object.
    public func write(to out: ByteBuffer) {
        out.append("{\"submission\":")
        out.append(decimal: submission)
        out.append(",\"indicator\":")
        JSONWriter.appendString(indicator, to: out)
        out.append(",\"region\":")
        JSONWriter.appendString(region, to: out)
        out.append(",\"period\":")
        JSONWriter.appendString(period, to: out)
        out.append(",\"dims\":{")
        for (i, d) in dims.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendKey(d.name, to: out)
            JSONWriter.appendString(d.value, to: out)
        }
        out.append(UInt8(ascii: "}"))
        if let value {
            out.append(",\"value\":")
            JSONWriter.appendString(value, to: out)
        }
        out.append(",\"unit\":")
        JSONWriter.appendString(unit, to: out)
        out.append(",\"status\":")
        JSONWriter.appendString(status, to: out)
        if let releaseDate {
            out.append(",\"release_date\":")
            JSONWriter.appendString(releaseDate, to: out)
        }
        ObservationEvent.appendPrevious(value: previousValue, status: previousStatus, submission: previousSubmission, to: out)
        out.append(UInt8(ascii: "}"))
    }

    /// Decodes a payload of the given event type. Unknown fields are ignored (they stay in
    /// the log; projections need only these).
    public static func decode(type: EventType, data: UnsafeRawBufferPointer) throws -> ObservationEvent {
        var e = ObservationEvent(kind: type == .observationRevised ? .revised : type == .observationRetracted ? .retracted : .reported,
                                 submission: 0, indicator: "", region: "", period: "", dims: [], value: nil, unit: "", status: "")
        var dims: [(name: String, value: String)] = []
        try JSONObjectScanner.forEachMember(data) { key, value in
            if JSONObjectScanner.key(key, is: "submission") { e.submission = UInt64(JSONObjectScanner.int64(value) ?? 0) }
            else if JSONObjectScanner.key(key, is: "indicator") { e.indicator = JSONObjectScanner.string(value) ?? "" }
            else if JSONObjectScanner.key(key, is: "region") { e.region = JSONObjectScanner.string(value) ?? "" }
            else if JSONObjectScanner.key(key, is: "period") { e.period = JSONObjectScanner.string(value) ?? "" }
            else if JSONObjectScanner.key(key, is: "value") { e.value = JSONObjectScanner.string(value) }
            else if JSONObjectScanner.key(key, is: "unit") { e.unit = JSONObjectScanner.string(value) ?? "" }
            else if JSONObjectScanner.key(key, is: "status") { e.status = JSONObjectScanner.string(value) ?? "" }
            else if JSONObjectScanner.key(key, is: "release_date") { e.releaseDate = JSONObjectScanner.string(value) }
            else if JSONObjectScanner.key(key, is: "dims") {
                try JSONObjectScanner.forEachMember(value) { k, v in
                    dims.append((String(decoding: k, as: UTF8.self), JSONObjectScanner.string(v) ?? ""))
                }
            } else if JSONObjectScanner.key(key, is: "previous") {
                try JSONObjectScanner.forEachMember(value) { k, v in
                    if JSONObjectScanner.key(k, is: "value") { e.previousValue = JSONObjectScanner.string(v) }
                    else if JSONObjectScanner.key(k, is: "status") { e.previousStatus = JSONObjectScanner.string(v) }
                    else if JSONObjectScanner.key(k, is: "submission") { e.previousSubmission = JSONObjectScanner.int64(v).map { UInt64($0) } }
                }
            }
        }
        e.dims = isSorted(dims) ? dims : dims.sorted { $0.name < $1.name }
        guard !e.indicator.isEmpty, !e.region.isEmpty, !e.period.isEmpty else {
            throw DomainEventError(message: "observation event without indicator, region or period")
        }
        return e
    }
}

/// A payload that does not decode.
public struct DomainEventError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

extension ObservationEvent {
    /// The parts of a payload that every event of one series repeats, JSON-encoded once:
    /// for writing many events of a batch (an ingest) without escaping the same texts again.
    /// ``write(submission:series:period:value:unit:status:releaseDate:previousValue:previousStatus:previousSubmission:to:)``
    /// writes exactly the bytes ``write(to:)`` writes.
    public struct EncodedSeries: Sendable {
        /// `,"indicator":"…","region":"…","period":`
        let head: [UInt8]
        /// `,"dims":{…}`
        let dims: [UInt8]

        public init(indicator: String, region: String, dims: [(name: String, value: String)]) {
            let out = ByteBuffer(capacity: 256)
            out.append(",\"indicator\":")
            JSONWriter.appendString(indicator, to: out)
            out.append(",\"region\":")
            JSONWriter.appendString(region, to: out)
            out.append(",\"period\":")
            head = out.array
            out.removeAll()
            out.append(",\"dims\":{")
            let sorted = ObservationEvent.isSorted(dims) ? dims : dims.sorted { $0.name < $1.name }
            for (i, d) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendKey(d.name, to: out)
                JSONWriter.appendString(d.value, to: out)
            }
            out.append(UInt8(ascii: "}"))
            self.dims = out.array
        }
    }

    /// A text as a JSON string literal, encoded once (a period, unit, status, release date).
    public struct EncodedText: Sendable {
        let bytes: [UInt8]

        public init(_ text: String) {
            let out = ByteBuffer(capacity: text.utf8.count + 8)
            JSONWriter.appendString(text, to: out)
            bytes = out.array
        }
    }

    /// Writes the payload of an event from parts encoded beforehand: the same bytes as
    /// ``write(to:)`` for an event with these fields (`series` made from its indicator,
    /// region and dims).
    public static func write(submission: UInt64, series: EncodedSeries, period: EncodedText, value: String?,
                             unit: EncodedText, status: EncodedText, releaseDate: EncodedText?,
                             previousValue: String? = nil, previousStatus: String? = nil, previousSubmission: UInt64? = nil,
                             to out: ByteBuffer) {
        out.append("{\"submission\":")
        out.append(decimal: submission)
        out.append(series.head)
        out.append(period.bytes)
        out.append(series.dims)
        if let value {
            out.append(",\"value\":")
            JSONWriter.appendString(value, to: out)
        }
        out.append(",\"unit\":")
        out.append(unit.bytes)
        out.append(",\"status\":")
        out.append(status.bytes)
        if let releaseDate {
            out.append(",\"release_date\":")
            out.append(releaseDate.bytes)
        }
        ObservationEvent.appendPrevious(value: previousValue, status: previousStatus, submission: previousSubmission, to: out)
        out.append(UInt8(ascii: "}"))
    }

    /// `,"previous":{…}` with the members that are there, or nothing when none is.
    static func appendPrevious(value: String?, status: String?, submission: UInt64?, to out: ByteBuffer) {
        guard value != nil || status != nil || submission != nil else { return }
        out.append(",\"previous\":{")
        var first = true
        if let value {
            out.append("\"value\":"); JSONWriter.appendString(value, to: out); first = false
        }
        if let status {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append("\"status\":"); JSONWriter.appendString(status, to: out); first = false
        }
        if let submission {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append("\"submission\":"); out.append(decimal: submission)
        }
        out.append(UInt8(ascii: "}"))
    }
}
