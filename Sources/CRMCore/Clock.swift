import Foundation

/// Where "now" comes from: the system clock in the program, a clock the test
/// moves by hand in tests (call timers, "2 min ago", due dates).
public protocol Clock: AnyObject {
    var now: Date { get }
}

public final class SystemClock: Clock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that stands still until told to move.
public final class ManualClock: Clock {
    public var now: Date
    public init(_ now: Date) { self.now = now }
    public func advance(by seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}
