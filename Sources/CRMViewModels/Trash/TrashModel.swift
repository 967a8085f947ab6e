import CRMCore
import CRMRepositories
import Foundation

/// The Trash (Z, or "Trash" in the `:` palette): every deleted contact,
/// company, deal, follow-up and interaction, newest first, with who deleted
/// it and when; filtered by kind, keyset paged. Enter restores the selected
/// record with what went with it (u deletes it again); an admin empties the
/// trash (all of it, or the kind shown). Drawn over the current view.
public final class TrashModel {
    public enum Outcome: Equatable { case stay, close }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }
    var trash: any TrashRepository { repos.trashRepository }
    /// The kind shown; nil: every kind.
    public private(set) var kind: TrashKind?
    public private(set) var list = ListWindow<TrashEntry>(capacity: 2000)
    /// How many entries the filter finds in all (the list loads pages of it).
    public private(set) var total = 0
    let pageSize = 100

    public init(context: AppContext, kind: TrashKind? = nil) {
        self.context = context
        self.kind = kind
        reload()
    }

    public func setViewport(_ rows: Int) {
        list.viewport = max(rows, 1)
        list.keepSelectionVisible()
    }

    /// The first page again, keeping the selection's place as near as it can.
    func reload() {
        let place = list.selected
        do {
            let rows = try trash.entries(kind: kind, after: nil, limit: pageSize + 1)
            total = try trash.count(kind: kind)
            list.replace(Array(rows.prefix(pageSize)), selected: min(place, max(rows.count - 1, 0)), moreAfter: rows.count > pageSize)
        } catch {
            list.replace([])
            total = 0
            context.report(error, reading: "the trash")
        }
    }

    private func move(by offset: Int) {
        list.select(list.selected + offset)
        if list.moreAfter, list.selected >= list.rows.count - 5, let last = list.rows.last {
            do {
                let more = try trash.entries(kind: kind, after: last.cursor, limit: pageSize + 1)
                list.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
            } catch {
                context.report(error, reading: "more of the trash")
            }
        }
    }

    /// "all kinds" → contacts → companies → … → all kinds again.
    func nextKind() {
        let order: [TrashKind?] = [nil] + TrashKind.allCases.map { $0 }
        let i = order.firstIndex(of: kind) ?? 0
        kind = order[(i + 1) % order.count]
        list = ListWindow(capacity: 2000)
        reload()
    }

    /// Why this user may not empty the trash, or nil when they may.
    var emptyRefusal: String? {
        if repos.isReadOnly { return "the database is read-only for you" }
        if list.isEmpty { return "the trash is empty" }
        return Permission.emptyTrash.refusal(for: context.me.role)
    }

    // MARK: keys

    public var keyBindings: [KeyBinding] {
        let none = list.selectedRow == nil ? "the trash is empty" : nil
        return [
            KeyBinding([.char("j"), .down], .moveDown, "Move down"),
            KeyBinding([.char("k"), .up], .moveUp, "Move up"),
            KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down"),
            KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up"),
            KeyBinding([.enter, .char("r")], .restore, "Restore it, with what went with it", hint: true, disabled: none,
                       hintTitle: "restore"),
            KeyBinding([.char("f")], .filterKind, "Show one kind: contacts, companies, deals, follow-ups, interactions", hint: true,
                       hintTitle: "kind"),
            KeyBinding([.char("X")], .emptyTrash, kind == nil ? "Empty the trash (for good)" : "Empty the trash of \(kind!.rawValue)s (for good)",
                       hint: true, disabled: emptyRefusal, hintTitle: "empty"),
            context.undoBinding(in: context.activeViewKind),
            KeyBinding([.escape, .char("Z")], .back, "Back", hint: true),
        ]
    }

    public func handle(_ key: Key) -> Outcome {
        var outcome = Outcome.stay
        _ = context.dispatch(key, in: keyBindings) { outcome = perform($0) }
        return outcome
    }

    func perform(_ action: ActionID) -> Outcome {
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: list.viewport)
        case .pageUp: move(by: -list.viewport)
        case .restore: restoreSelected()
        case .filterKind: nextKind()
        case .emptyTrash: confirmEmpty()
        case .undo:
            context.undo(in: context.activeViewKind)
            reload()
        case .back: return .close
        default: break
        }
        return .stay
    }

    /// One transaction in the store; `u` puts it back in the trash (with
    /// what came back with it: the delete takes the same dependents along).
    func restoreSelected() {
        guard let entry = list.selectedRow else { return }
        do {
            let result = try trash.restore(entry.kind, entry.id)
            // The repository, not this window: the undo may run after the
            // trash is closed and this model gone (QA 44: a crash).
            let trash = self.trash
            context.recordUndo("restore of \(entry.title)") {
                try trash.trash(entry.kind, entry.id)
                return "Back in the trash: \(entry.title)"
            }
            reload()
            context.status(result.sentence + " u puts it back in the trash.", .success)
        } catch {
            context.report(error)
            reload()
        }
    }

    func confirmEmpty() {
        if let reason = emptyRefusal {
            context.status("Not emptied: \(reason)", .warning)
            return
        }
        let what = kind.map { "every \($0.rawValue) in the trash" } ?? "everything in the trash"
        // The question takes the trash window's place, so it holds this
        // model until it is answered (QA 44: `unowned` crashed on the y), and
        // the trash comes back after it.
        context.present(.confirm(Confirmation("Remove \(what) (\(total)) for good? This cannot be undone. (y/n)",
                                              onNo: { [self] in context.present(.trash(self)) }) { [self] in
            do {
                let purged = try trash.purge(kind: kind, deletedBefore: nil)
                reload()
                context.status(purged.sentence, .success)
            } catch {
                context.report(error)
            }
            context.present(.trash(self))
        }))
    }
}

