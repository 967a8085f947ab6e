import CRMRepositories
import CRMStore
import CRMCore
import Foundation

/// The state of one demo load; DemoData.generate is the entry point.
public struct DemoGenerator {
    let loader: BulkLoader
    var rng: DemoRandom
    let today: Date
    var summary = DemoSummary()
    var userIDs: [Int64] = []
    var companies: [(id: Int64, name: String, domain: String)] = []
    var pipelines: [(pipeline: Pipeline, open: [Stage])] = []
    var nextPosition: [Int64: Double] = [:]
    let day: TimeInterval = 86_400

    /// The seed, for the streams drawn apart from `rng` (lifecycle history).
    let seed: UInt64

    public init(loader: BulkLoader, seed: UInt64, today: Date) {
        self.loader = loader
        self.seed = seed
        self.rng = DemoRandom(seed: seed)
        self.today = today
    }

    mutating func run(contacts n: Int) throws -> DemoSummary {
        let start = today.addingTimeInterval(-800 * day)
        for user in DemoData.users {
            userIDs.append(try loader.user(login: user.login, name: user.name, createdAt: start))
        }
        summary.users = userIDs.count
        try makePipelines(createdAt: start)
        for _ in 0..<max(3, n / 10) { try makeCompany(createdAt: start) }
        for _ in 0..<n { try makeContact() }
        return summary
    }

    /// `count` more interactions spread over existing contacts (for the bulk
    /// insert benchmark); the demo users must exist.
    public mutating func addInteractions(_ count: Int, contactIDs: ClosedRange<Int64>) throws {
        if userIDs.isEmpty {
            for user in DemoData.users { userIDs.append(try loader.user(login: user.login, name: user.name, createdAt: today)) }
        }
        for _ in 0..<count {
            let contact = contactIDs.lowerBound + Int64(rng.int(0..<contactIDs.count))
            try makeInteraction(contactID: contact, companyID: nil, dealID: nil, owner: rng.pick(userIDs),
                                at: pastTime(maxDays: 730))
        }
    }

    // MARK: pipelines and companies

    mutating func makePipelines(createdAt: Date) throws {
        let specs: [(String, [(String, Int, Int?)])] = [
            ("Sales", [("Lead in", 10, 14), ("Qualified", 25, 21), ("Proposal", 50, 14), ("Negotiation", 75, 10)]),
            ("Renewals", [("Upcoming", 60, 30), ("In talks", 80, 14)]),
        ]
        for (position, (name, openStages)) in specs.enumerated() {
            var stages = openStages.enumerated().map { i, s in
                Stage(pipelineID: 0, name: s.0, position: i, probability: s.1, kind: .open, rotDays: s.2)
            }
            stages.append(Stage(pipelineID: 0, name: "Won", position: stages.count, probability: 100, kind: .won))
            stages.append(Stage(pipelineID: 0, name: "Lost", position: stages.count, probability: 0, kind: .lost))
            // Appending to a demo database reuses its pipelines rather than doubling them.
            let (pipeline, saved) = try loader.pipeline(named: name, stageNames: stages.map(\.name))
                ?? loader.insert(Pipeline(name: name, position: position), stages: stages, createdAt: createdAt)
            pipelines.append((pipeline, saved.filter { $0.kind == .open }))
        }
    }

    mutating func makeCompany(createdAt: Date) throws {
        let stem = rng.pick(DemoWords.companyStems)
        let trade = rng.pick(DemoWords.companyTrades)
        let form = rng.pick(DemoWords.companyForms)
        let culture = DemoWords.cultures[rng.weighted(DemoWords.cultures.map(\.weight))]
        var name = form.isEmpty ? "\(stem) \(trade)" : "\(stem) \(trade) \(form)"
        let count = companies.count
        // Names repeat once the combinations run out; a number keeps them apart.
        if count >= 2000 { name += " \(count / 2000 + 1)" }
        let domain = "\(Self.slug(stem))-\(Self.slug(trade))\(count >= 2000 ? String(count / 2000 + 1) : "").\(culture.tld)"
        let company = Company(name: name, domain: domain, phone: rng.digits(rng.pick(culture.phoneFormats)),
                              ownerID: rng.pick(userIDs), createdAt: createdAt.addingTimeInterval(Double(rng.int(0..<60)) * day),
                              updatedAt: createdAt.addingTimeInterval(Double(rng.int(60..<90)) * day))
        companies.append((try loader.insert(company), name, domain))
        summary.companies += 1
    }

