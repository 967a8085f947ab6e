import CRMCore
import Foundation

// The repository protocols the view models talk to. No SQLite type appears in
// them, so a second engine (PostgreSQL) can implement them later without the
// screens noticing.

public protocol ContactRepository: AnyObject {
    func create(_ contact: Contact) throws -> Contact
    func get(_ id: Int64) throws -> Contact?
    /// The contact and what its details pane shows (nil: no such contact),
    /// with `timelineLimit` timeline entries: the same values as the
    /// separate reads `ContactPane` names, in one read.
    func pane(_ id: Int64, timelineLimit: Int) throws -> ContactPane?
    /// Refused with `RepositoryError.stale` when `contact.version` is not current.
    func update(_ contact: Contact) throws -> Contact
    func delete(_ id: Int64) throws
    func restore(_ id: Int64) throws
    func summary(_ id: Int64) throws -> ContactSummary?
    /// A keyset page: `limit` rows after (or before) `cursor` in `sort` order,
    /// of the contacts `filter` (and its search text) lets through.
    func list(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor?, direction: PageDirection, limit: Int) throws -> [ContactSummary]
    /// The first `limit` contacts in name order that `text` finds (see
    /// `ContactFilter.text`): `list` with the text in the filter.
    func search(_ text: String, filter: ContactFilter, limit: Int) throws -> [ContactSummary]
    func deleted(limit: Int) throws -> [ContactSummary]
    func count(filter: ContactFilter) throws -> Int
    /// `count(filter:)`, but counting stops past `limit`: more than `limit`
    /// rows come back as `ListCount(limit, isExact: false)`.
    func count(filter: ContactFilter, upTo limit: Int) throws -> ListCount
    /// How many contacts come before `cursor` in `sort` order: a row's place in the whole list.
    func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor) throws -> Int
    /// `countBefore`, but counting stops past `limit` (a row far down a
    /// list of a million would cost a count of everything above it).
    func countBefore(sort: ContactSort, filter: ContactFilter, cursor: ContactCursor, upTo limit: Int) throws -> ListCount
    func allTags() throws -> [String]
    /// Existing contacts `probe` may duplicate, strongest first: the same
    /// email (ignoring case), the same phone (on its international form or
    /// digits), a similar name at the same company.
    func possibleDuplicates(of probe: DuplicateProbe, limit: Int) throws -> [DuplicateMatch]
    /// A keyset page of the pairs of contacts that look like one, strongest
    /// reason first (each pair once, under its strongest reason).
    func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair]
    /// The `limit` pairs just before `cursor` (nil: the list's last ones), in list order.
    func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair]
    /// What merging contact `other` into `keep` would move.
    func mergePreview(keep: Int64, other: Int64) throws -> MergePreview
    /// Merges contact `other` into `survivor` (the kept contact with the
    /// fields chosen for it and the details joined), in one transaction:
    /// its interactions, deals and follow-ups move to the survivor, it goes
    /// to the trash pointing at the survivor, and all of it is audited.
    /// Refused with `RepositoryError.stale` when either version is not current.
    func merge(into survivor: Contact, other: Int64, otherVersion: Int64) throws -> MergeResult<Contact>
    /// Takes a merge back: both contacts as they were, the moved records
    /// back. Refused (`RepositoryError.stale`, naming who changed what) when
    /// either contact or a moved record changed since.
    func undoMerge(_ result: MergeResult<Contact>) throws
}

