import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm log-email [--direction in|out] [--create] [--force] [--contact ID] [--user LOGIN] [--db PATH]`
//
// Reads one mail, or an mbox of several, on stdin (neomutt's pipe-message,
// aerc's :pipe -m) and logs each as an email on its contact's timeline:
// the contact of the From address for mail received, of the first To/Cc
// address for mail sent (From is one of my_addresses). Once per
// Message-ID. The whole input is read first: if any mail in it cannot be
// read, nothing is logged (65). All mails are then logged in one
// transaction. One line per mail, and a summary line for an mbox.
enum LogEmailCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "log-email")
        var request = MailLogRequest()
        var user: String?
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--direction", let v):
                let text = try reader.value("--direction", inline: v, expected: "in or out")
                guard let d = Direction(rawValue: text.lowercased()), d != .none else { throw reader.fail("--direction is \"\(text)\"; expected in or out") }
                request.direction = d
            case .option("--create", let v): request.create = try reader.flag("--create", inline: v)
            case .option("--force", let v): request.force = try reader.flag("--force", inline: v)
            case .option("--contact", let v):
                let text = try reader.value("--contact", inline: v, expected: "a contact id (a whole number)")
                guard let id = Int64(text), id > 0 else { throw reader.fail("--contact is \"\(text)\"; expected a contact id (a whole number)") }
                request.contactID = id
            case .option("--user", let v): user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("log-email"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        if request.create && request.contactID != nil { throw reader.fail("--create and --contact exclude each other") }
        // Typed at a prompt, it would wait for a mail on the keyboard.
        guard isatty(STDIN_FILENO) == 0 else { throw reader.fail("pipe a mail or an mbox into it, e.g. crm log-email < mail.eml") }
        request.settings = CommandSettings.load()
        let messages: [MailMessage]
        do {
            messages = try Mailbox.messages(try StandardInput.bytes())
        } catch let error as MailError {
            throw Failure("stdin, \(error); nothing was logged", status: ExitCode.dataError)
        }
        let db = try Opening.repositories(option: dbOption, acting: .person(user))
        if let id = request.contactID {
            let contact = try db.contactRepository.get(id)
            guard let contact, contact.deletedAt == nil else {
                throw Failure(try db.trashRepository.absence(.contact, id) + "; nothing was logged", status: ExitCode.failure)
            }
        }
        let outcomes: [MailLogOutcome]
        do {
            outcomes = try MailLogger(repositories: db, clock: db.clock).log(messages, request)
        } catch let invalid as ValidationFailure {
            throw Failure("\(invalid.description); nothing was logged", status: ExitCode.dataError)
        } catch RepositoryError.invalid(let invalid) {
            throw Failure("\(invalid.description); nothing was logged", status: ExitCode.dataError)
        } catch {
            throw Failure(error, path: Opening.targetName(option: dbOption))
        }
        for (index, (message, outcome)) in zip(messages, outcomes).enumerated() {
            let line = describe(outcome, message, number: messages.count > 1 ? index + 1 : nil)
            if case .logged = outcome { Output.print(line) } else if case .alreadyLogged = outcome { Output.print(line) } else { Output.error(line) }
        }
        if messages.count > 1 { Output.print(summary(outcomes)) }
        return status(outcomes)
    }

    /// 65 when a mail's address belongs to several contacts, 1 when one has
    /// no contact, else 0 (logged, already logged and skipped are fine).
    static func status(_ outcomes: [MailLogOutcome]) -> Int32 {
        if outcomes.contains(where: { if case .ambiguous = $0 { true } else { false } }) { return ExitCode.dataError }
        if outcomes.contains(where: { if case .unknown = $0 { true } else { false } }) { return ExitCode.failure }
        return ExitCode.ok
    }

    /// One line about one mail; `number`: its place in an mbox.
    static func describe(_ outcome: MailLogOutcome, _ m: MailMessage, number: Int?) -> String {
        let about = "\"\(m.subject.isEmpty ? "(no subject)" : m.subject)\""
        let prefix = number.map { "mail \($0) (line \(m.line)): " } ?? ""
        switch outcome {
        case .logged(let id, let contactID, let name, let created):
            return "\(prefix)logged email \(id) \(about) on \(name) (contact \(contactID)\(created ? ", new" : ""))"
        case .alreadyLogged(let id, let inTrash):
            return "\(prefix)already logged: \(about) is email \(id)\(inTrash ? " (in the trash)" : "")"
        case .skipped(let reason):
            return "crm: \(prefix)skipped \(about): \(reason); --force logs it"
        case .unknown(let addresses):
            if addresses.isEmpty { return "crm: \(prefix)not logged \(about): it has no address other than your own; --contact ID picks a contact" }
            return "crm: \(prefix)not logged \(about): no contact has \(addresses.joined(separator: ", ")); --create makes one, --contact ID picks one"
        case .ambiguous(let address, let contacts):
            let list = contacts.map { "\($0.id) \($0.name)" }.joined(separator: "; ")
            return "crm: \(prefix)not logged \(about): \(address) belongs to several contacts (\(list)); say which with --contact ID"
        }
    }

    static func summary(_ outcomes: [MailLogOutcome]) -> String {
        var counts = [0, 0, 0, 0]
        for outcome in outcomes {
            switch outcome {
            case .logged: counts[0] += 1
            case .alreadyLogged: counts[1] += 1
            case .skipped: counts[2] += 1
            case .unknown, .ambiguous: counts[3] += 1
            }
        }
        return "\(outcomes.count) mails: \(counts[0]) logged, \(counts[1]) already logged, \(counts[2]) skipped, \(counts[3]) not logged"
    }
}
