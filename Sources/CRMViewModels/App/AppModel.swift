import CRMCore
import CRMRepositories
import Foundation

/// The application: the views, what is drawn over them, the status line, and
/// the message → update step that the terminal loop (or a test) drives.
public final class AppModel: AppContext {
    public let repositories: any CRMRepositories
    public let clock: any Clock
    public let timeFormat: TimeFormat
    public let undoStack = UndoStack()

    public private(set) var views: [ViewKind: any WorkspaceView] = [:]
    public private(set) var activeKind: ViewKind
    public internal(set) var overlay: Overlay?
    public internal(set) var statusMessage: StatusMessage?
    /// How many times `status` was called: tells whether an action said
    /// something, even the very sentence already on the line.
    private(set) var statusesSaid = 0
    public private(set) var size = (width: 80, height: 24)
    /// Where the active view draws: known from the first resize on, nil
    /// while the terminal is too small to draw the views at all.
    public private(set) var viewArea: Rect?
    /// First line shown of the `?` overlay (the drawing clamps it).
    public internal(set) var helpScroll = 0
    /// The window the `?`/F1 list was opened over (nil: over the view);
    /// closing the list brings it back.
    public internal(set) var helpOver: Overlay?
    /// The action the last key ran through a key table (nil: none yet).
    public private(set) var lastDispatched: ActionID?
    public func dispatched(_ action: ActionID) { lastDispatched = action }
    /// Bumped whenever something visible changed, so the loop redraws only then.
    public internal(set) var revision = 0
    /// Bumped when all that changed is the call timer's text (once a second
    /// while a call is up): the loop then redraws only the timer's cells, not
    /// the frame with the call's note under it. A moved `revision` means a
    /// whole frame, which draws the timer too.
    public private(set) var timerRevision = 0
    /// The timer text the last tick saw, so ticks within a second draw nothing.
    private var timerShown: String?
    /// The contacts workspace, always present.
    public private(set) var contacts: ContactsViewModel!
    /// The pipeline board (key 3).
    public private(set) var pipeline: PipelineViewModel!
    /// The morning review: the view the program opens on.
    public private(set) var today: TodayViewModel!
    /// Every interaction of every customer, filterable.
    public private(set) var timeline: TimelineViewModel!
    /// The team lead's figures (key 5).
    public private(set) var reports: ReportsModel!
    /// What work on other threads sends the loop (the report figures).
    public let inbox = AppInbox()
    /// Loaded from the settings file; changed by the settings screen.
    public internal(set) var settings: Settings
    /// Where the settings came from and what was wrong with them.
    public internal(set) var settingsPath: String?
    public internal(set) var settingsProblems: [SettingsProblem] = []
    /// How many writes were refused as busy: tells a key, prompt or question
    /// that its write gave up waiting, so it can offer to try again.
    var busyRefusals = 0
    /// Where unsaved work is kept on a way out that is not a save (nil: not kept).
    public var drafts: (any DraftKeeping)?
    /// Drafts found at the start and not yet restored, discarded or put off.
    public internal(set) var pendingDrafts: [Draft] = []
    /// The draft whose work is on screen now (restored, or kept after a
    /// failed `$EDITOR`): replaced when it is kept again, deleted once that
    /// work is saved or discarded.
    var currentDraftID: String?
    /// When unsaved work was last kept while typing, and what it was then.
    var draftKeptAt = Date.distantPast
    var draftKeptWork: Draft.Work?
    /// Run once at the end of `start`, with the first screen loaded: how
    /// `crm --call NUMBER` opens on call mode (`answerCall(from:)`).
    public var startAction: ((AppModel) -> Void)?
    /// Set by `start`: before it no view is on screen, so nothing is loaded
    /// for one (settings read before the start refresh no view; each view
    /// loads when it is first shown — the first screen reads only Today).
    public private(set) var isStarted = false

    public init(repositories: any CRMRepositories, clock: any Clock = SystemClock(), timeFormat: TimeFormat = TimeFormat(),
                settings: Settings = Settings()) {
        self.repositories = repositories
        self.clock = clock
        self.timeFormat = timeFormat
        self.settings = settings
        self.activeKind = .contacts
        contacts = ContactsViewModel(context: self)
        register(contacts)
        pipeline = PipelineViewModel(context: self)
        register(pipeline)
        // From a deal's details to its contact or company in the contacts workspace.
        pipeline.showContact = { [unowned self] id in
            contacts.show(contactID: id)
            activeKind = .contacts
        }
        pipeline.showCompany = { [unowned self] id in
            contacts.show(companyID: id)
            activeKind = .contacts
        }
        today = TodayViewModel(context: self)
        register(today)
        timeline = TimelineViewModel(context: self)
        register(timeline)
        reports = ReportsModel(context: self, inbox: inbox)
        register(reports)
    }

