import CRMCore
import CRMRepositories
import Foundation

extension AppModel {
    /// Enter on a follow-up or a timeline entry: the customer in the contacts
    /// workspace, the timeline pane focused.
    public func openContact(_ id: Int64) {
        contacts.show(contactID: id)
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
