import CRMRepositories

// A write that waits for another user's save: the status line says so while
// it waits, and when the wait runs out, what was typed or asked is kept and
// one key tries again.
extension AppModel {
    /// The status line while a write waits for another user's save.
    public static let waitingForSaveText = "waiting for another save…"
    /// The status line while the engine reconnects to its database server.
    public static let reconnectingText = "reconnecting…"
    /// The status line while a statement waits for a server that answers nobody.
    public static let noAnswerText = "the database server is not answering…"

    /// What the terminal hands to `repositories.onWriteWait` (then redraws at
    /// once on `.waiting`: the loop itself is blocked in the write). Touches
    /// no repository.
    public func writeWaitChanged(_ wait: WriteWait) {
        switch wait {
        case .waiting:
            status(Self.waitingForSaveText, .warning)
        case .reconnecting:
            serverAway = true
            status(Self.reconnectingText, .warning)
        case .noAnswer:
            status(Self.noAnswerText, .warning)
        case .resumed, .gaveUp, .reconnected:
            if wait == .reconnected {
                serverAway = false
                readAgainAfterReconnect = true
            }
            // The write's own outcome (a success, or the busy sentence) follows.
            if [Self.waitingForSaveText, Self.reconnectingText, Self.noAnswerText].contains(statusMessage?.text) {
                statusMessage = nil
                revision += 1
            }
        }
    }

    /// A write gave up waiting: nothing changed, and `key` tries again. With
    /// `overlay`, the prompt or question is put back up as it was.
    func offerRetry(_ overlay: Overlay? = nil, nothing: String = "Nothing changed", key: String) {
        if let overlay { present(overlay) }
        status(BusyRetry.statusLine(nothing: nothing, retryKey: key), .warning)
    }
}

/// The words for a write that gave up waiting for another user's save.
public enum BusyRetry {
    /// One line for the status bar: what did not happen and the key first
    /// (a narrow terminal cuts the end), then `RepositoryError.busy`'s reason.
    public static func statusLine(nothing: String, retryKey: String) -> String {
        "\(nothing): press \(retryKey) to try again. \(RepositoryError.busyReason)"
    }

    /// A form's banner (wrapped, so it reads in the natural order).
    public static func formBanner(retryKeys: String) -> String {
        "\(RepositoryError.busyReason). Nothing was saved; \(retryKeys) tries again"
    }
}
