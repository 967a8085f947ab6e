import CRMViewModels
import Foundation

/// Draws the whole application for one frame: the bars, the active view and
/// whatever overlay is up. Pure drawing into a `Screen`: the same call fills
/// the terminal and the in-memory screen of the golden tests. It reads the
/// models' state and never changes it: no repository call, no loading (the
/// views were sized and loaded when the resize or key arrived).
public enum AppRenderer {
    public static func render(_ app: AppModel, on screen: Screen) {
        screen.clear()
        screen.setCursor(nil)
        if TooSmall.draw(on: screen) { return }
        let size = screen.size
        let now = app.clock.now
        BarsPane.renderTop(app, width: size.width, on: screen)
        // The same area the app sized the active view for on resize.
        let area = ScreenLayout.viewArea(size)
        var caret: Point?
        switch app.activeKind {
        case .pipeline:
            caret = PipelineWorkspacePane.render(app.pipeline, in: area, on: screen, now: now, timeFormat: app.timeFormat)
        case .contacts:
            caret = ContactsWorkspacePane.render(app.contacts, in: area, on: screen, now: now, timeFormat: app.timeFormat)
        case .today:
            caret = TodayPane.render(app.today, in: area, on: screen, now: now, timeFormat: app.timeFormat)
        case .timeline:
            caret = GlobalTimelinePane.render(app.timeline, in: area, on: screen, now: now, timeFormat: app.timeFormat)
        case .reports:
            ReportsPane.render(app.reports, in: area, on: screen, timeFormat: app.timeFormat)
        }
        // The hint line reads the table of what takes the keys: the view's,
        // or the window's over it (a form shows its own keys in its frame).
        var hints = app.overlayBindings ?? app.searchLineBindings ?? app.allBindings
        if let overlay = app.overlay {
            caret = nil
            switch overlay {
            case .help:
                let keys = app.helpBindings
                HelpOverlay.render(view: keys.own, global: keys.global,
                                   viewTitle: app.helpTitle, scroll: app.helpScroll, in: area, on: screen)
            case .palette(let palette):
                caret = PaletteOverlay.render(palette, in: area, on: screen)
            case .form(let form):
                caret = FormOverlay.render(form, in: area, on: screen)
                hints = []
            case .confirm(let confirmation):
                PromptOverlays.render(confirmation, in: area, on: screen, timeFormat: app.timeFormat)
            case .prompt(let prompt):
                caret = PromptOverlays.render(prompt, in: area, on: screen, timeFormat: app.timeFormat)
            case .call(let call):
                caret = CallCardOverlay.render(call, in: area, on: screen, now: now, timeFormat: app.timeFormat)
            case .draftOffer(let draft):
                DraftOfferOverlay.render(draft, question: app.offerQuestion(draft), in: area, on: screen)
            case .importFile(let model):
                caret = ImportOverlay.render(model, in: area, on: screen)
            case .duplicates(let list):
                DuplicatesOverlay.render(list, in: area, on: screen)
            case .audit(let model):
                AuditOverlay.render(model, in: area, on: screen)
            case .trash(let trash):
                TrashOverlay.render(trash, in: area, on: screen)
            }
        }
        BarsPane.renderStatus(app, hints: hints, y: size.height - 1, width: size.width, on: screen)
        screen.setCursor(caret)
    }

    /// Draws only the call timer over the last frame (the loop calls it when
    /// `timerRevision` moved and `revision` did not): the same cells a whole
    /// frame would draw there, nothing else. Returns false when there is no
    /// timer on screen to draw.
    @discardableResult
    public static func renderTimer(_ app: AppModel, on screen: Screen) -> Bool {
        guard case .call(let call)? = app.overlay, !TooSmall.isTooSmall(screen.size) else { return false }
        CallCardOverlay.renderTimer(call, in: ScreenLayout.viewArea(screen.size), on: screen, timeFormat: app.timeFormat)
        return true
    }
}

/// The loop's drawing step: a whole frame when the model's `revision` moved,
/// only the call timer's cells when just `timerRevision` did, nothing
/// otherwise. The terminal loop and `crm bench` both draw through it.
public struct FrameScheduler {
    public enum Drawn: Equatable, Sendable { case nothing, frame, timer }

    private var drawnRevision = -1
    private var drawnTimer = -1

    public init() {}

    /// The next `draw` draws a whole frame (after the terminal was cleared).
    public mutating func invalidate() { drawnRevision = -1 }

    @discardableResult
    public mutating func draw(_ app: AppModel, on screen: Screen) -> Drawn {
        if app.revision != drawnRevision {
            AppRenderer.render(app, on: screen)
            screen.present()
            drawnRevision = app.revision
            drawnTimer = app.timerRevision
            return .frame
        }
        guard app.timerRevision != drawnTimer else { return .nothing }
        drawnTimer = app.timerRevision
        guard AppRenderer.renderTimer(app, on: screen) else { return .nothing }
        screen.present()
        return .timer
    }
}
