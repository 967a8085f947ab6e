import CRMCore
import Foundation

/// What every report page is computed over: a period, and which pipelines,
/// owners and currency. The same filter drives the Reports view (view 5) and
/// `crm report`, so both compute the same figures from the same question.
public struct ReportFilter: Hashable, Sendable {
    /// The period, start inclusive and end exclusive, in UTC seconds: what
    /// "in the period" means for every page (deals created, won or lost,
    /// follow-ups due, interactions logged, lifecycle changes).
    public var start: Date
    public var end: Date
    /// The pipelines counted; empty means every pipeline.
    public var pipelineIDs: [Int64]
    /// The owners (of deals, contacts) and assignees (of follow-ups) counted;
    /// empty means everyone. A user whose role lacks
    /// `Permission.seeEveryonesReports` only ever gets their own id here.
    public var ownerIDs: [Int64]
    /// One currency only; nil means every currency, each summed apart.
    public var currency: Currency?
    /// "Now" for the figures that look at today (overdue, forecast months,
    /// at risk): from the injected clock, never read inside a query.
    public var now: Date

    public init(start: Date, end: Date, pipelineIDs: [Int64] = [], ownerIDs: [Int64] = [], currency: Currency? = nil, now: Date) {
        self.start = start
        self.end = end
        self.pipelineIDs = pipelineIDs
        self.ownerIDs = ownerIDs
        self.currency = currency
        self.now = now
    }
}
