import CRMCore
import CRMExchange
import CRMRepositories
import Foundation
import XCTest

/// A small book of every kind of record, written through the seam alone
/// (`any CRMRepositories`), so the same calls give the same rows on either
/// engine: names in several scripts, text that CSV must quote, several
/// emails and phones, tags in both cases, closed deals, a cancelled and a
/// done follow-up, and one trashed record of each kind, which no export may
/// show. `ExportAcrossEnginesTests` writes it on both engines and compares
/// what `crm export` writes from each, byte for byte.
struct ExportBook {
    let fixture: EngineFixture
    let sara: EngineSession
    let omid: EngineSession
    var now: Date { fixture.clock.now }
    func days(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }

    /// What was written, by name, for checks that look for one record.
    struct Written {
        var contacts: [String: Int64] = [:]
        var companies: [String: Int64] = [:]
        var deals: [String: Int64] = [:]
        var followUps: [String: Int64] = [:]
        var interactions: [String: Int64] = [:]
    }

    init(fixture: EngineFixture) throws {
        self.fixture = fixture
        sara = try fixture.open("sara")
        omid = try fixture.open("omid")
    }

    /// Each step a minute after the last, so times differ and show in the files.
    private func tick() { fixture.clock.advance(by: 60) }

    func write() throws -> Written {
        let r = sara.repositories
        var w = Written()
        tick()
        let acme = try r.companyRepository.create(Company(
            name: "Acme GmbH", domain: "acme.de", phone: "+49 30 1234567", address: "Hauptstraße 1\n10115 Berlin",
            notes: "Key account, \"strategic\"; pays late"))
        w.companies["acme"] = acme.id
        tick()
        w.companies["unal"] = try r.companyRepository.create(Company(name: "Ünal & Söhne", ownerID: omid.userID)).id
        let gone = try r.companyRepository.create(Company(name: "Gone Corp"))
        w.companies["gone"] = gone.id
        tick()
        let ada = try r.contactRepository.create(Contact(
            name: "Ada Lovelace", title: "CTO", companyID: acme.id,
            emails: [EmailAddress("ada@acme.de", label: "work"), EmailAddress("ada@home.example", label: "home")],
            phones: [PhoneNumber("+49 30 1234567", label: "office"), PhoneNumber("0170 5555555", label: "mobile")],
            tags: ["vip", "Berlin", "älter", "alpha"], lifecycle: .customer, source: "fair 2025",
            notes: "First line\nsecond line, with a comma"))
        w.contacts["ada"] = ada.id
        tick()
        w.contacts["maria"] = try r.contactRepository.create(Contact(
            name: "Мария Иванова", emails: [EmailAddress("maria@example.ru")], tags: ["Berlin"], lifecycle: .prospect)).id
        // Five addresses on a contact that goes to the trash: the CSV still
        // has columns for the most a live contact has (three).
        let tom = try r.contactRepository.create(Contact(
            name: "Trashed Tom", emails: (1...5).map { EmailAddress("tom\($0)@example.com") }, tags: ["vip"]))
        w.contacts["tom"] = tom.id
        tick()
        w.contacts["reza"] = try r.contactRepository.create(Contact(
            name: "محمد رضایی", companyID: w.companies["unal"],
            emails: (1...3).map { EmailAddress("reza\($0)@example.ir", label: $0 == 1 ? "work" : "") },
            phones: [PhoneNumber("+98 21 8888 7777")], ownerID: omid.userID, lifecycle: .lead, source: "web")).id
        w.contacts["wei"] = try r.contactRepository.create(Contact(name: "王伟", title: "采购经理", companyID: acme.id)).id

        let sales = try r.pipelineRepository.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Lead", position: 0, probability: 10),
            Stage(pipelineID: 0, name: "Offer", position: 1, probability: 60),
            Stage(pipelineID: 0, name: "Won", position: 2, probability: 100, kind: .won),
            Stage(pipelineID: 0, name: "Lost", position: 3, probability: 0, kind: .lost),
        ])
        let stages = try r.pipelineRepository.stages(pipelineID: sales.id)
        let stage = Dictionary(uniqueKeysWithValues: stages.map { ($0.name, $0.id) })
        tick()
        let rollout = try r.dealRepository.create(Deal(
            pipelineID: sales.id, stageID: stage["Lead"]!, title: "Acme rollout, phase 2",
            value: Money(minorUnits: 1_234_567, currency: .eur), expectedClose: days(30), contactID: ada.id, companyID: acme.id))
        w.deals["rollout"] = rollout.id
        tick()
        _ = try r.dealRepository.move(rollout.id, toStage: stage["Offer"]!, expectedVersion: rollout.version)
        let won = try omid.repositories.dealRepository.create(Deal(
            pipelineID: sales.id, stageID: stage["Offer"]!, title: "Ünal licences",
            value: Money(minorUnits: 990_000, currency: Currency("USD")!), companyID: w.companies["unal"]))
        w.deals["won"] = won.id
        tick()
        _ = try omid.repositories.dealRepository.move(won.id, toStage: stage["Won"]!, expectedVersion: won.version)
        let lost = try r.dealRepository.create(Deal(
            pipelineID: sales.id, stageID: stage["Lead"]!, title: "Мария pilot", value: Money(minorUnits: 50_000, currency: .eur),
            contactID: w.contacts["maria"]))
        w.deals["lost"] = lost.id
        tick()
        var lostMoved = try r.dealRepository.move(lost.id, toStage: stage["Lost"]!, expectedVersion: lost.version)
        lostMoved.lostReason = "price; \"too high\""
        _ = try r.dealRepository.update(lostMoved)
        let dropped = try r.dealRepository.create(Deal(
            pipelineID: sales.id, stageID: stage["Lead"]!, title: "Trashed deal", value: Money(minorUnits: 1, currency: .eur)))
        w.deals["dropped"] = dropped.id

        tick()
        w.interactions["call"] = try r.interactionRepository.log(Interaction(
            contactID: ada.id, kind: .call, direction: .outbound, occurredAt: days(-1), durationSeconds: 754,
            outcome: "interested", subject: "Pricing", body: "Talked about \"phase 2\",\nnext: offer", createdAt: now)).id
        w.interactions["mail"] = try omid.repositories.interactionRepository.log(Interaction(
            contactID: w.contacts["reza"], kind: .email, direction: .inbound, occurredAt: days(-2),
            subject: "سلام", body: "متن نامه", createdAt: now)).id
        w.interactions["note"] = try r.interactionRepository.log(Interaction(
            dealID: rollout.id, kind: .note, occurredAt: now, body: "Legal review pending", createdAt: now)).id
        let oops = try r.interactionRepository.log(Interaction(contactID: ada.id, kind: .note, occurredAt: now, body: "oops", createdAt: now))
        w.interactions["oops"] = oops.id

        tick()
        w.followUps["offer"] = try r.followUpRepository.create(FollowUp(
            contactID: ada.id, title: "Send the offer", note: "with the, \"annex\"", dueAt: days(1))).id
        w.followUps["omid's"] = try r.followUpRepository.create(FollowUp(
            dealID: rollout.id, assigneeID: omid.userID, title: "Legal check", dueAt: days(3))).id
        var done = try r.followUpRepository.create(FollowUp(contactID: w.contacts["maria"], title: "Call back", dueAt: days(-1)))
        tick()
        done.status = .done
        done = try omid.repositories.followUpRepository.update(done)
        w.followUps["done"] = done.id
        var cancelled = try r.followUpRepository.create(FollowUp(contactID: w.contacts["wei"], title: "Visit", dueAt: days(5)))
        cancelled.status = .cancelled
        cancelled.cancelReason = "trip cancelled"
        w.followUps["cancelled"] = try r.followUpRepository.update(cancelled).id
        let forgotten = try r.followUpRepository.create(FollowUp(contactID: ada.id, title: "Forgotten", dueAt: days(2)))
        w.followUps["forgotten"] = forgotten.id

        tick()
        try r.contactRepository.delete(tom.id)
        try r.companyRepository.delete(gone.id)
        try r.dealRepository.delete(dropped.id)
        try r.interactionRepository.delete(oops.id)
        try r.followUpRepository.delete(forgotten.id)
        return w
    }

    /// Every export `crm export` makes of these kinds, as the command makes
    /// it (one consistent read through the Exporter), keyed "kind.format".
    static func files(_ repositories: any CRMRepositories, pageSize: Int) throws -> [String: String] {
        var files: [String: String] = [:]
        let export = repositories.exportRepository
        var runs: [(String, ExportKind, ExportFormat, VCardWriter.Version)] = [
            ("contacts.vcard3", .contacts, .vcard, .v3), ("contacts.vcard4", .contacts, .vcard, .v4),
        ]
        for kind in ExportKind.allCases where kind != .all {
            for format in [ExportFormat.csv, .json] { runs.append(("\(kind.rawValue).\(format.rawValue)", kind, format, .v4)) }
        }
        for (name, kind, format, version) in runs {
            var text = ""
            try export.consistentRead {
                try Exporter(repository: export, pageSize: pageSize, vcardVersion: version)
                    .run(kind: kind, format: format) { text += $0 }
            }
            files[name] = text
        }
        return files
    }
}
