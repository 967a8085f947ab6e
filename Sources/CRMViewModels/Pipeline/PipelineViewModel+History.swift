import CRMCore
import CRMRepositories
import Foundation

// Correcting the logged history from a deal's details: j/k select a timeline
// entry, E edits it, D moves it to the trash; u undoes either.
extension PipelineViewModel {
    /// The highlighted entry of the deal's timeline.
    var selectedDetailEntry: TimelineEntry? {
        guard let d = detail, d.timeline.indices.contains(d.timelineTop) else { return nil }
        return d.timeline[d.timelineTop]
    }

    func editDetailEntry() {
        guard let entry = selectedDetailEntry, let dealID = detail?.card.id, InteractionForm.lockedReason(entry) == nil else { return }
        context.present(.form(InteractionForm.edit(context: context, entry.interaction, about: entryAbout(entry)) { [unowned self] in
            afterWrite(dealID: dealID)
        }))
    }

    func deleteDetailEntry() {
        guard let entry = selectedDetailEntry, let dealID = detail?.card.id, InteractionForm.lockedReason(entry) == nil else { return }
        InteractionForm.delete(context: context, entry.interaction, about: entryAbout(entry)) { [unowned self] in
            afterWrite(dealID: dealID)
        }
    }

    private func entryAbout(_ entry: TimelineEntry) -> String {
        entry.contactName ?? detail?.card.deal.title ?? "the deal"
    }
}
