import CRMCore
import Foundation

/// The fields of a follow-up that Today's bulk actions change (snooze and
/// reschedule the due time, done the status and its time, reassign the
/// assignee): what a set update's `change` may touch. No text: a set of
/// thousands of rows is changed and remembered for its undo without a copy
/// of any title or note.
public struct FollowUpSetFields: Hashable, Sendable {
    public let id: Int64
    public var dueAt: Date
    public var status: FollowUpStatus
    public var doneAt: Date?
    public var assigneeID: Int64?

    public init(_ followUp: FollowUp) {
        id = followUp.id
        dueAt = followUp.dueAt
        status = followUp.status
        doneAt = followUp.doneAt
        assigneeID = followUp.assigneeID
    }

    /// `row` with these fields.
    public func applied(to row: FollowUp) -> FollowUp {
        var row = row
        row.dueAt = dueAt
        row.status = status
        row.doneAt = doneAt
        row.assigneeID = assigneeID
        return row
    }
}

/// What a set update of follow-ups wrote, kept compact for its undo (issue
/// 16, memory flat): the ids and versions written and, per field the action
/// changed, that field's value before and after as a column of plain values
/// (a snooze of 20,000 rows: 32 bytes a row, no row struct and no string).
/// The rows that were already as asked are only counted.
public struct FollowUpSetWrite: Sendable {
    /// Rows a set update reads, changes and audits at a time (both engines).
    public static let chunk = 500

    /// Rows of the set, changed or not.
    public private(set) var count = 0
    /// The rows written, ascending.
    public private(set) var ids: [Int64] = []
    /// The version each was written at (the one it was seen at + 1).
    public private(set) var versions: [Int64] = []
    private var due = Column<Date>()
    private var status = Column<FollowUpStatus>()
    private var doneAt = Column<Date?>()
    private var assignee = Column<Int64?>()

    public init() {}

    /// For a set of `expected` rows: room for all of them from the start
    /// (growing by doubling could hold twice the rows' bytes).
    public init(expected: Int) {
        ids.reserveCapacity(expected)
        versions.reserveCapacity(expected)
        self.expected = expected
    }

    private var expected = 0

    /// `rows` in ascending id order, each id once (a set update reads them so).
    public static func ascending(_ rows: [VersionedID]) -> [VersionedID] {
        if zip(rows, rows.dropFirst()).allSatisfy({ $0.id < $1.id }) { return rows }
        var seen = Set<Int64>()
        return rows.sorted { $0.id < $1.id }.filter { seen.insert($0.id).inserted }
    }

    /// The first row of `chunk` (ascending ids, each at the version it was
    /// seen at) that `found` (the rows as they are, ascending; a trashed row
    /// at version -1) does not hold at that version.
    public static func firstStale(_ chunk: ArraySlice<VersionedID>, _ found: [VersionedID]) -> VersionedID? {
        var next = found.startIndex
        for seen in chunk {
            while next < found.endIndex, found[next].id < seen.id { next += 1 }
            guard next < found.endIndex, found[next] == seen else { return seen }
            next += 1
        }
        return nil
    }

    /// A row of the set that was already as asked: counted, not kept.
    public mutating func appendUnchanged() { count += 1 }

    /// A row written at `version`: `before` as it was, `after` as written.
    /// Rows come in ascending id order.
    public mutating func append(version: Int64, before: FollowUpSetFields, after: FollowUpSetFields) {
        precondition(ids.last.map { $0 < before.id } ?? true, "set rows in ascending id order")
        let row = ids.count
        count += 1
        ids.append(before.id)
        versions.append(version)
        due.append(row, before.dueAt, after.dueAt, expected: expected)
        status.append(row, before.status, after.status, expected: expected)
        doneAt.append(row, before.doneAt, after.doneAt, expected: expected)
        assignee.append(row, before.assigneeID, after.assigneeID, expected: expected)
    }

    /// The rows written, each at the version this action wrote.
    public var written: [VersionedID] { zip(ids, versions).map { VersionedID(id: $0, version: $1) } }

    /// The index of row `id` among `ids` (binary search), nil when it was not written.
    public func index(of id: Int64) -> Int? {
        var low = 0, high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < id { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// `fields` (the row at index `row`, as it is now) with this action's
    /// changes taken back: each field the action changed set to its value before.
    public func restore(_ row: Int, _ fields: inout FollowUpSetFields) {
        due.restore(row, &fields.dueAt)
        status.restore(row, &fields.status)
        doneAt.restore(row, &fields.doneAt)
        assignee.restore(row, &fields.assigneeID)
    }

    /// `fields` with this action's values of row `row` (what it wrote).
    public func written(_ row: Int, _ fields: inout FollowUpSetFields) {
        due.wrote(row, &fields.dueAt)
        status.wrote(row, &fields.status)
        doneAt.wrote(row, &fields.doneAt)
        assignee.wrote(row, &fields.assigneeID)
    }

    /// Bytes the record holds beyond its own few words: what its undo costs.
    public var storedBytes: Int {
        ids.capacity * 8 + versions.capacity * 8 + due.storedBytes + status.storedBytes + doneAt.storedBytes
            + assignee.storedBytes
    }

    /// One field's values before and after, for every row written, kept
    /// only once some row changed the field: rows before that one did not
    /// change it and hold the same value twice (equal: nothing to take back).
    struct Column<Value: Equatable & Sendable>: Sendable {
        private(set) var before: [Value] = []
        private(set) var after: [Value] = []

        mutating func append(_ row: Int, _ old: Value, _ new: Value, expected: Int) {
            if before.isEmpty {
                guard old != new else { return }
                before.reserveCapacity(max(expected, row + 1))
                after.reserveCapacity(max(expected, row + 1))
                before.append(contentsOf: repeatElement(new, count: row))
                after.append(contentsOf: repeatElement(new, count: row))
            }
            before.append(old)
            after.append(new)
        }

        func restore(_ row: Int, _ value: inout Value) {
            guard row < before.count, before[row] != after[row] else { return }
            value = before[row]
        }

        func wrote(_ row: Int, _ value: inout Value) {
            guard row < after.count, before[row] != after[row] else { return }
            value = after[row]
        }

        var storedBytes: Int { (before.capacity + after.capacity) * MemoryLayout<Value>.stride }
    }
}
