import CRMCore
import CRMRepositories
import Foundation

/// What a view model may ask of the application around it: storage, the
/// clock, the undo stack, the status line, and putting an overlay up.
public protocol AppContext: AnyObject {
    var repositories: any CRMRepositories { get }
    var clock: any Clock { get }
    var timeFormat: TimeFormat { get }
    var undoStack: UndoStack { get }
    func present(_ overlay: Overlay)
    func dismissOverlay()
    func status(_ text: String, _ kind: StatusMessage.Kind)
    /// Reports an error from a repository call in words a user can act on.
    func report(_ error: Error)
    /// Reports a read that failed, saying what could not be read ("the
    /// tags"), so an empty list is never taken for "there is none".
    func report(_ error: Error, reading what: String)
    /// The user's settings: calendar, time zone, stay-in-touch cadences.
    var settings: Settings { get }
    /// Shows a contact in the contacts workspace with its timeline.
    func openContact(_ id: Int64)
    /// Shows a deal's details on the board; closing them goes back to
    /// `returnTo` when given (a report's list), else to the board.
    func openDeal(_ id: Int64, returnTo: ViewKind?)
    /// Switches to a view (as its number key does).
    func switchTo(_ kind: ViewKind)
    /// The follow-ups list, filtered (a contact's, a deal's), over Today;
    /// `q` goes back to `returnTo`.
    func showFollowUps(_ filter: FollowUpFilter, about label: String, returnTo: ViewKind)
    /// `u` pressed in `view`: takes back the newest action, asking first when
    /// it was made in another view.
    func undo(in view: ViewKind)
    /// The view the person is working in: where an action is recorded as done.
    var activeViewKind: ViewKind { get }
    /// A key table ran `action` (what the test that presses every key reads).
    func dispatched(_ action: ActionID)
    /// Says on the status line that a long action has started, drawn at
    /// once: the loop is blocked until it ends, and a screen unchanged for
    /// seconds looks hung.
    func working(_ text: String)
    /// A long action has ended: keys typed while the screen was not
    /// listening are dropped, so an impatient Enter pressed during a dry run
    /// never confirms the import it was not shown.
    func finishedWorking()
    /// True once a signal (SIGTERM, SIGHUP) asked the program to end: a long
    /// action checks it between steps and stops, rolling back, instead of
    /// finishing first.
    var stopRequested: Bool { get }
}

extension AppContext {
    public var me: User { repositories.currentUser }
}

extension AppContext {
    /// When something happened, as a refusal says it: "15:04" today, the
    /// full date otherwise, in the user's calendar and zone.
    public func moment(_ date: Date) -> String { timeFormat.moment(date, now: clock.now) }
}
