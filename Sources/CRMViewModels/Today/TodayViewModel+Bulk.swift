import CRMCore
import CRMRepositories
import Foundation

// Marking rows (Space, `*`) and acting on all of them at once: snooze,
// reschedule, reassign, done; Needs attention rows snooze "not before a
// date". Each bulk action is one transaction and one undo entry; its undo
// takes back every row nobody changed since and names the ones it leaves.
extension TodayViewModel {
    func clearMarks() {
        marks = [:]
        markedSection = nil
    }

    func toggleMark() {
        guard let item = selectedItem else { return }
        if markedSection != section { clearMarks() }
        markedSection = section
        let id = item.versionedID
        if marks.removeValue(forKey: id.id) == nil { marks[id.id] = id.version }
        if marks.isEmpty { markedSection = nil }
        move(by: 1)
    }

    /// Marks every row of the section, loaded or not (ids and versions only);
    /// pressed again with all marked, unmarks them.
    func markAll() {
        if markedSection == section && marks.count == count(of: section) && isCountExact(of: section) {
            clearMarks()
            context.status("Marks cleared", .info)
            return
        }
        do {
            let ids = try sectionIDs(section)
            clearMarks()
            // Marks whose rows left (a hand-over took them, QA 28 #9) go too.
            guard !ids.isEmpty else {
                context.status("Marks cleared: the section is empty", .info)
                return
            }
            markedSection = section
            for id in ids { marks[id.id] = id.version }
            // Every id read: the section's count is exact now.
            pagers[section]?.setCount(ids.count, upTo: nil)
            // What works on the marked rows of this section (QA 30 #11:
            // Needs attention takes s alone).
            let keys = section == .attention ? "s sets not before for" : "s, r, A or x acts on"
            context.status("\(ids.count) marked in \(section.shortTitle) — \(keys) all of them", .info)
        } catch {
            context.report(error)
        }
    }

    private func sectionIDs(_ section: Section) throws -> [VersionedID] {
        let agenda = repos.agendaRepository
        let now = builtAt ?? context.clock.now
        let calendar = context.timeFormat.calendar
        let startOfTomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
        let endOfUpcoming = calendar.date(byAdding: .day, value: 7, to: startOfTomorrow)!
        switch section {
        case .overdue: return try agenda.dueIDs(from: nil, to: now, assigneeID: scopeUserID)
        case .today: return try agenda.dueIDs(from: now, to: startOfTomorrow, assigneeID: scopeUserID)
        case .upcoming: return try agenda.dueIDs(from: startOfTomorrow, to: endOfUpcoming, assigneeID: scopeUserID)
        case .attention: return try agenda.attentionIDs(rules: context.settings.cadenceRules, now: now, ownerID: scopeUserID)
        }
    }

    // MARK: follow-ups in bulk

    func askBulkMove(verb: String, typed: String = "") {
        if section == .attention {
            askAttentionSnooze(marks, name: "\(marks.count) contacts")
            return
        }
        let snooze = verb == "Snoozed"
        let title = snooze ? "Snooze \(marks.count) follow-ups — 1: an hour · 2: tomorrow 09:00 · 3: next week · or a date:"
            : "Reschedule \(marks.count) follow-ups to:"
        context.present(.prompt(Prompt(title, initial: typed, preview: { [unowned self] text in
            text.isEmpty ? "" : previewDue(snooze ? (Self.snoozeChoices[LocalDigits.ascii(text)] ?? text) : text)
        }, quickKeys: snooze ? Self.snoozeQuickKeys : [:]) { [unowned self] text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let input = snooze ? (Self.snoozeChoices[LocalDigits.ascii(trimmed)] ?? (trimmed.isEmpty ? "+1h" : trimmed)) : trimmed
            switch context.timeFormat.dueDateParser.parse(input, now: context.clock.now) {
            case .failure(let error):
                context.status(error.message, .error)
                askBulkMove(verb: verb, typed: text)
            case .success(let due):
                bulkEdit(verb: verb, detail: "to \(due.description)") { $0.dueAt = due.date }
            }
        }))
    }

    func askBulkDone() {
        context.present(.confirm(Confirmation("Mark \(marks.count) follow-ups done? (y/n)") { [unowned self] in
            let now = context.clock.now
            bulkEdit(verb: "Done", detail: "") { $0.status = .done; $0.doneAt = now }
        }))
    }

