@_exported import CRMTestPostgres
import XCTest

extension TestPostgresServer {
    /// The test process's server; the test is skipped only where PostgreSQL
    /// is not installed at all (`make test` installs it, so CI runs them all).
    static func require() throws -> TestPostgresServer {
        do { return try start() } catch let missing as NotInstalled { throw XCTSkip(missing.description) }
    }
}
