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
    public private(set) var overlay: Overlay?
    public internal(set) var statusMessage: StatusMessage?
    public private(set) var size = (width: 80, height: 24)
    /// Where the active view draws: known from the first resize on, nil
    /// while the terminal is too small to draw the views at all.
    public private(set) var viewArea: Rect?
    /// First line shown of the `?` overlay (the drawing clamps it).
    public private(set) var helpScroll = 0
    /// Bumped whenever something visible changed, so the loop redraws only then.
    public internal(set) var revision = 0
    /// The contacts workspace, always present.
    public private(set) var contacts: ContactsViewModel!
    /// The pipeline board (key 3).
    public private(set) var pipeline: PipelineViewModel!
    /// The morning review: the view the program opens on.
    public private(set) var today: TodayViewModel!
    /// Every interaction of every customer, filterable.
    public private(set) var timeline: TimelineViewModel!
    /// Loaded from the settings file; changed by the settings screen.
    public internal(set) var settings: Settings
    /// Where the settings came from and what was wrong with them.
    public internal(set) var settingsPath: String?
    public internal(set) var settingsProblems: [SettingsProblem] = []
    /// How many writes were refused as busy: tells a key, prompt or question
    /// that its write gave up waiting, so it can offer to try again.
    var busyRefusals = 0

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
        // Sized before loading, so the first load fetches what fits.
        layoutActiveView()
        activeView.activate()
        layoutActiveView()
        // Starts the change feed from here: what is loaded now is current.
        do { _ = try repositories.pollChanges() } catch { report(error, reading: "the database's change feed") }
        revision += 1
    }

    // MARK: keys

    public var globalBindings: [KeyBinding] {
        var table = [
            KeyBinding([.char("?"), .function(1)], .help, "Help: all keys", hint: true),
            KeyBinding([.char(":")], .palette, "Command palette", hint: true),
            KeyBinding([.char("q")], .quit, "Quit", hint: true),
            KeyBinding([.ctrl("l")], .redraw, "Redraw the screen"),
            KeyBinding([.char("S")], .settings, "Settings: time zone, calendar, cadences, theme"),
        ]
        for kind in availableViews {
            table.append(KeyBinding([.char(Character(String(kind.rawValue)))], kind.showAction, "Go to \(kind.title)"))
        }
        return table
    }

    /// The active view's keys, then the global ones: what help and the palette list.
    public var allBindings: [KeyBinding] { activeBindings + globalBindings }

    /// The active view's key table as it stands: on a read-only database the
    /// keys that write are disabled, with the reason.
    public var activeBindings: [KeyBinding] { activeView.keyBindings.readOnly(repositories.isReadOnly) }

    // MARK: update

    @discardableResult
    public func handle(_ message: AppMessage) -> [Effect] {
        let before = revision
        let effects = update(message)
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
        case .editorFinished(let text):
            if case .form(let form) = overlay { form.externalEditFinished(text) }
            revision += 1
        }
        return []
    }

    private func tick() -> [Effect] {
        if case .call = overlay { revision += 1 }  // the timer runs
        if activeView.tick() { revision += 1 }
        if let message = statusMessage, !message.isVisible(at: clock.now) {
            statusMessage = nil
            revision += 1
        }
        do {
            // Only the panes that read what changed reload.
            let changes = try repositories.pollChanges()
            if !changes.isEmpty {
                activeView.refresh(changes)
                revision += 1
            }
        } catch {
            report(error)
        }
        return []
    }

    private func handleKey(_ key: Key) -> [Effect] {
        if let overlay { return handleOverlayKey(key, overlay) }
        let refusals = busyRefusals
        defer { if busyRefusals > refusals { offerRetry(key: key.label) } }
        if activeView.handle(key) { return [] }
        guard let binding = globalBindings.binding(for: key) else { return [] }
        return run(binding.action)
    }

    /// Runs an action from a key or the palette.
    @discardableResult
    public func run(_ action: ActionID) -> [Effect] {
        switch action {
        case .quit: return [.quit]
        case .help:
            helpScroll = 0
            overlay = .help
        case .palette: overlay = .palette(PaletteModel(bindings: allBindings))
        case .redraw: break
        case .settings: showSettings()
        case .showToday, .showContacts, .showPipeline, .showTimeline, .showReports:
            if let kind = ViewKind.allCases.first(where: { $0.showAction == action }), views[kind] != nil {
                // A message about the view being left would only mislead here.
                if kind != activeKind { statusMessage = nil }
                activeKind = kind
                activeView.activate()
            }
        default:
            if let binding = activeBindings.binding(for: action), let reason = binding.disabledReason {
                status("\(binding.title): \(reason)", .warning)
            } else {
                activeView.perform(action)
            }
        }
        return []
    }

    private func handleOverlayKey(_ key: Key, _ current: Overlay) -> [Effect] {
        switch current {
        case .help:
            // The list can be longer than the screen: it scrolls like any list.
            switch key {
            case .escape, .char("q"), .char("?"), .enter: overlay = nil
            case .char("j"), .down: helpScroll += 1
            case .char("k"), .up: helpScroll = max(helpScroll - 1, 0)
            case .pageDown, .char(" "): helpScroll += 10
            case .pageUp: helpScroll = max(helpScroll - 10, 0)
            case .char("g"), .home: helpScroll = 0
            default: break
            }
        case .palette(let palette):
            switch palette.handle(key) {
            case .editing: break
            case .cancelled: overlay = nil
            case .run(let action):
                overlay = nil
                let refusals = busyRefusals
                defer { if busyRefusals > refusals { offerRetry(key: allBindings.binding(for: action)?.keys.first?.label ?? ":") } }
                return run(action)
            }
        case .form(let form):
            switch form.handle(key) {
            case .editing: break
            case .cancelled: overlay = nil
            case .saved(let message):
                if case .form(let shown) = overlay, shown === form { overlay = nil }
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
            }
        case .prompt(var prompt):
            switch key {
            case .escape:
                overlay = nil
                prompt.onCancel?()
            case .enter:
                overlay = nil
                let refusals = busyRefusals
                prompt.onSubmit(prompt.input.text)
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
                status("Call discarded", .warning)
            case .ended(let message):
                // Ending may have put up the follow-up form: leave that up.
                if case .call(let shown) = overlay, shown === call { overlay = nil }
                status(message, .success)
            }
        }
        return []
    }

    // MARK: AppContext

    public func present(_ overlay: Overlay) {
        if case .form(let form) = overlay {
            form.logDiagnostic = { [unowned self] error in
                if let diagnostic = (error as? RepositoryError)?.diagnostic { log("\(clock.now): \(diagnostic)") }
            }
        }
        self.overlay = overlay
        revision += 1
    }

    public func dismissOverlay() {
        overlay = nil
        revision += 1
    }

    public func status(_ text: String, _ kind: StatusMessage.Kind) {
        statusMessage = StatusMessage(text, kind: kind, at: clock.now)
        revision += 1
    }

    /// Where the engine's diagnostics go: stderr, which the screen sends to
    /// the user's crm.log. Never the status line.
    public var log: (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    public func report(_ error: Error) {
        if case RepositoryError.busy = error { busyRefusals += 1 }
        if let diagnostic = (error as? RepositoryError)?.diagnostic { log("\(clock.now): \(diagnostic)") }
        switch error {
        case RepositoryError.stale(let stale): status(stale.description, .warning)
        case let store as RepositoryError: status(store.description, store.isTransient ? .warning : .error)
        case let failure as ValidationFailure: status(failure.description, .error)
        default: status("\(error)", .error)
        }
    }

    public func report(_ error: Error, reading what: String) {
        report(error)
        if let message = statusMessage { status("Could not read \(what): \(message.text)", message.kind) }
    }
}
