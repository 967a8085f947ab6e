import Foundation

/// One key table as a person meets it: a view in one of its modes, or a
/// window over the views, with the keys that work there.
public struct KeyTable {
    public let title: String
    /// Which view the README section of the table is under ("Pipeline").
    public let view: ViewKind?
    public let bindings: [KeyBinding]
}

public struct KeyTableMissing: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "cannot read the keys of \(what): the screen did not switch to it" }
}

// Every key table of the screen, read off a live AppModel (the tables depend
// on state), each mode entered the way a person enters it. The man page, the
// README check and the test that presses every key all read this one list,
// so none of them can leave a table out.
extension AppModel {
    /// All tables: each view and its sub-views, the windows over them, and
    /// the global keys. Leaves the app back on the view it started on, with
    /// nothing over it. Needs a database with at least one contact and one
    /// deal (the demo data).
    public func keyTables() throws -> [KeyTable] {
        let home = activeKind
        let drafts = pendingDrafts
        defer {
            pendingDrafts = drafts
            overlay = nil
            helpOver = nil
            run(home.showAction)
        }
        var tables: [KeyTable] = []
        for kind in availableViews {
            run(kind.showAction)
            tables.append(KeyTable(title: "\(kind.title) (\(kind.rawValue))", view: kind, bindings: activeView.keyBindings))
            for sub in subViews(of: kind) {
                try sub.enter(self)
                tables.append(KeyTable(title: sub.title, view: kind, bindings: activeView.keyBindings))
                sub.leave(self)
            }
        }
        for window in Self.windows {
            try window.enter(self)
            guard let bindings = overlayBindings else { throw KeyTableMissing(what: window.title) }
            // The line editor's keys are listed once, below, not under every window.
            tables.append(KeyTable(title: window.title, view: nil, bindings: bindings.filter { $0.action != .editText }))
            overlay = nil
            pendingDrafts = drafts
            run(home.showAction)
        }
        tables.append(KeyTable(title: "Typing in a field, a prompt or a note", view: nil, bindings: KeyBinding.lineEditing))
        tables.append(KeyTable(title: "Everywhere", view: nil, bindings: globalBindings))
        return tables
    }

    /// A mode of a view with a table of its own, and how a person gets in and out.
    public struct SubView {
        public let title: String
        public let enter: (AppModel) throws -> Void
        public let leave: (AppModel) -> Void
    }

    public func subViews(of kind: ViewKind) -> [SubView] {
        switch kind {
        case .contacts:
            return [SubView(title: "Contacts: the trash (T)", enter: { app in
                app.contacts.perform(.trash)
                guard app.contacts.showingTrash else { throw KeyTableMissing(what: "the contacts' trash") }
            }, leave: { $0.contacts.perform(.back) })]
        case .pipeline:
            return [
                SubView(title: "Pipeline: won and lost deals (c)", enter: { app in
                    app.pipeline.perform(.showClosed)
                    guard app.pipeline.mode == .closed else { throw KeyTableMissing(what: "the won and lost deals") }
                }, leave: { $0.pipeline.perform(.back) }),
                SubView(title: "Pipeline: a deal's details (Enter)", enter: { app in
                    // The demo data's first deal.
                    app.pipeline.openDetail(1)
                    guard app.pipeline.mode == .details else { throw KeyTableMissing(what: "a deal's details") }
                }, leave: { $0.pipeline.perform(.back) }),
            ]
        case .reports:
            return [SubView(title: "Reports: what lies behind a figure (Enter)", enter: { app in
                // The figures come from the reports' thread; then the first
                // row with records behind it.
                guard app.settle() else { throw KeyTableMissing(what: "the report's figures") }
                guard let index = app.reports.rows.firstIndex(where: { $0.row.drill != nil }) else {
                    throw KeyTableMissing(what: "a report row with records behind it")
                }
                app.reports.move(by: index - app.reports.selected)
                app.reports.perform(.open)
                guard app.reports.drill != nil else { throw KeyTableMissing(what: "the records behind a figure") }
            }, leave: { $0.reports.perform(.back) })]
        default:
            return []
        }
    }

    /// The windows over the views, each opened as a person opens it.
    public struct Window {
        public let title: String
        public let enter: (AppModel) throws -> Void
    }

    public static var windows: [Window] { [
        Window(title: "Forms (a, e, f, n, …)") { app in
            app.run(.showContacts)
            app.contacts.perform(.add)
            guard case .form = app.overlay else { throw KeyTableMissing(what: "a form") }
        },
        Window(title: "Prompts (t filter by tag, s snooze, …)") { app in
            app.run(.showContacts)
            app.contacts.perform(.filterTag)
            guard case .prompt = app.overlay else { throw KeyTableMissing(what: "a prompt") }
        },
        Window(title: "Questions (d delete, …)") { app in
            app.run(.showContacts)
            app.contacts.perform(.delete)
            guard case .confirm = app.overlay else { throw KeyTableMissing(what: "a question") }
        },
        Window(title: "Call mode (c)") { app in
            app.run(.showContacts)
            app.contacts.perform(.call)
            guard case .call = app.overlay else { throw KeyTableMissing(what: "call mode") }
        },
        Window(title: "The duplicates list (D)") { app in
            app.run(.showContacts)
            app.contacts.perform(.duplicates)
            guard case .duplicates = app.overlay else { throw KeyTableMissing(what: "the duplicates list") }
        },
        Window(title: "Unsaved work from last time (at the start)") { app in
            // A prompt's text kept by a closed terminal: the start offers it.
            let draft = Draft(savedAt: app.clock.now, work: .prompt(PromptDraft(title: "Filter by tag:", text: "vip", resume: nil)))
            app.pendingDrafts = [draft]
            app.overlay = .draftOffer(draft)
        },
        Window(title: "The command palette (:)") { app in
            app.run(.palette)
            guard case .palette = app.overlay else { throw KeyTableMissing(what: "the palette") }
        },
        Window(title: "Help (? or F1)") { app in
            app.run(.help)
            guard case .help = app.overlay else { throw KeyTableMissing(what: "help") }
        },
    ] }
}

extension KeyTable {
    /// The table as Markdown for the README: a heading and one row per
    /// binding, letters in backticks as the rest of the README writes them.
    public var markdown: String {
        var lines = ["#### \(title)", "", "| key | action |", "| --- | --- |"]
        for binding in bindings {
            let keys = binding.keyText ?? binding.keys.map { key in key.character.flatMap { $0 == " " ? nil : "`\($0)`" } ?? key.label }.joined(separator: " / ")
            let why = binding.disabledReason.map { " (\($0))" } ?? ""
            lines.append("| \(keys) | \(binding.title.replacingOccurrences(of: "|", with: "\\|"))\(why) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
