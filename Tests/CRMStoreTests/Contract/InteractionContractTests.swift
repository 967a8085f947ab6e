import XCTest

/// The interaction and timeline contract on SQLite.
final class SQLiteInteractionContractTests: XCTestCase {
    private func contract() -> InteractionRepositoryContract { InteractionRepositoryContract(fixture: .sqlite()) }

    func testLoggingFillsTheCompanyAndIsAuditedUpdatedAndTrashed() throws { try contract().loggingFillsTheCompanyAndIsAuditedUpdatedAndTrashed() }
    func testAStageChangeIsHistoryAndCannotBeEdited() throws { try contract().aStageChangeIsHistoryAndCannotBeEdited() }
    func testTimelinesPageNewestFirstInEveryScope() throws { try contract().timelinesPageNewestFirstInEveryScope() }
    func testTheTimelineSearchFindsWordsByPrefixAsFolded() throws { try contract().theTimelineSearchFindsWordsByPrefixAsFolded() }
}

/// The same contract on PostgreSQL.
final class PostgresInteractionContractTests: XCTestCase {
    private func contract() throws -> InteractionRepositoryContract { InteractionRepositoryContract(fixture: try .postgres()) }

    func testLoggingFillsTheCompanyAndIsAuditedUpdatedAndTrashed() throws { try contract().loggingFillsTheCompanyAndIsAuditedUpdatedAndTrashed() }
    func testAStageChangeIsHistoryAndCannotBeEdited() throws { try contract().aStageChangeIsHistoryAndCannotBeEdited() }
    func testTimelinesPageNewestFirstInEveryScope() throws { try contract().timelinesPageNewestFirstInEveryScope() }
    func testTheTimelineSearchFindsWordsByPrefixAsFolded() throws { try contract().theTimelineSearchFindsWordsByPrefixAsFolded() }
}
