import Foundation

/// A transient line in the status bar: "Saved", an error, a conflict.
public struct StatusMessage: Equatable, Sendable {
    public enum Kind: Sendable { case info, success, warning, error }
    public let text: String
    public let kind: Kind
    public let shownAt: Date

    public init(_ text: String, kind: Kind = .info, at: Date) {
        self.text = text
        self.kind = kind
        self.shownAt = at
    }

    /// Messages fade after a few seconds; errors stay a little longer.
    public func isVisible(at now: Date) -> Bool {
        now.timeIntervalSince(shownAt) < (kind == .error || kind == .warning ? 8 : 4)
    }
}
