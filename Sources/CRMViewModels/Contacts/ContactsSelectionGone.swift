import CRMCore
import CRMRepositories

/// QA 43: a colleague deleted the contact a rep had selected; the list just
/// moved on (or read "Nothing matches.") without a word. The status line now
/// says what happened to it, by whom, and where the selection is.
extension ContactsViewModel {
    func sayWhereTheSelectionWent(from gone: ContactSummary) {
        let by = repos.byLastWriter("contact", gone.id)
        let now = try? repos.contactRepository.get(gone.id)
        let what = if now == nil || now?.deletedAt != nil {
            "\(gone.name) was deleted\(by) meanwhile (Z lists the trash)"
        } else {
            "\(gone.name) was changed\(by) meanwhile and left this list"
        }
        let next = contacts.selectedRow.map { "; the selection moved to \($0.name)" } ?? ""
        context.status(what + next, .warning)
    }
}
