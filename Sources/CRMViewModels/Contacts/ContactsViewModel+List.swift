import CRMCore
import CRMRepositories
import Foundation

extension ContactsViewModel {
    var contactRepo: any ContactRepository { repos.contactRepository }

    /// The filter the list is read with: the filters set plus the search
    /// text. A search pages, sorts and counts like any other filter.
    var listFilter: ContactFilter {
        var listed = filter
        listed.text = searchText
        return listed
    }

    /// Loads the list from the top (or the search results) and the details.
    /// `countLater`: a key typed into the search: the list is counted
    /// lazily, when the search is done (Enter) or the selection goes past
    /// the rows loaded (`countPastTheEstimate`), not on every key; until
    /// then the counter says what the first page shows ("1/100+").
    public func reloadList(countLater: Bool = false) {
        listReadFailed = false
        do {
            if mode == .companies {
                let rows = try repos.companyRepository.search(searchText, after: nil, limit: pageSize + 1)
                companies.replace(Array(rows.prefix(pageSize)), moreAfter: rows.count > pageSize)
            } else if showingTrash {
                contacts.replace(try contactRepo.deleted(limit: trashLimit))
                (listOffset, listOffsetIsExact, listTotal, listTotalIsExact, countIsPending) = (0, true, contacts.rows.count, true, false)
            } else {
                let rows = try contactRepo.list(sort: sort, filter: listFilter, cursor: nil, direction: .forward, limit: pageSize + 1)
                contacts.replace(Array(rows.prefix(pageSize)), moreAfter: rows.count > pageSize)
                (listOffset, listOffsetIsExact) = (0, true)
                if rows.count <= pageSize {
                    // The first page is the whole list: its length is the count.
                    (listTotal, listTotalIsExact, countIsPending) = (rows.count, true, false)
                } else if countLater {
                    // A search that finds more than a page while it is typed:
                    // counting up to 10,000 of its hits on each key cost more
                    // than the page itself ("a b": 14,000 hits; on PostgreSQL
                    // a one-letter prefix's GIN lists are merged before the
                    // first one is counted).
                    (listTotal, listTotalIsExact, countIsPending) = (min(pageSize, countLimit), false, true)
                } else {
                    try countList()
                }
            }
        } catch {
            // Another search's or filter's rows are not shown under this
            // one's heading (QA 45 PG #5: "/sophie" kept Daniel Johnson).
            listReadFailed = true
            if mode == .companies { companies.replace([], moreAfter: false) } else { contacts.replace([], moreAfter: false) }
            (listOffset, listOffsetIsExact, listTotal, listTotalIsExact, countIsPending) = (0, true, 0, true, false)
            context.report(error)
        }
        selectionChanged()
    }

    /// Reloads what is on screen after another user's change, keeping the
    /// selection on the same record and the same place on screen.
    public func refresh() {
        do {
            if showingTrash {
                let selectedID = contacts.selectedRow?.id
                let index = contacts.selected
                let rows = try contactRepo.deleted(limit: trashLimit)
                contacts.replace(rows, selected: rows.firstIndex { $0.id == selectedID } ?? index,
                                 offsetInView: contacts.selected - contacts.scrollTop)
                (listOffset, listOffsetIsExact, listTotal, listTotalIsExact, countIsPending) = (0, true, rows.count, true, false)
            } else if mode == .companies {
                let selectedID = companies.selectedRow?.id
                let index = companies.selected
                let offset = index - companies.scrollTop
                let wanted = max(pageSize, companies.rows.count)
                let rows = try repos.companyRepository.search(searchText, after: nil, limit: wanted + 1)
                let kept = Array(rows.prefix(wanted))
                companies.replace(kept, selected: kept.firstIndex { $0.id == selectedID } ?? index, offsetInView: offset,
                                  moreAfter: rows.count > wanted)
            } else if let current = contacts.selectedRow {
                let offset = contacts.selected - contacts.scrollTop
                let anchor = current.cursor(for: sort)
                let before = try contactRepo.list(sort: sort, filter: listFilter, cursor: anchor, direction: .backward, limit: pageSize)
                let after = try contactRepo.list(sort: sort, filter: listFilter, cursor: before.last?.cursor(for: sort),
                                                 direction: .forward, limit: pageSize + 1)
                let rows = before + after.prefix(pageSize)
                let index = rows.firstIndex { $0.id == current.id } ?? min(before.count, max(rows.count - 1, 0))
                contacts.replace(rows, selected: index, offsetInView: offset,
                                 moreBefore: before.count == pageSize, moreAfter: after.count > pageSize)
                try placeWindow()
            } else {
                reloadList()
                return
            }
        } catch {
            context.report(error)
        }
        selectionChanged(keepTimelinePosition: true)
    }

