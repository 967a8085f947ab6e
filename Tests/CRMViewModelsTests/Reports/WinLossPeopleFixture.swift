import CRMCore
import CRMRepositories
import CRMStore
import Foundation

/// A small team written for the "Won and lost" and "People" pages: three
/// users (sara, omid, lena), twelve deals, twenty follow-ups, a dozen
/// interactions and contacts with known cadences and lifecycle changes, all
/// made through the repositories on a hand-moved clock. The period is
/// November 2026 (UTC, weeks from Monday); "now" is 30 Nov 18:00. The
/// figures each test expects are worked out by hand in its comments.
final class WinLossPeopleFixture {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-reports-\(UUID().uuidString)")
    let clock = ManualClock(WinLossPeopleFixture.t("2026-09-01 12:00"))
    let db: Database
    var settings = Settings()
    let sara: User, omid: User, lena: User
    var pipeline: Pipeline!
    var stages: [Stage] = []
    var company: Company!
    /// The deals by name: D1 … D12.
    var deal: [String: Deal] = [:]
    var followUp: [String: FollowUp] = [:]
    var contact: [String: Contact] = [:]

    static let now = t("2026-11-30 18:00")

    static func t(_ text: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    var filter: ReportFilter {
        ReportFilter(start: Self.t("2026-11-01 00:00"), end: Self.t("2026-12-01 00:00"), now: Self.now)
    }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: "sara", clock: clock)
        sara = db.currentUser
        omid = try db.users.findOrCreate(login: "omid")
        lena = try db.users.findOrCreate(login: "lena")
        settings.timeZone = TimeZone(identifier: "UTC")
        settings.firstWeekday = 2
        settings.currency = "EUR"
        settings.lifecycleCadence = [.customer: 7]
        settings.tagCadence = ["vip": 3]
        pipeline = try db.pipelines.createPipeline("Sales", stages: ["Lead", "Qualified", "Proposal"].enumerated().map {
            Stage(pipelineID: 0, name: $0.element, position: $0.offset, probability: [10, 30, 60][$0.offset])
        })
        stages = try db.pipelines.stages(pipelineID: pipeline.id)
        company = try db.companies.create(Company(name: "Acme"))
        try makeDeals()
        try makeFollowUps()
        try makeInteractions()
        try makeContacts()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func at(_ text: String) { clock.now = Self.t(text) }

    // MARK: deals

