import Foundation

/// The Pipeline funnel from the deals of a cohort grouped by how far they
/// got: each engine counts the deals created in the period per pipeline,
/// won or not, and furthest open stage (a grouped query over its stored
/// reach, every deal in exactly one group, its ids once), and the figures
/// are unions of whole groups: a stage was reached by the groups of its
/// pipeline that were won or got at least as far. Each deal's id comes
/// from the database once, instead of once per stage it reached (at
/// 30,000 deals, a year's cohort is 16,000 deals and 45,000 ids behind
/// its stages, which cost more than the figures).
public struct ReportFunnelGroup: Equatable, Sendable {
    public var pipelineID: Int64
    public var won: Bool
    /// The position of the furthest open stage the deals entered (-1: none).
    public var reached: Int64
    public var count: Int
    /// Ascending; empty when the ids were not asked for.
    public var dealIDs: [Int64]

    public init(pipelineID: Int64, won: Bool, reached: Int64, dealIDs: [Int64]) {
        self.init(pipelineID: pipelineID, won: won, reached: reached, count: dealIDs.count, dealIDs: dealIDs)
    }

    public init(pipelineID: Int64, won: Bool, reached: Int64, count: Int, dealIDs: [Int64]) {
        self.pipelineID = pipelineID
        self.won = won
        self.reached = reached
        self.count = count
        self.dealIDs = dealIDs
    }
}

/// An open stage of the board as the funnel compares with it.
public struct ReportFunnelStage: Equatable, Sendable {
    public var id: Int64
    public var pipelineID: Int64
    public var position: Int64

    public init(id: Int64, pipelineID: Int64, position: Int64) {
        self.id = id
        self.pipelineID = pipelineID
        self.position = position
    }
}

/// A row of an engine's grouped funnel query: the deals of a pipeline, won
/// or not, that entered the same stages ("1,2,4": the stored ids of every
/// stage they entered, SchemaV56DealStagesSeen). Where the stages stand is
/// read with the figures, so moving a stage changes no stored row.
public struct ReportSeenGroup: Equatable, Sendable {
    public var pipelineID: Int64
    public var won: Bool
    /// The ids of the stages the deals entered, in any order; nil: none stored.
    public var stages: String?
    public var count: Int
    /// Ascending; empty when the ids were not asked for.
    public var dealIDs: [Int64]

    public init(pipelineID: Int64, won: Bool, stages: String?, count: Int, dealIDs: [Int64]) {
        self.pipelineID = pipelineID
        self.won = won
        self.stages = stages
        self.count = count
        self.dealIDs = dealIDs
    }
}

/// An open stage as the funnel reads it: `live` ones are the funnel's
/// rows; a deleted one still counts for the deals that entered it.
public struct ReportOpenStage: Equatable, Sendable {
    public var id: Int64
    public var pipelineID: Int64
    public var position: Int64
    public var live: Bool

    public init(id: Int64, pipelineID: Int64, position: Int64, live: Bool) {
        self.id = id
        self.pipelineID = pipelineID
        self.position = position
        self.live = live
    }
}

