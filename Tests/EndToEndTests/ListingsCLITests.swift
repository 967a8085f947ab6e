import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// `crm contacts|companies|deals|timeline|show|query` and the new fields of
/// `followups`, run as the real binary on a real SQLite file, each output
/// parsed and checked field by field against what the database holds.
extension CLITests {
    /// Ids of the records `makeListingsDatabase` writes.
    struct ListingsFixture {
        var path: String
        var acme: Int64, beta: Int64
        var guenter: Int64, anna: Int64
        var sales: Int64
        var rollout: Int64, won: Int64, lost: Int64
        var call: Int64
        var followUp: Int64
    }

    /// A small CRM with every kind of record the listings print, closed
    /// again before the binary reads it.
    func makeListingsDatabase() throws -> ListingsFixture {
        let path = path("listings.db")
        let db = try Database(path: path, login: "sara")
        let omid = try db.users.findOrCreate(login: "omid")
        let acme = try db.companies.create(Company(name: "Acme GmbH", domain: "acme.example", phone: "+49 30 1234567",
                                                   address: "Hauptstraße 1\n10115 Berlin", notes: "Key account"))
        let beta = try db.companies.create(Company(name: "Anna's Bakery", ownerID: omid.id))
        let guenter = try db.contacts.create(Contact(
            name: "Günter Müller", title: "Einkauf", companyID: acme.id,
            emails: [EmailAddress("g.mueller@acme.example", label: "work"), EmailAddress("guenter@home.example", label: "home")],
            phones: [PhoneNumber("+49 171 9936679", label: "mobile"), PhoneNumber("030 5550000", label: "work")],
            tags: ["vip", "fair 2026"], lifecycle: .customer, source: "fair", notes: "Line 1\nLine 2, \"quoted\""))
        let anna = try db.contacts.create(Contact(name: "Anna", emails: [EmailAddress("anna@a.example")], ownerID: omid.id))
        _ = try db.contacts.create(Contact(name: "Anna Schmidt", companyID: acme.id, emails: [EmailAddress("a.schmidt@acme.example")],
                                           lifecycle: .prospect))
        _ = try db.contacts.create(Contact(name: "Zoe Ng", emails: [EmailAddress("anna.ng@z.example")]))
        _ = try db.contacts.create(Contact(name: "Bob Annan", emails: [EmailAddress("bob@b.example"), EmailAddress("robert@b.example")]))
        _ = try db.contacts.create(Contact(name: "Carla Rossi", companyID: beta.id, emails: [EmailAddress("carla@c.example")]))
        _ = try db.contacts.create(Contact(name: "Anna Nomail"))
        _ = try db.contacts.create(Contact(name: "علی رضایی", emails: [EmailAddress("ali@r.example")], lifecycle: .lead))
        _ = try db.contacts.create(Contact(name: "Evil \u{1B}]0;pwned\u{07} Name", emails: [EmailAddress("evil@e.example")]))
        let sales = try db.pipelines.createPipeline("Sales", stages: [
            Stage(pipelineID: 0, name: "Qualified", position: 0, probability: 20),
            Stage(pipelineID: 0, name: "Proposal", position: 1, probability: 60),
        ])
        let stages = try db.pipelines.stages(pipelineID: sales.id)
        let rollout = try db.deals.create(Deal(pipelineID: sales.id, stageID: stages[0].id, title: "Acme rollout",
                                               value: Money(minorUnits: 1_250_000, currency: Currency(stored: "EUR")),
                                               contactID: guenter.id, companyID: acme.id))
        let won = try db.deals.create(Deal(pipelineID: sales.id, stageID: stages[1].id, title: "Yen deal",
                                           value: Money(minorUnits: 1500, currency: Currency(stored: "JPY")), ownerID: omid.id))
        _ = try db.deals.close(won.id, as: .won, reason: "", expectedVersion: won.version)
        let lost = try db.deals.create(Deal(pipelineID: sales.id, stageID: stages[1].id, title: "Dinar deal",
                                            value: Money(minorUnits: 1234, currency: Currency(stored: "KWD"))))
        _ = try db.deals.close(lost.id, as: .lost, reason: "price", expectedVersion: lost.version)
        let call = try db.interactions.log(Interaction(contactID: guenter.id, kind: .call, direction: .outbound,
                                                       occurredAt: Date().addingTimeInterval(-3600), durationSeconds: 300,
                                                       outcome: "call back", subject: "Pricing", body: "Asked about\nvolume prices"))
        _ = try db.interactions.log(Interaction(contactID: anna.id, kind: .email, direction: .inbound,
                                                occurredAt: Date().addingTimeInterval(-86_400 * 40), subject: "Old mail"))
        _ = try db.interactions.log(Interaction(dealID: rollout.id, kind: .note, occurredAt: Date().addingTimeInterval(-7200),
                                                body: "Deal note"))
        let followUp = try db.followUps.create(FollowUp(contactID: guenter.id, dealID: rollout.id, title: "Send the offer",
                                                        dueAt: Date().addingTimeInterval(-600)))
        return ListingsFixture(path: path, acme: acme.id, beta: beta.id, guenter: guenter.id, anna: anna.id, sales: sales.id,
                               rollout: rollout.id, won: won.id, lost: lost.id, call: call.id, followUp: followUp.id)
    }