    /// name, owner, currency, value (major units), created, closed, outcome, lost reason
    func makeDeals() throws {
        let rows: [(String, User, Currency, Int64, String, String?, DealStatus, String)] = [
            ("D1", sara, .eur, 1000, "2026-10-02 12:00", "2026-11-03 12:00", .won, ""),   // 32 days
            ("D2", sara, .eur, 2000, "2026-10-20 12:00", "2026-11-10 12:00", .won, ""),   // 21 days
            ("D3", sara, .eur, 500, "2026-11-01 12:00", "2026-11-12 12:00", .lost, "Price"),
            ("D4", omid, .eur, 3000, "2026-09-01 12:00", "2026-11-17 12:00", .won, ""),   // 77 days
            ("D5", omid, .usd, 4000, "2026-10-27 12:00", "2026-11-24 12:00", .won, ""),   // 28 days
            ("D6", omid, .usd, 1500, "2026-11-02 12:00", "2026-11-20 12:00", .lost, "Price"),
            ("D7", lena, .eur, 800, "2026-11-05 12:00", "2026-11-06 12:00", .lost, "Timing"),
            ("D8", lena, .eur, 1200, "2026-10-01 12:00", "2026-10-30 12:00", .won, ""),   // before the period
            ("D9", sara, .eur, 700, "2026-11-10 12:00", nil, .open, ""),
            ("D10", omid, .usd, 900, "2026-11-11 12:00", nil, .open, ""),
            ("D11", lena, .eur, 400, "2026-11-12 12:00", nil, .open, ""),
            ("D12", sara, .eur, 600, "2026-11-03 10:00", "2026-11-30 10:00", .lost, "Competitor"),
        ]
        for (name, owner, currency, major, created, closed, status, reason) in rows {
            at(created)
            var d = try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[1].id, title: name,
                                             value: Money(minorUnits: major * 100, currency: currency), ownerID: owner.id))
            if let closed {
                at(closed)
                d = try db.deals.close(d.id, as: status, reason: reason, expectedVersion: d.version)
            }
            deal[name] = d
        }
    }

    // MARK: follow-ups

    /// name, assignee, due, done (nil: open), cancelled / deleted
    func makeFollowUps() throws {
        enum End { case open, done(String), cancelled, deleted }
        let rows: [(String, User, String, End)] = [
            ("F1", sara, "2026-11-02 09:00", .done("2026-11-02 08:00")),  // on time
            ("F2", sara, "2026-11-03 09:00", .done("2026-11-03 09:00")),  // on time (at the due minute)
            ("F3", sara, "2026-11-04 09:00", .done("2026-11-06 09:00")),  // late
            ("F4", sara, "2026-11-10 09:00", .open),                      // overdue
            ("F5", sara, "2026-11-20 09:00", .open),                      // overdue
            ("F6", sara, "2026-11-30 20:00", .open),                      // due after now: not yet late
            ("F7", sara, "2026-11-12 09:00", .cancelled),                 // left out
            ("F8", sara, "2026-10-28 09:00", .open),                      // before the period
            ("F9", omid, "2026-11-05 09:00", .done("2026-11-04 15:00")),  // on time
            ("F10", omid, "2026-11-06 09:00", .done("2026-11-06 08:00")), // on time
            ("F11", omid, "2026-11-07 09:00", .done("2026-11-09 09:00")), // late
            ("F12", omid, "2026-11-08 09:00", .done("2026-11-08 10:00")), // late
            ("F13", omid, "2026-11-15 09:00", .open),                     // overdue
            ("F14", omid, "2026-12-02 09:00", .open),                     // after the period
            ("F15", omid, "2026-11-16 09:00", .deleted),                  // in the trash
            ("F16", lena, "2026-11-01 00:00", .done("2026-10-31 17:00")), // on time, due at the period's first second
            ("F17", lena, "2026-11-18 09:00", .done("2026-11-18 09:00")), // on time
            ("F18", lena, "2026-11-19 09:00", .done("2026-11-25 11:00")), // late
            ("F19", lena, "2026-11-29 09:00", .open),                     // overdue
            ("F20", lena, "2026-12-01 00:00", .open),                     // the period's end is not in it
        ]
        at("2026-10-01 08:00")
        for (name, user, due, end) in rows {
            var f = FollowUp(dealID: deal["D9"]!.id, assigneeID: user.id, title: name, dueAt: Self.t(due))
            switch end {
            case .open, .deleted: break
            case .done(let when): f.status = .done; f.doneAt = Self.t(when)
            case .cancelled: f.status = .cancelled; f.cancelReason = "not needed"
            }
            let made = try db.followUps.create(f)
            if case .deleted = end { try db.followUps.delete(made.id) }
            followUp[name] = made
        }
    }

    // MARK: interactions

    func makeInteractions() throws {
        func log(_ kind: InteractionKind, _ user: User, _ when: String, contact: String? = nil) throws -> Interaction {
            try db.interactions.log(Interaction(contactID: contact.map { self.contact[$0]!.id }, companyID: contact == nil ? company.id : nil,
                                                kind: kind, occurredAt: Self.t(when), body: "Talked about the order", authorID: user.id))
        }
        at("2026-11-01 08:00")
        // sara: 3 calls, 2 emails, 1 meeting, 1 message in November.
        _ = try log(.call, sara, "2026-11-02 10:00")
        _ = try log(.call, sara, "2026-11-05 10:00")
        _ = try log(.email, sara, "2026-11-07 10:00")
        _ = try log(.email, sara, "2026-11-08 10:00")
        _ = try log(.meeting, sara, "2026-11-09 10:00")
        _ = try log(.message, sara, "2026-11-11 10:00")
        _ = try log(.call, sara, "2026-10-31 23:59")                       // before the period
        let deleted = try log(.call, sara, "2026-11-12 10:00")
        try db.interactions.delete(deleted.id)                             // in the trash
        // omid: 4 notes (and the call on C7 below).
        for day in 3...6 { _ = try log(.note, omid, "2026-11-0\(day) 10:00") }
    }

    // MARK: contacts

    /// Customers for stay-in-touch (now is 30 Nov 18:00; cadence: customers
    /// 7 days, #vip 3 days, or the contact's own) and lifecycle changes for
    /// conversion.
    func makeContacts() throws {
        func make(_ name: String, _ owner: User, _ lifecycle: Lifecycle, created: String, tags: [String] = [],
                  changes: [(Lifecycle, String)] = [], ownCadence: Int? = nil, snoozedUntil: String? = nil) throws {
            at(created)
            var c = try db.contacts.create(Contact(name: name, tags: tags, ownerID: owner.id, lifecycle: lifecycle))
            for (to, when) in changes {
                at(when)
                c.lifecycle = to
                c = try db.contacts.update(c)
            }
            if ownCadence != nil || snoozedUntil != nil {
                let a = try db.agenda.attention(contactID: c.id)!
                _ = try db.agenda.setAttention(ContactAttention(contactID: c.id, cadenceDays: ownCadence,
                                                                snoozedUntil: snoozedUntil.map(Self.t), version: a.version))
                c = try db.contacts.get(c.id)!
            }
            contact[name] = c
        }
        // sara
        try make("C1", sara, .lead, created: "2026-11-26 12:00",
                 changes: [(.prospect, "2026-11-27 12:00"), (.customer, "2026-11-28 12:00")]) // converted; touched 4.25 d ago: in touch
        try make("C2", sara, .customer, created: "2026-10-01 12:00")                        // called 20 Nov: 10.25 d: not in touch
        try make("C3", sara, .former, created: "2026-11-26 12:00", tags: ["VIP"],
                 changes: [(.customer, "2026-11-26 13:00")])                               // win-back, no conversion; vip 3 d < 4.25 d: not in touch
        try make("C4", sara, .lead, created: "2026-10-01 12:00", changes: [(.customer, "2026-10-15 12:00")],
                 ownCadence: 90)                                                            // converted before the period; own 90 d: in touch
        try make("C5", sara, .customer, created: "2026-11-27 12:00")                        // 3.25 d: in touch
        try make("C6", sara, .prospect, created: "2026-09-01 12:00")                        // still a lead
        try make("L2", sara, .lead, created: "2026-10-01 12:00", changes: [(.former, "2026-11-15 12:00")]) // given up
        try make("L3", sara, .lead, created: "2026-10-01 12:00")                            // still a lead
        try make("L4", sara, .prospect, created: "2026-10-01 12:00")                        // still a lead
        // omid
        try make("C7", omid, .lead, created: "2026-11-02 12:00", changes: [(.customer, "2026-11-29 09:00")]) // converted; called 29 Nov
        try make("C8", omid, .customer, created: "2026-11-28 12:00", ownCadence: 1,
                 snoozedUntil: "2026-12-05 00:00")                                         // own 1 d < 2.25 d: not in touch, snoozed or not
        try make("C9", omid, .customer, created: "2026-09-01 12:00")                        // deleted below
        try make("O1", omid, .lead, created: "2026-11-01 12:00", changes: [(.customer, "2026-11-04 12:00")]) // deleted below
        try make("O2", omid, .lead, created: "2026-10-01 12:00")                            // still a lead
        try make("O3", omid, .lead, created: "2026-11-29 12:00",
                 changes: [(.customer, "2026-11-29 13:00"), (.lead, "2026-11-29 14:00"), (.customer, "2026-11-29 15:00")]) // converted once; in touch
        at("2026-11-30 12:00")
        try db.contacts.delete(contact["C9"]!.id)
        try db.contacts.delete(contact["O1"]!.id)
        _ = try db.interactions.log(Interaction(contactID: contact["C2"]!.id, kind: .call, occurredAt: Self.t("2026-11-20 12:00"), body: "Called",
                                                authorID: sara.id))
        _ = try db.interactions.log(Interaction(contactID: contact["C7"]!.id, kind: .call, occurredAt: Self.t("2026-11-29 10:00"), body: "Called",
                                                authorID: omid.id))
    }
}
