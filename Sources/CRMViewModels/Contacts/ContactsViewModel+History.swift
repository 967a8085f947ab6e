import CRMCore
import CRMRepositories
import Foundation

// Correcting the logged history from the contact's (or company's) timeline
// pane: e edits the selected entry, d moves it to the trash; u undoes either.
extension ContactsViewModel {
    /// Whom the selected entry is about, as forms and messages name it.
    private var entryAbout: String {
        timeline.selectedRow?.contactName ?? detail?.contact.name ?? companyDetail?.company.name ?? "this customer"
    }

    func editTimelineEntry() {
        guard let entry = timeline.selectedRow, InteractionForm.lockedReason(entry) == nil else { return }
        context.present(.form(InteractionForm.edit(context: context, entry.interaction, about: entryAbout) { [unowned self] in
            refresh()
            selectTimelineEntry(entry.id)
        }))
    }

    func deleteTimelineEntry() {
        guard let entry = timeline.selectedRow, InteractionForm.lockedReason(entry) == nil else { return }
        InteractionForm.delete(context: context, entry.interaction, about: entryAbout) { [unowned self] in refresh() }
    }

    /// Selects an entry by id once the timeline is reloaded (a back-dated
    /// entry is not at the top); the first entry when it is not loaded.
    func selectTimelineEntry(_ id: Int64) {
        timeline.select(timeline.rows.firstIndex { $0.id == id } ?? 0)
    }
}
