import CRMCore
import CRMRepositories

/// One line typed on the Administration screen, as `crm user` takes it:
///   add LOGIN [ROLE] [Full Name…] · role LOGIN ROLE · rename LOGIN NEW
///   deactivate LOGIN [to LOGIN] · deactivate LOGIN contacts LOGIN deals LOGIN followups LOGIN
///   reactivate LOGIN · handover LOGIN to LOGIN · new-logins on|off
public enum AdminCommand: Equatable {
    case add(login: String, role: Role, name: String)
    case setRole(login: String, role: Role)
    case rename(login: String, newLogin: String)
    case deactivate(login: String, plan: HandoverPlan)
    case reactivate(login: String)
    case handOver(login: String, plan: HandoverPlan)
    case newLogins(Bool)

    public static let usage = "add LOGIN [ROLE] [NAME] · role LOGIN ROLE · rename LOGIN NEW · deactivate LOGIN [to LOGIN] · "
        + "reactivate LOGIN · handover LOGIN to LOGIN · new-logins on|off"

    /// What Enter will do, for the line's preview.
    public var summary: String {
        func heirs(_ plan: HandoverPlan) -> String {
            if plan.contactsTo == plan.dealsTo, plan.dealsTo == plan.followUpsTo, let to = plan.contactsTo { return "everything to \(to)" }
            return [plan.contactsTo.map { "contacts to \($0)" }, plan.dealsTo.map { "open deals to \($0)" },
                    plan.followUpsTo.map { "open follow-ups to \($0)" }].compactMap { $0 }.joined(separator: ", ")
        }
        switch self {
        case .add(let login, let role, let name): return "add \(login)\(name.isEmpty ? "" : " (\(name))") as \(role.withArticle)"
        case .setRole(let login, let role): return "make \(login) \(role.withArticle)"
        case .rename(let login, let newLogin): return "rename \(login) to \(newLogin)"
        case .deactivate(let login, let plan):
            return "deactivate \(login)" + (plan.isEmpty ? " (their records keep their owner)" : ", handing over \(heirs(plan)) (asks first)")
        case .reactivate(let login): return "reactivate \(login)"
        case .handOver(let login, let plan): return "hand \(login)'s \(heirs(plan)) (asks first)"
        case .newLogins(let on): return on ? "create unknown logins on first use" : "refuse unknown logins"
        }
    }

    /// The command, or a sentence saying what is expected.
    public static func parse(_ line: String) -> Result<AdminCommand, AdminCommandError> {
        let words = line.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(.init("type a command: \(usage)")) }
        let args = Array(words.dropFirst())
        func role(_ text: String) -> Role? { Role(parsing: text) }
        switch verb {
        case "add":
            guard let login = args.first else { return .failure(.init("add wants a login: add LOGIN [ROLE] [NAME]")) }
            var rest = Array(args.dropFirst())
            var r = Role.rep
            if let first = rest.first, let given = role(first) { r = given; rest.removeFirst() }
            return .success(.add(login: login, role: r, name: rest.joined(separator: " ")))
        case "role", "set-role":
            guard args.count == 2, let r = role(args[1]) else { return .failure(.init("role wants a login and admin, manager or rep: role LOGIN ROLE")) }
            return .success(.setRole(login: args[0], role: r))
        case "rename":
            guard args.count == 2 else { return .failure(.init("rename wants the login and the new one: rename LOGIN NEW")) }
            return .success(.rename(login: args[0], newLogin: args[1]))
        case "reactivate":
            guard args.count == 1 else { return .failure(.init("reactivate wants one login: reactivate LOGIN")) }
            return .success(.reactivate(login: args[0]))
        case "deactivate", "handover":
            guard let login = args.first else { return .failure(.init("\(verb) wants a login: \(verb) LOGIN to LOGIN")) }
            guard case .success(let plan) = plan(Array(args.dropFirst())) else {
                return .failure(.init("after \(verb) \(login): to LOGIN, or contacts LOGIN, deals LOGIN, followups LOGIN"))
            }
            if verb == "handover" {
                return plan.isEmpty ? .failure(.init("handover wants an heir: handover \(login) to LOGIN")) : .success(.handOver(login: login, plan: plan))
            }
            return .success(.deactivate(login: login, plan: plan))
        case "new-logins":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return .failure(.init("new-logins on or new-logins off")) }
            return .success(.newLogins(args[0].lowercased() == "on"))
        default:
            return .failure(.init("\"\(verb)\" is not a command; expected \(usage)"))
        }
    }

    /// "to sara" or "contacts sara deals jan followups sara".
    static func plan(_ words: [String]) -> Result<HandoverPlan, AdminCommandError> {
        var plan = HandoverPlan()
        var i = 0
        while i < words.count {
            guard i + 1 < words.count else { return .failure(.init("")) }
            let heir = words[i + 1]
            switch words[i].lowercased() {
            case "to": plan = HandoverPlan(everythingTo: heir)
            case "contacts": plan.contactsTo = heir
            case "deals": plan.dealsTo = heir
            case "followups", "follow-ups": plan.followUpsTo = heir
            default: return .failure(.init(""))
            }
            i += 2
        }
        return .success(plan)
    }
}

public struct AdminCommandError: Error, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
}
