/// One row of a view's key table: the keys, the action, how help describes it,
/// whether the hint bar shows it, and why it cannot run right now. Dispatch,
/// hints, the `?` overlay and the `:` palette all read these tables, so help
/// can never drift from behaviour.
public struct KeyBinding: Sendable, Equatable {
    public let keys: [Key]
    public let action: ActionID
    public let title: String
    public let inHintBar: Bool
    /// Nil when the action can run; otherwise the reason shown when tried.
    public var disabledReason: String?
    /// What the hint bar shows, when not the start of `title` ("undo: move of …").
    public var hintTitle: String?

    public init(_ keys: [Key], _ action: ActionID, _ title: String, hint: Bool = false, disabled: String? = nil,
                hintTitle: String? = nil) {
        self.keys = keys
        self.action = action
        self.title = title
        self.inHintBar = hint
        self.disabledReason = disabled
        self.hintTitle = hintTitle
    }

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

extension Array where Element == KeyBinding {
    public func binding(for key: Key) -> KeyBinding? { first { $0.keys.contains(key) } }
    public func binding(for action: ActionID) -> KeyBinding? { first { $0.action == action } }
}

extension AppContext {
    /// Looks `key` up in a view's key table and runs its action; a disabled
    /// action says why in the status line instead. False when no row has the key.
    func dispatch(_ key: Key, in bindings: [KeyBinding], perform: (ActionID) -> Void) -> Bool {
        guard let binding = bindings.binding(for: key) else { return false }
        if let reason = binding.disabledReason {
            status("\(binding.title): \(reason)", .warning)
            return true
        }
        perform(binding.action)
        return true
    }
}
