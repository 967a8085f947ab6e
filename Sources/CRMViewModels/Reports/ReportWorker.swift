import CRMCore
import CRMRepositories
import Foundation

/// Computes report pages on a thread of its own, through a read session of
/// its own (`CRMRepositories.readSessionOpener`), so a page that takes a
/// second never holds up the keys. The session is opened on that thread at
/// the first request, so the key that asked does not wait for it either; one
/// that cannot be opened is tried again at the next request. It keeps only
/// the latest request: one asked for while another is computed replaces any
/// still waiting. Results go to the loop as messages (`post`), which drops
/// those no longer wanted.
final class ReportWorker: @unchecked Sendable {
    // Everything below is guarded by `condition`, except `session`: opened
    // and used by the worker's thread alone.
    private let condition = NSCondition()
    private var waiting: (request: ReportRequest, settings: Settings)?
    private var stopped = false
    private let opener: ReadSessionOpener
    private var session: (any CRMRepositories)?
    private let post: @Sendable (AppMessage) -> Void

    init(opening opener: ReadSessionOpener, post: @escaping @Sendable (AppMessage) -> Void) {
        self.opener = opener
        self.post = post
        let thread = Thread { [self] in run() }
        thread.name = "crm reports"
        thread.start()
    }

    /// Asks for `request`'s figures; returns at once.
    func ask(_ request: ReportRequest, settings: Settings) {
        condition.lock()
        waiting = (request, settings)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread after the page it may be computing (its result is
    /// not sent); the session is closed with it.
    func stop() {
        condition.lock()
        stopped = true
        waiting = nil
        condition.signal()
        condition.unlock()
    }

    /// Hidden and undocumented on purpose: the end-to-end test's way to
    /// hold a page "computing" for as long as this file exists, to show the
    /// screen answering keys meanwhile without depending on timing.
    private static let holdFile = ProcessInfo.processInfo.environment["CRM_TEST_REPORT_HOLD"]

    private func run() {
        while let job = next() {
            let request = job.request
            if let hold = Self.holdFile {
                while FileManager.default.fileExists(atPath: hold) { usleep(20_000) }
            }
            let outcome: ReportComputed.Outcome
            do {
                let session = try opened()
                // A file read without locks that was written since is read
                // anew (see `pollChanges`); otherwise this costs nothing.
                _ = try session.pollChanges()
                outcome = .sheet(try ReportSheets.build(request.page, request.filter, repositories: session, settings: job.settings))
            } catch let failure as ReportFailure {
                outcome = .failed(failure)
            } catch {
                outcome = .failed(ReportFailure(error))
            }
            // Sent even when a newer request is waiting: the loop decides
            // whether it is still of use (see ReportsModel.receive).
            condition.lock()
            let ended = stopped
            condition.unlock()
            if !ended { post(.reportComputed(ReportComputed(request: request, outcome: outcome))) }
        }
    }

    /// The session, opened at the first request; its failure marked as one
    /// of opening (see ReportsModel.receive).
    private func opened() throws -> any CRMRepositories {
        if let session { return session }
        do {
            let opened = try opener.open()
            session = opened
            return opened
        } catch {
            throw ReportFailure(error, opening: true)
        }
    }

    /// The next request to compute, waiting for one; nil once stopped.
    private func next() -> (request: ReportRequest, settings: Settings)? {
        condition.lock()
        defer { condition.unlock() }
        while waiting == nil && !stopped { condition.wait() }
        guard !stopped, let next = waiting else { return nil }
        waiting = nil
        return next
    }
}
