import CRMCore
import Foundation

/// A sum of deal values in one currency, with the deals in it. `sum` is
/// nil when it is out of range (a stored value no deal may hold is among
/// them, or the sum does not fit), never a made-up figure.
public struct DealSum: Hashable, Sendable {
    public var currency: Currency
    public var count: Int
    public var sum: Money?
    /// Σ value × probability of each deal's stage, in minor units (rounded
    /// half up once, at the end); nil when out of range.
    public var weighted: Money?
    /// The deals counted, for the drill-down (same query as the figure);
    /// empty when the ids were not asked for (`withIDs: false`).
    public var dealIDs: [Int64]

    public init(currency: Currency, count: Int, sum: Money?, weighted: Money?, dealIDs: [Int64]) {
        self.currency = currency
        self.count = count
        self.sum = sum
        self.weighted = weighted
        self.dealIDs = dealIDs
    }
}

/// One open stage's deals in one currency (pipeline report).
public struct StageFigure: Hashable, Sendable {
    public var stageID: Int64
    public var figures: DealSum
    public init(stageID: Int64, figures: DealSum) { self.stageID = stageID; self.figures = figures }
}

/// How many deals of a cohort reached a stage (funnel).
public struct FunnelFigure: Hashable, Sendable {
    public var stageID: Int64
    public var count: Int
    /// The deals counted; empty when not asked for (`withIDs: false`).
    public var dealIDs: [Int64]
    public init(stageID: Int64, dealIDs: [Int64]) { self.init(stageID: stageID, count: dealIDs.count, dealIDs: dealIDs) }
    public init(stageID: Int64, count: Int, dealIDs: [Int64] = []) { self.stageID = stageID; self.count = count; self.dealIDs = dealIDs }
}

/// The deals created in the period, per pipeline, and which of them were won.
public struct CohortFigure: Hashable, Sendable {
    public var pipelineID: Int64
    public var count: Int
    public var wonCount: Int
    /// The deals counted; empty when not asked for (`withIDs: false`).
    public var dealIDs: [Int64]
    public var wonIDs: [Int64]
    public init(pipelineID: Int64, dealIDs: [Int64], wonIDs: [Int64]) {
        self.init(pipelineID: pipelineID, count: dealIDs.count, wonCount: wonIDs.count, dealIDs: dealIDs, wonIDs: wonIDs)
    }
    public init(pipelineID: Int64, count: Int, wonCount: Int, dealIDs: [Int64] = [], wonIDs: [Int64] = []) {
        self.pipelineID = pipelineID; self.count = count; self.wonCount = wonCount; self.dealIDs = dealIDs; self.wonIDs = wonIDs
    }
}

/// The stays in one stage that ended in the period, and their median length.
public struct StageTimeFigure: Hashable, Sendable {
    public var stageID: Int64
    public var stays: Int
    public var medianDays: Double
    public init(stageID: Int64, stays: Int, medianDays: Double) {
        self.stageID = stageID; self.stays = stays; self.medianDays = medianDays
    }
}

/// Open deals by when they are expected to close, in buckets given by the
/// caller (the months of the user's calendar).
public struct ForecastBucketFigure: Hashable, Sendable {
    /// Where the expected close falls among the bounds asked for: -1 before
    /// the first (its date has passed), 0 … n-2 between bound i and i+1,
    /// n-1 at or after the last bound (later than the forecast looks).
    public var bucket: Int
    public var figures: DealSum
    public init(bucket: Int, figures: DealSum) { self.bucket = bucket; self.figures = figures }
}

