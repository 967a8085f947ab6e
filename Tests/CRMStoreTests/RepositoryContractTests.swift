import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// What every engine behind the seam must do, written against the protocols
/// alone (`any CRMRepositories`), never an engine's own API. An engine's test
/// case makes a contract on a fresh store per test and calls each check
/// (SQLiteContractTests below is the SQLite engine's run).
struct RepositoryContract {
    /// Opens a session on the test's one store, acting as `login`.
    let open: (_ login: String) throws -> any CRMRepositories

    func open(login: String) throws -> any CRMRepositories { try open(login) }

    func aTransactionThatFailsLeavesNothingBehind() throws {
        let repos = try open(login: "sara")
        struct Abandon: Error {}
        XCTAssertThrowsError(try repos.transaction {
            _ = try repos.companyRepository.create(Company(name: "Half-made GmbH"))
            _ = try repos.contactRepository.create(Contact(name: "Half made"))
            throw Abandon()
        })
        XCTAssertNil(try repos.companyRepository.find(name: "Half-made GmbH"))
        XCTAssertEqual(try repos.contactRepository.count(filter: ContactFilter()), 0)
    }

    func aStaleUpdateIsRefusedWithWhoAndWhichFields() throws {
        let sara = try open(login: "sara"), omid = try open(login: "omid")
        let created = try sara.contactRepository.create(Contact(name: "Günter Müller", phones: [PhoneNumber("0171 1")]))
        var theirs = created
        theirs.phones = [PhoneNumber("0171 2")]
        _ = try omid.contactRepository.update(theirs)
        var mine = created
        mine.title = "Einkauf"
        XCTAssertThrowsError(try sara.contactRepository.update(mine)) { error in
            guard case RepositoryError.stale(let stale) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(stale.changedBy, "omid")
            XCTAssertEqual(stale.changedFields, ["phones"])
            XCTAssertFalse(error.localizedDescription.contains("SQL"))
        }
        XCTAssertEqual(try sara.contactRepository.get(created.id)?.title, "", "nothing of the refused edit was written")
    }

    func theAuditTrailSaysWhoChangedWhatNewestFirst() throws {
        let sara = try open(login: "sara"), omid = try open(login: "omid")
        let created = try sara.contactRepository.create(Contact(name: "Ada"))
        var edit = created
        edit.notes = "prefers mornings"
        _ = try omid.contactRepository.update(edit)
        let trail = try sara.auditTrail(entity: "contact", id: created.id, limit: 10)
        XCTAssertEqual(trail.map(\.action), ["update", "create"])
        XCTAssertEqual(trail.map(\.userLogin), ["omid", "sara"])
        XCTAssertEqual(trail.first?.changes["notes"], AuditChange(.text(""), .text("prefers mornings")))
    }

    func deletingAStageAndTakingItBackLeavesAColleaguesLaterMove() throws {
        let sara = try open(login: "sara"), omid = try open(login: "omid")
        let pipeline = try sara.pipelineRepository.createPipeline("Sales", stages: ["Lead", "Proposal", "Won later"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: 10)
        })
        let stages = try sara.pipelineRepository.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        let a = try sara.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stages[1].id, title: "A", value: .zero(.eur)))
        let b = try sara.dealRepository.create(Deal(pipelineID: pipeline.id, stageID: stages[1].id, title: "B", value: .zero(.eur)))
        let deletion = try sara.pipelineRepository.deleteStage(stages[1].id, movingDealsTo: stages[0].id)
        XCTAssertEqual(Set(deletion.moved.map(\.dealID)), [a.id, b.id])
        let moved = try XCTUnwrap(omid.dealRepository.get(b.id))
        _ = try omid.dealRepository.move(b.id, toStage: stages[2].id, expectedVersion: moved.version)
        let restore = try sara.pipelineRepository.restoreStage(deletion)
        XCTAssertEqual(restore, StageRestore(movedBack: 1, kept: 1))
        XCTAssertEqual(try sara.dealRepository.get(a.id)?.stageID, stages[1].id)
        XCTAssertEqual(try sara.dealRepository.get(b.id)?.stageID, stages[2].id, "Omid's move stands")
        XCTAssertThrowsError(try sara.pipelineRepository.restoreStage(deletion), "a stage is restored once")
    }

    func contactPagesFollowTheStatedNameOrderThroughOpaqueCursors() throws {
        let repos = try open(login: "sara")
        let names = ["bertha", "Anna", "anton", "Zoë", "Émile", "Bernd", "Ärger", "zack"]
        for name in names { _ = try repos.contactRepository.create(Contact(name: name)) }
        var seen: [String] = []
        var cursor: ContactCursor?
        while true {
            let page = try repos.contactRepository.list(sort: .name, filter: ContactFilter(), cursor: cursor, direction: .forward, limit: 3)
            if page.isEmpty { break }
            seen += page.map(\.name)
            cursor = page.last?.cursor(for: .name)
        }
        // Letters without case and accents (Ä with A, É with E); see ContactSort.name.
        XCTAssertEqual(seen, ["Anna", "anton", "Ärger", "Bernd", "bertha", "Émile", "zack", "Zoë"])
    }

    func aMissingRecordIsNotFound() throws {
        let repos = try open(login: "sara")
        XCTAssertThrowsError(try repos.dealRepository.move(999, toStage: 1, expectedVersion: 1))
        XCTAssertNil(try repos.contactRepository.get(999))
        XCTAssertThrowsError(try repos.contactRepository.delete(999)) { error in
            guard case RepositoryError.notFound = error else { return XCTFail("\(error)") }
        }
    }
}

/// The contract on the SQLite engine: sessions are connections on one real file.
final class SQLiteContractTests: XCTestCase {
    private var folder: TempFolder!
    private var contract: RepositoryContract!

    override func setUp() {
        let folder = TempFolder()
        self.folder = folder
        contract = RepositoryContract { login in try Database(path: folder.path("contract.db"), login: login) }
    }

    override func tearDown() {
        contract = nil
        folder = nil
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