public protocol CompanyRepository: AnyObject {
    func create(_ company: Company) throws -> Company
    func get(_ id: Int64) throws -> Company?
    func update(_ company: Company) throws -> Company
    func delete(_ id: Int64) throws
    func restore(_ id: Int64) throws
    func list(after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary]
    /// A keyset page of the companies `text` finds (name, domain, notes by
    /// word prefix), in name order; text without letters or digits finds none.
    func search(_ text: String, after cursor: (name: String, id: Int64)?, limit: Int) throws -> [CompanySummary]
    func find(name: String) throws -> Company?
    /// A keyset page of the pairs of companies that look like one: the same
    /// web domain, then the same folded name.
    func duplicatePairs(after cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair]
    /// The `limit` pairs just before `cursor` (nil: the list's last ones), in list order.
    func duplicatePairs(before cursor: DuplicateCursor?, limit: Int) throws -> [DuplicatePair]
    /// What merging company `other` into `keep` would move.
    func mergePreview(keep: Int64, other: Int64) throws -> MergePreview
    /// As `ContactRepository.merge`: the merged company's contacts, deals
    /// and interactions move to the survivor.
    func merge(into survivor: Company, other: Int64, otherVersion: Int64) throws -> MergeResult<Company>
    func undoMerge(_ result: MergeResult<Company>) throws
}

extension CompanyRepository {
    /// The first `limit` companies `text` finds.
    public func search(_ text: String, limit: Int) throws -> [CompanySummary] {
        try search(text, after: nil, limit: limit)
    }
}

public protocol InteractionRepository: AnyObject {
    func log(_ interaction: Interaction) throws -> Interaction
    func get(_ id: Int64) throws -> Interaction?
    func update(_ interaction: Interaction) throws -> Interaction
    func delete(_ id: Int64) throws
    func restore(_ id: Int64) throws
    /// Newest first, keyset paged.
    func timeline(_ scope: TimelineScope, before cursor: TimelineCursor?, limit: Int) throws -> [TimelineEntry]
}

public protocol FollowUpRepository: AnyObject {
    func create(_ followUp: FollowUp) throws -> FollowUp
    func get(_ id: Int64) throws -> FollowUp?
    func update(_ followUp: FollowUp) throws -> FollowUp
    func delete(_ id: Int64) throws
    func restore(_ id: Int64) throws
    /// Open follow-ups due in `[from, to)` (nil: unbounded), for one assignee or all.
    func due(from: Date?, to: Date?, assigneeID: Int64?, limit: Int) throws -> [FollowUpRow]
    func open(contactID: Int64) throws -> [FollowUpRow]
    func open(dealID: Int64) throws -> [FollowUpRow]
    /// The follow-ups list, sorted by due then id: the page after `after`
    /// (from the start when nil), keyset-paged so any depth costs the same.
    func list(_ filter: FollowUpFilter, after: FollowUpCursor?, limit: Int) throws -> [FollowUpRow]
    /// The page just before `before`, in ascending order (paging back up).
    func list(_ filter: FollowUpFilter, before: FollowUpCursor, limit: Int) throws -> [FollowUpRow]
    func count(_ filter: FollowUpFilter) throws -> Int
    /// Moves it to the trash unless someone changed it since `expectedVersion`
    /// (then RepositoryError.stale says who and what).
    func delete(_ id: Int64, expectedVersion: Int64) throws
    /// Today's bulk changes (done, snooze, reassign) and their undo: `change`
    /// applied to the fields of each follow-up of `rows` (ascending ids,
    /// each with the version it was seen at), each written as `update`
    /// writes it (its version, its audit row), in one unit of work. A row
    /// changed or deleted since refuses all of it (RepositoryError.stale for
    /// the first such id; what was written before it is rolled back).
    /// Read and written `FollowUpSetWrite.chunk` rows at a time, so memory
    /// stays bounded whatever the count; what was written comes back
    /// compact (FollowUpSetWrite), for the undo.
    func update(_ rows: [VersionedID], change: (inout FollowUpSetFields) -> Void) throws -> FollowUpSetWrite
}

extension FollowUpRepository {
    /// `update` of the rows of `versions` (id → the version it was seen at).
    public func update(_ versions: [Int64: Int64], change: (inout FollowUpSetFields) -> Void) throws -> FollowUpSetWrite {
        var rows = versions.map { VersionedID(id: $0.key, version: $0.value) }
        rows.sort { $0.id < $1.id }
        return try update(rows, change: change)
    }
}

