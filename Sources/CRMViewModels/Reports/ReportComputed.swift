import CRMRepositories
import Foundation

/// One page of figures asked for: which page, over which filter, and the
/// request's number, which grows with every request (so a result can say
/// whether it is still the one wanted).
public struct ReportRequest: Equatable, Sendable {
    public let number: Int
    public let page: ReportPage
    /// The period as chosen ("last 30 days"): `filter` holds its dates as
    /// they were at the request, which move with the clock.
    public let period: ReportPeriod
    public let filter: ReportFilter

    public init(number: Int, page: ReportPage, period: ReportPeriod, filter: ReportFilter) {
        self.number = number
        self.page = page
        self.period = period
        self.filter = filter
    }

    /// The same question asked again (another user's change, the view
    /// opened anew): the same page, period, pipelines, owners and currency.
    public func asksTheSame(as other: ReportRequest) -> Bool {
        page == other.page && period == other.period && filter.pipelineIDs == other.filter.pipelineIDs
            && filter.ownerIDs == other.filter.ownerIDs && filter.currency == other.filter.currency
    }
}

/// The figures of a request, computed away from the screen's thread, as
/// they come back to the loop (`AppMessage.reportComputed`).
public struct ReportComputed: Equatable, Sendable {
    public enum Outcome: Equatable, Sendable {
        case sheet(ReportSheet)
        case failed(ReportFailure)
    }

    public let request: ReportRequest
    public let outcome: Outcome

    public init(request: ReportRequest, outcome: Outcome) {
        self.request = request
        self.outcome = outcome
    }
}

/// A read that failed, carried back to the loop to be reported there in the
/// usual words. Equal when the errors read the same (messages compare by
/// value; errors have no equality of their own).
public struct ReportFailure: Error, Equatable, Sendable {
    public let error: any Error
    /// The worker's session could not be opened (nothing was read).
    public let opening: Bool

    public init(_ error: any Error, opening: Bool = false) {
        self.error = error
        self.opening = opening
    }

    /// The store's server or file could not be reached.
    public var isUnavailable: Bool {
        if case RepositoryError.unavailable = error { return true }
        return false
    }

    public static func == (a: ReportFailure, b: ReportFailure) -> Bool { "\(a.error)" == "\(b.error)" && a.opening == b.opening }
}
