import XCTest

/// The follow-up and agenda contract on SQLite.
final class SQLiteFollowUpContractTests: XCTestCase {
    private func contract() -> FollowUpRepositoryContract { FollowUpRepositoryContract(fixture: .sqlite()) }

    func testAFollowUpIsCreatedDoneRefusedWhenStaleAndTrashed() throws { try contract().aFollowUpIsCreatedDoneRefusedWhenStaleAndTrashed() }
    func testADealTakesItsFollowUpsToTheTrashAndBack() throws { try contract().aDealTakesItsFollowUpsToTheTrashAndBack() }
    func testASetOfFollowUpsIsChangedAsOneWithEachVersionAndAudit() throws { try contract().aSetOfFollowUpsIsChangedAsOneWithEachVersionAndAudit() }
    func testTheListPagesBothWaysThroughEveryFilter() throws { try contract().theListPagesBothWaysThroughEveryFilter() }
    func testASetLargerThanAChunkIsWrittenAChunkAtATimeAndKeptAsPlainValues() throws {
        try contract().aSetLargerThanAChunkIsWrittenAChunkAtATimeAndKeptAsPlainValues()
    }
    func testTodaysAgendaCountsAndPagesWhatIsDueAndWhoNeedsAttention() throws {
        try contract().todaysAgendaCountsAndPagesWhatIsDueAndWhoNeedsAttention()
    }
    func testTheHeadersCountsAreTheSeparateCountsReadTogether() throws { try contract().theHeadersCountsAreTheSeparateCountsReadTogether() }
}

/// The same contract on PostgreSQL.
final class PostgresFollowUpContractTests: XCTestCase {
    private func contract() throws -> FollowUpRepositoryContract { FollowUpRepositoryContract(fixture: try .postgres()) }

    func testAFollowUpIsCreatedDoneRefusedWhenStaleAndTrashed() throws { try contract().aFollowUpIsCreatedDoneRefusedWhenStaleAndTrashed() }
    func testADealTakesItsFollowUpsToTheTrashAndBack() throws { try contract().aDealTakesItsFollowUpsToTheTrashAndBack() }
    func testASetOfFollowUpsIsChangedAsOneWithEachVersionAndAudit() throws { try contract().aSetOfFollowUpsIsChangedAsOneWithEachVersionAndAudit() }
    func testTheListPagesBothWaysThroughEveryFilter() throws { try contract().theListPagesBothWaysThroughEveryFilter() }
    func testASetLargerThanAChunkIsWrittenAChunkAtATimeAndKeptAsPlainValues() throws {
        try contract().aSetLargerThanAChunkIsWrittenAChunkAtATimeAndKeptAsPlainValues()
    }
    func testTodaysAgendaCountsAndPagesWhatIsDueAndWhoNeedsAttention() throws {
        try contract().todaysAgendaCountsAndPagesWhatIsDueAndWhoNeedsAttention()
    }
    func testTheHeadersCountsAreTheSeparateCountsReadTogether() throws { try contract().theHeadersCountsAreTheSeparateCountsReadTogether() }
}
