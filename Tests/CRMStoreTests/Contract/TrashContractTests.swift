import CRMCore
import Foundation
import XCTest

/// The trash contract on a SQLite file.
final class SQLiteTrashTests: XCTestCase {
    func contract() -> TrashRepositoryContract {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_780_000_000))
        return TrashRepositoryContract(store: .sqlite(clock: clock), clock: clock)
    }

    func testRestoringADeletedDealBringsBackItsFollowUps() throws { try contract().restoringADeletedDealBringsBackItsFollowUps() }
    func testADealIsNeverLinkedToARecordTrashedMeanwhile() throws { try contract().aDealIsNeverLinkedToARecordTrashedMeanwhile() }
    func testEachKindDeletedAndRestored() throws { try contract().eachKindDeletedAndRestored() }
    func testRestoreRefusesWhatIsNotInTheTrash() throws { try contract().restoreRefusesWhatIsNotInTheTrash() }
    func testAContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo() throws {
        try contract().aContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo()
    }
    func testPurgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction() throws {
        try contract().purgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction()
    }
    func testPurgingByKindAndDateLeavesTheRest() throws { try contract().purgingByKindAndDateLeavesTheRest() }
    func testPurgingAContactTakesItsHistoryButNotASharedDealsRecord() throws {
        try contract().purgingAContactTakesItsHistoryButNotASharedDealsRecord()
    }
    func testPurgingRecordsWithHistoryLeavesNothingPointingAtThem() throws {
        try contract().purgingRecordsWithHistoryLeavesNothingPointingAtThem()
    }
    func testPurgingAContactAnImportMergedIntoTakesTheMergeAlong() throws { try contract().purgingAContactAnImportMergedIntoTakesTheMergeAlong() }
    func testOnlyAnAdminPurges() throws { try contract().onlyAnAdminPurges() }
    func testNothingNewHangsOnARecordInTheTrash() throws { try contract().nothingNewHangsOnARecordInTheTrash() }
    func testTheListPagesByKeyset() throws { try contract().theListPagesByKeyset() }
    func testWhereaboutsSayWhereARecordWent() throws { try contract().whereaboutsSayWhereARecordWent() }
    func testContactsInTrashAreFoundByPhone() throws { try contract().contactsInTrashAreFoundByPhone() }
}

/// The same contract on a fresh PostgreSQL database per test.
final class PGTrashTests: XCTestCase {
    func contract() throws -> TrashRepositoryContract {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_780_000_000))
        return TrashRepositoryContract(store: try .postgres(clock: clock), clock: clock)
    }

    func testRestoringADeletedDealBringsBackItsFollowUps() throws { try contract().restoringADeletedDealBringsBackItsFollowUps() }
    func testADealIsNeverLinkedToARecordTrashedMeanwhile() throws { try contract().aDealIsNeverLinkedToARecordTrashedMeanwhile() }
    func testEachKindDeletedAndRestored() throws { try contract().eachKindDeletedAndRestored() }
    func testRestoreRefusesWhatIsNotInTheTrash() throws { try contract().restoreRefusesWhatIsNotInTheTrash() }
    func testAContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo() throws {
        try contract().aContactWhoseCompanyWasPurgedComesBackWithoutItAndSaysSo()
    }
    func testPurgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction() throws {
        try contract().purgeWithRetentionRemovesOnlyWhatIsOlderAndIsOneAuditedAction()
    }
    func testPurgingByKindAndDateLeavesTheRest() throws { try contract().purgingByKindAndDateLeavesTheRest() }
    func testPurgingAContactTakesItsHistoryButNotASharedDealsRecord() throws {
        try contract().purgingAContactTakesItsHistoryButNotASharedDealsRecord()
    }
    func testPurgingRecordsWithHistoryLeavesNothingPointingAtThem() throws {
        try contract().purgingRecordsWithHistoryLeavesNothingPointingAtThem()
    }
    func testPurgingAContactAnImportMergedIntoTakesTheMergeAlong() throws { try contract().purgingAContactAnImportMergedIntoTakesTheMergeAlong() }
    func testOnlyAnAdminPurges() throws { try contract().onlyAnAdminPurges() }
    func testNothingNewHangsOnARecordInTheTrash() throws { try contract().nothingNewHangsOnARecordInTheTrash() }
    func testTheListPagesByKeyset() throws { try contract().theListPagesByKeyset() }
    func testWhereaboutsSayWhereARecordWent() throws { try contract().whereaboutsSayWhereARecordWent() }
    func testContactsInTrashAreFoundByPhone() throws { try contract().contactsInTrashAreFoundByPhone() }
}
