import CRMCore
import CRMRepositories
import CRMStore
import Foundation

// `crm lookup NUMBER [--db PATH]`
//
// Who is calling: the contacts with a phone number that matches NUMBER in any
// form (+49…, 0049…, 0171…, or a run of its digits), as the contacts search
// finds them, one a line: name, company and the number that matched (as
// typed), separated by tabs. Exit 1 when none matches. Reads the database
// without changing it, as followups does.
enum LookupCommand {
    /// At most this many lines; a broader number says how many more there were.
    static let limit = 50

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "lookup")
        var parts: [String] = []
        var dbOption: String?
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("lookup"))
                return ExitCode.ok
            // Unquoted, "+49 171 9936679" arrives as three arguments.
            case .positional(let text): parts.append(text)
            default: throw reader.unknown(arg)
            }
        }
        let number = parts.joined(separator: " ")
        guard !parts.isEmpty else { throw reader.fail("name the number to look up, e.g. crm lookup +49 171 9936679") }
        let digits = number.unicodeScalars.filter { $0.properties.numericType == .decimal }.count
        let punctuation = CharacterSet(charactersIn: "+-()./ ")
        guard digits >= 3, number.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal || punctuation.contains($0) }) else {
            throw reader.fail("\"\(number)\" is not a phone number; expected at least 3 digits and only + - ( ) . / and spaces")
        }
        let path = Paths.database(option: dbOption).path
        try Opening.mustExist(path, hint: "create one with 'crm demo --db PATH' or by opening crm")
        let settings = SettingsFile.load(path: SettingsFile.path())
        for problem in settings.problems { Output.error("crm: settings \(settings.path) \(problem)") }
        let rows: [ContactSummary]
        do {
            rows = try Database.reading(path, phoneRegion: settings.settings.phoneRegion) { db in
                try db.contacts.search(number, filter: ContactFilter(), limit: limit + 1)
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(error, path: path)
        }
        // A digit search also finds names and notes with those digits; a
        // lookup wants the numbers.
        let matched = rows.filter { $0.matchedPhone != nil }
        if matched.isEmpty {
            Output.error("crm: no contact has a phone number matching \(number)")
            return ExitCode.failure
        }
        for row in matched.prefix(limit) {
            Output.fields([row.name, row.companyName ?? "", row.matchedPhone ?? ""])
        }
        if rows.count > limit { Output.error("crm: more than \(limit) contacts match; type more of the number") }
        return ExitCode.ok
    }
}
