/// The event types Almanac writes, with the payload schema version this build writes.
/// Every version ever written stays readable (see `events/FORMAT.md` and docs/events.md).
public enum EventType: String, Sendable, CaseIterable {
    case indicatorDefined = "IndicatorDefined"
    case regionDefined = "RegionDefined"
    case agencyRegistered = "AgencyRegistered"
    case submissionAccepted = "SubmissionAccepted"
    case submissionRejected = "SubmissionRejected"
    case observationReported = "ObservationReported"
    case observationRevised = "ObservationRevised"
    case observationRetracted = "ObservationRetracted"

    /// The payload version this build writes.
    public var version: Int { 1 }
}