public protocol PipelineRepository: AnyObject {
    func pipelines() throws -> [Pipeline]
    func createPipeline(_ name: String, stages: [Stage]) throws -> Pipeline
    func stages(pipelineID: Int64) throws -> [Stage]
    func stage(_ id: Int64) throws -> Stage?
    /// Adds an open stage right after `afterStageID` (nil: first).
    func addStage(_ stage: Stage, after afterStageID: Int64?) throws -> Stage
    /// Saves name, probability and rot days; refused with `RepositoryError.stale`
    /// when `stage.version` is not current.
    func updateStage(_ stage: Stage) throws -> Stage
    /// Moves an open stage one place left (-1) or right (+1) on the board.
    func moveStage(_ stageID: Int64, by offset: Int) throws
    /// Deletes a stage after moving all its deals to `targetStageID` (which
    /// must be another stage of the same pipeline), recording the moves; one
    /// transaction. Says which deals moved and the version each move wrote.
    @discardableResult
    func deleteStage(_ stageID: Int64, movingDealsTo targetStageID: Int64) throws -> StageDeletion
    /// Takes a stage delete back: the stage returns to its place and every
    /// deal it moved that is still where the delete put it, unchanged since,
    /// moves back (recorded in its history). Deals someone changed since stay.
    func restoreStage(_ deletion: StageDeletion) throws -> StageRestore
    func renamePipeline(_ pipelineID: Int64, to name: String) throws
}

public protocol DealRepository: AnyObject {
    func create(_ deal: Deal) throws -> Deal
    func get(_ id: Int64) throws -> Deal?
    func update(_ deal: Deal) throws -> Deal
    func delete(_ id: Int64) throws
    func restore(_ id: Int64) throws
    /// Cards of one stage's column, keyset paged by (position, id).
    func cards(stageID: Int64, filter: DealFilter, after cursor: DealCursor?, limit: Int) throws -> [DealCard]
    /// Several columns' pages at once, by stage id: for each column the rows
    /// `cards(stageID:filter:after:limit:)` gives from its own cursor. The
    /// board loads its visible columns with it, so an engine that pays a
    /// round trip per statement pays one for the board, not one per column.
    func cards(columns: [(stageID: Int64, after: DealCursor?)], filter: DealFilter, limit: Int) throws -> [Int64: [DealCard]]
    func deals(contactID: Int64) throws -> [DealCard]
    func deals(companyID: Int64) throws -> [DealCard]
    /// Moves a deal to another stage, recording the stage history; refused
    /// when `expectedVersion` is stale (someone else moved it).
    func move(_ dealID: Int64, toStage stageID: Int64, expectedVersion: Int64) throws -> Deal
    /// A move that takes another one back: the deal returns to `stageID` with
    /// the time it had entered that stage, so its days in stage (and rotting)
    /// are what they were, and at `position` in the column when given (its
    /// place before the move; else the bottom). Recorded in the history like any move.
    func moveBack(_ dealID: Int64, toStage stageID: Int64, enteredAt: Date, position: Double?, expectedVersion: Int64) throws -> Deal
    func history(dealID: Int64) throws -> [StageChange]
    /// The stage history with stage names and who moved the deal, oldest first.
    func historyEntries(dealID: Int64) throws -> [StageHistoryEntry]
    /// Cards of one column before `cursor`, nearest first (scrolling up).
    func cards(stageID: Int64, filter: DealFilter, before cursor: DealCursor, limit: Int) throws -> [DealCard]
    func card(_ dealID: Int64) throws -> DealCard?
    /// Count, sum and probability-weighted sum per currency of the open deals
    /// of every stage of a pipeline (or one stage), computed in SQL.
    func stageTotals(pipelineID: Int64, filter: DealFilter) throws -> [Int64: StageTotals]
    func stageTotals(stageID: Int64, filter: DealFilter) throws -> StageTotals
    /// Moves a deal one place up (-1) or down (+1) within its column by giving
    /// it a position between its new neighbours; refused when stale.
    func reorder(_ dealID: Int64, by offset: Int, expectedVersion: Int64) throws -> Deal
    /// Marks a deal won or lost (a reason is required for lost). It keeps its
    /// stage, so reports can tell from which stage deals were won or lost.
    func close(_ dealID: Int64, as status: DealStatus, reason: String, expectedVersion: Int64) throws -> Deal
    /// Puts a won or lost deal back on the board, in the stage it left.
    /// `stageEnteredAt`: when it entered that stage, kept as it was (an
    /// undo of won or lost: the deal's days in stage and rotting mark are
    /// not restarted); nil starts its stay anew (a deal reopened later).
    func reopen(_ dealID: Int64, expectedVersion: Int64, stageEnteredAt: Date?) throws -> Deal
    /// Lost reasons used before, most used first.
    func lostReasons(limit: Int) throws -> [String]
    /// Won and/or lost deals of a pipeline, most recently closed first, keyset paged.
    func closedDeals(pipelineID: Int64, status: DealStatus?, filter: DealFilter, after cursor: ClosedDealCursor?, limit: Int) throws -> [DealCard]
    /// The `limit` won and/or lost deals just before `cursor` in that same
    /// order (nil: the list's last ones), in list order: the end of the list
    /// and paging up from it, without reading what comes before.
    func closedDeals(pipelineID: Int64, status: DealStatus?, filter: DealFilter, before cursor: ClosedDealCursor?, limit: Int) throws -> [DealCard]
}