    public func register(_ view: any WorkspaceView) {
        views[view.kind] = view
    }

    public var activeView: any WorkspaceView { views[activeKind]! }
    public var activeViewKind: ViewKind { activeKind }
    /// The views that exist, in number-key order.
    public var availableViews: [ViewKind] { ViewKind.allCases.filter { views[$0] != nil } }

    public func start(in kind: ViewKind = .today) {
        activeKind = views[kind] != nil ? kind : .contacts
        isStarted = true
        // Sized before loading, so the first load fetches what fits.
        layoutActiveView()
        activeView.activate()
        layoutActiveView()
        // Starts the change feed from here: what is loaded now is current.
        do { _ = try repositories.pollChanges() } catch { report(error, reading: "the database's change feed") }
        offerDrafts()
        if let action = startAction {
            startAction = nil
            action(self)
        }
        revision += 1
    }

    // MARK: keys

    public var globalBindings: [KeyBinding] {
        var table = [
            KeyBinding([.char("?"), .function(1)], .help, "Help: all keys", hint: true),
            KeyBinding([.char(":")], .palette, "Command palette", hint: true),
            KeyBinding([.char("q"), .ctrl("c")], .quit, "Quit", hint: true),
            KeyBinding([.ctrl("l")], .redraw, "Redraw the screen"),
            KeyBinding([.char("S")], .settings, "Settings: time zone, calendar, cadences, theme"),
            // No key of its own: `:import` in the palette.
            KeyBinding([], .importFile, "Import contacts from a file (CSV, vCard, JSON)"),
            auditBinding,
            KeyBinding([.char("Z")], .showTrash, "Trash: every deleted record, to restore"),
            KeyBinding([.char("U")], .administration, "Administration: users, roles, handing over a leaver's work"),
        ]
        for kind in availableViews {
            table.append(KeyBinding([.char(Character(String(kind.rawValue)))], kind.showAction, "Go to \(kind.title)"))
        }
        return table
    }

    /// The active view's keys, then the global ones: what help and the palette list.
    public var allBindings: [KeyBinding] { activeBindings + reachableGlobalBindings }

    /// The global keys that still reach the app here: a key the view's table
    /// takes (`q` is "back" in a sub-view) is not offered as global too.
    public var reachableGlobalBindings: [KeyBinding] {
        let taken = Set(activeBindings.flatMap(\.keys))
        return globalBindings.usable(by: repositories).compactMap { binding in
            // A palette-only action (no key of its own) is always reachable.
            if binding.keys.isEmpty { return binding }
            let keys = binding.keys.filter { !taken.contains($0) }
            guard !keys.isEmpty else { return nil }
            return keys == binding.keys ? binding
                : KeyBinding(keys, binding.action, binding.title, hint: binding.inHintBar, disabled: binding.disabledReason,
                             hintTitle: binding.hintTitle)
        }
    }

    /// The active view's key table as it stands: on a read-only database the
    /// keys that write are disabled, with the reason.
    public var activeBindings: [KeyBinding] { activeView.keyBindings.usable(by: repositories) }

    // MARK: update

    @discardableResult
    public func handle(_ message: AppMessage) -> [Effect] {
        let before = revision
        let effects = update(message)
        // Drafts from last time are offered one at a time, whenever nothing
        // else is up (after a restored one is saved, the next).
        if overlay == nil, let next = pendingDrafts.first {
            overlay = .draftOffer(next)
            revision += 1
        }
        // Whatever changed may change what fits (a search line, a totals
        // line): sized here, in the update, never while drawing.
        if revision != before { layoutActiveView() }
        return effects
    }

    /// Sizes the active view for the area it has (nothing before the first
    /// resize: then the view keeps the sizes it was given).
    private func layoutActiveView() {
        if let viewArea { activeView.layout(in: viewArea) }
    }

    private func update(_ message: AppMessage) -> [Effect] {
        switch message {
        case .key(let key):
            revision += 1
            return handleKey(key)
        case .tick:
            return tick()
        case .resize(let w, let h):
            size = (w, h)
            let screen = Size(width: w, height: h)
            viewArea = ScreenLayout.isTooSmall(screen) ? nil : ScreenLayout.viewArea(screen)
            revision += 1
        case .editorFinished(let result):
            editorFinished(result)
            revision += 1
        case .reportComputed(let computed):
            if reports.receive(computed) { revision += 1 }
        }
        return []
    }

