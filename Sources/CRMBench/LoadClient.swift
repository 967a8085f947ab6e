import CRMCore
import CRMDemo
import CRMRepositories
import Foundation

/// One client of `crm bench --clients N`: a person at work for the run's
/// seconds — searching contacts as they type, logging notes, moving deals
/// on the board and completing their follow-ups (with an outcome note and
/// the next follow-up, as Today's `x` does) — through `any CRMRepositories`,
/// so the same script loads SQLite and PostgreSQL.
///
/// Every write is announced before it is tried (a `W` line with what it
/// will write, carrying a marker unique to the run, the client and the
/// sequence number) and its outcome told after (an `R` line with the time),
/// so the parent can check afterwards that every write that was confirmed is
/// in the database exactly once, and none that was refused is (LoadLines).
public final class LoadClient {
    public let index: Int
    public let clients: Int
    public let runID: String
    let repos: any CRMRepositories
    let emit: (String) -> Void
    /// Seeded: each client's mix is the same on every run.
    private var rng: DemoRandom
    private var seq = 0
    private var waits = 0
    private var contactIDs: [Int64] = []
    private var dealIDs: [Int64] = []
    private var stagesByPipeline: [Int64: [Stage]] = [:]
    private var followUps: [FollowUp] = []

    /// The mix: searches are the common action; each write kind follows.
    static let mix: [(LoadKind, Int)] = [(.search, 40), (.note, 25), (.move, 20), (.done, 15)]
    /// What people type into the contacts search: one to three letters.
    static let typed = ["a", "an", "ma", "mar", "li", "lee", "jo", "sa", "ka", "el", "to", "be", "ch", "ni", "ro"]

    public init(index: Int, clients: Int, runID: String, repos: any CRMRepositories, emit: @escaping (String) -> Void) {
        self.index = index
        self.clients = clients
        self.runID = runID
        self.repos = repos
        self.emit = emit
        rng = DemoRandom(seed: UInt64(index + 1) &* 0x9E37_79B9)
    }

    /// Untimed: what this person has in front of them — some contacts, the
    /// board's open deals (the same ones for every client, so moves meet
    /// others' moves and some are refused as stale) and this client's share
    /// of its user's open follow-ups (split by id, so two clients of one
    /// user do not complete the same one).
    public func prepare() throws {
        contactIDs = try repos.contactRepository.search("a", filter: ContactFilter(), limit: 200).map(\.id)
        let pipelines = try repos.pipelineRepository.pipelines()
        for pipeline in pipelines {
            let stages = try repos.pipelineRepository.stages(pipelineID: pipeline.id)
            stagesByPipeline[pipeline.id] = stages.filter { $0.kind == .open }
        }
        if let first = pipelines.first {
            for stage in stagesByPipeline[first.id] ?? [] {
                dealIDs += try repos.dealRepository.cards(stageID: stage.id, filter: DealFilter(), after: nil, limit: 15).map(\.id)
            }
        }
        followUps = try repos.followUpRepository.due(from: nil, to: nil, assigneeID: repos.currentUser.id, limit: 2000)
            .map(\.followUp).filter { Int($0.id % Int64(clients)) == index }
        repos.onWriteWait = { [weak self] wait in if wait == .waiting { self?.waits += 1 } }
    }

