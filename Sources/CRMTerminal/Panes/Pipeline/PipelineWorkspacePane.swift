import CRMViewModels
import Foundation

/// The pipeline view: the board, the won/lost list, or one deal's details.
enum PipelineWorkspacePane {
    /// Draws the active mode; returns where the caret goes, if anywhere.
    static func render(_ vm: PipelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) -> Point? {
        switch vm.mode {
        case .board: return PipelineBoardPane.render(vm, in: rect, on: screen, now: now, timeFormat: timeFormat)
        case .closed: ClosedDealsPane.render(vm, in: rect, on: screen, now: now, timeFormat: timeFormat)
        case .details: DealDetailPane.render(vm, in: rect, on: screen, now: now, timeFormat: timeFormat)
        }
        return nil
    }
}
