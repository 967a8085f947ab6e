import Foundation

/// Messages posted by work done on other threads (the report figures), for
/// the loop to handle as it handles a key: message → update → draw. The
/// view models are used on the loop's thread only; this box is the one
/// thing both sides touch, under its lock.
public final class AppInbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var messages: [AppMessage] = []

    public init() {}

    /// Called from any thread; wakes whoever waits in `wait(until:)`.
    public func post(_ message: AppMessage) {
        condition.lock()
        messages.append(message)
        condition.broadcast()
        condition.unlock()
    }

    /// The messages posted so far, oldest first, and empties the box.
    public func take() -> [AppMessage] {
        condition.lock()
        defer { condition.unlock() }
        let taken = messages
        messages = []
        return taken
    }

    /// Waits until a message is there or `deadline` has passed: true when
    /// there is one. For the tests and the bench, which need the figures a
    /// key asked for; the terminal loop never waits here.
    public func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while messages.isEmpty {
            if !condition.wait(until: deadline) { return !messages.isEmpty }
        }
        return true
    }
}