    /// Reassign the marked follow-ups (or the one selected) to a colleague.
    func askReassign(_ ids: [Int64], versions: [Int64: Int64]? = nil, typed: String = "") {
        let users: [User]
        do { users = try repos.allUsers().sorted { $0.login < $1.login } } catch { context.report(error); return }
        let what = ids.count == 1 ? "the follow-up" : "\(ids.count) follow-ups"
        let active = users.filter(\.isActive)
        context.present(.prompt(Prompt("Reassign \(what) to (login; Tab completes):", initial: typed,
                                       suggestions: active.map(\.login)) { [unowned self] text in
            let login = text.trimmingCharacters(in: .whitespaces)
            // A leaver's follow-ups would sit where nobody opens them (as
            // reassigning contacts refuses, QA 27 #17).
            guard let user = active.first(where: { $0.login == login }) else {
                context.status(OwnerChange.noSuchOwner(login, users: users), .error)
                askReassign(ids, versions: versions, typed: text)
                return
            }
            bulkEdit(verb: "Reassigned", detail: "to \(user.login)", versions: versions) { $0.assigneeID = user.id }
        }))
    }

    /// Applies `change` to every marked follow-up (or those of `versions`) in
    /// one transaction, each at the version it was seen at: a row a colleague
    /// changed since refuses the whole action, saying who and what.
    /// From how many rows a bulk change says "working…" before it starts.
    static let workingThreshold = 200

