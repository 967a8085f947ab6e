import CRMCore
import CRMRepositories
import Foundation

// The follow-ups list as a sub-view of Today: the same action keys as Today's
// rows (done, snooze, reschedule, edit, cancel, delete, reassign, undo), its
// own filter keys, Enter to the contact or deal, and q/Esc back.
extension TodayViewModel {
    var followUpActions: FollowUpActions {
        FollowUpActions(context: context) { [unowned self] in reload(keepOrdinal: true) }
    }

    /// `F` on Today (or the palette): every open follow-up, mine unless
    /// Today shows everyone's.
    func openList() {
        var filter = FollowUpFilter()
        var labels: [String: String] = [:]
        if let scope = scopeUserID {
            filter.assigneeID = scope
            // Whose list it is: everyone's narrowed to one colleague names
            // that colleague, not the user looking (QA 27 #13).
            labels["assignee"] = "assignee \(showEveryone ? assigneeFilter?.login ?? context.me.login : context.me.login)"
        }
        showList(FollowUpListModel(context: context, filter: filter, labels: labels))
    }

    /// Shows a list (also one opened from a contact or a deal, to go back there).
    public func showList(_ model: FollowUpListModel) {
        list = model
        model.viewport = max(viewport - 1, 1)
        model.reload(keepSelection: false)
    }

    func closeList() {
        guard let model = list else { return }
        list = nil
        if model.returnTo != .today {
            context.switchTo(model.returnTo)
        } else {
            reload()
        }
    }

    var listBindings: [KeyBinding] {
        let none = list?.selectedRow == nil ? "no follow-up selected" : nil
        let openOnly = none ?? (list?.selectedRow?.followUp.status == .open ? nil : "the follow-up is not open")
        let row = list?.selectedRow?.followUp
        let noTarget = none ?? (row?.contactID == nil && row?.dealID == nil ? "no contact or deal on this follow-up" : nil)
        return [
            KeyBinding([.char("j"), .down], .moveDown, "Next follow-up"),
            KeyBinding([.char("k"), .up], .moveUp, "Previous follow-up"),
            KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
            KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            KeyBinding([.char("g"), .home], .top, "First follow-up"),
            KeyBinding([.char("G"), .end], .bottom, "Last follow-up"),
            KeyBinding([.enter], .open, "Open the contact (or the deal)", hint: true, disabled: noTarget),
            KeyBinding([.char("x")], .done, "Done: log the outcome, set the next follow-up", hint: true, disabled: openOnly),
            KeyBinding([.char("s")], .snooze, "Snooze: 1 hour, tomorrow morning, next week, or a date", hint: true, disabled: openOnly),
            KeyBinding([.char("r")], .reschedule, "Reschedule to a date", disabled: none),
            KeyBinding([.char("e")], .edit, "Edit: title, due, assignee, note, contact, deal", hint: true, disabled: none),
            KeyBinding([.char("C")], .cancelFollowUp, "Cancel (kept, with a reason)", disabled: openOnly),
            KeyBinding([.char("d")], .delete, "Delete (to the trash)", disabled: none),
            KeyBinding([.char("A")], .reassign, "Assign to a colleague", disabled: none),
            context.undoBinding(in: .today),
            KeyBinding([.char("v")], .filterStatus, "Status: open, done, cancelled, every status", hint: true),
            KeyBinding([.char("a")], .filterOwner, "Filter by assignee"),
            KeyBinding([.char("/")], .search, "Filter by customer (contact or company)"),
            KeyBinding([.char("D")], .filterDeal, "Filter by deal"),
            KeyBinding([.char("t")], .filterDates, "Filter by due date: from, to"),
            KeyBinding([.char("0")], .clearFilters, "Clear the filters (open, everyone, any date)",
                       disabled: list?.isFiltered == true ? nil : "no filter set"),
            KeyBinding([.char("q"), .escape], .back, "Back to \(list?.returnTo.title ?? ViewKind.today.title)", hint: true),
        ]
    }

    func performInList(_ action: ActionID) {
        guard let model = list else { return }
        let row = model.selectedRow
        switch action {
        case .moveDown: model.move(by: 1)
        case .moveUp: model.move(by: -1)
        case .pageDown: model.move(by: max(model.viewport - 1, 1))
        case .pageUp: model.move(by: -max(model.viewport - 1, 1))
        case .top: model.toTop()
        case .bottom: model.toBottom()
        case .open:
            if let f = row?.followUp {
                if let id = f.contactID { context.openContact(id) } else if let id = f.dealID { context.openDeal(id, returnTo: nil) }
            }
        case .done: if let row { markDone(row) }
        case .snooze: if let row { askSnooze(row) }
        case .reschedule: if let row { askReschedule(row) }
        case .edit: if let row { followUpActions.edit(row) }
        case .cancelFollowUp: if let row { followUpActions.cancel(row) }
        case .delete: if let row { followUpActions.delete(row) }
        case .reassign: if let row { followUpActions.reassign(row) }
        case .undo: undo()
        case .filterStatus: model.cycleStatus()
        case .filterOwner: askAssigneeFilter(model)
        case .search: askCustomerFilter(model)
        case .filterDeal: askDealFilter(model)
        case .filterDates: askDateFilter(model, bound: "from")
        case .clearFilters: model.clearFilters()
        case .back: closeList()
        default: break
        }
    }

    // MARK: filter prompts