/// The figures of the Pipeline and Forecast report pages, computed in the
/// database over indexes (never by loading deals). Every query takes the
/// same `ReportFilter`: pipelines, owners and currency narrow the deals.
public protocol DealReportRepository: AnyObject {
    /// Open deals per open stage and currency, as they stand now (the
    /// period does not apply: the pipeline is a snapshot). `withIDs`: with
    /// every deal's id (what Enter lists); the page asks without them, as
    /// they are every open deal (18,000 at 100,000 contacts).
    func openStageFigures(_ filter: ReportFilter, withIDs: Bool) throws -> [StageFigure]
    /// The open deals of these stages exactly as `openStageFigures` counts
    /// them (the same filter), ids ascending, each with its currency: what
    /// Enter lists behind a stage's row or a pipeline's totals, read from
    /// those stages' range of an index instead of every open deal's id.
    func openDeals(_ filter: ReportFilter, stageIDs: [Int64]) throws -> [(id: Int64, currency: Currency)]
    /// Of the deals created in the period: per open stage, those that reached
    /// it (entered it or a later open stage, by the stage history, or were
    /// won). `withIDs` as for `openStageFigures` (a year's cohort is 16,000
    /// deals at 100,000 contacts).
    func funnel(_ filter: ReportFilter, withIDs: Bool) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure])
    /// The median days deals spent in each stage, over the stays that ended
    /// in the period (a move out, or winning or losing the deal there).
    func stageTimes(_ filter: ReportFilter) throws -> [StageTimeFigure]
    /// Open deals summed by expected close, between `bounds` (ascending);
    /// `withIDs` as for `openStageFigures`.
    func forecast(_ filter: ReportFilter, bounds: [Date], withIDs: Bool) throws -> [ForecastBucketFigure]
    /// Open deals of the filter with no expected close date.
    func openWithoutCloseDate(_ filter: ReportFilter) throws -> [Int64]
}

extension DealReportRepository {
    /// The figures with the ids of their deals.
    public func openStageFigures(_ filter: ReportFilter) throws -> [StageFigure] { try openStageFigures(filter, withIDs: true) }
    public func funnel(_ filter: ReportFilter) throws -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        try funnel(filter, withIDs: true)
    }
    public func forecast(_ filter: ReportFilter, bounds: [Date]) throws -> [ForecastBucketFigure] {
        try forecast(filter, bounds: bounds, withIDs: true)
    }
}

/// A piece of a drill-down line's detail: a name (a stage, a company, a
/// login: shown as stored) or an amount (shown in the screen's digits,
/// which must not touch the digits inside a name: QA 30 #12).
public enum ReportDrillPart: Hashable, Sendable {
    case text(String)
    case money(Money)
}

/// One line of a drill-down list: what a report figure counted.
public struct ReportDrillRow: Hashable, Sendable {
    public var id: Int64
    /// The record's name (a deal's title, a contact's name, a follow-up's text).
    public var title: String
    /// What is worth seeing beside it (stage, value, owner; a due date), in order.
    public var parts: [ReportDrillPart]
    /// For a follow-up or a deal: the contact it is about (nil: none).
    public var contactID: Int64?
    /// For a follow-up: that contact's name, and when it was due (the
    /// screen says how late it is now, in the user's calendar).
    public var contactName: String?
    public var due: Date?

    public init(id: Int64, title: String, parts: [ReportDrillPart], contactID: Int64? = nil, contactName: String? = nil,
                due: Date? = nil) {
        self.id = id; self.title = title; self.parts = parts; self.contactID = contactID
        self.contactName = contactName; self.due = due
    }

    /// The parts that are there: empty names left out.
    public init(id: Int64, title: String, texts: [String?], contactID: Int64? = nil, contactName: String? = nil, due: Date? = nil) {
        self.init(id: id, title: title, parts: texts.compactMap { $0 }.filter { !$0.isEmpty }.map(ReportDrillPart.text),
                  contactID: contactID, contactName: contactName, due: due)
    }

    /// Each part as shown: a name as stored, an amount's text through
    /// `number` (the screen's digits; ASCII by default).
    public func shownParts(number: (String) -> String = { $0 }) -> [String] {
        parts.map { part in
            switch part {
            case .text(let text): text
            case .money(let money): number(money.shown())
            }
        }
    }

    /// The detail in ASCII digits, " · " between the parts.
    public var detail: String { shownParts().joined(separator: " · ") }
}

/// The records behind a report figure, by id, for the drill-down list.
public protocol ReportDrillRepository: AnyObject {
    /// The deals with these ids (not in the trash), in the order given.
    func dealRows(_ ids: [Int64]) throws -> [ReportDrillRow]
    func contactRows(_ ids: [Int64]) throws -> [ReportDrillRow]
    func followUpRows(_ ids: [Int64]) throws -> [ReportDrillRow]
    /// `ids` of follow-ups ordered by due time, then id (those in the trash
    /// left out): the order a list of overdue follow-ups is read in.
    func followUpsByDue(_ ids: [Int64]) throws -> [Int64]
}
