import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The global timeline: every interaction of every customer, newest first,
/// with the search line and the active filters in the title.
public enum GlobalTimelinePane {
    @discardableResult
    public static func render(_ vm: TimelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        var listRect = rect
        var caret: Point?
        if vm.isSearching || !vm.search.text.isEmpty {
            screen.put("/", at: Point(x: rect.x + 1, y: rect.y), style: .accent)
            let p = EditorView.draw(vm.search, at: Point(x: rect.x + 3, y: rect.y), width: rect.width - 4,
                                    style: vm.isSearching ? .field : .normal, on: screen)
            if vm.isSearching { caret = p }
            listRect = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        }
        TimelinePane.render(vm.entries, expanded: [], title: "Timeline · \(vm.filterSummary)", focused: true,
                            in: listRect, on: screen, now: now, timeFormat: timeFormat, showContact: true)
        if vm.entries.rows.isEmpty && vm.loadFailed {
            screen.put("The timeline could not be read (the status line says why); it is read again when the database answers.",
                       at: Point(x: listRect.x + 2, y: listRect.y + 1), style: .warning, width: listRect.width - 3)
        } else if vm.entries.rows.isEmpty && vm.isFiltered {
            screen.put(vm.searchProblem.map { "\($0). x clears the filters." } ?? "Nothing matches. x clears the filters.", at: Point(x: listRect.x + 2, y: listRect.y + 1), style: .dim,
                       width: listRect.width - 3)
        }
        return caret
    }
}
