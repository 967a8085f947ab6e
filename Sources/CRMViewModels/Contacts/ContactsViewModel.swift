import CRMCore
import CRMRepositories
import Foundation

/// The contacts workspace: a keyset-paged list of contacts (or companies),
/// the selected one's details, and its timeline, newest first.
public final class ContactsViewModel {
    public enum Pane: Int, CaseIterable, Sendable { case list, details, timeline }
    public enum Mode: Sendable { case contacts, companies }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }

    public internal(set) var mode: Mode = .contacts
    public internal(set) var focus: Pane = .list
    public internal(set) var contacts = ListWindow<ContactSummary>()
    public internal(set) var companies = ListWindow<CompanySummary>()
    public internal(set) var sort: ContactSort = .name
    public internal(set) var filter = ContactFilter()
    /// The search line; `isSearching` while the user is typing into it.
    public internal(set) var search = LineEditor()
    public internal(set) var isSearching = false
    public internal(set) var detail: ContactDetail?
    public internal(set) var companyDetail: CompanyDetail?
    /// Contacts marked with Space, to reassign together (O).
    public internal(set) var marked: Set<Int64> = []
    /// The selected contact within a company's details.
    public internal(set) var companyContactSelected = 0
    public internal(set) var timeline = ListWindow<TimelineEntry>(capacity: 2000)
    public internal(set) var expanded: Set<Int64> = []
    /// First line shown in the details pane (j/k scroll it when it has the focus).
    public internal(set) var detailScroll = 0
    /// The place of the first loaded row in the whole list, and the list's
    /// length: what the "position/total" in the list's border says.
    public internal(set) var listOffset = 0
    public internal(set) var listTotal: Int?
    /// False when a search found more rows than it counts on each key
    /// (`searchCountLimit`): then there are more than `listTotal`.
    public internal(set) var listTotalIsExact = true
    /// Set while a search typed shows only its first page's "100+": the
    /// count waits for the search to be done (`reloadList(countLater:)`).
    public internal(set) var countIsPending = false
    /// False when the loaded window lies further down the list than is
    /// counted on a key (`countLimit`, after a jump to a row far down or to
    /// the end of a long list): then `listOffset` is only a lower bound.
    public internal(set) var listOffsetIsExact = true
    /// Showing deleted contacts instead of the live list.
    public internal(set) var showingTrash = false
    /// The list asked for (a search, a filter, a sort) could not be read:
    /// the rows of the one before are not shown under its heading.
    public internal(set) var listReadFailed = false
    /// A contact form put aside (Ctrl-G on a possible duplicate) with what
    /// was typed in it; the key that opened it brings it back.
    public internal(set) var parkedForm: FormModel?
    /// When the selection moved while its details wait for it to rest.
    var detailsPendingSince: Date?
    /// Set while the app switches here right after `show(contactID:)` loaded
    /// the list and the details (Enter on a follow-up or a timeline entry):
    /// the activation finds them current and does not read them all again.
    var loadedForActivation = false
    /// An incoming call several contacts' number matched (`crm --call`):
    /// while the list shows that search, `c` takes the call as incoming,
    /// timed from the ring (QA 30 #10: outgoing, from the `c`).
    var ringing: (search: String, rang: Date)?
    /// Rows per keyset page (search results page the same way).
    let pageSize = 100
    /// Up to how many rows the list (and a search) counts on each key: counting all
    /// 50,000 hits of a one-letter search of 100,000 contacts costs 11 ms,
    /// stopping at this many 2 ms (`crm bench`, the "count" rows). Past it
    /// the counter says "10000+" until the selection goes that far.
    var searchCountLimit = 10_000
    /// Two digits are in about one phone number in ten: counting 10,000 of
    /// their contacts on each key costs 12 ms at 100,000 contacts, 1,000 of
    /// them 4 ms. Such a search counts to 1,000 ("1/1000+") until the
    /// selection goes that far.
    var twoDigitCountLimit = 1_000

    /// How far the search typed is counted on each key.
    var countLimit: Int {
        SearchHighlight(searchText).digits?.count == 2 ? min(twoDigitCountLimit, searchCountLimit) : searchCountLimit
    }

    public init(context: AppContext) {
        self.context = context
    }

    public var searchText: String { search.text.trimmingCharacters(in: .whitespaces) }
    public var isFiltered: Bool { !filter.isEmpty || !searchText.isEmpty }
    /// The counter in the list's border: the selected row's place in the
    /// whole list (or among all a search finds) and the list's length:
    /// "12/310", or "1/10000+" when a broad search stopped counting.
    public var listPosition: String? {
        guard mode == .contacts, let total = listTotal else { return nil }
        // Past the counted rows the place is only known to be further down.
        let place = listOffsetIsExact ? "\(listOffset + contacts.selected + 1)" : ">\(countLimit)"
        return "\(place)/\(total)\(listTotalIsExact ? "" : "+")"
    }

    /// Why the search finds nothing when it cannot find anything: the text
    /// typed has no letter or digit to match (`😀`, `[`, `--`).
    public var searchProblem: String? {
        guard !searchText.isEmpty, !showingTrash, !SearchText.hasTerms(searchText) else { return nil }
        return SearchMessages.noTerms
    }

    /// The details pane says how far it can scroll, so j past the end does
    /// not have to be undone with as many k.
    public func limitDetailScroll(to maxTop: Int) {
        detailScroll = min(detailScroll, max(maxTop, 0))
    }

    /// Sets how many rows the panes show (from `layout(in:)` on resize, or
    /// directly by a test).
    public func setViewport(list: Int, timeline timelineRows: Int) {
        contacts.viewport = max(list, 1)
        companies.viewport = max(list, 1)
        timeline.viewport = max(timelineRows, 1)
        contacts.keepSelectionVisible()
        companies.keepSelectionVisible()
        timeline.keepSelectionVisible()
    }

    // MARK: keys

    public var keyBindings: [KeyBinding] {
        if showingTrash { return trashBindings }
        let hasSelection = mode == .contacts ? contacts.selectedRow != nil : companies.selectedRow != nil
        let none = hasSelection ? nil : "nothing selected"
        let contactOnly = mode == .contacts ? none : "works on contacts; press C to switch"
        var table: [KeyBinding] = KeyBinding.listNavigation() + [
            KeyBinding([.tab], .nextPane, "Next pane", hint: true),
            KeyBinding([.backTab], .previousPane, "Previous pane"),
            KeyBinding([.enter], .open, focus == .timeline ? "Expand / collapse entry" : "Open", hint: true, disabled: none),
            KeyBinding([.char("/")], .search, "Search as you type", hint: true),
            KeyBinding([.char("a")], .add, mode == .contacts ? "Add contact" : "Add company", hint: true),
        ]
        // In the timeline pane, e and d act on the selected entry.
        table += focus == .timeline ? [
            KeyBinding([.char("e")], .editEntry, "Edit the timeline entry", hint: true, disabled: InteractionForm.lockedReason(timeline.selectedRow), hintTitle: "edit entry"),
            KeyBinding([.char("d")], .deleteEntry, "Delete the timeline entry (to trash)",
                       disabled: InteractionForm.lockedReason(timeline.selectedRow)),
        ] : [
            KeyBinding([.char("e")], .edit, "Edit", hint: true, disabled: none),
            KeyBinding([.char("d")], .delete, "Delete (to trash)", disabled: none),
        ]
        table += [
            KeyBinding([.char("n")], .logNote, "Log note, email, meeting…", hint: true, disabled: contactOnly),
            KeyBinding([.char("c")], .call, "Call mode", hint: true, disabled: contactOnly),
            KeyBinding([.char("f")], .followUp, "New follow-up for this contact", hint: true, disabled: contactOnly),
            KeyBinding([.char("K")], .setCadence, "Own stay-in-touch cadence (days; overrides stage and tag)", disabled: contactOnly),
            KeyBinding([.char("F")], .followUpList, mode == .contacts ? "This contact's follow-ups: edit, cancel, delete, reassign"
                                                                      : "This company's follow-ups: edit, cancel, delete, reassign", disabled: none),
            context.undoBinding(in: .contacts),
            KeyBinding([.char("C")], .toggleCompanies, mode == .contacts ? "Show companies" : "Show contacts", hint: true),
            KeyBinding([.char("m")], .filterMine, filter.ownerID == nil ? "Only mine" : "Everyone's"),
            KeyBinding([.char("t")], .filterTag, "Filter by tag"),
            KeyBinding([.char("L")], .filterLifecycle, "Cycle lifecycle filter"),
            KeyBinding([.char("V")], .filterTier, "Cycle value tier filter (A, B, C)"),
            KeyBinding([.char("s")], .cycleSort, "Cycle sort (name, last contact, newest first)"),
            KeyBinding([.char("x")], .clearFilters, "Clear search and filters", disabled: isFiltered ? nil : "no filter set"),
            KeyBinding([.char("T")], .trash, "Trash: deleted contacts, to restore"),
            KeyBinding([.char("D")], .duplicates, "Duplicates: look-alike contacts and companies, to merge"),
            KeyBinding([.char("H")], .history, "History: who changed what, when", disabled: none),
            KeyBinding([.char(" ")], .mark, marked.isEmpty ? "Mark for reassigning together" : "Mark / unmark (\(marked.count) marked)",
                       disabled: contactOnly),
            KeyBinding([.char("O")], .reassign, marked.isEmpty ? "Reassign owner" : "Reassign the \(marked.count) marked to…",
                       hint: !marked.isEmpty, disabled: contactOnly),
        ]
        if mode == .companies {
            table.removeAll { [.filterMine, .filterTag, .filterLifecycle, .filterTier, .cycleSort].contains($0.action) }
        }
        return table
    }

    /// The trash: deleted contacts, newest deletion first, to look at and restore.
    private var trashBindings: [KeyBinding] {
        let none = contacts.selectedRow == nil ? "the trash is empty" : nil
        return KeyBinding.listNavigation(row: "contact") + [
            KeyBinding([.tab], .nextPane, "Next pane", hint: true),
            KeyBinding([.backTab], .previousPane, "Previous pane"),
            KeyBinding([.char("r")], .restore, "Restore", hint: true, disabled: none),
            context.undoBinding(in: .contacts),
            KeyBinding.back("Back to the contacts", also: [.char("T")]),
        ]
    }

    /// Clears the search and filters; the contact found stays selected, now
    /// among all the others (the agent found the caller, now keeps them).
    func clearSearchKeepingSelection() {
        search = LineEditor()
        filter = ContactFilter()
        if mode == .contacts, let id = contacts.selectedRow?.id {
            show(contactID: id)
        } else {
            reloadList()
        }
    }

    /// Handles a key; returns false if the view has no use for it (the app
    /// then tries the global keys).
    public func handle(_ key: Key) -> Bool {
        if isSearching { return handleSearchKey(key) }
        if key == .escape, !showingTrash {
            if focus != .list { focus = .list; return true }
            if isFiltered { perform(.clearFilters); return true }
            return false
        }
        return context.dispatch(key, in: keyBindings, perform: perform)
    }

    /// Runs an action by name (from a key or the palette).
    public func perform(_ action: ActionID) {
        if ![.moveDown, .moveUp, .pageDown, .pageUp].contains(action) { loadPendingDetails() }
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: focusedViewport)
        case .pageUp: move(by: -focusedViewport)
        case .top: moveToEdge(last: false)
        case .bottom: moveToEdge(last: true)
        case .nextPane: focus = Pane(rawValue: (focus.rawValue + 1) % 3)!
        case .previousPane: focus = Pane(rawValue: (focus.rawValue + 2) % 3)!
        case .open: open()
        case .search: isSearching = true
        case .add: mode == .contacts ? addContact() : addCompany()
        case .edit: mode == .contacts ? editContact() : editCompany()
        case .delete: confirmDelete()
        case .editEntry: editTimelineEntry()
        case .deleteEntry: deleteTimelineEntry()
        case .logNote: logInteraction()
        case .call: startCall()
        case .followUp: newFollowUp()
        case .setCadence:
            if let contact = detail?.contact {
                ContactCadence.ask(contactID: contact.id, name: contact.name, context: context) { [unowned self] in refresh() }
            }
        case .followUpList: showFollowUps()
        case .undo: undo()
        case .toggleCompanies: toggleMode()
        case .filterMine: setFilter { $0.ownerID = $0.ownerID == nil ? self.context.me.id : nil }
        case .filterTag: askTag()
        case .filterLifecycle: setFilter { $0.lifecycle = Self.nextLifecycle(after: $0.lifecycle) }
        case .filterTier: setFilter { $0.tier = Self.next(after: $0.tier) }
        case .cycleSort: cycleSort()
        case .trash: toggleTrash()
        case .back: if showingTrash { toggleTrash() }
        case .restore: restoreSelected()
        case .duplicates: context.present(.duplicates(DuplicatesModel(context: context, kind: mode == .contacts ? .contacts : .companies)))
        case .clearFilters: clearSearchKeepingSelection()
        case .history: showHistory()
        case .mark: toggleMark()
        case .reassign: reassignMarked()
        default: break
        }
    }

    var focusedViewport: Int {
        focus == .timeline ? timeline.viewport : (mode == .contacts ? contacts.viewport : companies.viewport)
    }

    static func nextLifecycle(after current: Lifecycle?) -> Lifecycle? { next(after: current) }

    /// The next case of a filter's cycle: none → first → … → last → none.
    static func next<T: CaseIterable & Equatable>(after current: T?) -> T? {
        let all = Array(T.allCases)
        guard let current, let i = all.firstIndex(of: current) else { return all.first }
        return i + 1 < all.count ? all[i + 1] : nil
    }

    /// A one-line description of the active search, filters and sort.
    public var filterSummary: String {
        if showingTrash { return "deleted, newest first · r restores" }
        var parts: [String] = []
        if !searchText.isEmpty { parts.append("search \"\(searchText)\"") }
        if filter.ownerID != nil { parts.append("mine") }
        if let tag = filter.tag { parts.append("#\(tag)") }
        if let lc = filter.lifecycle { parts.append(lc.title.lowercased()) }
        if let tier = filter.tier { parts.append("tier \(tier.rawValue)") }
        if mode == .contacts {
            switch sort {
            case .name: parts.append("by name")
            case .lastInteraction: parts.append("by last contact")
            case .created: parts.append("newest first")
            }
        }
        return parts.joined(separator: " · ")
    }

    private func handleSearchKey(_ key: Key) -> Bool {
        switch key {
        case .enter:
            isSearching = false
            countIfPending()
        case .escape:
            isSearching = false
            clearSearchKeepingSelection()
        case .down: move(by: 1)
        case .up: move(by: -1)
        case .pageDown: move(by: contacts.viewport)
        case .pageUp: move(by: -contacts.viewport)
        default:
            let before = search.text
            if search.handle(key), search.text != before { reloadList(countLater: true) }
        }
        return true
    }
}
