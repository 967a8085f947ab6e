import CRMCore
import CRMExchange
import CRMRepositories
import Foundation

/// What `crm log-email` was asked to do with the mails it reads.
public struct MailLogRequest: Sendable {
    /// nil: outgoing when the From address is one of `myAddresses`, else incoming.
    public var direction: Direction?
    /// Make a contact for an unknown correspondent (a lead named after the display name).
    public var create = false
    /// Log mail from lists and robots too.
    public var force = false
    /// Log on this contact, whatever the addresses say.
    public var contactID: Int64?
    /// The user's own addresses (settings: `my_addresses`).
    public var settings = Settings()

    public init(direction: Direction? = nil, create: Bool = false, force: Bool = false, contactID: Int64? = nil,
                settings: Settings = Settings()) {
        self.direction = direction; self.create = create; self.force = force; self.contactID = contactID; self.settings = settings
    }
}

/// What became of one mail.
public enum MailLogOutcome: Equatable, Sendable {
    case logged(interactionID: Int64, contactID: Int64, contactName: String, createdContact: Bool)
    /// Its Message-ID was logged before (`inTrash`: that interaction was deleted since).
    case alreadyLogged(interactionID: Int64, inTrash: Bool)
    /// From a list or a robot (the reason), and not `force`d.
    case skipped(String)
    /// No contact has any of these addresses.
    case unknown([String])
    /// This address belongs to several contacts: which one is meant is not clear.
    case ambiguous(String, [ContactSummary])
}

/// Logs mails read by `Mailbox` as email interactions: on the contact of
/// the From address (incoming) or of the first To/Cc address that is not
/// the user's own (outgoing), once per Message-ID. All mails of one run are
/// one transaction: a failure of the database writes none of them, and the
/// outcomes come back only when everything is saved.
public final class MailLogger {
    let repositories: any CRMRepositories
    let clock: any Clock

    public init(repositories: any CRMRepositories, clock: any Clock = SystemClock()) {
        self.repositories = repositories
        self.clock = clock
    }

    public func log(_ messages: [MailMessage], _ request: MailLogRequest) throws -> [MailLogOutcome] {
        try repositories.transaction {
            try messages.map { try log($0, request) }
        }
    }

    private func log(_ message: MailMessage, _ request: MailLogRequest) throws -> MailLogOutcome {
        let messageID = message.messageID ?? Self.standInID(message)
        if let earlier = try repositories.externalLogRepository.interaction(messageID: messageID) {
            return .alreadyLogged(interactionID: earlier.id, inTrash: earlier.deletedAt != nil)
        }
        if !request.force, let reason = message.automated { return .skipped(reason) }
        let fromMe = message.from.contains { request.settings.isMine($0.address) }
        let direction = request.direction ?? (fromMe ? .outbound : .inbound)
        let candidates = (direction == .outbound ? message.to + message.cc : message.from)
            .filter { !request.settings.isMine($0.address) }
        var contact: (id: Int64, name: String)?
        var created = false
        if let id = request.contactID {
            guard let chosen = try repositories.contactRepository.get(id), chosen.deletedAt == nil else {
                throw RepositoryError.notFound(entity: "contact", id: id)
            }
            contact = (chosen.id, chosen.name)
        } else {
            for candidate in candidates {
                let found = try ContactFinder.byEmail(candidate.address, in: repositories, limit: 10)
                if found.count > 1 { return .ambiguous(candidate.address, found) }
                if let one = found.first {
                    contact = (one.id, one.name)
                    break
                }
            }
        }
        if contact == nil {
            guard request.create, let first = candidates.first(where: { EmailAddress.isValid($0.address) }) else {
                return .unknown(candidates.map(\.address))
            }
            let made = try repositories.contactRepository.create(Contact(
                name: Self.name(for: first), emails: [EmailAddress(first.address)], ownerID: repositories.currentUser.storedID,
                lifecycle: .lead, source: "email", createdAt: clock.now, updatedAt: clock.now))
            contact = (made.id, made.name)
            created = true
        }
        let now = clock.now
        let logged = try repositories.externalLogRepository.logMail(Interaction(
            // A Date: header later than now (a sender's wrong clock, spam)
            // is taken as now: it would put "last contact" in the future
            // and keep the customer off Needs attention (QA 45 SC #3).
            contactID: contact!.id, kind: .email, direction: direction, occurredAt: min(message.date ?? now, now),
            subject: Self.limited(message.subject, to: 500), body: Self.limited(message.body, to: 1_000_000), createdAt: now),
            messageID: messageID)
        return .logged(interactionID: logged.id, contactID: contact!.id, contactName: contact!.name, createdContact: created)
    }

    /// A contact's name from an address: its display name, else the part
    /// before the @ ("erika.huber" → "erika.huber").
    static func name(for address: MailAddress) -> String {
        let shown = address.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let name = shown.isEmpty || shown.contains("@") ? String(address.address.split(separator: "@").first ?? "") : shown
        return limited(name, to: 200)
    }

    /// At most `count` characters; a cut text ends in "…".
    static func limited(_ text: String, to count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// For a mail without a Message-ID: one made from what identifies it
    /// (From, Date, Subject, body), so piping it again still logs it once.
    static func standInID(_ message: MailMessage) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let key = [message.from.map(\.address).joined(separator: ","), message.headers.first("Date") ?? "", message.subject, message.body]
            .joined(separator: "\u{0}")
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "no-message-id-\(String(hash, radix: 16))@crm.invalid"
    }
}