    // MARK: reading what crm printed

    func jsonArray(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [[String: Any]], "not an array of objects: \(text.prefix(200))", file: file, line: line)
    }

    func jsonObject(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// RFC 4180 back into rows of fields: quoted fields with "" and line breaks, CRLF records.
    func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex, text[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
            i = text.index(after: i)
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    func iso(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    func assertSame(_ actual: Any?, _ expected: Any?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = actual ?? NSNull(), e = expected ?? NSNull()
        XCTAssertEqual(a as? NSObject, e as? NSObject, what, file: file, line: line)
    }

    // MARK: contacts

    func testContactsJSONMatchesTheDatabaseFieldByField() throws {
        let f = try makeListingsDatabase()
        let result = try crm("contacts", "--json", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        let objects = try jsonArray(result.out)
        let db = try Database(path: f.path, mode: .read)
        let users = Dictionary(uniqueKeysWithValues: try db.users.all().map { ($0.id, $0.login) })
        XCTAssertEqual(objects.count, try db.contacts.count(filter: ContactFilter()))
        // In the contact list's order: by name.
        let listed = try db.contacts.list(sort: .name, filter: ContactFilter(), cursor: nil, direction: .forward, limit: 100)
        XCTAssertEqual(objects.compactMap { ($0["id"] as? NSNumber)?.int64Value }, listed.map(\.id))
        for object in objects {
            let id = try XCTUnwrap((object["id"] as? NSNumber)?.int64Value)
            let c = try XCTUnwrap(try db.contacts.get(id))
            let summary = try XCTUnwrap(try db.contacts.summary(id))
            XCTAssertEqual(Set(object.keys), Set(["id", "name", "title", "company_id", "company", "emails", "phones", "tags", "owner",
                                                  "owner_id", "lifecycle", "source", "notes", "last_interaction", "created_at",
                                                  "updated_at", "version"]))
            assertSame(object["name"], c.name, "name")
            assertSame(object["title"], c.title, "title")
            assertSame(object["company_id"], c.companyID.map { NSNumber(value: $0) }, "company_id")
            assertSame(object["company"], try c.companyID.flatMap { try db.companies.get($0)?.name }, "company")
            let emails = try XCTUnwrap(object["emails"] as? [[String: String]])
            XCTAssertEqual(emails, c.emails.map { ["address": $0.address, "label": $0.label] })
            let phones = try XCTUnwrap(object["phones"] as? [[String: String]])
            XCTAssertEqual(phones, c.phones.map { ["number": $0.number, "label": $0.label] })
            XCTAssertEqual(object["tags"] as? [String], c.tags)
            assertSame(object["owner"], c.ownerID.flatMap { users[$0] }, "owner")
            assertSame(object["owner_id"], c.ownerID.map { NSNumber(value: $0) }, "owner_id")
            assertSame(object["lifecycle"], c.lifecycle.rawValue, "lifecycle")
            assertSame(object["source"], c.source, "source")
            assertSame(object["notes"], c.notes, "notes")
            assertSame(object["last_interaction"], iso(summary.lastInteractionAt), "last_interaction")
            assertSame(object["created_at"], iso(c.createdAt), "created_at")
            assertSame(object["updated_at"], iso(c.updatedAt), "updated_at")
            assertSame(object["version"], NSNumber(value: c.version), "version")
        }
        let guenter = try XCTUnwrap(objects.first { ($0["id"] as? NSNumber)?.int64Value == f.guenter })
        XCTAssertEqual(guenter["tags"] as? [String], ["fair 2026", "vip"])
        XCTAssertEqual(guenter["notes"] as? String, "Line 1\nLine 2, \"quoted\"")
        XCTAssertEqual(guenter["owner"] as? String, "sara")
        XCTAssertTrue((guenter["last_interaction"] as? String)?.hasSuffix("Z") ?? false, "ISO 8601 with offset (UTC here)")
        // The escape sequence is kept in JSON, escaped, never raw.
        XCTAssertFalse(result.out.contains("\u{1B}"))
        XCTAssertTrue(result.out.lowercased().contains("\\u001b]0;pwned\\u0007"), result.out)
    }

    func testContactsJSONLinesAndCSVCarryTheSameRecords() throws {
        let f = try makeListingsDatabase()
        let json = try jsonArray(try crm("contacts", "--json", "--db", f.path).out)
        let jsonl = try crm("contacts", "--jsonl", "--db", f.path)
        XCTAssertEqual(jsonl.status, 0, jsonl.err)
        let lines = jsonl.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, json.count)
        for (line, object) in zip(lines, json) {
            XCTAssertEqual(try jsonObject(line) as NSDictionary, object as NSDictionary)
        }
        let csv = try crm("contacts", "--csv", "--db", f.path)
        XCTAssertEqual(csv.status, 0, csv.err)
        XCTAssertTrue(csv.out.hasSuffix("\r\n"))
        let rows = parseCSV(csv.out)
        XCTAssertEqual(rows.first, ["id", "name", "title", "company_id", "company", "emails", "phones", "tags", "owner", "owner_id",
                                    "lifecycle", "source", "notes", "last_interaction", "created_at", "updated_at", "version"])
        XCTAssertEqual(rows.count, json.count + 1)
        for (row, object) in zip(rows.dropFirst(), json) {
            let header = rows[0]
            func cell(_ name: String) -> String { row[header.firstIndex(of: name)!] }
            XCTAssertEqual(cell("id"), "\((object["id"] as! NSNumber).int64Value)")
            XCTAssertEqual(cell("name"), object["name"] as? String, "CSV keeps the text exact in a pipe")
            XCTAssertEqual(cell("notes"), object["notes"] as? String)
            XCTAssertEqual(cell("emails"), (object["emails"] as! [[String: String]]).map { $0["address"]! }.joined(separator: ", "))
            XCTAssertEqual(cell("phones"), (object["phones"] as! [[String: String]]).map { $0["number"]! }.joined(separator: ", "))
            XCTAssertEqual(cell("tags"), (object["tags"] as! [String]).joined(separator: ", "))
            XCTAssertEqual(cell("company"), object["company"] as? String ?? "")
            XCTAssertEqual(cell("last_interaction"), object["last_interaction"] as? String ?? "")
        }
    }

    func testContactsFiltersSortAndLimit() throws {
        let f = try makeListingsDatabase()
        func names(_ args: String...) throws -> [String] {
            let r = try crm(["contacts", "--jsonl", "--db", f.path] + args)
            XCTAssertEqual(r.status, 0, r.err)
            return try r.out.split(separator: "\n").map { try jsonObject(String($0))["name"] as! String }
        }
        XCTAssertEqual(try names("--search", "muller"), ["Günter Müller"])
        XCTAssertEqual(try names("--search", "علي"), ["علی رضایی"], "Arabic ي finds Persian ی")
        XCTAssertEqual(try names("--tag", "vip"), ["Günter Müller"])
        XCTAssertEqual(try names("--owner", "omid"), ["Anna"])
        XCTAssertEqual(try names("--lifecycle", "prospect"), ["Anna Schmidt"])
        XCTAssertEqual(try names("--company", "acme gmbh"), ["Anna Schmidt", "Günter Müller"])
        XCTAssertEqual(try names("--limit", "2"), ["Anna", "Anna Nomail"])
        XCTAssertEqual(try names("--sort", "last", "--limit", "2"), ["Günter Müller", "Anna"], "last contacted first")
        XCTAssertEqual(try names("--search", "nobody-at-all"), [])
        // A table for people: a header, aligned, the escape sequence shown as symbols.
        let table = try crm("contacts", "--db", f.path)
        XCTAssertEqual(table.status, 0, table.err)
        XCTAssertTrue(table.out.hasPrefix("ID  NAME"), table.out)
        XCTAssertFalse(table.out.contains("\u{1B}"))
        XCTAssertTrue(table.out.contains("␛]0;pwned␇"), table.out)
    }

    // MARK: companies, deals, timeline

    func testCompaniesJSONMatchesTheDatabase() throws {
        let f = try makeListingsDatabase()
        let result = try crm("companies", "--json", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        let objects = try jsonArray(result.out)
        let db = try Database(path: f.path, mode: .read)
        XCTAssertEqual(objects.compactMap { $0["name"] as? String }, ["Acme GmbH", "Anna's Bakery"])
        for object in objects {
            let id = try XCTUnwrap((object["id"] as? NSNumber)?.int64Value)
            let c = try XCTUnwrap(try db.companies.get(id))
            XCTAssertEqual(Set(object.keys), Set(["id", "name", "domain", "phone", "address", "notes", "owner", "owner_id",
                                                  "contact_count", "created_at", "updated_at", "version"]))
            assertSame(object["domain"], c.domain, "domain")
            assertSame(object["phone"], c.phone, "phone")
            assertSame(object["address"], c.address, "address")
            assertSame(object["notes"], c.notes, "notes")
            assertSame(object["owner_id"], c.ownerID.map { NSNumber(value: $0) }, "owner_id")
            assertSame(object["owner"], try c.ownerID.flatMap { try db.users.get($0)?.login }, "owner")
            assertSame(object["contact_count"], NSNumber(value: try db.contacts.count(filter: ContactFilter(companyID: id))), "contact_count")
            assertSame(object["created_at"], iso(c.createdAt), "created_at")
            assertSame(object["version"], NSNumber(value: c.version), "version")
        }
        let searched = try jsonArray(try crm("companies", "--json", "--search", "bakery", "--db", f.path).out)
        XCTAssertEqual(searched.compactMap { $0["name"] as? String }, ["Anna's Bakery"])
        let rows = parseCSV(try crm("companies", "--csv", "--db", f.path).out)
        XCTAssertEqual(rows[1][rows[0].firstIndex(of: "address")!], "Hauptstraße 1\n10115 Berlin")
    }

    func testDealsJSONCarriesIdsNamesAndMoneyInEveryCurrency() throws {
        let f = try makeListingsDatabase()
        let result = try crm("deals", "--json", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        let objects = try jsonArray(result.out)
        let db = try Database(path: f.path, mode: .read)
        XCTAssertEqual(objects.compactMap { ($0["id"] as? NSNumber)?.int64Value }, [f.rollout, f.won, f.lost])
        for object in objects {
            let id = try XCTUnwrap((object["id"] as? NSNumber)?.int64Value)
            let card = try XCTUnwrap(try db.deals.card(id))
            let d = card.deal
            let stage = try XCTUnwrap(try db.pipelines.stage(d.stageID))
            assertSame(object["title"], d.title, "title")
            assertSame(object["pipeline_id"], NSNumber(value: d.pipelineID), "pipeline_id")
            assertSame(object["pipeline"], "Sales", "pipeline")
            assertSame(object["stage_id"], NSNumber(value: d.stageID), "stage_id")
            assertSame(object["stage"], stage.name, "stage")
            assertSame(object["probability"], NSNumber(value: stage.probability), "probability")
            assertSame(object["status"], d.status.rawValue, "status")
            assertSame(object["currency"], d.value.currency.code, "currency")
            assertSame(object["value_minor"], NSNumber(value: d.value.minorUnits), "value_minor")
            assertSame(object["contact_id"], d.contactID.map { NSNumber(value: $0) }, "contact_id")
            assertSame(object["contact"], card.contactName, "contact")
            assertSame(object["company_id"], d.companyID.map { NSNumber(value: $0) }, "company_id")
            assertSame(object["company"], card.companyName, "company")
            assertSame(object["owner"], card.ownerLogin, "owner")
            assertSame(object["owner_id"], d.ownerID.map { NSNumber(value: $0) }, "owner_id")
            assertSame(object["lost_reason"], d.lostReason, "lost_reason")
            assertSame(object["closed_at"], iso(d.closedAt), "closed_at")
            assertSame(object["stage_entered_at"], iso(d.stageEnteredAt), "stage_entered_at")
            assertSame(object["version"], NSNumber(value: d.version), "version")
        }
        XCTAssertEqual(objects.compactMap { $0["value"] as? String }, ["12500.00", "1500", "1.234"])
        func ids(_ args: String...) throws -> [Int64] {
            let r = try crm(["deals", "--jsonl", "--db", f.path] + args)
            XCTAssertEqual(r.status, 0, r.err)
            return try r.out.split(separator: "\n").map { (try jsonObject(String($0))["id"] as! NSNumber).int64Value }
        }
        XCTAssertEqual(try ids("--status", "open"), [f.rollout])
        XCTAssertEqual(try ids("--status", "lost"), [f.lost])
        XCTAssertEqual(try ids("--stage", "proposal"), [f.won, f.lost])
        XCTAssertEqual(try ids("--pipeline", "sales", "--owner", "omid"), [f.won])
        XCTAssertEqual(try ids("--pipeline", "\(f.sales)", "--limit", "1"), [f.rollout])
    }

    func testTimelineJSONNewestFirstWithFilters() throws {
        let f = try makeListingsDatabase()
        let result = try crm("timeline", "--json", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        let objects = try jsonArray(result.out)
        let db = try Database(path: f.path, mode: .read)
        let entries = try db.interactions.timeline(.all(TimelineFilter()), before: nil, limit: 100)
        XCTAssertEqual(objects.compactMap { ($0["id"] as? NSNumber)?.int64Value }, entries.map(\.id))
        for (object, entry) in zip(objects, entries) {
            let i = entry.interaction
            assertSame(object["type"], i.kind.rawValue, "type")
            assertSame(object["direction"], i.direction == .none ? nil : i.direction.rawValue, "direction")
            assertSame(object["occurred_at"], iso(i.occurredAt), "occurred_at")
            assertSame(object["duration_seconds"], i.durationSeconds.map { NSNumber(value: $0) }, "duration_seconds")
            assertSame(object["subject"], i.subject, "subject")
            assertSame(object["body"], i.body, "body")
            assertSame(object["outcome"], i.outcome, "outcome")
            assertSame(object["contact_id"], i.contactID.map { NSNumber(value: $0) }, "contact_id")
            assertSame(object["contact"], entry.contactName, "contact")
            assertSame(object["company_id"], i.companyID.map { NSNumber(value: $0) }, "company_id")
            assertSame(object["company"], try i.companyID.flatMap { try db.companies.get($0)?.name }, "company")
            assertSame(object["deal_id"], i.dealID.map { NSNumber(value: $0) }, "deal_id")
            assertSame(object["deal"], entry.dealTitle, "deal")
            assertSame(object["author"], entry.authorLogin, "author")
            assertSame(object["author_id"], i.authorID.map { NSNumber(value: $0) }, "author_id")
        }
        let call = try XCTUnwrap(objects.first { ($0["id"] as? NSNumber)?.int64Value == f.call })
        XCTAssertEqual(call["company"] as? String, "Acme GmbH", "logged on the contact, it belongs to the contact's company")
        XCTAssertEqual(call["duration_seconds"] as? Int, 300)
        func types(_ args: String...) throws -> [String] {
            let r = try crm(["timeline", "--jsonl", "--db", f.path] + args)
            XCTAssertEqual(r.status, 0, r.err)
            return try r.out.split(separator: "\n").map { try jsonObject(String($0))["type"] as! String }
        }
        XCTAssertEqual(try types("--contact", "\(f.guenter)"), ["call"])
        XCTAssertEqual(try types("--deal", "\(f.rollout)"), ["note"])
        XCTAssertEqual(try types("--company", "\(f.acme)"), ["call"])
        XCTAssertEqual(try types("--type", "email"), ["email"])
        // Closing the two deals logged their stage moves just now.
        XCTAssertEqual(try types("--since", "-7d").sorted(), ["call", "note", "stage", "stage"], "the 40-day-old mail is before")
        XCTAssertEqual(try types("--since", "۲۰۲۰-۰۱-۰۱").count, 5, "Persian digits")
        XCTAssertEqual(try types("--since", "-7d", "--type", "note,email"), ["note"])
    }

    // MARK: show

    func testShowPrintsTheCardAndItsJSON() throws {
        let f = try makeListingsDatabase()
        let text = try crm("show", "contact", "\(f.guenter)", "--db", f.path)
        XCTAssertEqual(text.status, 0, text.err)
        for expected in ["Günter Müller  (contact \(f.guenter))", "Acme GmbH (company \(f.acme))", "Customer",
                         "g.mueller@acme.example (work), guenter@home.example (home)",
                         "+49 171 9936679 (mobile), 030 5550000 (work)", "fair 2026, vip", "Deals (1)", "#\(f.rollout)  Acme rollout",
                         "Open follow-ups (1)", "Send the offer", "Last interactions (1)", "Pricing", "Line 2, \"quoted\""] {
            XCTAssertTrue(text.out.contains(expected), "missing \(expected) in\n\(text.out)")
        }
        let json = try jsonObject(try crm("show", "contact", "\(f.guenter)", "--json", "--db", f.path).out)
        let contact = try XCTUnwrap(json["contact"] as? [String: Any])
        XCTAssertEqual(contact["name"] as? String, "Günter Müller")
        XCTAssertEqual((json["deals"] as? [[String: Any]])?.compactMap { ($0["id"] as? NSNumber)?.int64Value }, [f.rollout])
        let followUps = try XCTUnwrap(json["follow_ups"] as? [[String: Any]])
        XCTAssertEqual(followUps.first?["deal_id"] as? NSNumber, NSNumber(value: f.rollout))
        XCTAssertEqual(followUps.first?["assignee"] as? String, "sara")
        XCTAssertEqual((json["interactions"] as? [[String: Any]])?.first?["id"] as? NSNumber, NSNumber(value: f.call))

        let company = try jsonObject(try crm("show", "company", "\(f.acme)", "--json", "--db", f.path).out)
        XCTAssertEqual((company["company"] as? [String: Any])?["contact_count"] as? Int, 2)
        XCTAssertEqual((company["contacts"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["Anna Schmidt", "Günter Müller"])
        XCTAssertEqual((company["follow_ups"] as? [[String: Any]])?.count, 1)

        let deal = try jsonObject(try crm("show", "deal", "\(f.lost)", "--json", "--db", f.path).out)
        XCTAssertEqual((deal["deal"] as? [String: Any])?["lost_reason"] as? String, "price")
        XCTAssertEqual((deal["stage_history"] as? [[String: Any]])?.first?["to_stage"] as? String, "Proposal")
        XCTAssertTrue(deal["contact"] is NSNull)
        let dealText = try crm("show", "deal", "\(f.rollout)", "--db", f.path)
        XCTAssertTrue(dealText.out.contains("12,500.00 EUR") && dealText.out.contains("+49 171 9936679 (mobile)"), dealText.out)

        let missing = try crm("show", "deal", "999", "--db", f.path)
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.err, "crm: there is no deal with id 999\n")
        XCTAssertEqual(missing.out, "")
    }

    // MARK: query

    func testQueryPrintsWhatMuttExpectsBestMatchesFirst() throws {
        let f = try makeListingsDatabase()
        let result = try crm("query", "anna", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        // The fixture, byte for byte: exact name, name prefix, address prefix,
        // then the rest by name (Bob Annan by his name, Carla by her company).
        let fixture = """
            crm: 6 matches for "anna"
            anna@a.example\tAnna\t
            a.schmidt@acme.example\tAnna Schmidt\tAcme GmbH
            anna.ng@z.example\tZoe Ng\t
            bob@b.example\tBob Annan\t
            robert@b.example\tBob Annan\t
            carla@c.example\tCarla Rossi\tAnna's Bakery

            """
        XCTAssertEqual(result.out, fixture)
        XCTAssertEqual(result.err, "")
        // The format mutt reads: a first line, then tab-separated fields, at most three.
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for line in lines.dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, 3, String(line))
            XCTAssertTrue(fields[0].contains("@"))
        }
        let aerc = try crm("query", "--aerc", "anna", "--db", f.path)
        XCTAssertEqual(aerc.status, 0)
        XCTAssertEqual(aerc.out, String(fixture.drop { $0 != "\n" }.dropFirst()))

        let folded = try crm("query", "علي", "--db", f.path)
        XCTAssertEqual(folded.out, "crm: 1 match for \"علي\"\nali@r.example\tعلی رضایی\t\n")
        let byCompany = try crm("query", "acme", "--aerc", "--db", f.path)
        XCTAssertEqual(byCompany.out, "a.schmidt@acme.example\tAnna Schmidt\tAcme GmbH\n"
                       + "g.mueller@acme.example\tGünter Müller\tAcme GmbH\nguenter@home.example\tGünter Müller\tAcme GmbH\n")
        let sanitised = try crm("query", "evil", "--aerc", "--db", f.path)
        XCTAssertEqual(sanitised.out, "evil@e.example\tEvil ␛]0;pwned␇ Name\t\n")

        let none = try crm("query", "nobody", "--db", f.path)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.out, "crm: no matches for \"nobody\"\n", "mutt shows the first line as the error")
        let noneAerc = try crm("query", "--aerc", "nobody", "--db", f.path)
        XCTAssertEqual(noneAerc.status, 1)
        XCTAssertEqual(noneAerc.out, "")
        let nomail = try crm("query", "nomail", "--db", f.path)
        XCTAssertEqual(nomail.status, 1, "a contact without an address gives no line")
        XCTAssertEqual(try crm("query", "--db", f.path).status, 64)
        let empty = try crm("query", "", "--db", f.path)
        XCTAssertEqual(empty.status, 1, "a mail client asking with nothing typed")
        XCTAssertEqual(empty.out, "crm: type part of a name, an email address or a company\n")
        let emptyAerc = try crm("query", "--aerc", " ", "--db", f.path)
        XCTAssertEqual(emptyAerc.status, 1)
        XCTAssertEqual(emptyAerc.out + emptyAerc.err, "")
    }

    // MARK: followups and agenda

    func testFollowUpsJSONCarriesTheContactsPhonesEmailsAndTheDealID() throws {
        let f = try makeListingsDatabase()
        let result = try crm("followups", "--due", "overdue", "--json", "--db", f.path)
        XCTAssertEqual(result.status, 0, result.err)
        let rows = try jsonArray(result.out)
        let row = try XCTUnwrap(rows.first { ($0["id"] as? NSNumber)?.int64Value == f.followUp })
        XCTAssertEqual(row["deal_id"] as? NSNumber, NSNumber(value: f.rollout))
        XCTAssertEqual(row["deal"] as? String, "Acme rollout")
        XCTAssertEqual(row["contact_phones"] as? [[String: String]],
                       [["number": "+49 171 9936679", "label": "mobile"], ["number": "030 5550000", "label": "work"]])
        XCTAssertEqual(row["contact_emails"] as? [[String: String]],
                       [["address": "g.mueller@acme.example", "label": "work"], ["address": "guenter@home.example", "label": "home"]])
        let text = try crm("followups", "--due", "overdue", "--db", f.path)
        XCTAssertTrue(text.out.contains("Send the offer — Günter Müller, Acme GmbH, +49 171 9936679 [sara]"), text.out)
        let agenda = try jsonObject(try crm("agenda", "--json", "--db", f.path).out)
        let attention = try XCTUnwrap(agenda["needs_attention"] as? [[String: Any]])
        for entry in attention {
            XCTAssertNotNil(entry["contact_phones"] as? [Any])
            XCTAssertNotNil(entry["contact_emails"] as? [Any])
        }
    }

    // MARK: bad input

    func testListingsRefuseBadInputInOneLineAndLeaveTheFileAlone() throws {
        let f = try makeListingsDatabase()
        let before = try Data(contentsOf: URL(fileURLWithPath: f.path))
        let cases: [(args: [String], status: Int32, says: String)] = [
            (["contacts", "--bogus"], 64, "unknown option --bogus"),
            (["contacts", "--search"], 64, "--search needs a value"),
            (["contacts", "--limit", "zero"], 64, "--limit is \"zero\"; expected how many records at most"),
            (["contacts", "--owner", "nobody"], 67, "--owner: no user \"nobody\"; users: omid, sara"),
            (["deals", "--owner", "nobody"], 67, "no user \"nobody\""),
            (["contacts", "--lifecycle", "vip"], 64, "--lifecycle is \"vip\"; expected lead, prospect, customer or former"),
            (["contacts", "--sort", "age"], 64, "--sort is \"age\"; expected name, last or created"),
            (["contacts", "--json", "--csv"], 64, "choose one of --json, --jsonl, --csv"),
            (["contacts", "--company", "Nope Inc"], 1, "there is no company named \"Nope Inc\""),
            (["timeline", "--since", "someday"], 64, "--since is \"someday\"; expected a date such as 2026-11-01"),
            (["timeline", "--since", "99999-01-01"], 64, "out of range"),
            (["timeline", "--contact", "abc"], 64, "--contact is \"abc\"; expected the id of a contact, a whole number from 1"),
            (["timeline", "--contact", "424242"], 1, "there is no contact with id 424242"),
            (["timeline", "--type", "fax"], 64, "--type is \"fax\"; expected one or more of call, email, meeting, note, message, stage"),
            (["deals", "--status", "maybe"], 64, "--status is \"maybe\"; expected open, won or lost"),
            (["deals", "--pipeline", "Nope"], 1, "there is no pipeline \"Nope\"; pipelines: Sales"),
            (["deals", "--stage", "Nope"], 1, "there is no stage \"Nope\"; stages: Lost, Proposal, Qualified, Won"),
            (["show", "contact", "x"], 64, "the contact id is \"x\"; expected the id of a contact, a whole number from 1"),
            (["show", "person", "1"], 64, "cannot show \"person\"; expected contact, company or deal"),
            (["show", "company"], 64, "name the id of the company to show"),
            (["show", "company", "424242"], 1, "there is no company with id 424242"),
            (["companies", "extra"], 64, "unexpected argument \"extra\""),
            (["query", "--aerc=yes", "x"], 64, "--aerc takes no value"),
        ]
        for c in cases {
            let r = try crm(c.args + ["--db", f.path])
            XCTAssertEqual(r.status, c.status, "\(c.args): \(r.err)")
            let first = r.err.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(first.hasPrefix("crm: ") && first.contains(c.says), "\(c.args): \(r.err)")
            XCTAssertEqual(r.out, "", "\(c.args) printed nothing")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: f.path)), before, "read-only commands never change the file")
        let missing = try crm("contacts", "--db", path("nothing-here.db"))
        XCTAssertEqual(missing.status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("nothing-here.db")))
    }
}
