import XCTest

/// The records contract on a SQLite file per test.
final class SQLiteRecordContractTests: XCTestCase {
    func contract() throws -> RecordRepositoryContract { RecordRepositoryContract(store: .sqlite()) }

    func testCompanies() throws { try contract().companies() }
    func testInteractionsTimelineNewestFirstAndPaged() throws { try contract().interactionsTimelineNewestFirstAndPaged() }
    func testFollowUpsByDueWindowAndAssignee() throws { try contract().followUpsByDueWindowAndAssignee() }
    func testDealsByStageMoveWithHistoryAndStaleMove() throws { try contract().dealsByStageMoveWithHistoryAndStaleMove() }
    func testContactCreateReadUpdateDeleteRestore() throws { try contract().contactCreateReadUpdateDeleteRestore() }
    func testAnInvalidContactIsRefusedNamingTheField() throws { try contract().anInvalidContactIsRefusedNamingTheField() }
    func testAStaleContactUpdateIsRefusedAndTheRowUnchanged() throws { try contract().aStaleContactUpdateIsRefusedAndTheRowUnchanged() }
    func testSoftDeleteHidesAndRestoreBringsBackTheTimeline() throws { try contract().softDeleteHidesAndRestoreBringsBackTheTimeline() }
    func testContactFiltersByOwnerTagLifecycleAndCompany() throws { try contract().contactFiltersByOwnerTagLifecycleAndCompany() }
    func testTagsAreOneWhateverTheCaseOfTheirLetters() throws { try contract().tagsAreOneWhateverTheCaseOfTheirLetters() }
    func testKeysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() throws { try contract().keysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() }
    func testABackwardPageReturnsTheRowsBeforeTheCursorInDisplayOrder() throws { try contract().aBackwardPageReturnsTheRowsBeforeTheCursorInDisplayOrder() }
    func testSortByLastInteraction() throws { try contract().sortByLastInteraction() }
    func testAuditValuesAreStoredAsJSONAndReadBackTyped() throws { try contract().auditValuesAreStoredAsJSONAndReadBackTyped() }
    func testAuditPagesFilterAndContinueAfterTheLastID() throws { try contract().auditPagesFilterAndContinueAfterTheLastID() }
}

/// The same contract on a fresh PostgreSQL database per test.
final class PGRecordContractTests: XCTestCase {
    func contract() throws -> RecordRepositoryContract { RecordRepositoryContract(store: try .postgres()) }

    func testCompanies() throws { try contract().companies() }
    func testInteractionsTimelineNewestFirstAndPaged() throws { try contract().interactionsTimelineNewestFirstAndPaged() }
    func testFollowUpsByDueWindowAndAssignee() throws { try contract().followUpsByDueWindowAndAssignee() }
    func testDealsByStageMoveWithHistoryAndStaleMove() throws { try contract().dealsByStageMoveWithHistoryAndStaleMove() }
    func testContactCreateReadUpdateDeleteRestore() throws { try contract().contactCreateReadUpdateDeleteRestore() }
    func testAnInvalidContactIsRefusedNamingTheField() throws { try contract().anInvalidContactIsRefusedNamingTheField() }
    func testAStaleContactUpdateIsRefusedAndTheRowUnchanged() throws { try contract().aStaleContactUpdateIsRefusedAndTheRowUnchanged() }
    func testSoftDeleteHidesAndRestoreBringsBackTheTimeline() throws { try contract().softDeleteHidesAndRestoreBringsBackTheTimeline() }
    func testContactFiltersByOwnerTagLifecycleAndCompany() throws { try contract().contactFiltersByOwnerTagLifecycleAndCompany() }
    func testTagsAreOneWhateverTheCaseOfTheirLetters() throws { try contract().tagsAreOneWhateverTheCaseOfTheirLetters() }
    func testKeysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() throws { try contract().keysetPagingVisitsEveryRowOnceInOrderWhileRowsAreInserted() }
    func testABackwardPageReturnsTheRowsBeforeTheCursorInDisplayOrder() throws { try contract().aBackwardPageReturnsTheRowsBeforeTheCursorInDisplayOrder() }
    func testSortByLastInteraction() throws { try contract().sortByLastInteraction() }
    func testAuditValuesAreStoredAsJSONAndReadBackTyped() throws { try contract().auditValuesAreStoredAsJSONAndReadBackTyped() }
    func testAuditPagesFilterAndContinueAfterTheLastID() throws { try contract().auditPagesFilterAndContinueAfterTheLastID() }
}
