import CRMCore
import Foundation

extension AppModel {
    /// Enter on a follow-up or a timeline entry: the customer in the contacts
    /// workspace, the timeline pane focused.
    public func openContact(_ id: Int64) {
        contacts.show(contactID: id)
        contacts.focus = .timeline
        run(.showContacts)
    }
}
