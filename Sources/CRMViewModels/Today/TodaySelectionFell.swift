import CRMCore
import CRMRepositories
import Foundation

/// QA 43: a colleague's write took the selected row out of Today (marked it
/// done, snoozed it, logged a call to the contact), the selection went on to
/// the row below without a word, and the next `d` deleted that one. As on
/// the board (`PipelineViewModel.focusFellOn`), the status line says which
/// row left and why, and the first key that acts on a row is refused once,
/// naming the row it would act on now.
extension TodayViewModel {
    /// What acts on the selected row (or the marked ones).
    static let rowActions: Set<ActionID> = [.done, .snooze, .reschedule, .reassign, .setCadence, .edit, .cancelFollowUp, .delete,
                                            .call, .logNote, .open, .followUp, .toggleMark]

    /// A colleague's change: the lists are built again, and a selected row
    /// that left them is said.
    func refreshAfterAColleague() {
        let before = list == nil ? selectedItem.map { (section, $0) } : nil
        selectionFellOn = nil
        reload()
        guard let (wasIn, gone) = before, let now = selectedItem else { return }
        guard section != wasIn || now.versionedID.id != gone.versionedID.id else { return }
        // Still listed (another row came in above it, or it moved within
        // its section): the selection stayed on it, nothing to say.
        if section == wasIn, pagers[section]?.window.contains(where: { $0.versionedID.id == gone.versionedID.id }) == true { return }
        let why = "\(Self.label(gone)) \(whyItLeft(gone))"
        // Said with the news first: at 80 columns the end is cut.
        context.status("\(why); the selection moved to \(Self.label(now))", .warning)
        selectionFellOn = (section, now.versionedID.id, why)
    }

    /// True when `action` was refused: the first row action after the
    /// selection fell on a row says which row it is now; the same key again
    /// acts on it.
    func refusedOnARowTheSelectionFellOn(_ action: ActionID) -> Bool {
        guard let fell = selectionFellOn else { return false }
        selectionFellOn = nil
        guard list == nil, Self.rowActions.contains(action), let item = selectedItem,
              section == fell.section, item.versionedID.id == fell.id else { return false }
        context.status("Not done: \(fell.why); the selection is on \(Self.label(item)) now — the same key again acts on it", .warning)
        return true
    }

    static func label(_ item: Item) -> String {
        switch item {
        case .followUp(let row): "\"\(row.followUp.title)\"" + (row.contactName.map { " (\($0))" } ?? "")
        case .attention(let row): row.name
        }
    }

    /// Why a row is no longer listed, from the record as it is now and the
    /// newest entry of its audit trail (who did it).
    private func whyItLeft(_ item: Item) -> String {
        switch item {
        case .followUp(let row):
            let by = repos.byLastWriter("follow-up", row.id)
            guard let now = try? repos.followUpRepository.get(row.id), now.deletedAt == nil else { return "was deleted\(by) meanwhile" }
            if now.status != .open { return "was marked \(now.status.rawValue)\(by) meanwhile" }
            if now.assigneeID != row.followUp.assigneeID { return "was reassigned\(by) meanwhile" }
            if now.dueAt != row.followUp.dueAt { return "was moved to \(context.timeFormat.due(now.dueAt, now: context.clock.now))\(by) meanwhile" }
            return "left this list meanwhile"
        case .attention(let row):
            guard let contact = try? repos.contactRepository.get(row.contactID), contact.deletedAt == nil else { return "was deleted meanwhile" }
            return "was contacted or snoozed meanwhile"
        }
    }
}
