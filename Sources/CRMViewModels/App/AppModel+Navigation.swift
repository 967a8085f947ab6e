import CRMCore
import CRMRepositories
import Foundation

extension AppModel {
    /// Enter on a follow-up or a timeline entry: the customer in the contacts
    /// workspace, the timeline pane focused.
    public func openContact(_ id: Int64) {
        guard contacts.show(contactID: id) else {
            // Never some other contact in its place: say why it cannot open.
            let contact = try? repositories.contactRepository.get(id)
            let name = contact.map { "\"\($0.name)\"" } ?? "Contact \(id)"
            status(contact?.deletedAt != nil ? "\(name) is in the trash (Z shows the trash, to restore it)" : "\(name) no longer exists",
                   .warning)
            return
        }
        contacts.focus = .timeline
        // Just loaded: the switch need not read the list and details again.
        contacts.loadedForActivation = true
        defer { contacts.loadedForActivation = false }
        run(.showContacts)
    }

    public func openDeal(_ id: Int64, returnTo: ViewKind? = nil) {
        run(.showPipeline)
        pipeline.openDetail(id, returnTo: returnTo)
    }

    public func switchTo(_ kind: ViewKind) {
        run(kind.showAction)
    }

    public func showFollowUps(_ filter: FollowUpFilter, about label: String, returnTo: ViewKind) {
        run(.showToday)
        today.showList(FollowUpListModel(context: self, filter: filter, labels: [filter.dealID != nil ? "deal" : "customer": label], returnTo: returnTo))
    }
}
