/// Undo declined because a colleague changed what the action wrote: the
/// sentence says who changed what and when; `merge`, when there is one, is the
/// edit form set up for the three-way merge (your old values over theirs).
public struct UndoRefusal: Error, CustomStringConvertible {
    public let message: String
    public let merge: FormModel?

    public init(_ message: String, merge: FormModel? = nil) {
        self.message = message
        self.merge = merge
    }

    public var description: String { message }
}