public enum ReportFunnelGroups {
    /// The funnel from the groups of deals by the stages they entered and
    /// the open stages as they stand now: each group's furthest open stage
    /// is the highest position among its stages that are open (-1: none),
    /// as the stored reach was, and groups that got as far are one group.
    public static func figures(seen: [ReportSeenGroup], openStages: [ReportOpenStage])
        -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        var positions: [Int64: Int64] = [:]
        for stage in openStages { positions[stage.id] = stage.position }
        var merged: [ReportFunnelGroup] = []
        var index: [String: Int] = [:]
        for group in seen {
            let reached = ReportIDText.ids(group.stages).compactMap { positions[$0] }.max() ?? -1
            let key = "\(group.pipelineID) \(group.won) \(reached)"
            if let i = index[key] {
                merged[i].count += group.count
                merged[i].dealIDs += group.dealIDs
            } else {
                index[key] = merged.count
                merged.append(ReportFunnelGroup(pipelineID: group.pipelineID, won: group.won, reached: reached,
                                                count: group.count, dealIDs: group.dealIDs))
            }
        }
        // Groups merged from several rows: their ids ascending again.
        for i in merged.indices where merged[i].dealIDs.count > 1 { merged[i].dealIDs.sort() }
        let live = openStages.filter(\.live).map { ReportFunnelStage(id: $0.id, pipelineID: $0.pipelineID, position: $0.position) }
        return figures(merged, stages: live)
    }


    /// The cohorts (pipelines with a deal created in the period) and the
    /// stages reached by at least one of their deals, ids ascending, as
    /// `DealReportRepository.funnel` answers.
    public static func figures(_ groups: [ReportFunnelGroup], stages: [ReportFunnelStage])
        -> (cohorts: [CohortFigure], stages: [FunnelFigure]) {
        let byPipeline = Dictionary(grouping: groups, by: \.pipelineID)
        let cohorts = byPipeline.keys.sorted().map { pipeline -> CohortFigure in
            let mine = byPipeline[pipeline] ?? []
            let won = mine.filter(\.won)
            return CohortFigure(pipelineID: pipeline, count: count(mine), wonCount: count(won), dealIDs: union(mine), wonIDs: union(won))
        }
        let reached = stages.compactMap { stage -> FunnelFigure? in
            let groups = (byPipeline[stage.pipelineID] ?? []).filter { $0.won || $0.reached >= stage.position }
            return count(groups) == 0 ? nil : FunnelFigure(stageID: stage.id, count: count(groups), dealIDs: union(groups))
        }
        return (cohorts, reached)
    }

    static func count(_ groups: [ReportFunnelGroup]) -> Int { groups.reduce(0) { $0 + $1.count } }

    /// The ids of disjoint groups, ascending: each group is sorted, so the
    /// sort merges runs.
    static func union(_ groups: [ReportFunnelGroup]) -> [Int64] {
        if groups.count == 1 { return groups[0].dealIDs }
        var ids: [Int64] = []
        ids.reserveCapacity(groups.reduce(0) { $0 + $1.dealIDs.count })
        for group in groups { ids += group.dealIDs }
        ids.sort()
        return ids
    }
}

/// Ids as a database joins them into one text ("3,1,2": SQLite's
/// group_concat, PostgreSQL's string_agg), ascending: read byte by byte, as
/// a page of 30,000 deals carries as many ids and splitting the text into
/// substrings first cost more than the query.
public enum ReportIDText {
    public static func ids(_ text: String?) -> [Int64] { ids(text, sorted: true) }

    /// `sorted: false` keeps the order the database joined them in. Never
    /// split into substrings: at a million contacts the Customers page's
    /// retention lists (142,490 ids each) split that way held 25 MiB of
    /// substrings at once, most of the page's peak memory (heaptrack).
    public static func ids(_ text: String?, sorted: Bool) -> [Int64] {
        guard var text, !text.isEmpty else { return [] }
        var ids: [Int64] = []
        text.withUTF8 { bytes in
            ids.reserveCapacity(bytes.count / 4)
            var n: Int64 = 0
            var digits = false
            for b in bytes {
                if b >= 48 && b <= 57 {
                    n = n &* 10 &+ Int64(b &- 48)
                    digits = true
                } else {
                    if digits { ids.append(n) }
                    n = 0
                    digits = false
                }
            }
            if digits { ids.append(n) }
        }
        if sorted { ids.sort() }
        return ids
    }

    /// Ascending, each id once: for a text joined without DISTINCT, which
    /// costs the database a sort per group (People's conversions: a contact
    /// that turned customer twice in the period, rare, is one).
    public static func distinctIDs(_ text: String?) -> [Int64] {
        var out: [Int64] = []
        for id in ids(text, sorted: true) where id != out.last { out.append(id) }
        return out
    }
}
