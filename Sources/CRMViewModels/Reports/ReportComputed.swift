import CRMRepositories
import Foundation

/// One page of figures asked for: which page, over which filter, and the
/// request's number, which grows with every request (so a result can say
/// whether it is still the one wanted).
public struct ReportRequest: Equatable, Sendable {
    public let number: Int
    public let page: ReportPage
    public let filter: ReportFilter

    public init(number: Int, page: ReportPage, filter: ReportFilter) {
        self.number = number
        self.page = page
        self.filter = filter
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

    public init(_ error: any Error) { self.error = error }

    public static func == (a: ReportFailure, b: ReportFailure) -> Bool { "\(a.error)" == "\(b.error)" }
}
