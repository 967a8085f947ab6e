import CRMCore
import CRMRepositories
import Foundation

/// A contact's own stay-in-touch cadence and Needs attention snooze, as the
/// Today view (on its rows) and the Contacts view (on the contact shown) set
/// them: one transaction and one undo entry per action.
enum ContactCadence {
    /// Asks for the contact's own cadence in days (empty: back to the stage
    /// and tag rules of the settings) and saves it.
    /// `retyped`: the text of a refused answer, so the prompt comes back
    /// with it (QA 30 #11: it closed and dropped it).
    static func ask(contactID: Int64, name: String, context: AppContext, retyped: String? = nil, onSaved: @escaping () -> Void) {
        let current: ContactAttention
        do {
            guard let found = try context.repositories.agendaRepository.attention(contactID: contactID) else {
                context.status("That contact is no longer there", .warning)
                return
            }
            current = found
        } catch { context.report(error); return }
        context.present(.prompt(Prompt("Own cadence for \(name) in days (empty: the stage and tag rules):",
                                       initial: retyped ?? current.cadenceDays.map(String.init) ?? "") { text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let days = Int(LocalDigits.ascii(trimmed))
            if !trimmed.isEmpty && !(days.map { (1...3650).contains($0) } ?? false) {
                context.status("Days from 1 to 3650, or empty for the stage and tag rules", .error)
                ask(contactID: contactID, name: name, context: context, retyped: text, onSaved: onSaved)
                return
            }
            do {
                try write([contactID: current.version], label: "cadence of \(name)", context: context) {
                    $0.cadenceDays = trimmed.isEmpty ? nil : days
                }
                onSaved()
                let said = days.map { "every \(context.timeFormat.number(String($0))) days" } ?? "the stage and tag rules"
                context.status("\(name): \(said) — u to undo", .success)
            } catch {
                context.report(error)
                onSaved()
            }
        }))
    }

    /// Writes the attention settings of every contact of `versions`, each at
    /// the version it was seen at, in one transaction; records one undo that
    /// takes back every contact nobody changed since.
    static func write(_ versions: [Int64: Int64], label: String, context: AppContext,
                      change: (inout ContactAttention) -> Void) throws {
        let agenda = context.repositories.agendaRepository
        // Thousands of contacts take seconds: the screen says it is at work
        // (QA 28 #8: the prompt stayed drawn for 25 s as if Enter were lost).
        let long = versions.count >= TodayViewModel.workingThreshold
        if long { context.working("Working on \(versions.count) contacts… (\(label))") }
        defer { if long { context.finishedWorking() } }
        let written: [(before: ContactAttention, wrote: ContactAttention)] = try context.repositories.transaction {
            try agenda.setAttention(versions, change: change)
        }
        context.recordUndo(label) {
            if long { context.working("Undoing: \(label)…") }
            defer { if long { context.finishedWorking() } }
            // Every contact nobody touched since, back at once at the version
            // the action wrote; one a colleague changed sends it row by row,
            // which keeps theirs and names them.
            let changed = written.filter { $0.before.version != $0.wrote.version }
            let back = Dictionary(uniqueKeysWithValues: changed.map { ($0.wrote.contactID, $0.before) })
            do {
                _ = try context.repositories.transaction {
                    try agenda.setAttention(Dictionary(uniqueKeysWithValues: changed.map { ($0.wrote.contactID, $0.wrote.version) })) { row in
                        guard let before = back[row.contactID] else { return }
                        row.cadenceDays = before.cadenceDays
                        row.snoozedUntil = before.snoozedUntil
                    }
                }
                return "Undone: \(label)"
            } catch RepositoryError.stale, RepositoryError.notFound {}
            return try undoEach(written.map { pair in
                ("contact \(pair.before.contactID)", {
                    // A colleague's change to another field (a title) leaves
                    // this action's to take back; one to the same fields
                    // (the cadence, the snooze) is theirs and stays, named
                    // (QA 30 #2: refused by the version alone, by id).
                    guard let now = try agenda.attention(contactID: pair.wrote.contactID),
                          now.cadenceDays == pair.wrote.cadenceDays, now.snoozedUntil == pair.wrote.snoozedUntil else {
                        let change = context.lastChange(entity: "contact", id: pair.wrote.contactID, fields: ["cadence", "attention snoozed until"])
                        let name = (try? context.repositories.contactRepository.get(pair.wrote.contactID)?.name) ?? nil
                        throw UndoRefusal("Not undone: \(change.who) changed \(name ?? "contact \(pair.wrote.contactID)")\(change.when)")
                    }
                    var back = pair.before
                    back.version = now.version
                    _ = try agenda.setAttention(back)
                    return nil
                })
            }, label: label)
        }
    }

    /// Runs each row's undo; rows refused (a colleague changed them) are named
    /// and the rest are taken back, all in the undo's one transaction.
    static func undoEach(_ steps: [(name: String, run: () throws -> String?)], label: String) throws -> String? {
        try undoEach(count: steps.count, label: label) { try steps[$0].run() }
    }

    /// `undoEach` of `count` rows, each made when it is run (no closure per
    /// row held for thousands of rows).
    static func undoEach(count: Int, label: String, step: (Int) throws -> String?) throws -> String? {
        var refused: [String] = []
        var refusedCount = 0
        var undone = 0
        for index in 0..<count {
            do {
                _ = try step(index)
                undone += 1
            } catch let refusal as UndoRefusal {
                refusedCount += 1
                // Two are named; the rest are counted.
                if refused.count < 2 { refused.append(refusal.message.replacingOccurrences(of: "Not undone: ", with: "")) }
            }
        }
        guard refusedCount > 0 else { return "Undone: \(label)" }
        let shown = refused.joined(separator: "; ") + (refusedCount > 2 ? "; and \(refusedCount - 2) more" : "")
        return "Undone \(undone) of \(count); not undone: \(shown)"
    }
}
