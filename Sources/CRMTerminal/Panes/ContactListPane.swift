import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The contact (or company) list: a box with the search line, column headers
/// and the visible window of rows.
enum ContactListPane {
    static let contactColumns = [
        ColumnSpec(title: "Name", minWidth: 14, priority: 0, flex: 3),
        ColumnSpec(title: "Company", minWidth: 10, priority: 1, flex: 2),
        ColumnSpec(title: "Phone", minWidth: 16, priority: 2, flex: 0),
        ColumnSpec(title: "Last contact", minWidth: 12, priority: 3, flex: 0),
        ColumnSpec(title: "Email", minWidth: 16, priority: 4, flex: 2),
        ColumnSpec(title: "Owner", minWidth: 6, priority: 5, flex: 0),
    ]
    /// While a search is typed: what each row matched comes second, wide
    /// enough for an email address or a few words of a note.
    static let searchColumns = [
        ColumnSpec(title: "Name", minWidth: 14, priority: 0, flex: 2),
        ColumnSpec(title: "Matched", minWidth: 20, priority: 1, flex: 3),
        ColumnSpec(title: "Company", minWidth: 10, priority: 2, flex: 1),
        ColumnSpec(title: "Phone", minWidth: 16, priority: 3, flex: 0),
        ColumnSpec(title: "Last contact", minWidth: 12, priority: 4, flex: 0),
        ColumnSpec(title: "Email", minWidth: 16, priority: 5, flex: 2),
        ColumnSpec(title: "Owner", minWidth: 6, priority: 6, flex: 0),
    ]
    /// The same, when no row on screen matched outside its name: the
    /// Matched column would be empty, so it gives way first and Company
    /// tells namesakes apart (QA 41 #10: five "أحمد العلي" at 80 columns
    /// and nothing else on their rows).
    static let searchColumnsByName = searchColumns.enumerated().map { i, spec in
        i == 1 ? ColumnSpec(title: spec.title, minWidth: spec.minWidth, priority: 9, flex: spec.flex) : spec
    }
    static let companyColumns = [
        ColumnSpec(title: "Company", minWidth: 16, priority: 0, flex: 3),
        ColumnSpec(title: "Domain", minWidth: 12, priority: 2, flex: 2),
        ColumnSpec(title: "Contacts", minWidth: 8, priority: 1, flex: 0, align: .right),
        ColumnSpec(title: "Owner", minWidth: 6, priority: 3, flex: 0),
    ]

