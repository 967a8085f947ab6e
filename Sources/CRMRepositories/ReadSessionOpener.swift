/// How to open a read session (`CRMRepositories.readSessionOpener`), taken
/// on the screen's thread and run on the thread that will own the session.
///
/// Why two steps: what needs the screen's session (is the server known to be
/// away, who is acting, which clock) is read at once, where that session
/// lives; opening the connection is left to the other thread. On PostgreSQL
/// that is a new server process, its sign-in and its catalogs, 15–20 ms that
/// `5` used to wait for before drawing Reports.
///
/// Unchecked: the closure holds the session's clock, which the read session
/// shares with the screen's as it always did (a clock is read, never set).
public struct ReadSessionOpener: @unchecked Sendable {
    private let opening: () throws -> any CRMRepositories

    public init(_ opening: @escaping () throws -> any CRMRepositories) {
        self.opening = opening
    }

    /// Opens the session; call it on the thread that will use it.
    public func open() throws -> any CRMRepositories { try opening() }
}
