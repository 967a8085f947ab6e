import CRMCore
import CRMRepositories
import Foundation

/// The Administration screen (`U`, or "Administration" in the `:` palette):
/// the users with their roles, and a command line that does what `crm user`
/// does. Admins only (`Permission.manageUsers`); a handover shows what moves
/// and asks before moving it, and `u` undoes it.
extension AppModel {
    func showAdministration(typed: String = "") {
        if let reason = Permission.manageUsers.refusal(for: me.role) {
            status("Administration: \(reason)", .warning)
            return
        }
        guard let users = read("the users", { try repositories.userRepository.all() }) else { return }
        let lines = users.map { user in
            "\(user.login) — \(user.name) — \(user.role.rawValue)\(user.isActive ? "" : " — deactivated")"
        }
        // The preview under the line says what Enter will do, or what is
        // expected: the usage is too long for a title.
        let preview: (String) -> String = { line in
            switch AdminCommand.parse(line) {
            case .success(let command): "Enter: " + command.summary
            case .failure(let error): line.trimmingCharacters(in: .whitespaces).isEmpty ? AdminCommand.usage : error.message
            }
        }
        var prompt = Prompt("Administration: users and roles (a command, e.g. add jan manager, deactivate omid to sara)",
                            suggestions: lines, preview: preview) { [unowned self] line in
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            // A refused line comes back as typed, the reason in the status
            // line (QA 29 #12: only hand-overs did; the rest closed the screen).
            switch AdminCommand.parse(line) {
            case .failure(let error):
                status(error.message, .error)
                showAdministration(typed: line)
            case .success(let command):
                // An unknown, deactivated or same heir is refused at Enter,
                // the line back for correction (QA 27 #4), not after a yes.
                if let refusal = heirRefusal(command, users: users) {
                    report(refusal)
                    showAdministration(typed: line)
                    return
                }
                if !administer(command) { showAdministration(typed: line) }
            }
        }
        if !typed.isEmpty { prompt.restore(text: typed) }
        present(.prompt(prompt))
    }

    /// Why the heirs of a hand-over cannot take the work (the engines'
    /// rule, `UserRefusal.heir`), or nil.
    private func heirRefusal(_ command: AdminCommand, users: [User]) -> Error? {
        let login: String, plan: HandoverPlan
        switch command {
        case .deactivate(let l, let p), .handOver(let l, let p): (login, plan) = (l, p)
        default: return nil
        }
        guard let leaver = users.first(where: { $0.login == login }) else { return nil }
        do {
            for heir in Set([plan.contactsTo, plan.dealsTo, plan.followUpsTo].compactMap { $0 }).sorted() {
                _ = try UserRefusal.heir(heir, users.first { $0.login == heir }, for: leaver) { users.map(\.login) }
            }
            return nil
        } catch {
            return error
        }
    }

    /// Runs one administration command: one transaction each (the user
    /// repository's methods own theirs), refusals said in the status line.
    /// False when refused (nothing changed).
    @discardableResult
    public func administer(_ command: AdminCommand) -> Bool {
        let users = repositories.userRepository
        do {
            switch command {
            case .add(let login, let role, let name):
                let user = try users.add(login: login, name: name, role: role)
                status("Added \(user.login) as \(user.role.withArticle)", .info)
            case .setRole(let login, let role):
                let user = try users.setRole(login: login, role: role)
                status("\(user.login) is now \(user.role.withArticle)", .info)
            case .rename(let login, let newLogin):
                let user = try users.rename(login: login, to: newLogin)
                status("Renamed \(login) to \(user.login)", .info)
            case .reactivate(let login):
                let user = try users.reactivate(login: login)
                status("\(user.login) is active again", .info)
            case .newLogins(let on):
                try users.setCreatesUsersOnFirstUse(on)
                status(on ? "Unknown logins are now created on first use" : "Unknown logins are now refused", .info)
            case .deactivate(let login, let plan) where plan.isEmpty:
                _ = try users.deactivate(login: login, handover: plan)
                status("\(login) is deactivated; their name stays on what they wrote", .info)
            case .deactivate(let login, let plan), .handOver(let login, let plan):
                let deactivating = if case .deactivate = command { true } else { false }
                if let refusal = heirRefusal(command, users: try users.all()) { throw refusal }
                // First what moves, then the move, after a yes.
                let counts = try users.holdings(of: login)
                let question = "\(counts.sentence(for: login)). Move them\(deactivating ? " and deactivate \(login)" : "")? (y/n)"
                // A no says so: nothing on the status line read as if the
                // question had not been heard (QA 45 KB #12).
                present(.confirm(Confirmation(question, onNo: { [unowned self] in
                    status("Nothing moved\(deactivating ? "; \(login) stays active" : ""): the handover was declined", .info)
                }) { [unowned self] in
                    handOver(login, plan: plan, deactivating: deactivating)
                }))
            }
        } catch {
            report(error)
            return false
        }
        activeView.refresh()
        return true
    }

    private func handOver(_ login: String, plan: HandoverPlan, deactivating: Bool) {
        let users = repositories.userRepository
        do {
            let handover = deactivating ? try users.deactivate(login: login, handover: plan).1 : try users.handOver(from: login, plan: plan)
            guard let handover else { return }
            status("Handover \(handover.id): \(handover.summary)\(deactivating ? "; \(login) deactivated" : "") — u undoes", .info)
            recordUndo("handover of \(login)'s work") {
                let (restored, skipped) = try users.undoHandover(handover.id)
                // Each record left as it is, named with who changed it (QA 44).
                return "\(restored) records back with \(login)" + (skipped.isEmpty ? "" : "; kept as they are: " + skipped.joined(separator: "; "))
            }
        } catch {
            report(error)
        }
        activeView.refresh()
    }
}
