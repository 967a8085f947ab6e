import CRMCore
import CRMRepositories
import Foundation

extension TimelineViewModel: WorkspaceView {
    public var kind: ViewKind { .timeline }

    public var keyBindings: [KeyBinding] {
        let contact = entries.selectedRow?.interaction.contactID
        let none = entries.selectedRow == nil ? "nothing selected" : (contact == nil ? "no customer on this entry" : nil)
        return KeyBinding.listNavigation(row: "entry", first: "Newest", last: "Oldest loaded") + [
            KeyBinding([.enter], .open, "Open the customer", hint: true, disabled: none),
            KeyBinding([.char("/")], .search, "Search the text", hint: true),
            KeyBinding([.char("t")], .filterKind, "Cycle type: all, call, email, meeting, note, message, stage", hint: true),
            KeyBinding([.char("o")], .filterMine, "Filter by author", hint: true),
            KeyBinding([.char("D")], .filterDates, "Filter by dates", hint: true),
            KeyBinding([.char("e")], .editEntry, "Edit the entry", hint: true, disabled: InteractionForm.lockedReason(entries.selectedRow), hintTitle: "edit entry"),
            KeyBinding([.char("d")], .deleteEntry, "Delete the entry (to trash)",
                       disabled: InteractionForm.lockedReason(entries.selectedRow)),
            KeyBinding([.char("x")], .clearFilters, "Clear all filters", disabled: isFiltered ? nil : "no filter set"),
            KeyBinding([.char("f")], .followUp, "New follow-up for this customer", disabled: none),
            KeyBinding([.char("c")], .call, "Call mode", disabled: none),
            KeyBinding([.char("n")], .logNote, "Log note, email, meeting…", disabled: none),
            context.undoBinding(in: .timeline),
        ]
    }

    public func handle(_ key: Key) -> Bool {
        if isSearching { return handleSearchKey(key) }
        if key == .escape, isFiltered {
            clearFilters()
            return true
        }
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    public func perform(_ action: ActionID) {
        let entry = entries.selectedRow
        let contactID = entry?.interaction.contactID
        let name = entry?.contactName ?? "this customer"
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: entries.viewport)
        case .pageUp: move(by: -entries.viewport)
        case .top: move(by: -entries.rows.count)
        case .bottom: move(by: entries.rows.count)
        case .open: if let contactID { context.openContact(contactID) }
        case .search: isSearching = true
        case .filterKind: cycleKind()
        case .filterMine: askAuthor()
        case .filterDates: askDates()
        case .clearFilters: clearFilters()
        case .followUp:
            if let contactID {
                context.present(.form(FollowUpForm.make(context: context, contactID: contactID,
                                                        dealID: entry?.interaction.dealID, about: name)))
            }
        case .call: if let contactID { ContactShortcuts.call(contactID, context: context) { [unowned self] in reload() } }
        case .logNote: if let contactID { ContactShortcuts.note(contactID, name: name, context: context) { [unowned self] in reload() } }
        case .editEntry:
            if let entry, InteractionForm.lockedReason(entry) == nil {
                context.present(.form(InteractionForm.edit(context: context, entry.interaction, about: name) { [unowned self] in
                    reload(keepWindow: true)
                }))
            }
        case .deleteEntry:
            if let entry, InteractionForm.lockedReason(entry) == nil {
                InteractionForm.delete(context: context, entry.interaction, about: name) { [unowned self] in reload() }
            }
        case .undo: context.undo(in: .timeline)
        default: break
        }
    }

    public func activate() { reload() }
    public func refresh() { reload(keepWindow: true) }

    /// Search as you type: each key narrows the list at once.
    private func handleSearchKey(_ key: Key) -> Bool {
        switch key {
        case .enter:
            isSearching = false
        case .escape:
            isSearching = false
            searchChanged(to: "")
        case .down: move(by: 1)
        case .up: move(by: -1)
        default:
            let before = search.text
            if search.handle(key), search.text != before { searchChanged(to: search.text) }
        }
        return true
    }
}
