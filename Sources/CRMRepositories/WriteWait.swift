/// What a write that has to wait for another writer tells the screen, so a
/// wait never looks like a frozen program. Engine-neutral: SQLite's busy
/// handler sends it, and any other engine's lock wait can.
public enum WriteWait: Equatable, Sendable {
    /// A write has been waiting for another user's save for a noticeable time
    /// (300 ms) and goes on waiting. Sent once per wait, from inside it: the
    /// caller is blocked, so whoever listens must not touch the repositories,
    /// only draw.
    case waiting
    /// The wait announced by `.waiting` ended: the write got its turn and went on.
    case resumed
    /// The wait announced by `.waiting` lasted the whole busy timeout: the
    /// write was given up and fails with `RepositoryError.busy`. After
    /// `.reconnecting`: the server did not come back in time, and the call
    /// fails with `RepositoryError.unavailable`.
    case gaveUp
    /// The connection to a database server was lost (a restart, a network
    /// cut): the engine reconnects with backoff and then resumes what was
    /// being done, applied exactly once. Sent from inside the blocked call.
    case reconnecting
    /// The connection announced by `.reconnecting` is back.
    case reconnected
    /// A statement has had no answer for a noticeable time and the database
    /// server answers no second connection either (stopped, or its host
    /// gone silent). `.resumed` follows if the answer comes; otherwise the
    /// connection is given up after a while and `.reconnecting` follows.
    case noAnswer
}
