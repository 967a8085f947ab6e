import CRMCore
import CRMRepositories
import Foundation

/// The Duplicates list (D in Contacts): pairs of contacts, or of companies,
/// that look like one, strongest reason first, keyset paged; Enter opens the
/// merge screen of a pair. Drawn over the contacts workspace.
public final class DuplicatesModel {
    public enum Kind: Sendable { case contacts, companies }

    /// What a key did to the list.
    public enum Outcome: Equatable {
        case stay
        case close
    }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }
    public private(set) var kind: Kind = .contacts
    public private(set) var list = ListWindow<DuplicatePair>(capacity: 2000)
    /// The merge screen of the selected pair, while it is open.
    public private(set) var merge: MergeModel?
    let pageSize = 100

    public init(context: AppContext, kind: Kind = .contacts) {
        self.context = context
        self.kind = kind
        reload()
    }

    /// Rows the list shows (from the layout).
    public func setViewport(_ rows: Int) {
        list.viewport = max(rows, 1)
        list.keepSelectionVisible()
    }

    /// The first page again, keeping the selection's place as near as it can.
    func reload() {
        let place = list.selected
        do {
            let pairs = try page(after: nil)
            list.replace(Array(pairs.prefix(pageSize)), selected: place, moreAfter: pairs.count > pageSize)
        } catch {
            list.replace([])
            context.report(error, reading: "the duplicates")
        }
    }

    private func page(after cursor: DuplicateCursor?) throws -> [DuplicatePair] {
        kind == .contacts ? try repos.contactRepository.duplicatePairs(after: cursor, limit: pageSize + 1)
            : try repos.companyRepository.duplicatePairs(after: cursor, limit: pageSize + 1)
    }

    private func page(before cursor: DuplicateCursor?) throws -> [DuplicatePair] {
        kind == .contacts ? try repos.contactRepository.duplicatePairs(before: cursor, limit: pageSize + 1)
            : try repos.companyRepository.duplicatePairs(before: cursor, limit: pageSize + 1)
    }

    private func move(by offset: Int) {
        var target = list.selected + offset
        // Above what is loaded (after G read the end): the page before it.
        if target < 0, list.moreBefore, let first = list.rows.first {
            do {
                let more = try page(before: first.cursor)
                target += list.prepend(Array(more.suffix(pageSize)), moreBefore: more.count > pageSize)
            } catch {
                context.report(error, reading: "more duplicates")
            }
        }
        list.select(target)
        // Near the end of what is loaded: the next keyset page.
        if list.moreAfter, list.selected >= list.rows.count - 5, let last = list.rows.last {
            do {
                let more = try page(after: last.cursor)
                list.append(Array(more.prefix(pageSize)), moreAfter: more.count > pageSize)
            } catch {
                context.report(error, reading: "more duplicates")
            }
        }
    }

    /// The last pair: the list's last page, read from its end (keyset), so
    /// the end costs what the start does.
    private func toEnd() {
        guard list.moreAfter else { return list.select(list.rows.count - 1) }
        do {
            let pairs = try page(before: nil)
            let last = Array(pairs.suffix(pageSize))
            list.replace(last, selected: last.count - 1, offsetInView: list.viewport - 1, moreBefore: pairs.count > pageSize)
        } catch {
            context.report(error, reading: "the last duplicates")
        }
    }

    /// The first pair: the first page again when the start is not loaded.
    private func toStart() {
        guard list.moreBefore else { return list.select(0) }
        list.select(0)
        reload()
    }

    // MARK: keys

    public var keyBindings: [KeyBinding] {
        if merge != nil { return mergeBindings }
        let none = list.selectedRow == nil ? "no duplicates found" : nil
        return KeyBinding.listNavigation(row: "pair") + [
            KeyBinding([.enter], .open, "Compare and merge", hint: true, disabled: none),
            KeyBinding([.char("C")], .toggleCompanies, kind == .contacts ? "Show duplicate companies" : "Show duplicate contacts",
                       hint: true),
            context.undoBinding(in: .contacts),
            KeyBinding.back("Back to the contacts", also: [.char("D")]),
        ]
    }

    private var mergeBindings: [KeyBinding] {
        KeyBinding.listNavigation(row: "field", paging: false, edges: false) + [
            KeyBinding([.char("h"), .left], .chooseKeep, "Take the field from the kept record (left)", hint: true,
                       hintTitle: "keep left"),
            KeyBinding([.char("l"), .right], .chooseOther, "Take the field from the merged record (right)", hint: true,
                       hintTitle: "take right"),
            KeyBinding([.char(" ")], .edit, "Switch the field's side"),
            KeyBinding([.char("s")], .swapSurvivor, "Keep the other record instead", hint: true),
            KeyBinding([.enter], .merge, "Merge (one step; u undoes it)", hint: true),
            KeyBinding.back("Back to the list"),
        ]
    }

    /// Handles a key; `.close` when the list is left.
    public func handle(_ key: Key) -> Outcome {
        var outcome = Outcome.stay
        _ = context.dispatch(key, in: keyBindings) { outcome = perform($0) }
        return outcome
    }

    func perform(_ action: ActionID) -> Outcome {
        if let merge {
            switch action {
            case .moveDown: merge.move(by: 1)
            case .moveUp: merge.move(by: -1)
            case .chooseKeep: merge.choose(.keep)
            case .chooseOther: merge.choose(.other)
            case .edit: merge.toggle()
            case .swapSurvivor: merge.swap()
            case .merge: commit(merge)
            case .back: self.merge = nil
            default: break
            }
            return .stay
        }
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: move(by: list.viewport)
        case .pageUp: move(by: -list.viewport)
        case .top: toStart()
        case .bottom: toEnd()
        case .open:
            if let pair = list.selectedRow { merge = MergeModel.load(pair, companies: kind == .companies, context: context) }
        case .toggleCompanies:
            kind = kind == .contacts ? .companies : .contacts
            list = ListWindow(capacity: 2000)
            reload()
        case .undo:
            context.undo(in: .contacts)
            reload()
        case .back: return .close
        default: break
        }
        return .stay
    }

    private func commit(_ merge: MergeModel) {
        do {
            let message = try merge.commit()
            self.merge = nil
            reload()
            context.status(message, .success)
        } catch {
            // A stale record says who changed what; the screen stays to look again.
            context.report(error)
            reloadMerge()
        }
    }

    /// The records again after a refused merge: what a colleague changed shows.
    private func reloadMerge() {
        guard let merge else { return }
        let pair = DuplicatePair(first: DuplicateRecord(id: merge.keepID, name: merge.keepName, context: nil, updatedAt: Date()),
                                 second: DuplicateRecord(id: merge.otherID, name: merge.otherName, context: nil, updatedAt: Date()),
                                 reasons: [], cursor: DuplicateCursor(strength: .name, key: "", subKey: 0, secondID: 0))
        let fresh = MergeModel.load(pair, companies: kind == .companies, context: context)
        fresh?.keepChoices(of: merge)
        if fresh == nil { self.merge = nil; reload() } else { self.merge = fresh }
    }
}