extension DealRepository {
    /// Reopens with a new stay in the stage (`reopen(_:expectedVersion:stageEnteredAt:)`).
    public func reopen(_ dealID: Int64, expectedVersion: Int64) throws -> Deal {
        try reopen(dealID, expectedVersion: expectedVersion, stageEnteredAt: nil)
    }

    /// Back to `stageID`, at the bottom of its column.
    public func moveBack(_ dealID: Int64, toStage stageID: Int64, enteredAt: Date, expectedVersion: Int64) throws -> Deal {
        try moveBack(dealID, toStage: stageID, enteredAt: enteredAt, position: nil, expectedVersion: expectedVersion)
    }
}

/// Imports of contact files (`crm import`, `:import` on the screen) and
/// their undo.
public protocol ImportRepository: AnyObject {
    /// Reads `source` to its end and imports it as one batch in ONE
    /// transaction: companies found (case and accents folded) or created,
    /// contacts created or, per `options.onDuplicate`, merged into or
    /// skipped for the duplicates the finder names. `onOutcome` is told each
    /// row's outcome as it is decided (streamed: no list is kept). A dry run
    /// writes nothing (it works on a read-only database). With rejected rows
    /// and no `skipInvalid`, nothing is written and `ImportRefused` is thrown
    /// after every row was reported. One audit entry for the whole batch.
    func importContacts(from source: inout any ImportSource, options: ImportOptions,
                        progress: ((ImportProgress) -> Void)?, onOutcome: (ImportOutcome) -> Void) throws -> ImportSummary
    /// The batches, newest first.
    func importBatches(limit: Int) throws -> [ImportBatch]
    func importBatch(_ id: Int64) throws -> ImportBatch?
    /// Takes a whole batch back in one transaction: the contacts and
    /// companies it created go, the contacts it merged into get their old
    /// values back. Refused (`ImportUndoRefusal`, saying who changed what)
    /// when someone changed one of them since, unless `force`.
    func undoImport(_ batchID: Int64, force: Bool) throws -> ImportUndoResult
}