    /// True while figures are being computed away from the loop's thread:
    /// the loop then looks for them more often than every tick.
    public var isAwaitingBackground: Bool { reports.isStale && !reports.computesHere }

    /// Handles what work on other threads sends (and, without a worker, the
    /// ticks that compute in its place) until nothing asked for is still
    /// outstanding, or `timeout` has passed (false then). For the tests and
    /// the bench, which need the figures the last key asked for; the
    /// terminal loop never waits, it handles `inbox` between keys.
    @discardableResult
    public func settle(timeout: TimeInterval = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            for message in inbox.take() { handle(message) }
            guard reports.isStale else { return true }
            if reports.computesHere {
                // What the next tick would do (when view 5 is up).
                reports.compute()
                revision += 1
                continue
            }
            guard inbox.wait(until: deadline) else { return false }
        }
    }

    private func tick() -> [Effect] {
        if case .call(let call) = overlay {
            // The timer runs: ten ticks a second, one new text a second.
            let text = call.timerText
            if text != timerShown {
                timerShown = text
                timerRevision += 1
            }
        }
        if activeView.tick() { revision += 1 }
        keepUnsavedWorkWhileTyping()
        if let message = statusMessage, !message.isVisible(at: clock.now) {
            statusMessage = nil
            revision += 1
        }
        do {
            // Only the panes that read what changed reload.
            var changes = try repositories.pollChanges()
            if readAgainAfterReconnect {
                // What failed to load while the server was away (an empty
                // timeline, "computing" figures) is read again now.
                readAgainAfterReconnect = false
                changes = .unknown
            }
            if !changes.isEmpty {
                activeView.refresh(changes)
                // The trash window follows colleagues' deletes and restores too.
                if case .trash(let trash)? = overlay,
                   changes.touches([.contacts, .companies, .interactions, .followUps, .deals]) { trash.reload() }
                revision += 1
            }
        } catch RepositoryError.unavailable where serverAway {
            // The database server is away and the engine tries it once a
            // tick: the status line says so, unless it says something else
            // (an action's own sentence), and the log is not written ten
            // times a second.
            if statusMessage == nil { status(Self.reconnectingText, .warning) }
        } catch {
            report(error)
        }
        return []
    }

    private func handleKey(_ key: Key) -> [Effect] {
        // Garbage on the terminal can sit under an overlay as well.
        if key == .ctrl("l") { return run(.redraw) }
        // Below the minimum size only the "too small" message is drawn: a key
        // must not change a form or a list nobody can see. Quitting still works.
        if ScreenLayout.isTooSmall(Size(width: size.width, height: size.height)) {
            return overlay == nil && (key == .char("q") || key == .ctrl("c")) ? run(.quit) : []
        }
        if let overlay { return handleOverlayKey(key, overlay) }
        // Over a view Ctrl-C quits, even from a search line that takes every
        // other key: what it did when it was SIGINT.
        if key == .ctrl("c") { return run(.quit) }
        let refusals = busyRefusals
        defer { if busyRefusals > refusals { offerRetry(key: key.label) } }
        if activeView.handle(key) { return [] }
        guard let binding = globalBindings.binding(for: key) else {
            // The number row of a Persian or Arabic keyboard types ۲ or ٢:
            // the key of the same digit (QA 29 #9), where nothing took it as text.
            if case .char(let c) = key, let ascii = LocalDigits.asciiDigit(c) { return handleKey(.char(ascii)) }
            return []
        }
        return run(binding.action)
    }

    /// Runs an action from a key or the palette.
    @discardableResult
    public func run(_ action: ActionID) -> [Effect] {
        switch action {
        case .quit: return [.quit]
        case .help:
            helpScroll = 0
            helpOver = nil
            overlay = .help
        case .palette: overlay = .palette(PaletteModel(entries: paletteEntries))
        case .redraw: return [.repaint]
        case .settings: showSettings()
        case .auditTrail: showAuditTrail()
        case .showTrash: present(.trash(TrashModel(context: self)))
        case .administration: showAdministration()
        case .importFile:
            if repositories.isReadOnly {
                status("Import: \(KeyBinding.readOnlyReason)", .warning)
            } else {
                overlay = .importFile(ImportModel(context: self))
            }
        case .showToday, .showContacts, .showPipeline, .showTimeline, .showReports:
            if let kind = ViewKind.allCases.first(where: { $0.showAction == action }), views[kind] != nil {
                // A message about the view being left would only mislead here.
                if kind != activeKind { statusMessage = nil }
                activeKind = kind
                activeView.activate()
            }
        default:
            if let binding = activeBindings.binding(for: action), let refusal = binding.refusal {
                status(refusal, .warning)
            } else {
                activeView.perform(action)
            }
        }
        return []
    }

    private func handleOverlayKey(_ key: Key, _ current: Overlay) -> [Effect] {
        // Ctrl-C is a key, not SIGINT, while the screen is up: over a view it
        // quits, but in an overlay it leaves the overlay as Esc does, so a
        // form or a call card with text typed asks before throwing it away.
        // A prompt, whose Esc never asks, asks on Ctrl-C when text was typed.
        if key == .ctrl("c") {
            if case .prompt(var prompt) = current, !prompt.confirmingDiscard, prompt.hasTypedText {
                prompt.confirmingDiscard = true
                overlay = .prompt(prompt)
                return []
            }
            return handleOverlayKey(.escape, current)
        }
        // F1 over any window lists that window's keys (`?` too where it
        // types nothing); Esc comes back to the window as it was.
        if case .help = current {} else if let binding = bindings(of: current)?.binding(for: key), binding.action == .help {
            dispatched(.help)
            showHelp(over: current)
            return []
        }
        // A key of the window's table that cannot work now says why, as a
        // view's does (Ctrl-O with no conflict on screen).
        if let binding = bindings(of: current)?.binding(for: key), let refusal = binding.refusal {
            status(refusal, .warning)
            return []
        }
        if let binding = bindings(of: current)?.binding(for: key) { dispatched(binding.action) }
        switch current {
        case .help:
            // The list can be longer than the screen: it scrolls like any list.
            handleHelpKey(key)
        case .palette(let palette):
            switch palette.handle(key) {
            case .editing: break
            case .cancelled: overlay = nil
            case .run(let action, let view):
                overlay = nil
                let refusals = busyRefusals
                defer { if busyRefusals > refusals { offerRetry(key: allBindings.binding(for: action)?.keys.first?.label ?? ":") } }
                if let view { return run(action, in: view, listedAs: palette.chosen?.binding) }
                return run(action)
            }
        case .form(let form):
            switch form.handle(key) {
            case .editing: break
            case .cancelled:
                overlay = nil
                workSettled()
            case .saved(let message):
                if case .form(let shown) = overlay, shown === form { overlay = nil }
                workSettled()
                status(message, .success)
            case .effect(let effect): return [effect]
            }
        case .confirm(let confirmation):
            overlay = nil
            if key == .char("y") || key == .char("Y") {
                let refusals = busyRefusals
                confirmation.onYes()
                // Gave up waiting for another save: the question comes back.
                if busyRefusals > refusals { offerRetry(.confirm(confirmation), key: "y") }
            } else {
                confirmation.onNo?()
            }
        case .prompt(var prompt) where prompt.confirmingDiscard:
            if key == .char("y") || key == .char("Y") {
                overlay = nil
                prompt.onCancel?()
            } else {
                prompt.confirmingDiscard = false
                overlay = .prompt(prompt)
            }
        case .prompt(var prompt):
            if let answer = prompt.quickAnswer(key) {
                overlay = nil
                workSettled()
                let refusals = busyRefusals
                prompt.onSubmit(answer)
                // As Enter: a save that gave up waiting puts the prompt back.
                if busyRefusals > refusals {
                    prompt.restore(text: answer)
                    offerRetry(.prompt(prompt), nothing: "Nothing was saved", key: "Enter")
                }
                return []
            }
            switch key {
            case .escape:
                overlay = nil
                workSettled()
                prompt.onCancel?()
            case .enter:
                overlay = nil
                workSettled()
                let refusals = busyRefusals
                let refusedBefore = statusMessage.map { $0.kind == .error || $0.kind == .warning } ?? false
                let said = statusesSaid
                prompt.onSubmit(prompt.input.text)
                // The refusal of an earlier answer goes once this one is
                // taken and says nothing of its own (QA 45 KB #7: "can't read
                // 'last week'" stayed over the filter the corrected answer set).
                if refusedBefore, statusesSaid == said, overlay == nil { statusMessage = nil }
                // A refused answer asks the same question again with the
                // text typed: it comes back as typed, to be corrected, not
                // as a suggestion the next key replaces (QA 45 KB #2:
                // "tomorrow 9" refused, then ":00" left only ":00").
                if case .prompt(var again)? = overlay, again.title == prompt.title, !prompt.input.text.isEmpty,
                   again.input.text == prompt.input.text, again.untouched {
                    again.restore(text: prompt.input.text)
                    overlay = .prompt(again)
                }
                // Gave up waiting for another save: the prompt comes back with the text typed.
                if busyRefusals > refusals { offerRetry(.prompt(prompt), nothing: "Nothing was saved", key: "Enter") }
            case .tab:
                if let first = prompt.visibleSuggestions.first { prompt.input.text = first }
                overlay = .prompt(prompt)
            default:
                prompt.edit(key)
                overlay = .prompt(prompt)
            }
        case .call(let call):
            switch call.handle(key) {
            case .active: break
            case .cancelled:
                overlay = nil
                workSettled()
                status("Call discarded", .warning)
            case .ended(let message):
                // Ending may have put up the follow-up form: leave that up.
                if case .call(let shown) = overlay, shown === call { overlay = nil }
                workSettled()
                status(message, .success)
            }
        case .draftOffer(let draft):
            return handleDraftOfferKey(key, draft)
        case .importFile(let model):
            switch model.handle(key) {
            case .active: break
            case .cancelled: overlay = nil
            case .imported:
                overlay = nil
                // Everything may show the new contacts.
                activeView.refresh()
            }
        case .duplicates(let list):
            if list.handle(key) == .close {
                if case .duplicates(let shown) = overlay, shown === list { overlay = nil }
                activeView.refresh()
            }
        case .audit(let model):
            handleAuditKey(key, model)
        case .trash(let trash):
            if trash.handle(key) == .close {
                if case .trash(let shown) = overlay, shown === trash { overlay = nil }
                activeView.refresh()
            }
        }
        return []
    }

    // MARK: AppContext

    public func present(_ overlay: Overlay) {
        if case .form(let form) = overlay {
            form.logDiagnostic = { [unowned self] error in logDiagnostic(of: error) }
            form.time = { [unowned self] in moment($0) }
        }
        self.overlay = overlay
        revision += 1
    }

    public func dismissOverlay() {
        overlay = nil
        // Taken away, neither saved nor discarded: a draft of it stays on disk.
        currentDraftID = nil
        revision += 1
    }

    public func status(_ text: String, _ kind: StatusMessage.Kind) {
        statusMessage = StatusMessage(text, kind: kind, at: clock.now)
        statusesSaid += 1
        revision += 1
    }

    /// Where the engine's diagnostics go: stderr, which the screen sends to
    /// the user's crm.log. Never the status line.
    public var log: (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// Draws the screen now, from inside an action that blocks the loop
    /// (set by the terminal; nil headless).
    public var drawNow: (() -> Void)?

    public func working(_ text: String) {
        status(text, .info)
        workingStatus = text
        drawNow?()
    }

    /// Whether a signal asked the program to end (set by the terminal).
    public var stopCheck: () -> Bool = { false }
    public var stopRequested: Bool { stopCheck() }

    /// Between the engine's "reconnecting…" and its "reconnected": the
    /// database server is away (a failed idle tick then says so quietly).
    public internal(set) var serverAway = false
    /// Set when the connection to the database server is back: the next
    /// tick reloads the view as after any colleague's change (QA 37 #4).
    var readAgainAfterReconnect = false

    /// Drops the keys typed while a long action ran (set by the terminal;
    /// nil headless).
    public var discardTypeahead: (() -> Void)?

    /// The status line `working` last set, cleared when the work ends
    /// unless the action said something of its own since.
    private var workingStatus: String?

    public func finishedWorking() {
        discardTypeahead?()
        if let text = workingStatus, statusMessage?.text == text {
            statusMessage = nil
            revision += 1
        }
        workingStatus = nil
    }

    /// The engine's words about `error`, if it has any, to the log.
    func logDiagnostic(of error: Error) {
        if let diagnostic = (error as? RepositoryError)?.diagnostic { log("\(clock.now): \(diagnostic)") }
    }

    public func report(_ error: Error) {
        if case RepositoryError.busy = error { busyRefusals += 1 }
        logDiagnostic(of: error)
        switch error {
        case RepositoryError.stale(let stale): status(stale.sentence(time: moment), .warning)
        case RepositoryError.unavailable(_, let reason, _):
            // The top bar names the database already: the reason and its
            // advice alone fit the status line (QA 33 #16).
            status(reason.prefix(1).uppercased() + reason.dropFirst(), .error)
        case let store as RepositoryError: status(store.description, store.isTransient ? .warning : .error)
        case let failure as ValidationFailure: status(failure.description, .error)
        default: status("\(error)", .error)
        }
    }

    public func report(_ error: Error, reading what: String) {
        report(error)
        // A server that cannot be reached is the whole story: "Could not
        // read the possible duplicates:" before it only pushed its advice
        // off the line (QA 37).
        if case RepositoryError.unavailable = error { return }
        if let message = statusMessage { status("Could not read \(what): \(message.text)", message.kind) }
    }
}