    static func render(_ vm: ContactsViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        let focused = vm.focus == .list
        let count = vm.mode == .contacts ? vm.contacts.rows.count : vm.companies.rows.count
        let more = (vm.mode == .contacts ? vm.contacts.moreAfter : vm.companies.moreAfter) ? "+" : ""
        let noun = vm.showingTrash ? "Trash" : (vm.mode == .contacts ? "Contacts" : "Companies")
        let summary = vm.filterSummary
        let title = "\(noun)\(summary.isEmpty ? "" : " · " + summary)"
        screen.box(rect, title: title, style: focused ? .borderFocused : .border)
        var inner = rect.inset(by: 1)
        var caret: Point?
        if vm.isSearching || !vm.searchText.isEmpty {
            screen.put("/", at: inner.origin, style: .accent)
            let p = EditorView.draw(vm.search, at: Point(x: inner.x + 2, y: inner.y), width: inner.width - 2,
                                    style: vm.isSearching ? .field : .normal, on: screen)
            if vm.isSearching { caret = p }
            inner = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        let searching = vm.mode == .contacts && !vm.showingTrash && !vm.searchText.isEmpty
        let byName = searching && !vm.contacts.visibleRows.prefix(max(inner.height - 1, 0)).contains { SearchRowCells.matchedElsewhere($0.match) }
        let specs = vm.mode == .contacts ? (searching ? (byName ? searchColumnsByName : searchColumns) : contactColumns) : companyColumns
        let layout = ColumnLayout(specs, width: inner.width)
        for column in layout.shown {
            screen.put(DisplayWidth.pad(specs[column.index].title, to: column.width, align: specs[column.index].align),
                       at: Point(x: inner.x + column.x, y: inner.y), style: .header)
        }
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        if count == 0 {
            let message = vm.listReadFailed ? "The list could not be read (the status line says why); it is read again when the database answers."
                : vm.showingTrash ? "The trash is empty. Esc goes back to the contacts."
                : vm.searchProblem.map { "\($0). Esc clears the search." }
                ?? (vm.isFiltered ? "Nothing matches. Esc clears the search and filters." : nil)
                ?? (vm.mode == .contacts ? "No contacts yet. Press a to add one." : "No companies yet. Press a to add one.")
            screen.put(message, at: Point(x: body.x + 1, y: body.y + 1), style: vm.listReadFailed ? .warning : .dim, width: body.width - 1)
            return caret
        }
        if searching {
            let highlight = SearchHighlight(vm.searchText)
            for (n, row) in vm.contacts.visibleRows.enumerated() where n < body.height {
                let index = vm.contacts.scrollTop + n
                let style: Style = index == vm.contacts.selected ? (focused ? .selected : .selectedInactive) : .normal
                let cells = SearchRowCells.cells(row, highlight: highlight, lastContact: row.lastInteractionAt.map { timeFormat.relative($0, now: now) } ?? "never")
                SearchRowCells.draw(cells, specs: specs, layout: layout, y: body.y + n, x: body.x, width: body.width, style: style, on: screen)
            }
        } else if vm.mode == .contacts {
            for (n, row) in vm.contacts.visibleRows.enumerated() where n < body.height {
                let index = vm.contacts.scrollTop + n
                let style: Style = index == vm.contacts.selected ? (focused ? .selected : .selectedInactive) : .normal
                // A marked row (Space, to reassign together) shows a dot before its name.
                let values = [(vm.marked.contains(row.id) ? "● " : "") + row.name, row.companyName ?? "", row.shownPhone ?? "",
                              row.lastInteractionAt.map { timeFormat.relative($0, now: now) } ?? "never",
                              row.email ?? "", row.ownerLogin ?? ""]
                drawRow(values, specs: specs, layout: layout, y: body.y + n, x: body.x, width: body.width, style: style, on: screen)
            }
        } else {
            for (n, row) in vm.companies.visibleRows.enumerated() where n < body.height {
                let index = vm.companies.scrollTop + n
                let style: Style = index == vm.companies.selected ? (focused ? .selected : .selectedInactive) : .normal
                drawRow([row.name, row.domain, "\(row.contactCount)", row.ownerLogin ?? ""], specs: specs, layout: layout,
                        y: body.y + n, x: body.x, width: body.width, style: style, on: screen)
            }
        }
        // Position in the whole list (or in all the search finds) in the
        // bottom border: "12/250", or "1/10000+" when a broad search
        // stopped counting.
        var position: String
        if let counter = vm.listPosition {
            position = " \(counter) "
        } else {
            let selected = (vm.mode == .contacts ? vm.contacts.selected : vm.companies.selected) + 1
            position = " \(selected)/\(count)\(more) "
        }
        position = timeFormat.number(position)
        screen.put(position, at: Point(x: rect.maxX - DisplayWidth.width(of: position) - 2, y: rect.maxY - 1), style: .dim)
        return caret
    }

    static func drawRow(_ values: [String], specs: [ColumnSpec], layout: ColumnLayout, y: Int, x: Int, width: Int, style: Style, on screen: Screen) {
        screen.put("", at: Point(x: x, y: y), style: style, width: width)
        for column in layout.shown {
            let text = DisplayWidth.pad(TextSanitizer.singleLine(values[column.index]), to: column.width, align: specs[column.index].align)
            screen.put(text, at: Point(x: x + column.x, y: y), style: style, width: column.width)
        }
    }
}