/// Everything out, for `crm export`: keyset pages over whole tables (live
/// rows only: the trash is not exported, except in the lossless copy), by
/// id, so any size streams in the memory of one page.
public protocol ExportRepository: AnyObject {
    /// Runs `body` in one read transaction, so every page of an export sees
    /// the database as it was when the export began while others go on
    /// writing (one consistent copy, not pages from different moments).
    func consistentRead<T>(_ body: () throws -> T) throws -> T
    /// The most emails and phones one live contact has.
    func contactFieldCounts() throws -> ContactFieldCounts
    func contacts(after id: Int64?, limit: Int) throws -> [ExportContact]
    func companies(after id: Int64?, limit: Int) throws -> [ExportCompany]
    func deals(after id: Int64?, limit: Int) throws -> [ExportDeal]
    func interactions(after id: Int64?, limit: Int) throws -> [ExportInteraction]
    func followUps(after id: Int64?, limit: Int) throws -> [ExportFollowUp]
    /// The schema version the copy is taken at.
    var snapshotSchemaVersion: Int { get }
    /// Every row of `table`, trash included, after `key` (nil: from the
    /// start) in key order.
    func snapshotRows(_ table: SnapshotTable, after key: [SnapshotValue]?, limit: Int) throws -> [SnapshotRow]
    /// How many rows `table` holds, trash included (what a copy must carry).
    func snapshotCount(_ table: SnapshotTable) throws -> Int
    /// Loads a lossless copy into an empty database with the same ids, in one
    /// transaction: `next` hands the rows in file order (nil at the end).
    /// Refused (`RepositoryError`) when the database holds anything but
    /// users; any bad row rolls everything back. Writes no audit row of its
    /// own: the copy's audit log is restored as it was.
    func loadSnapshot(schemaVersion: Int, _ next: () throws -> SnapshotRow?) throws -> SnapshotLoadResult
}

/// Everything a screen needs from storage, as one value to hand around.
public protocol CRMRepositories: AnyObject {
    var contactRepository: any ContactRepository { get }
    var companyRepository: any CompanyRepository { get }
    var interactionRepository: any InteractionRepository { get }
    var followUpRepository: any FollowUpRepository { get }
    var dealRepository: any DealRepository { get }
    var pipelineRepository: any PipelineRepository { get }
    /// Counts and stay-in-touch queries for the Today view.
    var agendaRepository: any AgendaRepository { get }
    var importRepository: any ImportRepository { get }
    /// Contacts by email and mails by Message-ID, for `crm log` and `crm log-email`.
    var externalLogRepository: any ExternalLogRepository { get }
    /// Whole tables, page by page, for `crm export`; the lossless copy's loader.
    var exportRepository: any ExportRepository { get }
    /// Reassigning a marked selection of contacts or deals, and undoing it.
    var reassignRepository: any ReassignRepository { get }
    /// Deleted records of every kind: list, restore, purge.
    var trashRepository: any TrashRepository { get }
    /// The Pipeline and Forecast report figures.
    var dealReportRepository: any DealReportRepository { get }
    /// The records behind a report figure (the drill-down list).
    var reportDrillRepository: any ReportDrillRepository { get }
    /// The "Won and lost" report page's figures.
    var winLossReportRepository: any WinLossReportRepository { get }
    /// The "People" report page's figures.
    var peopleReportRepository: any PeopleReportRepository { get }
    /// The Customers report's figures and the stored value tiers.
    var customerReportRepository: any CustomerReportRepository { get }
    var currentUser: User { get }
    /// Where every time the store writes comes from (a fixed clock in tests);
    /// commands read "now" from it too (`crm trash purge --older-than`).
    var clock: any Clock { get }
    /// Users, roles, handovers (see `UserRepository`).
    var userRepository: any UserRepository { get }
    /// Whole records a page of ids at a time, for the listing commands.
    var listingRepository: any ListingRepository { get }
    /// A short name for the status bar (the file name).
    var displayName: String { get }
    /// True when this user may read but not write the database (the file or
    /// its folder is not writable for them): the screen says so and its keys
    /// that write say why they cannot.
    var isReadOnly: Bool { get }
    func allUsers() throws -> [User]
    func user(id: Int64) throws -> User?
    /// Runs `body` as one unit of work: every write in it commits together or
    /// not at all. Nested calls join the outer one. One user action is one
    /// call, so a view model never chains commits.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// Who changed a record, when and which fields, newest first.
    func auditTrail(entity: String, id: Int64, limit: Int) throws -> [AuditEntry]
    /// Audit entries matching `filter`, newest first, at most `limit`,
    /// continuing after the entry with id `after` (nil: from the newest).
    func auditPage(_ filter: AuditFilter, after: Int64?, limit: Int) throws -> [AuditEntry]
    /// Told when a write waits for another writer's lock (after 300 ms) and
    /// when that wait ends. Called from inside the blocked write: draw, but
    /// make no repository call from it.
    var onWriteWait: ((WriteWait) -> Void)? { get set }
    /// What other connections or processes changed since the last call:
    /// `.none` when nothing (the cheap, common answer on every idle tick).
    func pollChanges() throws -> ChangeSet
    /// How to open another session of the same store, reading only, acting
    /// as the same user: for work done away from the screen's thread (the
    /// report pages are computed there). A session is used by one thread at
    /// a time, so the one thread that does that work owns it; it sees what
    /// is committed. What needs this session is checked here (a server known
    /// to be away throws `.unavailable` at once); the opening itself runs on
    /// the other thread (`ReadSessionOpener.open`).
    func readSessionOpener() throws -> ReadSessionOpener
}

