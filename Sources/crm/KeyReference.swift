import CRMDemo
import CRMStore
import CRMViewModels
import Foundation

/// The keys of the screen for the man page, read from the same key tables
/// that dispatch them (as the `?` overlay does), so `man crm` cannot promise
/// a key the screen does not have. The tables are state-dependent, so they
/// are read off a real AppModel on a small throwaway demo database in a
/// private temporary folder (removed again), in each mode that has a table
/// of its own.
enum KeyReference {
    struct Section {
        let title: String
        let keys: [HelpItem]
    }

    static func modeMissing(_ what: String) -> Failure {
        Failure("cannot read the keys of \(what) for the manual: the view did not switch to it", status: ExitCode.software)
    }

    static func sections() throws -> [Section] {
        var template = Array("\(Paths.temporaryFolder)/crm-keys-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure("cannot make a temporary folder in \(Paths.temporaryFolder) to read the key tables: \(String(cString: strerror(errno)))",
                          status: ExitCode.cantCreate)
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try withExtendedLifetime(try Database(path: folder + "/keys.db")) { db in
            try DemoData.generate(into: db, contacts: 10, seed: DemoCommand.defaultSeed)
            let app = AppModel(repositories: db)
            app.handle(.resize(width: 120, height: 40))
            var sections: [Section] = []
            func add(_ title: String, _ bindings: [KeyBinding]) {
                sections.append(Section(title: title, keys: bindings.map { HelpItem($0.keyLabel, $0.title) }))
            }
            for kind in app.availableViews {
                guard let view = app.views[kind] else { continue }
                add("\(kind.title) (\(kind.rawValue))", view.keyBindings)
                switch kind {
                // Each mode checked after switching: a table read in the
                // wrong mode would put the wrong keys in the manual.
                case .contacts:
                    // The timeline pane: only the keys that act differently there.
                    let listKeys = Set(view.keyBindings.map { "\($0.keyLabel) \($0.title)" })
                    app.contacts.perform(.nextPane)
                    app.contacts.perform(.nextPane)
                    guard app.contacts.focus == .timeline else { throw modeMissing("the contact's timeline pane") }
                    add("Contacts: in the timeline pane (Tab)", app.contacts.keyBindings.filter { !listKeys.contains("\($0.keyLabel) \($0.title)") })
                    app.contacts.perform(.nextPane)
                    app.contacts.perform(.trash)
                    guard app.contacts.showingTrash else { throw modeMissing("the contacts' trash") }
                    add("Contacts: the trash (T)", app.contacts.keyBindings)
                    app.contacts.perform(.trash)
                case .pipeline:
                    app.pipeline.perform(.showClosed)
                    guard app.pipeline.mode == .closed else { throw modeMissing("the won and lost deals") }
                    add("Pipeline: won and lost deals (c)", app.pipeline.keyBindings)
                    app.pipeline.perform(.back)
                    // The demo data's first deal.
                    app.pipeline.openDetail(1)
                    guard app.pipeline.mode == .details else { throw modeMissing("a deal's details") }
                    add("Pipeline: a deal's details (Enter)", app.pipeline.keyBindings)
                default:
                    break
                }
            }
            add("Call mode (c)", CallModel.keyHelp)
            add("Everywhere", app.globalBindings)
            sections.append(Section(title: "Forms and prompts", keys: Help.formKeys))
            return sections
        }
    }
}
