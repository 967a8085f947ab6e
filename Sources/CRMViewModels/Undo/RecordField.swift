import CRMCore
import Foundation

/// A stored record as undo sees it: an id, a version that every write bumps,
/// and whether it is in the trash.
protocol VersionedRecord {
    var id: Int64 { get }
    var version: Int64 { get set }
    var deletedAt: Date? { get }
}

extension Contact: VersionedRecord {}
extension Company: VersionedRecord {}
extension Deal: VersionedRecord {}
extension FollowUp: VersionedRecord {}
extension Interaction: VersionedRecord {}

/// One field of a record, named as the audit log and messages name it, with
/// how to compare it between two versions and copy it from one to another.
struct RecordField<Record> {
    let name: String
    let differs: (Record, Record) -> Bool
    let copy: (inout Record, Record) -> Void

    init<Value: Equatable>(_ name: String, _ path: WritableKeyPath<Record, Value>) {
        self.name = name
        differs = { $0[keyPath: path] != $1[keyPath: path] }
        copy = { $0[keyPath: path] = $1[keyPath: path] }
    }
}

/// The three-way decision behind undoing an edit: the action turned `before`
/// into `wrote`; the record is now `current`. Pure, so it is tested alone.
enum EditRevert {
    enum Plan<Record> {
        /// Write this record (its version is `current`'s): this action's
        /// fields taken back, a colleague's other fields kept.
        case write(Record, mine: [String], keptTheirs: [String])
        /// Someone changed fields this action changed too.
        case conflict(fields: [String])
        /// Nothing of the action is left to take back.
        case nothing
    }

    static func plan<Record: VersionedRecord>(before: Record, wrote: Record, current: Record,
                                               fields: [RecordField<Record>]) -> Plan<Record> {
        let mine = fields.filter { $0.differs(before, wrote) }
        guard !mine.isEmpty else { return .nothing }
        let theirs = fields.filter { $0.differs(wrote, current) }
        let overlap = theirs.filter { t in mine.contains { $0.name == t.name } }
        if !overlap.isEmpty { return .conflict(fields: overlap.map(\.name)) }
        var back = current
        for field in mine { field.copy(&back, before) }
        return .write(back, mine: mine.map(\.name), keptTheirs: theirs.map(\.name))
    }
}

// The fields a person edits, per record type (the names match the audit log's).
enum UndoFields {
    static var contact: [RecordField<Contact>] { [
        RecordField("name", \.name), RecordField("title", \.title), RecordField("company", \.companyID),
        RecordField("owner", \.ownerID), RecordField("lifecycle", \.lifecycle), RecordField("source", \.source),
        RecordField("notes", \.notes), RecordField("emails", \.emails), RecordField("phones", \.phones),
        RecordField("tags", \.tags),
    ] }
    static var company: [RecordField<Company>] { [
        RecordField("name", \.name), RecordField("domain", \.domain), RecordField("phone", \.phone),
        RecordField("address", \.address), RecordField("notes", \.notes), RecordField("owner", \.ownerID),
    ] }
    /// The stage is not here: a stage change is a move, undone by moving back.
    static var deal: [RecordField<Deal>] { [
        RecordField("title", \.title), RecordField("value", \.value), RecordField("expected close", \.expectedClose),
        RecordField("owner", \.ownerID), RecordField("contact", \.contactID), RecordField("company", \.companyID),
        RecordField("position", \.position),
    ] }
    static var interaction: [RecordField<Interaction>] { [
        RecordField("kind", \.kind), RecordField("direction", \.direction), RecordField("occurred at", \.occurredAt),
        RecordField("duration", \.durationSeconds), RecordField("outcome", \.outcome), RecordField("subject", \.subject),
        RecordField("body", \.body), RecordField("deal", \.dealID),
    ] }
    static var followUp: [RecordField<FollowUp>] { [
        RecordField("title", \.title), RecordField("note", \.note), RecordField("due", \.dueAt),
        RecordField("status", \.status), RecordField("done at", \.doneAt), RecordField("assignee", \.assigneeID),
        RecordField("contact", \.contactID), RecordField("deal", \.dealID),
        RecordField("reason", \.cancelReason),
    ] }
}