    /// Lower-case ASCII letters and digits only: "Lumière" → "lumiere".
    static func slug(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    // MARK: contacts

    mutating func makeContact() throws {
        let culture = DemoWords.cultures[rng.weighted(DemoWords.cultures.map(\.weight))]
        let given = rng.pick(culture.given)
        let family = rng.pick(culture.family)
        let name = culture.familyFirst ? family.text + culture.separator + given.text : given.text + culture.separator + family.text
        let company = rng.chance(0.85) ? rng.pick(companies) : nil
        let owner = rng.pick(userIDs)

        var emails: [EmailAddress] = []
        if let company { emails.append(EmailAddress("\(given.ascii).\(family.ascii)@\(company.domain)", label: "work")) }
        if company == nil || rng.chance(0.3) {
            let local = rng.chance(0.5) ? "\(given.ascii.prefix(1)).\(family.ascii)" : "\(family.ascii)\(given.ascii)\(rng.int(1..<100))"
            emails.append(EmailAddress("\(local)@\(rng.pick(DemoWords.freeMailDomains))", label: "home"))
        }
        var phones = [PhoneNumber(rng.digits(rng.pick(culture.phoneFormats)), label: "work")]
        if rng.chance(0.35) {
            let other = rng.chance(0.7) ? culture : rng.pick(DemoWords.cultures)
            phones.append(PhoneNumber(rng.digits(rng.pick(other.phoneFormats)), label: "mobile"))
        }

        // Interaction times first: the contact was created before the first one.
        let count = rng.int(5...15)
        var times: [Date] = (0..<count).map { _ in self.pastTime(maxDays: 730) }
        times.sort()
        let createdAt = times[0].addingTimeInterval(-Double(rng.int(1...60)) * day)

        let lifecycle: Lifecycle = [.lead, .prospect, .customer, .former][rng.weighted([30, 25, 35, 10])]
        let contact = Contact(name: name, title: rng.pick(DemoWords.titles), companyID: company?.id, emails: emails,
                              phones: phones, tags: rng.sample(DemoWords.tags, rng.weighted([45, 30, 17, 8])),
                              ownerID: owner, lifecycle: lifecycle, source: rng.pick(DemoWords.sources),
                              notes: rng.chance(0.2) ? sentence() : "", createdAt: createdAt,
                              updatedAt: createdAt.addingTimeInterval(Double(rng.int(0..<30)) * day))
        let contactID = try loader.insert(contact, lastInteractionAt: times.last)
        summary.contacts += 1
        try makeLifecycleHistory(contactID: contactID, lifecycle: lifecycle, createdAt: createdAt, owner: owner)

        // A deal's timeline starts when the deal was created: only later
        // interactions and follow-ups are about it.
        var deal: (id: Int64, createdAt: Date)?
        if rng.chance(0.3) {
            deal = try makeDeal(contactID: contactID, companyID: company?.id, label: company?.name ?? family.text,
                                owner: owner, after: createdAt)
        }
        for time in times {
            try makeInteraction(contactID: contactID, companyID: company?.id,
                                dealID: deal.flatMap { rng.chance(0.3) && time >= $0.createdAt ? $0.id : nil }, owner: owner, at: time)
        }
        if rng.chance(0.5) {
            try makeFollowUp(contactID: contactID, deal: deal.flatMap { rng.chance(0.4) ? $0 : nil }, owner: owner)
        }
    }

    /// How the contact reached its lifecycle (lead → prospect → customer →
    /// former), at times between its creation and yesterday, so the reports'
    /// conversion, retention and lifespan have something to show (QA 31 #6).
    /// A customer created as one (a third of them) has no history. Drawn
    /// from a stream of its own per contact, so the rest of the demo data
    /// for a seed stays what it was.
    mutating func makeLifecycleHistory(contactID: Int64, lifecycle: Lifecycle, createdAt: Date, owner: Int64) throws {
        let ladder: [Lifecycle] = [.lead, .prospect, .customer, .former]
        guard let reached = ladder.firstIndex(of: lifecycle), reached > 0 else { return }
        var own = DemoRandom(seed: seed &+ UInt64(bitPattern: contactID) &* 0x2545_F491_4F6C_DD1D)
        let first = lifecycle == .customer && own.chance(1.0 / 3) ? reached + 1 : 1
        guard first <= reached else { return }
        let from = createdAt.timeIntervalSince1970, to = today.timeIntervalSince1970 - day
        guard to > from else { return }
        // Each step in a band of the contact's life so far: a former customer
        // stayed one for most of it (the measured lifespan is longer than a
        // current customer's time so far, as in a business that keeps its
        // customers), a current one became one any time after it was a prospect.
        let bands: [ClosedRange<Double>] = switch lifecycle {
        case .former: [0 ... 0.1, 0.1 ... 0.3, 0.7 ... 1]
        case .customer: [0 ... 0.3, 0.3 ... 1]
        default: [0 ... 1]
        }
        for step in first ... reached {
            let band = bands[step - 1]
            let share = band.lowerBound + Double(own.int(0 ..< 1_000_000)) / 1_000_000 * (band.upperBound - band.lowerBound)
            try loader.insertLifecycleChange(contactID: contactID, from: ladder[step - 1], to: ladder[step],
                                             at: Date(timeIntervalSince1970: (from + share * (to - from)).rounded(.down)), by: owner)
        }
    }

    /// A working-hours time 1...maxDays days before today.
    mutating func pastTime(maxDays: Int) -> Date {
        today.addingTimeInterval(-Double(rng.int(1...maxDays)) * day + Double(rng.int(7 * 3600..<18 * 3600)))
    }

    mutating func sentence() -> String {
        rng.pick(DemoWords.sentenceTemplates).fill(rng.pick(DemoWords.topics))
    }

    mutating func paragraph(_ lines: ClosedRange<Int>) -> String {
        (0..<rng.int(lines)).map { _ in sentence() }.joined(separator: "\n")
    }

    // MARK: deals

    /// A deal the way the app leaves it: moved forward through open stages
    /// (a history row and a timeline entry per move); a won or lost deal stays
    /// in the last open stage it reached ("won from Proposal"), with its
    /// status, closed_at, lost reason and a "won (in …)" timeline entry, as
    /// `w`/`x` (SQLiteDealRepository.close) write them. The pipeline's Won
    /// and Lost stages are only for deals moved there by hand.
    mutating func makeDeal(contactID: Int64, companyID: Int64?, label: String, owner: Int64,
                           after: Date) throws -> (id: Int64, createdAt: Date) {
        let p = pipelines[rng.weighted([75, 25])]
        let outcome = rng.weighted([60, 22, 18]) // open, won, lost
        let status: DealStatus = [.open, .won, .lost][outcome]
        let reached = rng.int(0..<p.open.count)
        let path = Array(p.open[0...reached])

        let earliest = max(after.timeIntervalSince1970, today.addingTimeInterval(-700 * day).timeIntervalSince1970)
        let createdAt = Date(timeIntervalSince1970: Double(rng.int(Int(earliest)...Int(today.timeIntervalSince1970 - 20 * day))))
        let span = today.timeIntervalSince(createdAt) - day
        // The moves, and closing, share the time up to yesterday.
        let gap = span / Double(path.count + (status == .open ? 1 : 2))
        var history: [StageChange] = []
        var time = createdAt
        for (i, stage) in path.enumerated() {
            if i > 0 { time = time.addingTimeInterval(Double(rng.int(Int(gap / 3)...Int(gap)))) }
            history.append(StageChange(dealID: 0, fromStageID: i == 0 ? nil : path[i - 1].id, toStageID: stage.id,
                                       changedAt: time, changedBy: rng.chance(0.85) ? owner : rng.pick(userIDs)))
        }
        let final = path[path.count - 1]
        let enteredAt = time
        var closedAt: Date?
        if status != .open {
            time = time.addingTimeInterval(Double(rng.int(Int(gap / 3)...Int(gap))))
            closedAt = time
        }
        let lostReason = status == .lost ? rng.pick(DemoWords.lostReasons) : ""
        let closedBy = rng.chance(0.85) ? owner : rng.pick(userIDs)
        let currency = [Currency.eur, Currency.usd, Currency("GBP")!][rng.weighted([80, 12, 8])]
        let position = (nextPosition[final.id] ?? 0) + 1
        nextPosition[final.id] = position
        let title = "\(label) – \(rng.pick(DemoWords.dealNouns))"
        let deal = Deal(pipelineID: p.pipeline.id, stageID: final.id, title: title,
                        value: Money(minorUnits: Int64(rng.int(5...500)) * 10_000, currency: currency),
                        expectedClose: closedAt ?? today.addingTimeInterval(Double(rng.int(-10...90)) * day),
                        ownerID: owner, contactID: contactID, companyID: companyID, status: status,
                        lostReason: lostReason, stageEnteredAt: enteredAt,
                        position: position, createdAt: createdAt, updatedAt: time, closedAt: closedAt)
        let id = try loader.insert(deal, history: history)
        summary.deals += 1
        // Each move shows in the timelines, as SQLiteDealRepository.move writes it.
        for (i, change) in history.enumerated() where i > 0 {
            try loader.insert(Interaction(contactID: contactID, companyID: companyID, dealID: id, kind: .stageChange,
                                          occurredAt: change.changedAt, subject: "\(title): \(path[i - 1].name) → \(path[i].name)",
                                          authorID: change.changedBy, createdAt: change.changedAt))
            summary.stageMoves += 1
        }
        // …and so does closing, as SQLiteDealRepository.close writes it.
        if let closedAt {
            let subject = status == .won ? "\(title): won (in \(final.name))" : "\(title): lost (in \(final.name)) — \(lostReason)"
            try loader.insert(Interaction(contactID: contactID, companyID: companyID, dealID: id, kind: .stageChange,
                                          occurredAt: closedAt, subject: subject, authorID: closedBy, createdAt: closedAt))
            summary.stageMoves += 1
        }
        return (id, createdAt)
    }

    // MARK: interactions and follow-ups

    mutating func makeInteraction(contactID: Int64, companyID: Int64?, dealID: Int64?, owner: Int64, at time: Date) throws {
        try loader.insert(interaction(contactID: contactID, companyID: companyID, dealID: dealID, owner: owner, at: time))
        summary.interactions += 1
    }

    /// `count` interactions spread over `contactIDs`, by `userIDs`, made as
    /// `addInteractions` makes them but not written: the bulk-write bench
    /// writes the same rows through BulkLoader and through the sqlite3 shell.
    public mutating func interactions(_ count: Int, contactIDs: ClosedRange<Int64>, userIDs: [Int64]) -> [Interaction] {
        self.userIDs = userIDs
        return (0..<count).map { _ in
            let contact = contactIDs.lowerBound + Int64(rng.int(0..<contactIDs.count))
            return interaction(contactID: contact, companyID: nil, dealID: nil, owner: rng.pick(userIDs), at: pastTime(maxDays: 730))
        }
    }

    /// One interaction of a random kind, with the text its kind has.
    mutating func interaction(contactID: Int64, companyID: Int64?, dealID: Int64?, owner: Int64, at time: Date) -> Interaction {
        let kind: InteractionKind = [.call, .email, .meeting, .note, .message][rng.weighted([30, 30, 10, 20, 10])]
        let topic = rng.pick(DemoWords.topics)
        var i = Interaction(contactID: contactID, companyID: companyID, dealID: dealID, kind: kind, occurredAt: time,
                            authorID: rng.chance(0.8) ? owner : rng.pick(userIDs), createdAt: time)
        switch kind {
        case .call:
            i.direction = rng.chance(0.6) ? .outbound : .inbound
            i.durationSeconds = rng.int(20...1800)
            i.outcome = rng.pick(DemoWords.callOutcomes)
            i.subject = "Call about \(topic)"
            i.body = paragraph(0...1)
        case .email:
            i.direction = rng.chance(0.5) ? .outbound : .inbound
            i.subject = rng.pick(DemoWords.subjectTemplates).fill(topic)
            i.body = paragraph(1...3)
        case .meeting:
            i.durationSeconds = rng.pick([1800, 2700, 3600, 5400, 7200])
            i.subject = "Meeting: \(topic)"
            i.outcome = rng.pick(["Next steps agreed", "Needs follow-up", "Demo given", ""])
            i.body = paragraph(1...4)
        case .note:
            i.body = paragraph(1...2)
        case .message:
            i.direction = rng.chance(0.5) ? .outbound : .inbound
            i.body = sentence()
        case .stageChange:
            break
        }
        return i
    }

    /// A follow-up about `deal` (if any) is created after the deal.
    mutating func makeFollowUp(contactID: Int64, deal: (id: Int64, createdAt: Date)?, owner: Int64) throws {
        let assignee = rng.chance(0.7) ? owner : rng.pick(userIDs)
        let hour = Double(rng.int(8...17)) * 3600
        var status = FollowUpStatus.open
        var doneAt: Date?
        let due: Date
        switch rng.weighted([25, 15, 40, 20]) {
        case 0: due = today.addingTimeInterval(-Double(rng.int(1...30)) * day + hour) // overdue
        case 1: due = today.addingTimeInterval(hour) // today
        case 2: due = today.addingTimeInterval(Double(rng.int(1...60)) * day + hour) // upcoming
        default: // done
            due = today.addingTimeInterval(-Double(rng.int(1...120)) * day + hour)
            status = .done
            doneAt = due.addingTimeInterval(Double(rng.int(-3600...7200)))
        }
        let title = rng.pick(DemoWords.followUpTemplates).fill(rng.pick(DemoWords.topics))
        var created = min(due, today).addingTimeInterval(-Double(rng.int(1...20)) * day)
        // Due before the deal existed: not about the deal.
        let dealID = deal.flatMap { due > $0.createdAt ? $0.id : nil }
        if let deal, dealID != nil { created = max(created, deal.createdAt) }
        try loader.insert(FollowUp(contactID: contactID, dealID: dealID, assigneeID: assignee, title: title,
                                   note: rng.chance(0.3) ? sentence() : "", dueAt: due, status: status, doneAt: doneAt,
                                   createdAt: created), createdBy: owner)
        summary.followUps += 1
    }
}