    func bulkEdit(verb: String, detail: String, versions: [Int64: Int64]? = nil, change: (inout FollowUpSetFields) -> Void) {
        let targets = versions ?? marks
        let fu = repos.followUpRepository
        // Thousands of rows take seconds: the screen says it is at work.
        let long = targets.count >= Self.workingThreshold
        if long { context.working("Working on \(targets.count) follow-ups… (\(verb.lowercased()) \(detail))") }
        defer { if long { context.finishedWorking() } }
        do {
            // One set, read and written in chunks; what it wrote comes back as
            // plain values (ids, versions, the changed fields before and
            // after), which is all the undo keeps (issue 16: no row structs,
            // no titles or notes of thousands of rows held for `u`).
            let written = try repos.transaction { try fu.update(targets, change: change) }
            let count = written.count
            let label = "\(verb.lowercased()) \(count) follow-up\(count == 1 ? "" : "s")"
            context.recordUndo(label) { [unowned self] in
                let long = count >= Self.workingThreshold
                if long { context.working("Undoing: \(label)…") }
                defer { if long { self.context.finishedWorking() } }
                if let message = try undoAtOnce(written, label: label) { return message }
                return try undoEach(written, label: label)
            }
            if versions == nil { clearMarks() }
            reload(keepOrdinal: true)
            context.status("\(verb) \(count) follow-up\(count == 1 ? "" : "s")\(detail.isEmpty ? "" : " " + detail) — u undoes all of it", .success)
        } catch RepositoryError.stale(let stale) where versions == nil && marks[stale.id] != nil {
            // One marked row changed since it was marked: it is named (it may
            // have left the section) and unmarked, so that the next try acts on
            // the others, or on it too once it is looked at and marked again.
            let title = (context.read("the follow-up") { try fu.get(stale.id) } ?? nil)?.title
            marks.removeValue(forKey: stale.id)
            // The others changed or gone from the section as well (a hand-over
            // takes them all, QA 28 #9) are unmarked at once, not one refusal each.
            var others = 0
            if let marked = markedSection, let now = context.read("the marked follow-ups", { try sectionIDs(marked) }) {
                let versions = Dictionary(now.map { ($0.id, $0.version) }, uniquingKeysWith: { a, _ in a })
                for (id, version) in marks where versions[id] != version {
                    marks.removeValue(forKey: id)
                    others += 1
                }
            }
            if marks.isEmpty { markedSection = nil }
            reload()
            let fields = stale.changedFields.isEmpty ? "" : " (\(stale.changedFields.joined(separator: ", ")))"
            let what = stale.deleted ? "deleted" : "changed"
            let unmarked = others == 0 ? "it is unmarked" : "it and \(others) more marked that changed or left the section are unmarked"
            context.status("\(title.map { "\"\($0)\"" } ?? "A marked follow-up") was \(what) by \(stale.changedBy ?? "someone else")"
                           + "\(stale.when(time: context.moment))\(fields): nothing was changed; \(unmarked), \(marks.count) still marked", .warning)
        } catch {
            context.report(error)
            reload()
        }
    }

    /// The common case of a bulk undo: nobody touched the rows since, and
    /// all of them go back in one set update at the versions this action
    /// wrote (seconds for thousands, not a minute of the writer's lock). A
    /// row a colleague changed or deleted since refuses the set before
    /// anything is written: nil, and each row is then taken back on its own
    /// (undoEach), keeping what the colleague did.
    func undoAtOnce(_ written: FollowUpSetWrite, label: String) throws -> String? {
        guard !written.ids.isEmpty else { return nil }
        let fu = repos.followUpRepository
        do {
            _ = try repos.transaction {
                try fu.update(written.written) { row in
                    guard let index = written.index(of: row.id) else { return }
                    written.restore(index, &row)
                }
            }
        } catch RepositoryError.stale, RepositoryError.notFound {
            return nil
        }
        return "Undone: \(label)"
    }

    /// Each written row taken back on its own, read as it is now: this
    /// action's fields back where nobody changed them since, a colleague's
    /// change to the same field kept and named.
    func undoEach(_ written: FollowUpSetWrite, label: String) throws -> String? {
        let fu = repos.followUpRepository
        return try ContactCadence.undoEach(count: written.ids.count, label: label) { index in
            let id = written.ids[index]
            guard let current = try fu.get(id) else { throw UndoRefusal("Not undone: a follow-up no longer exists") }
            var before = FollowUpSetFields(current), wrote = before
            written.restore(index, &before)
            written.written(index, &wrote)
            var wroteRow = wrote.applied(to: current)
            wroteRow.version = written.versions[index]
            return try context.revertEdit(entity: "follow-up", name: "\"\(current.title)\"", before: before.applied(to: current),
                                          wrote: wroteRow, fields: UndoFields.followUp, load: { _ in current }, save: fu.update)
        }
    }

    // MARK: Needs attention

    /// "Not before 15 Dec": the contacts leave Needs attention until then.
    /// Typed dates start with digits here as often as not ("15 Dec"), so the
    /// numbered choices wait for Enter.
    func askAttentionSnooze(_ versions: [Int64: Int64], name: String, typed: String = "") {
        context.present(.prompt(Prompt("Needs attention for \(name): not before (1: tomorrow · 2: next week · 3: in a month · or a date):",
                                       initial: typed, preview: { [unowned self] text in
                                           text.isEmpty ? "" : previewDue(Self.attentionChoices[text] ?? text)
                                       }) { [unowned self] text in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let input = Self.attentionChoices[trimmed] ?? (trimmed.isEmpty ? "tomorrow morning" : trimmed)
            switch context.timeFormat.dueDateParser.parse(input, now: context.clock.now) {
            case .failure(let error):
                context.status(error.message, .error)
                askAttentionSnooze(versions, name: name, typed: text)
            case .success(let due):
                setAttention(versions, label: "not before \(due.description) for \(name)",
                             done: "\(name): not before \(due.description)") { $0.snoozedUntil = due.date }
            }
        }))
    }

    static let attentionChoices = ["1": "tomorrow morning", "2": "next week", "3": "+30d"]

    func askCadence(contactID: Int64, name: String) {
        ContactCadence.ask(contactID: contactID, name: name, context: context) { [unowned self] in reload(keepOrdinal: true) }
    }

    /// Writes the attention settings of every contact of `versions` (one
    /// transaction, one undo entry), then clears the marks and reloads.
    func setAttention(_ versions: [Int64: Int64], label: String, done: String, change: (inout ContactAttention) -> Void) {
        do {
            try ContactCadence.write(versions, label: label, context: context, change: change)
            if markedSection == .attention { clearMarks() }
            reload(keepOrdinal: true)
            context.status("\(done) — u to undo", .success)
        } catch RepositoryError.stale(let edit) where versions.count > 1 && edit.entity == "contact" {
            // Which of the marked contacts, and what to do next (QA 30 #2:
            // "The contact was changed …" among 53,000 marked said neither).
            let name = (try? repos.contactRepository.get(edit.id)?.name) ?? nil
            let fields = edit.changedFields.isEmpty ? "" : " (\(edit.changedFields.joined(separator: ", ")))"
            let what = edit.deleted ? "deleted" : "changed"
            context.status("Not done: \(edit.changedBy ?? "someone else") \(what) \(name ?? "contact \(edit.id)")\(edit.when(time: context.moment))\(fields) "
                           + "after you marked it; nothing was changed — * marks them again as they are now", .error)
            reload()
        } catch {
            context.report(error)
            reload()
        }
    }

    // MARK: everyone's mode

    func askAssigneeFilter() {
        let users: [User]
        do { users = try repos.allUsers().sorted { $0.login < $1.login } } catch { context.report(error); return }
        context.present(.prompt(Prompt("Only the follow-ups of (login; Tab completes; empty: everyone):",
                                       initial: assigneeFilter?.login ?? "", suggestions: users.map(\.login)) { [unowned self] text in
            let login = text.trimmingCharacters(in: .whitespaces)
            if login.isEmpty {
                assigneeFilter = nil
            } else if let user = users.first(where: { $0.login == login }) {
                assigneeFilter = user
            } else {
                context.status("No user \"\(login)\"; users: \(users.map(\.login).joined(separator: ", "))", .error)
                return
            }
            clearMarks()
            reload()
        }))
    }
}