    /// Moves the selection of the focused pane, loading pages as needed.
    func move(by delta: Int) {
        switch focus {
        case .timeline: moveTimeline(by: delta)
        case .details where mode == .companies: moveCompanyContact(by: delta)
        case .details: detailScroll = max(0, detailScroll + delta)
        case .list:
            if mode == .companies { moveCompanies(by: delta) } else { moveContacts(by: delta) }
        }
    }

    private func moveContacts(by delta: Int) {
        let before = contacts.selectedRow?.id
        var target = contacts.selected + delta
        do {
            // Load keyset pages until the target row is in the window (or the list ends).
            while target >= contacts.rows.count - 1, contacts.moreAfter, let last = contacts.rows.last {
                let more = try contactRepo.list(sort: sort, filter: listFilter, cursor: last.cursor(for: sort), direction: .forward, limit: pageSize + 1)
                let dropped = contacts.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
                target -= dropped
                listOffset += dropped
            }
            while target < 1, contacts.moreBefore, let first = contacts.rows.first {
                let more = try contactRepo.list(sort: sort, filter: listFilter, cursor: first.cursor(for: sort), direction: .backward, limit: pageSize + 1)
                let page = Array(more.suffix(pageSize))
                if page.isEmpty { contacts.moreBefore = false; break }
                let added = contacts.prepend(page, moreBefore: more.count > pageSize)
                target += added
                listOffset -= added
            }
            // Back at the top, a place that was only a lower bound is known again;
            // at the end of a list counted from the top, so is its length.
            if !contacts.moreBefore { (listOffset, listOffsetIsExact) = (0, true) }
            if !contacts.moreAfter, listOffsetIsExact { (listTotal, listTotalIsExact, countIsPending) = (listOffset + contacts.rows.count, true, false) }
        } catch {
            context.report(error)
        }
        contacts.select(target)
        do { try countPastTheEstimate() } catch { context.report(error) }
        if contacts.selectedRow?.id != before { detailsWaitForRest() }
    }

    private func moveCompanies(by delta: Int) {
        let before = companies.selectedRow?.id
        let target = companies.selected + delta
        do {
            while target >= companies.rows.count - 1 && companies.moreAfter, let last = companies.rows.last {
                let more = try repos.companyRepository.search(searchText, after: (last.name, last.id), limit: pageSize + 1)
                _ = companies.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
            }
        } catch {
            context.report(error)
        }
        companies.select(target)
        if companies.selectedRow?.id != before { detailsWaitForRest() }
    }

    func moveToEdge(last: Bool) {
        guard focus == .list, mode == .contacts, !showingTrash else {
            move(by: last ? Int.max / 4 : -(Int.max / 4))
            return
        }
        do {
            let rows = try contactRepo.list(sort: sort, filter: listFilter, cursor: nil,
                                            direction: last ? .backward : .forward, limit: pageSize + 1)
            if last {
                contacts.replace(Array(rows.suffix(pageSize)), selected: pageSize, offsetInView: contacts.viewport - 1,
                                 moreBefore: rows.count > pageSize)
            } else {
                contacts.replace(Array(rows.prefix(pageSize)), moreAfter: rows.count > pageSize)
            }
            if last {
                // The last row's place is the length of the list, when it
                // is short enough to count on a key; else it is only known
                // to lie past the count's limit.
                let count = try contactRepo.count(filter: listFilter, upTo: countLimit)
                (listTotal, listTotalIsExact, countIsPending) = (count.value, count.isExact, false)
                (listOffset, listOffsetIsExact) = count.isExact ? (max(count.value - contacts.rows.count, 0), true) : (count.value, false)
            } else {
                listOffset = 0
                listOffsetIsExact = true
                try countList()
            }
        } catch {
            context.report(error)
        }
        selectionChanged()
    }

    func cycleSort() {
        let all = ContactSort.allCases
        sort = all[(all.firstIndex(of: sort)! + 1) % all.count]
        reloadList()
        context.status("Sorted \(filterSummary.components(separatedBy: " · ").last ?? "")", .info)
    }

    func setFilter(_ change: (inout ContactFilter) -> Void) {
        change(&filter)
        reloadList()
    }

    /// Finds where the loaded window starts in the whole list (a count over
    /// the index up to its first row) after loading it around an anchor.
    /// The count stops at `countLimit` rows before the window: a row far
    /// down a long list is then only known to lie past it.
    func placeWindow() throws {
        let before = try contacts.rows.first.map {
            try contactRepo.countBefore(sort: sort, filter: listFilter, cursor: $0.cursor(for: sort), upTo: countLimit)
        } ?? ListCount(0)
        (listOffset, listOffsetIsExact) = (before.value, before.isExact)
        try countList()
    }