extension TrashRefusal: LocalizedError {
    public var errorDescription: String? { description }
}

// MARK: what the screen shows (formatted here, drawn by CRMTerminal)

extension TrashModel {
    /// "Trash · all kinds · 12 records, newest first".
    public var heading: String {
        let what = kind.map { $0 == .company ? "companies" : "\($0.rawValue)s" } ?? "all kinds"
        return "Trash · \(what) · \(total) \(total == 1 ? "record" : "records"), newest first"
    }

    /// Said when the list is empty.
    public var emptyText: String {
        kind.map { "No \($0.rawValue) in the trash. f shows another kind." }
            ?? "The trash is empty: deleted contacts, companies, deals, follow-ups and interactions wait here."
    }

    /// "deleted 21 Aug 2026 17:10 by ana".
    public func deleted(_ entry: TrashEntry) -> String {
        "\(context.timeFormat.long(entry.deletedAt)) by \(entry.deletedBy ?? "unknown")"
    }

    /// "Fri 16:00 by sara", "20 Nov 16:00 by sara": the same, short, for a
    /// narrow frame where the long form would cut the names.
    public func deletedShort(_ entry: TrashEntry) -> String {
        "\(context.timeFormat.due(entry.deletedAt, now: context.clock.now)) by \(entry.deletedBy ?? "unknown")"
    }

    /// "+2 with it": records its restore brings back or links again.
    public func dependents(_ entry: TrashEntry) -> String {
        entry.dependents == 0 ? "" : "+\(entry.dependents) with it"
    }

    /// The selected entry in a sentence: what restore does.
    public var footer: String {
        guard let e = list.selectedRow else { return "" }
        // A record merged into another (the listing's "merged into #ID"):
        // its history is on the survivor, so it is not restored alone.
        if e.kind == .contact || e.kind == .company, e.detail.hasPrefix("merged into #") {
            return "\(e.kind.rawValue) #\(e.id) was \(e.detail), which holds its history."
        }
        let what: String = switch e.kind {
        case .contact: "Restores the contact (with its history) and the follow-ups deleted with it."
        case .company: "Restores the company and links its contacts and deals again."
        case .deal: "Restores the deal with the follow-ups deleted with it."
        case .followUp, .interaction: "Restores it where it was."
        }
        return "\(e.kind.rawValue) #\(e.id): \(what)"
    }
}
