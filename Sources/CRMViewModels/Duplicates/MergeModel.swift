import CRMCore
import CRMRepositories
import Foundation

/// The merge screen of one duplicate pair: both records side by side, a side
/// chosen for each field (the one that has it; the more recently edited one
/// when both do), a contact's emails, phones and tags joined, and what will
/// move. Enter merges in one transaction; `u` takes it back.
public final class MergeModel {
    public enum Records {
        case contacts(keep: Contact, other: Contact)
        case companies(keep: Company, other: Company)
    }

    /// One field as the screen shows it.
    public struct Row: Equatable, Sendable {
        public let field: String
        public let label: String
        public let keep: String
        public let other: String
        public var side: MergeSide
    }

    unowned let context: AppContext
    var repos: any CRMRepositories { context.repositories }
    public private(set) var records: Records
    public private(set) var rows: [Row] = []
    public private(set) var selected = 0
    public private(set) var preview = MergePreview()
    /// "Emails", "Phones", "Tags" of a contact merge with the joined values.
    public private(set) var joined: [(label: String, value: String)] = []
    /// The fields whose side the person chose (not the default).
    private var chosen: Set<String> = []

    init(context: AppContext, records: Records) throws {
        self.context = context
        self.records = records
        try rebuild()
    }

    /// Loads both records of a pair (the older one kept), or nil when one is
    /// gone (said in the status line).
    static func load(_ pair: DuplicatePair, companies: Bool, context: AppContext) -> MergeModel? {
        let repos = context.repositories
        do {
            let records: Records
            if companies {
                guard let a = try repos.companyRepository.get(pair.first.id), a.deletedAt == nil,
                      let b = try repos.companyRepository.get(pair.second.id), b.deletedAt == nil else {
                    context.status("One of the two companies is no longer there: someone merged or deleted it", .warning)
                    return nil
                }
                records = .companies(keep: a, other: b)
            } else {
                guard let a = try repos.contactRepository.get(pair.first.id), a.deletedAt == nil,
                      let b = try repos.contactRepository.get(pair.second.id), b.deletedAt == nil else {
                    context.status("One of the two contacts is no longer there: someone merged or deleted it", .warning)
                    return nil
                }
                records = .contacts(keep: a, other: b)
            }
            return try MergeModel(context: context, records: records)
        } catch {
            context.report(error, reading: "the two records")
            return nil
        }
    }

    public var keepName: String {
        switch records { case .contacts(let k, _): k.name; case .companies(let k, _): k.name }
    }
    public var otherName: String {
        switch records { case .contacts(_, let o): o.name; case .companies(_, let o): o.name }
    }
    public var keepID: Int64 {
        switch records { case .contacts(let k, _): k.id; case .companies(let k, _): k.id }
    }
    public var otherID: Int64 {
        switch records { case .contacts(_, let o): o.id; case .companies(_, let o): o.id }
    }
    /// Which of the two was edited last ("kept" or "merged"), for the header.
    public var newerSide: MergeSide {
        switch records {
        case .contacts(let k, let o): o.updatedAt > k.updatedAt ? .other : .keep
        case .companies(let k, let o): o.updatedAt > k.updatedAt ? .other : .keep
        }
    }
    public var entity: String {
        switch records { case .contacts: "contact"; case .companies: "company" }
    }

    // MARK: choosing

    public func move(by offset: Int) {
        guard !rows.isEmpty else { return }
        selected = min(max(selected + offset, 0), rows.count - 1)
    }

    /// The selected field from `side`.
    public func choose(_ side: MergeSide) {
        guard rows.indices.contains(selected) else { return }
        rows[selected].side = side
        chosen.insert(rows[selected].field)
    }

    public func toggle() {
        guard rows.indices.contains(selected) else { return }
        rows[selected].side = rows[selected].side.flipped
        chosen.insert(rows[selected].field)
    }

    /// After a merge refused for a colleague's change, the records read
    /// again keep what was on screen (QA 30 #15: every choice flipped to the
    /// newly newer record): the sides the person chose, and the default of
    /// every field neither record changed; only a field whose text changed
    /// takes its default again. The selected row stays.
    func keepChoices(of before: MergeModel) {
        guard before.keepID == keepID else { return }
        for i in rows.indices {
            guard let old = before.rows.first(where: { $0.field == rows[i].field }) else { continue }
            if before.chosen.contains(old.field) || (old.keep == rows[i].keep && old.other == rows[i].other) {
                rows[i].side = old.side
            }
        }
        chosen = before.chosen
        selected = min(before.selected, rows.count - 1)
    }

    /// The other record becomes the one kept; the choices start again from
    /// their defaults.
    public func swap() {
        switch records {
        case .contacts(let k, let o): records = .contacts(keep: o, other: k)
        case .companies(let k, let o): records = .companies(keep: o, other: k)
        }
        chosen = []
        do { try rebuild() } catch { context.report(error, reading: "what the merge would move") }
    }