    /// The count a search typed left for later (`reloadList(countLater:)`),
    /// now that the search is done.
    func countIfPending() {
        guard countIsPending, mode == .contacts, !showingTrash else { return }
        do { try countList() } catch { context.report(error) }
    }

    /// Counts the list for the counter in the list's border, up to
    /// `countLimit` (`searchCountLimit` rows, fewer for two digits): a count
    /// of a million contacts on every load would cost more than the key.
    func countList() throws {
        try countList(upTo: countLimit)
    }

    private func countList(upTo limit: Int) throws {
        let count = try contactRepo.count(filter: listFilter, upTo: limit)
        (listTotal, listTotalIsExact, countIsPending) = (count.value, count.isExact, false)
        try countPastTheEstimate()
    }

    /// Once the selection goes past a count that stopped early, the list is
    /// counted again `countLimit` rows past the selection, so the counter
    /// never says "10500/10000+" (and counting costs one count per
    /// `countLimit` rows moved, never the whole list).
    func countPastTheEstimate() throws {
        if countIsPending, listOffsetIsExact, listOffset + contacts.selected + 1 > (listTotal ?? 0) {
            // Counted lazily while typed: the first count goes as far as any.
            try countList()
        }
        if listOffsetIsExact, !listTotalIsExact, let total = listTotal, listOffset + contacts.selected + 1 > total {
            try countList(upTo: listOffset + contacts.selected + 1 + countLimit)
        }
    }

    /// The most recent deletions the trash lists.
    var trashLimit: Int { 500 }

    func toggleTrash() {
        showingTrash.toggle()
        mode = .contacts
        focus = .list
        search = LineEditor()
        isSearching = false
        reloadList()
    }

    func restoreSelected() {
        guard showingTrash, let contact = contacts.selectedRow else { return }
        do {
            try contactRepo.restore(contact.id)
            context.recordUndo("restore of \(contact.name)") { [unowned self] in
                guard let now = try contactRepo.get(contact.id), now.deletedAt == nil else { return "\(contact.name) is already in the trash" }
                guard now.version == contact.version + 1 else {
                    let change = context.lastChange(entity: "contact", id: contact.id, fields: [])
                    throw UndoRefusal("Not undone: \(change.who) changed \(contact.name)\(change.when) after you restored it")
                }
                try contactRepo.delete(contact.id)
                return nil
            }
            context.status("Restored \(contact.name), with its timeline", .success)
            refresh()
        } catch {
            context.report(error)
        }
    }

    func toggleMode() {
        mode = mode == .contacts ? .companies : .contacts
        focus = .list
        search = LineEditor()
        reloadList()
    }

    func askTag() {
        let tags = context.read("the tags") { try contactRepo.allTags() }
        let title = tags == nil ? "Filter by tag (the tags could not be read: type one; empty: all tags)" : "Filter by tag (empty: all tags)"
        context.present(.prompt(Prompt(title, initial: filter.tag ?? "", suggestions: tags ?? [],
                                       resume: .action(view: .contacts, action: .filterTag)) { [unowned self] text in
            let typed = text.trimmingCharacters(in: .whitespaces)
            // The tag's own spelling in the list's title ("ÄRGER" typed: #ärger).
            let tag = tags?.first { TagName.key($0) == TagName.key(typed) } ?? typed
            setFilter { $0.tag = tag.isEmpty ? nil : tag }
        }))
    }

    /// Selects the contact with `id` in contacts mode, loading the list
    /// around it; false (and nothing changed) when it is in no list: in the
    /// trash, or gone. That is read from the list loaded anyway, not asked apart.
    @discardableResult
    public func show(contactID id: Int64) -> Bool {
        let everyone = ContactFilter()
        let before: [ContactSummary], after: [ContactSummary]
        do {
            guard let summary = try contactRepo.summary(id) else { return false }
            before = try contactRepo.list(sort: sort, filter: everyone, cursor: summary.cursor(for: sort), direction: .backward, limit: pageSize / 2)
            after = try contactRepo.list(sort: sort, filter: everyone, cursor: before.last?.cursor(for: sort), direction: .forward, limit: pageSize + 1)
        } catch {
            context.report(error)
            return false
        }
        let rows = before + after.prefix(pageSize)
        guard let selected = rows.firstIndex(where: { $0.id == id }) else { return false }
        mode = .contacts
        search = LineEditor()
        filter = everyone
        focus = .list
        contacts.replace(rows, selected: selected, offsetInView: contacts.viewport / 3,
                         moreBefore: before.count == pageSize / 2, moreAfter: after.count > pageSize)
        do { try placeWindow() } catch { context.report(error) }
        selectionChanged()
        return true
    }
}