extension CRMRepositories {
    /// A read session opened here and now (see `readSessionOpener`).
    public func openReadSession() throws -> any CRMRepositories { try readSessionOpener().open() }
}

/// What programs outside the screen need to say whom something is about
/// and to log it (`crm log`, `crm log-email`): contacts by an email
/// address, and a mail logged once by its Message-ID.
public protocol ExternalLogRepository: AnyObject {
    /// The contacts (not in the trash) with `address` among their emails,
    /// compared without case, in name order; at most `limit`.
    func contacts(withEmail address: String, limit: Int) throws -> [ContactSummary]
    /// The interaction that holds the mail with this Message-ID (one in the
    /// trash too), or nil.
    func interaction(messageID: String) throws -> Interaction?
    /// Logs `interaction` (an email) with its Message-ID, audited like any
    /// log; its own transaction, or the caller's. A Message-ID already
    /// stored is refused by the database (check `interaction(messageID:)` first).
    func logMail(_ interaction: Interaction, messageID: String) throws -> Interaction
}

/// Reads for scripts (`crm contacts`, `companies`, `deals`, `timeline`,
/// `show`): whole records for a page of ids, and the listings the screens
/// do not draw. Every method reads; none writes.
public protocol ListingRepository: AnyObject {
    /// The contacts with these ids, each with its emails, phones (with their
    /// labels) and tags, in the order of `ids`; ids that do not exist are
    /// left out. A few queries per page, not a few per contact.
    func contacts(ids: [Int64]) throws -> [Contact]
    /// Only the email addresses of these contacts, in each contact's order:
    /// what an address query needs, without the rest of the record.
    func emailAddresses(contactIDs: [Int64]) throws -> [Int64: [String]]
    /// The companies with these ids, in the order of `ids`.
    func companies(ids: [Int64]) throws -> [Company]
    /// The deals `filter` lets through (not deleted), in id order, keyset
    /// paged: `limit` deals with an id above `afterID`.
    func deals(_ filter: DealListFilter, afterID: Int64?, limit: Int) throws -> [DealCard]
    /// Open follow-ups about a company: of its contacts and of its deals,
    /// soonest first.
    func openFollowUps(companyID: Int64) throws -> [FollowUpRow]
}
