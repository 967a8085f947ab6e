import CRMCore
import CRMRepositories
import Foundation

// The audit trail from anywhere: W (or the palette) opens the whole log for
// managers and admins; Enter on an entry shows its record.
extension AppModel {
    /// Why this user may not read the whole audit trail, or nil when they may.
    /// One place to ask, so the key, the palette and the action agree.
    var globalAuditRefusal: String? { Permission.readGlobalAudit.refusal(for: repositories.currentUser.role) }

    var auditBinding: KeyBinding {
        KeyBinding([.char("W")], .auditTrail, "Audit trail: who changed what, everyone's", disabled: globalAuditRefusal)
    }

    func showAuditTrail() {
        if let reason = globalAuditRefusal {
            status("Audit trail: \(reason)", .warning)
            return
        }
        present(.audit(AuditModel(context: self)))
    }

    func handleAuditKey(_ key: Key, _ model: AuditModel) {
        switch model.handle(key) {
        case .stay: break
        case .close:
            if case .audit(let shown) = overlay, shown === model { overlay = nil }
        case .open(let entity, let id):
            // A user, a stage, an import batch…: no screen shows one, so the
            // log stays up and says so (it used to close without a word).
            guard Self.openableEntities.contains(entity) else {
                status("There is no screen for a \(entity); the log stays open", .warning)
                return
            }
            overlay = nil
            openRecord(entity: entity, id: id)
        }
    }

    /// The kinds of record `openRecord` can show.
    static let openableEntities: Set<String> = ["contact", "company", "deal", "follow-up", "interaction"]

    /// Shows the record an audit entry is about, where it lives.
    public func openRecord(entity: String, id: Int64) {
        switch entity {
        case "contact": openContact(id)
        case "company":
            // Activating the view reloads its list: the company is shown after.
            run(.showContacts)
            contacts.show(companyID: id)
        case "deal":
            run(.showPipeline)
            pipeline.openDetail(id)
        case "follow-up", "interaction":
            // Shown on their contact's timeline.
            guard let contactID = read("the \(entity)", { try contactOf(entity: entity, id: id) }) ?? nil else {
                status("The \(entity) \(id) belongs to no contact to show", .warning)
                return
            }
            openContact(contactID)
        default:
            status("There is no screen for a \(entity)", .warning)
        }
    }

    private func contactOf(entity: String, id: Int64) throws -> Int64? {
        if entity == "follow-up" { return try repositories.followUpRepository.get(id)?.contactID }
        return try repositories.interactionRepository.get(id)?.contactID
    }
}
