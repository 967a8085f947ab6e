import CRMViewModels
import Foundation

/// The whole contacts workspace: list, details, timeline.
enum ContactsWorkspacePane {
    /// Draws the panes; returns where the caret goes (the search line), if shown.
    static func render(_ vm: ContactsViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        let layout = ContactsLayout(rect)
        let caret = ContactListPane.render(vm, in: layout.list, on: screen, now: now, timeFormat: timeFormat)
        DetailPane.render(vm, in: layout.details, on: screen, now: now, timeFormat: timeFormat)
        TimelinePane.render(vm.timeline, expanded: vm.expanded, title: "Timeline", focused: vm.focus == .timeline,
                            in: layout.timeline, on: screen, now: now, timeFormat: timeFormat)
        return caret
    }
}
