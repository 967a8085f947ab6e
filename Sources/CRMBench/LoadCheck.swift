import CRMRepositories
import Foundation

/// After a load run: is every write a client was told succeeded in the
/// database exactly once, and is none that was refused there? Read with
/// the bench's own SQL (BenchSQL), the same text on both engines:
/// - a note or a follow-up's outcome note: its body is the write's marker,
///   unique to the run, client and sequence number — counted by body;
/// - a completed follow-up: its status is done;
/// - a deal move: a row of the stage history (deal, from, to, by whom)
///   newer than the last one before the run, counted against the moves
///   the clients were told succeeded.
public struct LoadCheck {
    public var confirmed: [LoadKind: Int] = [:]
    /// Confirmed writes not in the database.
    public var lost = 0
    /// Writes in the database more often than confirmed.
    public var duplicated = 0
    /// Writes refused (stale, busy, error) that are in the database anyway.
    public var refusedYetWritten = 0
    /// Writes whose client ended before saying how they went (either way is right).
    public var unknownOutcome = 0
    /// The first few differences, for the report.
    public var details: [String] = []

    public var consistent: Bool { lost == 0 && duplicated == 0 && refusedYetWritten == 0 }

    /// The last stage history row before the run: moves after it are the run's.
    public static func baseline(_ repos: any CRMRepositories) throws -> Int64 {
        try BenchSQL.integer(repos, "SELECT coalesce(max(id), 0) FROM deal_stage_history") ?? 0
    }

    public init(repos: any CRMRepositories, runID: String, historyAfter: Int64, tally: LoadTally) throws {
        var bodies: [String: Int] = [:]
        for row in try BenchSQL.rows(repos, "SELECT body, count(*) FROM interactions WHERE body LIKE ? GROUP BY body",
                                     ["bench load \(runID) %"], columns: 2) {
            if let body = row[0], let n = row[1].flatMap({ Int($0) }) { bodies[body] = n }
        }
        var moved: [String: Int] = [:]
        for row in try BenchSQL.rows(repos, """
            SELECT deal_id, from_stage_id, to_stage_id, changed_by, count(*) FROM deal_stage_history
            WHERE id > CAST(? AS bigint) GROUP BY deal_id, from_stage_id, to_stage_id, changed_by
            """, [String(historyAfter)], columns: 5) {
            moved[row[0..<4].map { $0 ?? "" }.joined(separator: " "), default: 0] += row[4].flatMap { Int($0) } ?? 0
        }
        var movesConfirmed: [String: Int] = [:], movesUnsure: [String: Int] = [:], movesRefused: [String: Int] = [:]
        for (key, write) in tally.writes.sorted(by: { $0.key < $1.key }) {
            if write.outcome == .ok { confirmed[write.kind, default: 0] += 1 }
            if write.outcome == nil { unknownOutcome += 1 }
            switch write.kind {
            case .note, .done:
                guard let body = write.fields.first else { continue }
                let found = bodies[body] ?? 0
                if write.outcome == .ok {
                    if found == 0 { lost += 1; detail("\(key): \(write.kind.title) confirmed but not found") }
                    if found > 1 { duplicated += found - 1; detail("\(key): \(write.kind.title) found \(found) times") }
                    if write.kind == .done, found > 0, write.fields.count > 1 {
                        let status = try BenchSQL.rows(repos, "SELECT status FROM follow_ups WHERE id = CAST(? AS bigint)",
                                                       [write.fields[1]], columns: 1).first?.first ?? nil
                        if status != "done" { lost += 1; detail("\(key): follow-up \(write.fields[1]) is \(status ?? "gone"), not done") }
                    }
                } else if write.outcome != nil, found > 0 {
                    refusedYetWritten += 1; detail("\(key): \(write.kind.title) refused (\(write.outcome!.rawValue)) but found")
                }
            case .move:
                let move = write.fields.joined(separator: " ")
                switch write.outcome {
                case .ok: movesConfirmed[move, default: 0] += 1
                case nil: movesUnsure[move, default: 0] += 1
                default: movesRefused[move, default: 0] += 1
                }
            case .search:
                continue
            }
        }
        for (move, count) in movesConfirmed where (moved[move] ?? 0) < count {
            lost += count - (moved[move] ?? 0); detail("move \(move): confirmed \(count) times, in the history \(moved[move] ?? 0) times")
        }
        for (move, found) in moved {
            let extra = found - (movesConfirmed[move] ?? 0) - (movesUnsure[move] ?? 0)
            guard extra > 0 else { continue }
            if movesRefused[move] != nil {
                refusedYetWritten += extra; detail("move \(move): refused but in the history")
            } else {
                duplicated += extra; detail("move \(move): in the history \(found) times, confirmed \(movesConfirmed[move] ?? 0)")
            }
        }
    }

    private mutating func detail(_ text: String) {
        if details.count < 10 { details.append(text) }
    }

    /// One line: what was confirmed and whether all of it is there once.
    public var summary: String {
        let total = confirmed.values.reduce(0, +)
        let parts = [LoadKind.note, .done, .move].map { "\(confirmed[$0] ?? 0) \($0.title)" }.joined(separator: ", ")
        var line = "consistency: \(total) confirmed writes (\(parts)): \(lost) lost, \(duplicated) duplicated"
        if refusedYetWritten > 0 { line += ", \(refusedYetWritten) refused yet written" }
        if unknownOutcome > 0 { line += "; \(unknownOutcome) of unknown outcome (a client ended mid-write)" }
        return line + (consistent ? " — ok" : " — FAILED")
    }
}