    func askAssigneeFilter(_ model: FollowUpListModel) {
        let logins = context.userLogins()
        context.present(.prompt(Prompt("Show follow-ups assigned to (login; empty: everyone):", suggestions: logins) { [unowned self] text in
            let login = text.trimmingCharacters(in: .whitespaces)
            var filter = model.filter
            if login.isEmpty {
                filter.assigneeID = nil
                model.set(filter, label: "assignee", nil)
                return
            }
            guard let users = context.read("the users", { try repos.allUsers() }) else { return }
            guard let user = users.first(where: { $0.login == login }) else {
                context.status("No user \"\(login)\"; users: \(users.map(\.login).joined(separator: ", "))", .error)
                return
            }
            filter.assigneeID = user.id
            model.set(filter, label: "assignee", "assignee \(user.login)")
        }))
    }

    func askCustomerFilter(_ model: FollowUpListModel) {
        context.present(.prompt(Prompt("Customer (part of a contact's or company's name; empty: any):",
                                       initial: model.filter.customerText ?? "") { text in
            let typed = text.trimmingCharacters(in: .whitespaces)
            var filter = model.filter
            filter.customerText = typed.isEmpty ? nil : typed
            filter.contactID = nil
            filter.companyID = nil
            model.set(filter, label: "customer", typed.isEmpty ? nil : "customer \"\(typed)\"")
        }))
    }

    func askDealFilter(_ model: FollowUpListModel) {
        context.present(.prompt(Prompt("Deal (part of its title; empty: any):", initial: model.filter.dealText ?? "") { text in
            let typed = text.trimmingCharacters(in: .whitespaces)
            var filter = model.filter
            filter.dealText = typed.isEmpty ? nil : typed
            filter.dealID = nil
            model.set(filter, label: "deal", typed.isEmpty ? nil : "deal \"\(typed)\"")
        }))
    }

    /// "from" then "to", each read as due dates are ("today", "1 dec",
    /// "1405-09-10"); empty: no limit on that side. A day without a time
    /// runs from its start to its end (FollowUpListModel.bound).
    func askDateFilter(_ model: FollowUpListModel, bound: String, typed: String = "") {
        let title = bound == "from" ? "Due from (a date as for due dates; empty: any):" : "Due up to (empty: any):"
        context.present(.prompt(Prompt(title, initial: typed, preview: { [unowned self] text in
            previewBound(model, bound: bound, text.trimmingCharacters(in: .whitespaces))
        }) { [unowned self] text in
            var filter = model.filter
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            var label: String?
            if trimmed.isEmpty {
                if bound == "from" { filter.from = nil; model.fromText = nil } else { filter.to = nil }
            } else {
                // The "to" is read with the "from" typed before it, as one range
                // ("25 nov" then "5 dec": this week's, not next year's 25 Nov).
                let fromText = bound == "from" ? trimmed : model.fromText
                switch FollowUpListModel.range(from: fromText, to: bound == "to" ? trimmed : nil, timeFormat: context.timeFormat,
                                               now: context.clock.now) {
                case .failure(.from(let error)) where bound == "from", .failure(.to(let error)):
                    context.status(error.message, .error)
                    askDateFilter(model, bound: bound, typed: text)
                    return
                case .failure:
                    // Nothing of a refused range is applied.
                    context.status("Due up to \"\(trimmed)\" is before the start of the range: the range ends before it starts", .error)
                    askDateFilter(model, bound: bound, typed: text)
                    return
                case .success(let range):
                    if bound == "from" {
                        filter.from = range.from
                        model.fromText = trimmed
                    } else {
                        if let from = range.from, from != filter.from {
                            filter.from = from
                            model.set(filter, label: "from", "from \(context.timeFormat.number(context.timeFormat.dueDateParser.describe(from)))")
                        }
                        filter.to = range.to
                    }
                    label = "\(bound) \(shownBound(range, bound: bound))"
                }
            }
            model.set(filter, label: bound, label)
            if bound == "from" { askDateFilter(model, bound: "to") }
        }))
    }

    /// What the typed end will filter on, read as the range is (the year
    /// the range rule picks, a day from its start or to its end), so the
    /// reading confirmed is the one applied (QA 27 #12: it said a year later
    /// and 09:00, as a due date would be read).
    func previewBound(_ model: FollowUpListModel, bound: String, _ text: String) -> String {
        guard !text.isEmpty else { return "any" }
        let fromText = bound == "from" ? text : model.fromText
        switch FollowUpListModel.range(from: fromText, to: bound == "to" ? text : nil, timeFormat: context.timeFormat,
                                       now: context.clock.now) {
        case .success(let range):
            // The range rule may read the confirmed start in another year to
            // fit this end (QA 28 #3): the moved start is shown before Enter.
            guard bound == "to", let from = range.from, from != model.filter.from else { return "→ " + shownBound(range, bound: bound) }
            return "→ " + shownBound(range, bound: bound) + " · from moves to " + shownBound(range, bound: "from")
        case .failure(.endsBeforeStart): return "? " + FollowUpListModel.RangeRefusal.endsBeforeStart.message
        case .failure: return "? try \(context.timeFormat.dueDateParser.examples)"
        }
    }

    /// One end of a range as the filter line names it ("to" is exclusive:
    /// the last minute of the day is shown).
    private func shownBound(_ range: (from: Date?, to: Date?), bound: String) -> String {
        let date = (bound == "from" ? range.from : range.to) ?? context.clock.now
        return context.timeFormat.number(context.timeFormat.dueDateParser.describe(bound == "to" ? date.addingTimeInterval(-60) : date))
    }
}