    /// Actions until `deadline` (uptime nanoseconds).
    public func run(until deadline: UInt64) {
        let weights = Self.mix.map(\.1)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            switch Self.mix[rng.weighted(weights)].0 {
            case .search: search()
            case .note: note()
            case .move: move(retry: true)
            case .done: if followUps.isEmpty { note() } else { done() }
            }
        }
    }

    private func nextKey() -> String {
        seq += 1
        return "c\(index).\(seq)"
    }

    private func marker(_ key: String) -> String { "bench load \(runID) \(key)" }

    private func random<T>(_ items: [T]) -> T? { items.isEmpty ? nil : rng.pick(items) }

    /// Times `body` and tells its outcome; returns whether it was confirmed.
    @discardableResult
    private func timed(_ key: String, _ kind: LoadKind, _ body: () throws -> Void) -> Bool {
        let waitsBefore = waits
        let start = DispatchTime.now().uptimeNanoseconds
        var outcome = LoadOutcome.ok
        do {
            try body()
        } catch let error as RepositoryError {
            switch error {
            case .stale: outcome = .stale
            case .busy: outcome = .busy
            default: outcome = .error
            }
            // Stale and busy refusals are counted in their own columns; other errors are told.
            if outcome == .error { emit(LoadLine.error(key: key, text: error.description)) }
        } catch {
            outcome = .error
            emit(LoadLine.error(key: key, text: "\(error)"))
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        emit(LoadLine.result(key: key, kind: kind, ms: ms, outcome: outcome, waits: waits - waitsBefore))
        return outcome == .ok
    }

    private func search() {
        let text = random(Self.typed) ?? "a"
        timed(nextKey(), .search) {
            let found = try repos.contactRepository.search(text, filter: ContactFilter(), limit: 40)
            if contactIDs.count < 500 { contactIDs += found.prefix(5).map(\.id) }
        }
    }

    private func note() {
        let key = nextKey(), body = marker(key)
        let contactID = random(contactIDs)
        emit(LoadLine.intended(key: key, kind: .note, fields: [body]))
        timed(key, .note) {
            _ = try repos.transaction {
                try repos.interactionRepository.log(Interaction(contactID: contactID, kind: .note, occurredAt: Date(), body: body))
            }
        }
    }

    /// Opens a deal's card and moves it one stage on (or back from the last
    /// open stage); a stale refusal is met as a person meets it: the card
    /// reloads and the move is tried once more.
    private func move(retry: Bool) {
        guard let dealID = random(dealIDs) else { return note() }
        let key = nextKey()
        var refusedStale = false
        timed(key, .move) {
            guard let deal = try repos.dealRepository.get(dealID), deal.status == .open,
                  let stages = stagesByPipeline[deal.pipelineID], let at = stages.firstIndex(where: { $0.id == deal.stageID }),
                  stages.count > 1 else { return }
            let to = stages[at + 1 < stages.count ? at + 1 : at - 1]
            emit(LoadLine.intended(key: key, kind: .move,
                                   fields: [String(dealID), String(deal.stageID), String(to.id), String(repos.currentUser.id)]))
            do {
                _ = try repos.dealRepository.move(dealID, toStage: to.id, expectedVersion: deal.version)
            } catch RepositoryError.stale(let edit) {
                refusedStale = true
                throw RepositoryError.stale(edit)
            }
        }
        if refusedStale && retry { move(retry: false) }
    }

    /// Today's `x`: done, an outcome note, and the next follow-up a week on,
    /// in one transaction; the next one joins this client's queue.
    private func done() {
        let followUp = followUps.removeFirst()
        let key = nextKey(), body = marker(key)
        emit(LoadLine.intended(key: key, kind: .done, fields: [body, String(followUp.id)]))
        var next: FollowUp?
        let ok = timed(key, .done) {
            let now = Date()
            var done = followUp
            done.status = .done
            done.doneAt = now
            next = try repos.transaction {
                _ = try repos.followUpRepository.update(done)
                _ = try repos.interactionRepository.log(Interaction(contactID: followUp.contactID, dealID: followUp.dealID, kind: .note,
                                                                    occurredAt: now, outcome: body, subject: followUp.title,
                                                                    body: body, createdAt: now))
                return try repos.followUpRepository.create(FollowUp(contactID: followUp.contactID, dealID: followUp.dealID,
                                                                    assigneeID: followUp.assigneeID, title: followUp.title,
                                                                    note: followUp.note, dueAt: now.addingTimeInterval(7 * 86_400),
                                                                    createdAt: now))
            }
        }
        if ok, let next { followUps.append(next) }
    }
}
