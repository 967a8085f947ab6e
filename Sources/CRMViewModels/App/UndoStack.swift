/// The last things done, each with the way to take it back. `u` undoes the
/// newest: a delete is restored, an edit is written back, a new record removed.
public final class UndoStack {
    public struct Entry {
        public let title: String
        let undo: () throws -> Void
    }

    public private(set) var entries: [Entry] = []
    private let limit = 50

    public init() {}

    public func push(_ title: String, undo: @escaping () throws -> Void) {
        entries.append(Entry(title: title, undo: undo))
        if entries.count > limit { entries.removeFirst() }
    }

    public var last: Entry? { entries.last }

    /// Undoes the newest entry; returns its title. The entry is dropped even
    /// if undoing fails (the record changed meanwhile), with the error thrown.
    public func undo() throws -> String? {
        guard let entry = entries.popLast() else { return nil }
        try entry.undo()
        return entry.title
    }
}
