/// An import stopped by the person (Ctrl-C, SIGTERM) before its last row was
/// read: the import's transaction rolls back, so nothing was imported.
public struct ImportInterrupted: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted; nothing was imported" }
}

/// Reads another source, and stops with `ImportInterrupted` at the next row
/// once `stopRequested` says so. A signal handler may only set a flag; this
/// is where the import looks at it, between two rows, so the whole batch is
/// rolled back by the one transaction it runs in.
public struct InterruptibleImportSource: ImportSource {
    private var source: any ImportSource
    private let stopRequested: () -> Bool

    public init(_ source: any ImportSource, stopRequested: @escaping () -> Bool) {
        self.source = source
        self.stopRequested = stopRequested
    }

    public mutating func next() throws -> ImportRow? {
        if stopRequested() { throw ImportInterrupted() }
        return try source.next()
    }
}
