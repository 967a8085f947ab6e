/// The last things done, each with the way to take it back. `u` undoes the
/// newest. An entry remembers the view it was made in, so `u` in another view
/// asks before reaching back (see AppModel.undo(in:)), and its closure checks
/// that what it wrote is still there before it writes: undo never writes over
/// a colleague's newer version.
public final class UndoStack {
    public struct Entry {
        /// What the action was, as the status line names it: "edit of Günter Müller".
        public let title: String
        /// The view the action was made in.
        public let view: ViewKind
        /// Takes the action back, inside one transaction; returns a status
        /// line when it did less than all (nil: "Undone: <title>"), or throws
        /// `UndoRefusal` when a colleague's change stands in the way.
        let undo: () throws -> String?
    }

    public private(set) var entries: [Entry] = []
    private let limit = 50

    public init() {}

    public func push(_ title: String, in view: ViewKind, undo: @escaping () throws -> String?) {
        entries.append(Entry(title: title, view: view, undo: undo))
        if entries.count > limit { entries.removeFirst() }
    }

    public var last: Entry? { entries.last }

    /// Takes the newest entry off the stack.
    func pop() -> Entry? { entries.popLast() }

    /// Puts an entry back on top: its undo failed for a passing reason (the
    /// database was busy), so `u` can try it again.
    func restore(_ entry: Entry) { entries.append(entry) }
}
