import CRMRepositories

/// The views the number keys switch between.
public enum ViewKind: Int, CaseIterable, Sendable {
    case today = 1, contacts, pipeline, timeline, reports

    public var title: String {
        switch self {
        case .today: "Today"
        case .contacts: "Contacts"
        case .pipeline: "Pipeline"
        case .timeline: "Timeline"
        case .reports: "Reports"
        }
    }

    public var showAction: ActionID {
        switch self {
        case .today: .showToday
        case .contacts: .showContacts
        case .pipeline: .showPipeline
        case .timeline: .showTimeline
        case .reports: .showReports
        }
    }
}

/// What the application needs of each view model it hosts.
public protocol WorkspaceView: AnyObject {
    var kind: ViewKind { get }
    /// This view's key table (the global keys are added by the app).
    var keyBindings: [KeyBinding] { get }
    /// Handles a key; false when the view has no use for it.
    func handle(_ key: Key) -> Bool
    func perform(_ action: ActionID)
    /// Shown for the first time, or again after another view.
    func activate()
    /// Another user changed the database: reload what is visible, keeping the selection.
    func refresh()
    /// Another user changed these kinds of records: reload the panes that
    /// read one of them, and only those.
    func refresh(_ changes: ChangeSet)
    /// Sizes the view for the area it draws in (after a resize, and after
    /// every update); loads what came into view. Never called while drawing.
    func layout(in area: Rect)
    /// The idle tick (100 ms); true when something visible changed.
    func tick() -> Bool
}

extension WorkspaceView {
    public func tick() -> Bool { false }
    /// A view that does not say what it reads reloads on any change.
    public func refresh(_ changes: ChangeSet) {
        if !changes.isEmpty { refresh() }
    }
    public func layout(in area: Rect) {}
}

extension ContactsViewModel: WorkspaceView {
    public var kind: ViewKind { .contacts }
    public func activate() {
        if loadedForActivation {
            loadedForActivation = false
            return
        }
        if contacts.isEmpty && companies.isEmpty { reloadList() } else { refresh() }
    }
}
