import Foundation
import XCTest

/// The shared `RepositoryContract` (RepositoryContractTests.swift) on
/// PostgreSQL: every check on a fresh database, sessions signed in as on
/// SQLite (the first user is the admin, later ones reps created on first use).
final class PGRepositoryContractTests: XCTestCase {
    private var store: ContractStore!
    private var contract: RepositoryContract!

    override func setUpWithError() throws {
        let store = try ContractStore.postgres()
        self.store = store
        contract = RepositoryContract { login in try store.open(login) }
    }

    override func tearDown() {
        contract = nil
        store = nil
    }

    func testATransactionThatFailsLeavesNothingBehind() throws { try contract.aTransactionThatFailsLeavesNothingBehind() }
    func testAStaleUpdateIsRefusedWithWhoAndWhichFields() throws { try contract.aStaleUpdateIsRefusedWithWhoAndWhichFields() }
    func testTheAuditTrailSaysWhoChangedWhatNewestFirst() throws { try contract.theAuditTrailSaysWhoChangedWhatNewestFirst() }
    func testDeletingAStageAndTakingItBackLeavesAColleaguesLaterMove() throws {
        try contract.deletingAStageAndTakingItBackLeavesAColleaguesLaterMove()
    }
    func testContactPagesFollowTheStatedNameOrderThroughOpaqueCursors() throws {
        try contract.contactPagesFollowTheStatedNameOrderThroughOpaqueCursors()
    }
    func testAMissingRecordIsNotFound() throws { try contract.aMissingRecordIsNotFound() }
}
