import CRMCore
import CRMDemo
import CRMRepositories
@testable import CRMStore
import Foundation
import XCTest

/// The plans of the list, search, filter and report queries that must stay
/// flat at a million contacts and ten million interactions (issue 16): each
/// repository call is run, every statement it prepared is EXPLAINed, and the
/// plan must read the index meant for it, without a full scan of contacts,
/// interactions, deals or follow-ups and without sorting what the index
/// already orders. A later change that brings a cliff back fails here, on a
/// small file, long before anyone opens a big one.
final class QueryPlanTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase()
        try DemoData.generate(into: db, contacts: 120, seed: 7)
    }

    override func tearDown() {
        db = nil
        folder = nil
    }

    /// Every SELECT `body` prepared, with its plan (EXPLAIN QUERY PLAN's detail lines).
    func plans(_ body: () throws -> Void) throws -> [(sql: String, plan: [String])] {
        db.connection.recordedSQL = []
        defer { db.connection.recordedSQL = nil }
        try body()
        var seen = Set<String>()
        var result: [(sql: String, plan: [String])] = []
        for sql in db.connection.recordedSQL ?? [] where seen.insert(sql).inserted {
            let head = sql.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            guard head.hasPrefix("SELECT") || head.hasPrefix("WITH") else { continue }
            db.connection.recordedSQL = nil
            do {
                // Unbound values are NULL: the plan does not depend on them.
                let explain = try db.connection.prepare("EXPLAIN QUERY PLAN \(sql)")
                let nulls = [SQLBindable](repeating: SQLValue.null, count: explain.parameterCount)
                result.append((sql, try explain.rows(nulls) { $0.string(3) }))
            } catch {
                if case RepositoryError.failed(let d) = error { XCTFail("\(d.message)\n\(sql)") } else { XCTFail("\(error)\n\(sql)") }
            }
        }
        return result
    }

    /// The big tables under the names our SQL gives them.
    static let bigTables: Set<String> = ["contacts", "interactions", "deals", "follow_ups", "c", "i", "d", "ct", "f", "fu"]

    /// Asserts no plan line reads a big table whole (`SCAN x` without an index).
    func assertNoFullScan(_ plans: [(sql: String, plan: [String])], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for (sql, plan) in plans {
            for step in plan where step.hasPrefix("SCAN ") && !step.contains(" USING ") && !step.contains("VIRTUAL TABLE") {
                let table = step.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
                XCTAssertFalse(Self.bigTables.contains(table), "\(what): full scan \(step)\n\(plan.joined(separator: "\n"))\n\(sql)",
                               file: file, line: line)
            }
        }
    }

    /// Asserts that the plan of the statement that reads `table` uses `index`
    /// and sorts nothing.
    func assertReads(_ plans: [(sql: String, plan: [String])], _ index: String, sorted: Bool = false, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let (sql, plan) = plans.first(where: { $0.plan.contains { $0.contains(index) } }) else {
            XCTFail("\(what): no statement reads \(index)\n\(plans.map { $0.plan.joined(separator: "\n") }.joined(separator: "\n--\n"))",
                    file: file, line: line)
            return
        }
        if !sorted {
            XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE FOR ORDER BY") }, "\(what): sorts\n\(plan.joined(separator: "\n"))\n\(sql)",
                           file: file, line: line)
        }
        assertNoFullScan(plans, what, file: file, line: line)
    }

    var interactions: SQLiteInteractionRepository { db.interactions }

    // MARK: timeline

    func testTimelineSearchReadsTheFullTextIndexNewestFirst() throws {
        for text in ["a", "ca", "call", "meeting", "a b", "follow up"] {
            let p = try plans { _ = try interactions.timeline(.all(TimelineFilter(text: text)), before: nil, limit: 50) }
            assertReads(p, "VIRTUAL TABLE INDEX", text)
            XCTAssertTrue(p.contains { $0.plan.contains { $0.contains("SEARCH i USING INTEGER PRIMARY KEY") } }, text)
        }
    }

    func testTimelineSearchFindsWhatAScanFindsPageByPage() throws {
        let all = try interactions.timeline(.all(TimelineFilter()), before: nil, limit: 100_000)
        XCTAssertGreaterThan(all.count, 500)
        for text in ["a", "ca", "call", "meeting", "a b", "proposal sent", "qz"] {
            let words = SearchQuery(text).words.map { WordPrefixFunction.normalized(Substring($0)) }
            let expected = all.filter {
                $0.interaction.kind != .stageChange
                    && WordPrefixFunction.matches(words: words, in: [$0.interaction.subject, $0.interaction.body, $0.interaction.outcome])
            }.map(\.id)
            var found: [Int64] = []
            var cursor: TimelineCursor?
            while true {
                let page = try interactions.timeline(.all(TimelineFilter(text: text)), before: cursor, limit: 37)
                found += page.map(\.id)
                guard page.count == 37, let last = page.last else { break }
                cursor = last.cursor
            }
            XCTAssertEqual(found, expected, "\(text): the same rows, newest first, across pages")
        }
    }

    func testTimelineSearchWithOtherFiltersMatchesAScan() throws {
        let all = try interactions.timeline(.all(TimelineFilter()), before: nil, limit: 100_000)
        let contactID = try XCTUnwrap(all.first { $0.interaction.contactID != nil && $0.interaction.kind != .stageChange }?.interaction.contactID)
        let middle = all[all.count / 2].interaction.occurredAt
        let filters = [
            TimelineFilter(kinds: [.call], text: "a"),
            TimelineFilter(kinds: [.call, .note], text: "a"),
            TimelineFilter(from: middle, text: "a"),
            TimelineFilter(to: middle, text: "a"),
            TimelineFilter(text: "a", contactID: contactID),
        ]
        for filter in filters {
            let words = SearchQuery(filter.text).words
            let expected = all.filter { entry in
                let i = entry.interaction
                return i.kind != .stageChange
                    && (filter.kinds.isEmpty || filter.kinds.contains(i.kind))
                    && filter.from.map { i.occurredAt >= $0 } ?? true
                    && filter.to.map { i.occurredAt < $0 } ?? true
                    && filter.contactID.map { i.contactID == $0 } ?? true
                    && WordPrefixFunction.matches(words: words, in: [i.subject, i.body, i.outcome])
            }.map(\.id)
            XCTAssertEqual(try interactions.timeline(.all(filter), before: nil, limit: 100_000).map(\.id), expected, "\(filter)")
        }
        XCTAssertEqual(try interactions.timeline(.all(TimelineFilter(kinds: [.stageChange], text: "a")), before: nil, limit: 50), [],
                       "stage changes are not searched")
        let p = try plans { _ = try interactions.timeline(.all(TimelineFilter(text: "a", contactID: contactID)), before: nil, limit: 50) }
        assertReads(p, "interactions_by_contact", "a search in one contact's timeline walks its interactions")
    }

    func testTimelineKindFilterWalksTheKindIndex() throws {
        let all = try interactions.timeline(.all(TimelineFilter()), before: nil, limit: 100_000)
        for kinds: Set<InteractionKind> in [[.stageChange], [.call], [.call, .note, .stageChange]] {
            let p = try plans { _ = try interactions.timeline(.all(TimelineFilter(kinds: kinds)), before: nil, limit: 50) }
            // Several kinds: each kind's page from the index, the pages merged (sorted: at most kinds × page rows).
            assertReads(p, "interactions_by_kind_time", sorted: kinds.count > 1, "\(kinds)")
            let expected = all.filter { kinds.contains($0.interaction.kind) }.map(\.id)
            var found: [Int64] = []
            var cursor: TimelineCursor?
            while true {
                let page = try interactions.timeline(.all(TimelineFilter(kinds: kinds)), before: cursor, limit: 41)
                found += page.map(\.id)
                guard page.count == 41, let last = page.last else { break }
                cursor = last.cursor
            }
            XCTAssertEqual(found, expected, "\(kinds)")
        }
    }

    func testWholeTimelineWalksTheTimeIndex() throws {
        let first = try interactions.timeline(.all(TimelineFilter()), before: nil, limit: 50)
        let p = try plans { _ = try interactions.timeline(.all(TimelineFilter()), before: first.last?.cursor, limit: 50) }
        assertReads(p, "interactions_by_time", "the whole timeline")
    }

    func testTheSearchIndexFollowsAnEditOfTheTimeAndADeletion() throws {
        let contact = try db.contacts.create(Contact(name: "Zyx Tester"))
        var logged = try interactions.log(Interaction(contactID: contact.id, kind: .call, occurredAt: Date(timeIntervalSince1970: 1_000_000),
                                                      subject: "Quixotic wombat"))
        XCTAssertEqual(try interactions.timeline(.all(TimelineFilter(text: "quixotic")), before: nil, limit: 5).map(\.id), [logged.id])
        logged.occurredAt = Date(timeIntervalSince1970: 2_000_000)
        logged = try interactions.update(logged)
        let found = try interactions.timeline(.all(TimelineFilter(text: "quixo wom")), before: nil, limit: 5)
        XCTAssertEqual(found.map(\.id), [logged.id], "found once, at its new time")
        XCTAssertEqual(found.first?.interaction.occurredAt, logged.occurredAt)
        let later = TimelineCursor(occurredAt: Date(timeIntervalSince1970: 1_500_000), id: 1)
        XCTAssertEqual(try interactions.timeline(.all(TimelineFilter(text: "quixotic")), before: later, limit: 5), [],
                       "not at its old place")
        try db.connection.run("DELETE FROM interactions WHERE id = ?", [logged.id])
        XCTAssertEqual(try db.connection.scalar("SELECT count(*) FROM interaction_fts WHERE interaction_fts MATCH 'quixotic'"), 0,
                       "a deleted interaction takes its entry with it")
    }

    func testTimelineKeysOrderAsTheTimelineDoes() {
        let keys = [(-5_000_000_000, 9), (-1, 7), (0, 1), (0, 2), (1, 1), (1_700_000_000, 2_147_483_647), (9_000_000_000, 3)]
            .map { InteractionTimelineKey.key(seconds: Int64($0.0), id: Int64($0.1)) }
        XCTAssertEqual(keys, keys.sorted())
        XCTAssertEqual(Set(keys).count, keys.count)
        for (seconds, id) in [(-1, 7), (1_700_000_000, 42), (-4_294_967_296, 1)] {
            XCTAssertEqual(InteractionTimelineKey.key(seconds: Int64(seconds), id: Int64(id)) & InteractionTimelineKey.idMask, Int64(id))
        }
    }

    // MARK: deals

    func testWonAndLostListWalksItsIndex() throws {
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        for status: DealStatus? in [nil, .won, .lost] {
            let p = try plans { _ = try db.deals.closedDeals(pipelineID: pipeline.id, status: status, filter: DealFilter(), after: nil, limit: 50) }
            assertReads(p, "deals_closed_by_time", "closed deals \(String(describing: status))")
            let first = try db.deals.closedDeals(pipelineID: pipeline.id, status: status, filter: DealFilter(), after: nil, limit: 50)
            XCTAssertFalse(first.isEmpty)
            // The end of the list, read backwards along the same index (G).
            let q = try plans { _ = try db.deals.closedDeals(pipelineID: pipeline.id, status: status, filter: DealFilter(), before: nil, limit: 50) }
            assertReads(q, "deals_closed_by_time", "closed deals backwards \(String(describing: status))")
        }
    }

    /// The board's keys (schema 45): a deal moved to a stage (`L`) goes below
    /// that stage's last position, one step into deals_by_stage_position;
    /// the lost reasons of `x` are grouped from deals_lost_reasons alone,
    /// no deal row read, and come in the same order as before; the column
    /// totals, everyone's or one owner's (`o`), come from covering indexes.
    func testBoardKeysReadTheirIndexes() throws {
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        let card = try XCTUnwrap(try db.deals.cards(stageID: stages[0].id, filter: DealFilter(), after: nil, limit: 1).first)
        let p = try plans { _ = try db.deals.move(card.id, toStage: stages[1].id, expectedVersion: card.deal.version) }
        assertReads(p, "COVERING INDEX deals_by_stage_position (stage_id=?)", "a deal's new position")
        let last = try db.connection.first("SELECT max(position) FROM deals WHERE stage_id = ? AND id <> ?", [stages[1].id, card.id]) { $0.double(0) }
        XCTAssertEqual(try db.deals.get(card.id)?.position, (last ?? 0) + 1)

        let q = try plans { _ = try db.deals.lostReasons(limit: 12) }
        // Sorted by count: a few groups, after the index gave them in order.
        assertReads(q, "COVERING INDEX deals_lost_reasons (status=?)", sorted: true, "the lost reasons")
        XCTAssertFalse(q.contains { $0.plan.contains { $0.contains("TEMP B-TREE FOR GROUP BY") } }, "\(q)")
        let reasons = try db.deals.lostReasons(limit: 12)
        XCTAssertFalse(reasons.isEmpty)
        let counted = try db.connection.rows("""
            SELECT lost_reason FROM deals NOT INDEXED WHERE status = 'lost' AND deleted_at IS NULL AND lost_reason != ''
            GROUP BY lost_reason ORDER BY count(*) DESC, max(closed_at) DESC LIMIT 12
            """, []) { $0.string(0) }
        XCTAssertEqual(reasons, counted)

        // The column totals: kept per pipeline, owner, stage and currency
        // (schema 52), everyone's or one owner's one range of the table's key.
        let all = try plans { _ = try db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter()) }
        assertReads(all, "deal_board_totals USING PRIMARY KEY (pipeline_id=?)", sorted: true, "the column totals")
        let owner = try XCTUnwrap(card.deal.ownerID)
        let own = try plans { _ = try db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter(ownerID: owner)) }
        assertReads(own, "deal_board_totals USING PRIMARY KEY (pipeline_id=? AND owner_id=?)", sorted: true, "one owner's totals")
        // One owner's cards of a column (`o`, `m`), forward and back: one range of schema 52's index.
        let ownCards = try plans { _ = try db.deals.cards(stageID: stages[0].id, filter: DealFilter(ownerID: owner), after: nil, limit: 50) }
        assertReads(ownCards, "deals_board_owner_cards (stage_id=? AND owner_id=?)", "one owner's cards")
        let ownCardsBack = try plans {
            _ = try db.deals.cards(stageID: stages[0].id, filter: DealFilter(ownerID: owner), before: DealCursor(position: 1e9, id: 1), limit: 50)
        }
        assertReads(ownCardsBack, "deals_board_owner_cards (stage_id=? AND owner_id=? AND ", "one owner's cards, backwards")
        let mine = try db.deals.cards(stageID: stages[0].id, filter: DealFilter(ownerID: owner), after: nil, limit: 50)
        XCTAssertFalse(mine.isEmpty)
        XCTAssertEqual(mine.map(\.id), try db.connection.rows("""
            SELECT id FROM deals NOT INDEXED WHERE stage_id = ? AND owner_id = ? AND status = 'open' AND deleted_at IS NULL
            ORDER BY position, id LIMIT 50
            """, [stages[0].id, owner]) { $0.int64(0) })
        // A file read as it is at an older schema sums the deals from the covering indexes, as before.
        db.hasBoardTotals = false
        defer { db.hasBoardTotals = true }
        let summed = try plans { _ = try db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter()) }
        assertReads(summed, "COVERING INDEX deals_board_totals (pipeline_id=? AND status=?)", "the column totals, summed")
        let ownSummed = try plans { _ = try db.deals.stageTotals(pipelineID: pipeline.id, filter: DealFilter(ownerID: owner)) }
        assertReads(ownSummed, "COVERING INDEX deals_board_by_owner (pipeline_id=? AND status=? AND owner_id=?)", "one owner's totals, summed")
    }

    /// A board search reads one index of deals (`deal_card_fts`, schema 33),
    /// scoped to the column or the pipeline, and walks the column's index
    /// for its cards: no list of every matching contact or company.
    func testBoardSearchReadsTheDealCardIndexScopedToTheColumn() throws {
        let pipeline = try XCTUnwrap(try db.pipelines.pipelines().first)
        let stage = try XCTUnwrap(try db.pipelines.stages(pipelineID: pipeline.id).first)
        for text in ["a", "a b", "gmbh"] {
            let filter = DealFilter(text: text)
            let cards = try plans { _ = try db.deals.cards(stageID: stage.id, filter: filter, after: nil, limit: 20) }
            assertReads(cards, "deals_by_stage", "cards \(text)")
            let totals = try plans { _ = try db.deals.stageTotals(pipelineID: pipeline.id, filter: filter) }
            for p in cards + totals {
                XCTAssertFalse(p.sql.contains("contact_fts") || p.sql.contains("company_fts"), "\(text): \(p.sql)")
                if p.sql.contains("MATCH") {
                    XCTAssertTrue(p.plan.contains { $0.contains("deal_card_fts VIRTUAL TABLE") }, "\(text): \(p.plan)")
                }
            }
            assertNoFullScan(totals, "totals \(text)")
        }
        // The triggers rewrite a contact's deals, or a company's, through their indexes.
        for (column, index) in [("contact_id", "deals_by_contact"), ("company_id", "deals_by_company"), ("id", "INTEGER PRIMARY KEY")] {
            let plan = try db.connection.prepare("EXPLAIN QUERY PLAN SELECT * FROM deal_card_text WHERE \(column) = ?")
                .rows([SQLValue.null]) { $0.string(3) }
            XCTAssertTrue(plan.contains { $0.contains(index) }, "\(column): \(plan)")
            // Each contact's text looked up by id: never the whole view of contacts.
            XCTAssertFalse(plan.contains { $0.hasPrefix("SCAN") || $0.contains("MATERIALIZE") || $0.contains("AUTOMATIC") },
                           "\(column): \(plan)")
        }
        // The column's place travels with the match: only that stage's entries are read.
        XCTAssertEqual(SQLiteDealRepository.cardMatch("\"a\"*", place: "s3 AND open"),
                       "({title lost_reason} : (\"a\"*) OR {company_name company_domain company_notes} : (\"a\"*) "
                       + "OR {contact_name contact_company contact_emails contact_extra} : (\"a\"*)) AND place : (s3 AND open)")
    }

    // MARK: Today

    /// Today's header counts, stopped at a limit (the "1000+" of a section
    /// at a million contacts), walk the follow-up and attention indexes and
    /// never a whole table, for everyone and for one assignee.
    func testTodaysCappedCountsReadTheirIndexes() throws {
        let agenda = db.agenda
        let now = Date()
        let windows = [DueWindow(from: nil, to: now), DueWindow(from: now, to: now.addingTimeInterval(86_400))]
        let rules = Settings().cadenceRules
        for who in [nil, Int64(1)] {
            let p = try plans {
                _ = try agenda.agendaCounts(windows: windows, assigneeID: who, rules: rules, now: now, upTo: 1_001)
            }
            XCTAssertTrue(p.contains { $0.sql.contains("LIMIT ?") }, "the counts stop at the limit")
            assertReads(p, who == nil ? "follow_ups_by_due" : "follow_ups_by_assignee", "due counts, assignee \(String(describing: who))")
            assertReads(p, who == nil ? "contacts_attention_by_lifecycle" : "contacts_attention_by_owner_lifecycle",
                        "attention counts, owner \(String(describing: who))")
            // `*` reads ids and versions from the index alone (schema 57).
            let marks = try plans { _ = try agenda.dueIDs(from: nil, to: now, assigneeID: who) }
            let index = who == nil ? "follow_ups_by_due" : "follow_ups_by_assignee"
            assertReads(marks, index, "mark every row, assignee \(String(describing: who))")
            // The plan still says "USING INDEX" (deleted_at, implied by the
            // partial index, is not one of its columns), but with the version
            // in the index no column is read from the table: SQLite seeks a
            // row only for a column its index lacks.
            let columns = try db.connection.rows("SELECT name FROM pragma_index_info(?)", [index]) { $0.optionalString(0) }
            XCTAssertEqual(columns.last, "version", "\(index): \(columns)")
        }
    }

    // MARK: contacts

    func testContactListPagesAndCountsAlongTheSortIndex() throws {
        let repo = db.contacts
        for (sort, index) in [(ContactSort.name, "contacts_by_name"), (.lastInteraction, "contacts_by_last_interaction"), (.created, "contacts_by_created")] {
            let first = try repo.list(sort: sort, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 30)
            let cursor = try XCTUnwrap(first.last?.cursor(for: sort))
            let p = try plans {
                _ = try repo.list(sort: sort, filter: ContactFilter(), cursor: cursor, direction: .forward, limit: 30)
                _ = try repo.list(sort: sort, filter: ContactFilter(), cursor: cursor, direction: .backward, limit: 30)
            }
            // The page's ids come from the index in order; the outer query
            // sorts only that page's rows again (LIMIT of them) after its joins.
            assertReads(p, index, sorted: true, "\(sort) pages")
            let counts = try plans {
                _ = try repo.countBefore(sort: sort, filter: ContactFilter(), cursor: cursor, upTo: 10)
                _ = try repo.count(filter: ContactFilter(), upTo: 10)
            }
            assertNoFullScan(counts, "\(sort) counts")
            XCTAssertEqual(try repo.countBefore(sort: sort, filter: ContactFilter(), cursor: cursor, upTo: 10), ListCount(10, isExact: false))
            XCTAssertEqual(try repo.countBefore(sort: sort, filter: ContactFilter(), cursor: cursor, upTo: 100), ListCount(29))
            XCTAssertEqual(try repo.count(filter: ContactFilter(), upTo: 10), ListCount(10, isExact: false))
        }
        for filter in [ContactFilter(ownerID: 1), ContactFilter(lifecycle: .customer)] {
            let p = try plans { _ = try repo.list(sort: .name, filter: filter, cursor: nil, direction: .forward, limit: 30) }
            assertNoFullScan(p, "\(filter)")
        }
    }
}
