import XCTest

/// The deal and pipeline contract on SQLite (a file in a temp folder).
final class SQLiteDealContractTests: XCTestCase {
    private func contract() -> DealRepositoryContract { DealRepositoryContract(fixture: .sqlite()) }

    func testStagesComeWithWonAndLostOutcomesAndPipelinesAreAudited() throws { try contract().stagesComeWithWonAndLostOutcomesAndPipelinesAreAudited() }
    func testADealIsCreatedReadUpdatedAndAuditedWithVersions() throws { try contract().aDealIsCreatedReadUpdatedAndAuditedWithVersions() }
    func testADealGoesToTheTrashAndComesBack() throws { try contract().aDealGoesToTheTrashWithItsFollowUpsAndComesBack() }
    func testColumnsPageBothWaysThroughTheFilter() throws { try contract().columnsPageBothWaysThroughTheFilter() }
    func testTotalsPerStageAndCurrencyAreExactAndFollowTheFilter() throws { try contract().totalsPerStageAndCurrencyAreExactAndFollowTheFilter() }
    func testReorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() throws { try contract().reorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() }
    func testCloseReopenAndLostReasons() throws { try contract().closeReopenAndLostReasons() }
    func testMovesAreRecordedAndAStaleMoveIsRefusedWithWhoAndWhat() throws { try contract().movesAreRecordedAndAStaleMoveIsRefusedWithWhoAndWhat() }
    func testStageManagement() throws { try contract().stageManagement() }
    func testDeletingAStageAndTakingItBackLeavesAColleaguesLaterMove() throws { try contract().deletingAStageAndTakingItBackLeavesAColleaguesLaterMove() }
    func testADealNeverGoesIntoAStageDeletedMeanwhile() throws { try contract().aDealNeverGoesIntoAStageDeletedMeanwhile() }
    func testStageAndPipelineNamesDoNotRepeat() throws { try contract().stageAndPipelineNamesDoNotRepeat() }
}

/// The same contract on PostgreSQL (a fresh database on the throwaway server).
final class PostgresDealContractTests: XCTestCase {
    private func contract() throws -> DealRepositoryContract { DealRepositoryContract(fixture: try .postgres()) }

    func testStagesComeWithWonAndLostOutcomesAndPipelinesAreAudited() throws { try contract().stagesComeWithWonAndLostOutcomesAndPipelinesAreAudited() }
    func testADealIsCreatedReadUpdatedAndAuditedWithVersions() throws { try contract().aDealIsCreatedReadUpdatedAndAuditedWithVersions() }
    func testADealGoesToTheTrashAndComesBack() throws { try contract().aDealGoesToTheTrashWithItsFollowUpsAndComesBack() }
    func testColumnsPageBothWaysThroughTheFilter() throws { try contract().columnsPageBothWaysThroughTheFilter() }
    func testTotalsPerStageAndCurrencyAreExactAndFollowTheFilter() throws { try contract().totalsPerStageAndCurrencyAreExactAndFollowTheFilter() }
    func testReorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() throws { try contract().reorderPlacesBetweenNeighboursAndRenumbersWhenOutOfRoom() }
    func testCloseReopenAndLostReasons() throws { try contract().closeReopenAndLostReasons() }
    func testMovesAreRecordedAndAStaleMoveIsRefusedWithWhoAndWhat() throws { try contract().movesAreRecordedAndAStaleMoveIsRefusedWithWhoAndWhat() }
    func testStageManagement() throws { try contract().stageManagement() }
    func testDeletingAStageAndTakingItBackLeavesAColleaguesLaterMove() throws { try contract().deletingAStageAndTakingItBackLeavesAColleaguesLaterMove() }
    func testADealNeverGoesIntoAStageDeletedMeanwhile() throws { try contract().aDealNeverGoesIntoAStageDeletedMeanwhile() }
    func testStageAndPipelineNamesDoNotRepeat() throws { try contract().stageAndPipelineNamesDoNotRepeat() }
}
