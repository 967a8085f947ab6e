import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm log --contact ID|--phone NUMBER|--email ADDR --type TYPE [--direction in|out]
//          [--duration D] [--at DATE] [--subject S] [--outcome O] [--body TEXT|-] [--user LOGIN] [--db PATH]`
//
// Logs one interaction from a script: a softphone's hang-up hook, a cron
// job, a form on an intranet. One transaction, audited as the user (--user,
// else the login). Prints the new interaction's id. A phone number or
// address that belongs to several contacts is refused (65) with the list,
// so the caller can say --contact; one that belongs to nobody exits 1.
enum LogCommand {
    struct Options {
        var contactID: Int64?
        var phone: String?
        var email: String?
        var kind: InteractionKind?
        var direction: Direction = .none
        var duration: String?
        var at: String?
        var subject = ""
        var outcome = ""
        var body: String?
        var user: String?
        var db: String?
    }

    static let kinds: [InteractionKind] = [.call, .email, .meeting, .note, .message]

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "log")
        var o = Options()
        while let arg = reader.next() {
            switch arg {
            case .option("--contact", let v):
                let text = try reader.value("--contact", inline: v, expected: "a contact id (a whole number)")
                guard let id = Int64(text), id > 0 else { throw reader.fail("--contact is \"\(text)\"; expected a contact id (a whole number)") }
                o.contactID = id
            case .option("--phone", let v): o.phone = try reader.value("--phone", inline: v, expected: "a phone number")
            case .option("--email", let v): o.email = try reader.value("--email", inline: v, expected: "an email address")
            case .option("--type", let v):
                let text = try reader.value("--type", inline: v, expected: "call, email, meeting, note or message")
                guard let kind = InteractionKind(rawValue: text.lowercased()), kinds.contains(kind) else {
                    throw reader.fail("--type is \"\(text)\"; expected call, email, meeting, note or message")
                }
                o.kind = kind
            case .option("--direction", let v):
                let text = try reader.value("--direction", inline: v, expected: "in or out")
                guard let d = Direction(rawValue: text.lowercased()), d != .none else { throw reader.fail("--direction is \"\(text)\"; expected in or out") }
                o.direction = d
            case .option("--duration", let v): o.duration = try reader.value("--duration", inline: v, expected: "a duration such as 5m, 1h30m, 90s or 12:30")
            case .option("--at", let v): o.at = try reader.value("--at", inline: v, expected: "a date such as \"today 14:30\" or 2026-11-27 14:30")
            case .option("--subject", let v): o.subject = try reader.value("--subject", inline: v, expected: "a subject")
            case .option("--outcome", let v): o.outcome = try reader.value("--outcome", inline: v, expected: "an outcome")
            case .option("--body", let v):
                // "-" is a value here (stdin), not a forgotten one.
                o.body = try reader.value("--body", inline: v, expected: "the text, or - to read it from stdin")
            case .option("--user", let v): o.user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--db", let v): o.db = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("log"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let whom = [o.contactID.map { _ in "--contact" }, o.phone.map { _ in "--phone" }, o.email.map { _ in "--email" }].compactMap { $0 }
        guard whom.count == 1 else {
            throw reader.fail(whom.isEmpty ? "say whom it is about; expected --contact ID, --phone NUMBER or --email ADDRESS"
                                           : "give one of --contact, --phone and --email, not \(whom.joined(separator: " and "))")
        }
        guard let kind = o.kind else { throw reader.fail("--type is required: call, email, meeting, note or message") }
        if let phone = o.phone, let problem = ContactFinder.phoneProblem(phone) { throw Failure("--phone: \(problem)", status: ExitCode.dataError) }
        if let email = o.email, !EmailAddress.isValid(email) {
            throw Failure("--email: \"\(email)\" is not an email address; expected something like name@example.com", status: ExitCode.dataError)
        }
        // Everything the command line says is read before the database is opened.
        let settings = CommandSettings.load()
        var duration: Int?
        do {
            duration = try o.duration.flatMap { try DurationText.parse($0, field: "--duration") }
        } catch {
            throw Failure("\(error)", status: ExitCode.dataError)
        }
        let now = Date()
        var occurredAt = now
        if let at = o.at {
            // As the screen's "When" field: looking back, never later than now.
            switch DueDateParser(calendar: settings.effectiveCalendar).loggedTime(at, now: now) {
            case .success(let date): occurredAt = date.date
            case .failure(let error): throw Failure("--at: \(error.message)", status: ExitCode.dataError)
            }
        }
        var body = o.body ?? ""
        // The line break `echo` adds is not part of the note.
        if o.body == "-" { body = String(try StandardInput.text(what: "the body").reversed().drop { $0.isNewline }.reversed()) }

        func interaction(contactID: Int64) -> Interaction {
            Interaction(contactID: contactID, kind: kind, direction: o.direction, occurredAt: occurredAt, durationSeconds: duration,
                        outcome: o.outcome, subject: o.subject, body: body, createdAt: now)
        }
        // Refused before the database is opened: signing in may add the
        // --user (a database that takes new logins), and a refused command
        // must leave nothing behind.
        // Each problem named by the option that gives the field.
        let problems = interaction(contactID: 0).validate().map { problem in
            problem.field == "body" && kind == .note && body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? FieldError("--body", "is empty; a note needs some text (--body TEXT, --body - for stdin, or --subject)")
                : ["subject", "outcome", "body", "duration"].contains(problem.field) ? FieldError("--" + problem.field, problem.message) : problem
        }
        if !problems.isEmpty { throw Failure(ValidationFailure(problems)) }

        let db = try Opening.repositories(option: o.db, acting: .person(o.user))
        do {
            var completed = false
            let logged = try db.transaction { () throws -> Interaction in
                let contactID = try resolveContact(o, in: db, region: settings.phoneRegion)
                // A call the call card logged already (`crm --call`, its note
                // saved before the hang-up hook ran) gets this report's
                // duration instead of a second row (QA 30 #13).
                if kind == .call, let card = CallPairing.cardCall(among: try CallPairing.recentCalls(of: contactID, in: db),
                                                                  contactID: contactID, direction: o.direction,
                                                                  authorID: db.currentUser.id, duration: duration, now: now,
                                                                  reportedAt: o.at == nil ? nil : occurredAt) {
                    var merged = card
                    if let duration { merged.durationSeconds = duration }
                    merged.subject = o.subject
                    if merged.outcome.isEmpty { merged.outcome = o.outcome }
                    if merged.body.isEmpty { merged.body = body }
                    completed = true
                    return merged == card ? card : try db.interactionRepository.update(merged)
                }
                return try db.interactionRepository.log(interaction(contactID: contactID))
            }
            if completed {
                Output.error("crm: the call card logged this call already (interaction \(logged.id)); "
                             + (duration.map { "its duration is now \(TimeFormat.duration($0))" } ?? "nothing added"))
            }
            Output.print("\(logged.id)")
            return ExitCode.ok
        } catch let failure as Failure {
            throw failure
        } catch RepositoryError.invalid(let invalid) {
            throw Failure(invalid.description, status: ExitCode.dataError)
        } catch {
            throw Failure(error, path: Opening.targetName(option: o.db))
        }
    }

    /// The one contact the options name: exit 1 when there is none, 65 when
    /// a number or address belongs to several (listed, for --contact).
    static func resolveContact(_ o: Options, in db: any CRMRepositories, region: PhoneRegion?) throws -> Int64 {
        if let id = o.contactID {
            let contact = try db.contactRepository.get(id)
            guard let contact, contact.deletedAt == nil else {
                throw Failure(try db.trashRepository.absence(.contact, id) + "; nothing was logged", status: ExitCode.failure)
            }
            return contact.id
        }
        // "a phone number matching": 0912 finds the numbers with those digits (QA 40 #10).
        let (what, found) = if let phone = o.phone {
            ("a phone number matching \(phone)", try ContactFinder.byPhone(phone, in: db, limit: 11, region: region))
        } else {
            ("the address \(o.email!)", try ContactFinder.byEmail(o.email!, in: db, limit: 11))
        }
        guard let first = found.first else { throw Failure("no contact has \(what)", status: ExitCode.failure) }
        guard found.count == 1 else {
            let list = found.prefix(10).map { "\($0.id) \($0.name)\($0.companyName.map { " (\($0))" } ?? "")" }.joined(separator: "; ")
            throw Failure("\(found.count > 10 ? "more than 10" : "\(found.count)") contacts have \(what): \(list); "
                          + "say which with --contact ID", status: ExitCode.dataError)
        }
        return first.id
    }
}

/// What a command reads from stdin, as text.
enum StandardInput {
    /// All of stdin as bytes.
    static func bytes() throws -> [UInt8] {
        do {
            return Array(try FileHandle.standardInput.readToEnd() ?? Data())
        } catch {
            throw Failure("cannot read stdin: \(error.localizedDescription)", status: ExitCode.ioError)
        }
    }

    /// All of stdin as UTF-8 text (65 when it is not).
    static func text(what: String) throws -> String {
        let data = try bytes()
        guard let text = String(validating: data, as: UTF8.self) else {
            throw Failure("\(what) on stdin is not UTF-8 text", status: ExitCode.dataError)
        }
        return text
    }
}