    private func rebuild() throws {
        let sel = selected
        switch records {
        case .contacts(let k, let o):
            let sides = MergeChoice.defaults(keep: k, other: o, fields: Contact.mergeFields, updatedAt: \.updatedAt)
            let company = { (id: Int64?) throws -> String in try id.flatMap { try self.repos.companyRepository.get($0)?.name } ?? "" }
            let owner = { (id: Int64?) throws -> String in try id.flatMap { try self.repos.user(id: $0)?.login } ?? "" }
            rows = [
                Row(field: "name", label: "Name", keep: k.name, other: o.name, side: sides["name"]!),
                Row(field: "title", label: "Job title", keep: k.title, other: o.title, side: sides["title"]!),
                Row(field: "company", label: "Company", keep: try company(k.companyID), other: try company(o.companyID), side: sides["company"]!),
                Row(field: "owner", label: "Owner", keep: try owner(k.ownerID), other: try owner(o.ownerID), side: sides["owner"]!),
                Row(field: "lifecycle", label: "Lifecycle", keep: k.lifecycle.title, other: o.lifecycle.title, side: sides["lifecycle"]!),
                Row(field: "source", label: "Source", keep: k.source, other: o.source, side: sides["source"]!),
            ]
            let both = k.joiningDetails(of: o)
            joined = [("Emails", both.emails.map(\.address).joined(separator: ", ")),
                      ("Phones", both.phones.map(\.number).joined(separator: ", ")),
                      ("Tags", both.tags.joined(separator: ", ")),
                      ("Notes", Self.notesText(both.notes))]
            preview = try repos.contactRepository.mergePreview(keep: k.id, other: o.id)
        case .companies(let k, let o):
            let sides = MergeChoice.defaults(keep: k, other: o, fields: Company.mergeFields, updatedAt: \.updatedAt)
            let owner = { (id: Int64?) throws -> String in try id.flatMap { try self.repos.user(id: $0)?.login } ?? "" }
            rows = [
                Row(field: "name", label: "Name", keep: k.name, other: o.name, side: sides["name"]!),
                Row(field: "domain", label: "Domain", keep: k.domain, other: o.domain, side: sides["domain"]!),
                Row(field: "phone", label: "Phone", keep: k.phone, other: o.phone, side: sides["phone"]!),
                Row(field: "address", label: "Address", keep: firstLine(k.address), other: firstLine(o.address), side: sides["address"]!),
                Row(field: "owner", label: "Owner", keep: try owner(k.ownerID), other: try owner(o.ownerID), side: sides["owner"]!),
            ]
            joined = [("Notes", Self.notesText(k.joiningNotes(of: o).notes))]
            preview = try repos.companyRepository.mergePreview(keep: k.id, other: o.id)
        }
        selected = min(sel, rows.count - 1)
    }

    private func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { return "" }
        return lines.count > 1 ? first + " …" : String(first)
    }

    /// The sides as chosen, by field name.
    var sides: [String: MergeSide] { Dictionary(uniqueKeysWithValues: rows.map { ($0.field, $0.side) }) }

    /// The joined notes as one line of the form: their first line, and how
    /// many more there are.
    static func notesText(_ notes: String) -> String {
        let lines = notes.split(separator: "\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { return "" }
        return lines.count == 1 ? String(first) : "\(first) (+\(lines.count - 1) more line\(lines.count == 2 ? "" : "s"))"
    }

    // MARK: merging

    /// What the merge moved, for its status line ("moved nothing else moves"
    /// read oddly: QA 35 #7).
    private var movedText: String { preview.isEmpty ? "nothing else moved" : "moved \(preview.sentence)" }

    /// Merges, in one transaction, and records the undo; returns the status line.
    func commit() throws -> String {
        switch records {
        case .contacts(let k, let o):
            let repo = repos.contactRepository
            let survivor = MergeChoice.merged(keep: k, other: o, fields: Contact.mergeFields, sides: sides).joiningDetails(of: o)
            let result = try repos.transaction { try repo.merge(into: survivor, other: o.id, otherVersion: o.version) }
            context.recordUndo("merge of \(o.name) into \(survivor.name)") { try Self.undo { try repo.undoMerge(result) } }
            return "Merged \(o.name) (#\(o.id)) into \(survivor.name) (#\(k.id)): \(movedText); u undoes it"
        case .companies(let k, let o):
            let repo = repos.companyRepository
            let survivor = MergeChoice.merged(keep: k, other: o, fields: Company.mergeFields, sides: sides).joiningNotes(of: o)
            let result = try repos.transaction { try repo.merge(into: survivor, other: o.id, otherVersion: o.version) }
            context.recordUndo("merge of \(o.name) into \(survivor.name)") { try Self.undo { try repo.undoMerge(result) } }
            return "Merged \(o.name) (#\(o.id)) into \(survivor.name) (#\(k.id)): \(movedText); u undoes it"
        }
    }

    /// Runs an undo of a merge; a record changed since is a refusal that
    /// says who changed what.
    private static func undo(_ body: () throws -> Void) throws -> String? {
        do {
            try body()
            return nil
        } catch RepositoryError.stale(let stale) {
            let who = stale.changedBy ?? "someone"
            if stale.deleted { throw UndoRefusal("Not undone: \(who) deleted the \(stale.entity) #\(stale.id) since the merge") }
            let what = stale.changedFields.isEmpty ? "" : "the \(AppModel.list(stale.changedFields)) of "
            throw UndoRefusal("Not undone: \(who) changed \(what)the \(stale.entity) #\(stale.id) since the merge")
        }
    }
}
