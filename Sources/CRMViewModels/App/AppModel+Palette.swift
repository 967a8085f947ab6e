import Foundation

// The `:` palette reaches every view's actions, not only the current one's:
// "mark won" typed on the Today view finds the pipeline's Mark won, and
// running it switches to the board first.
extension AppModel {
    /// Moving around only makes sense in the list on screen: another view's
    /// j/k or PgDn are not offered. Nor is another view's undo: there is one
    /// undo for the whole program, and it was listed once per view.
    private static let localOnly: Set<ActionID> = [.moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom,
                                                   .moveLeft, .moveRight, .nextPane, .previousPane, .back, .undo]

    /// The current view's actions, then every other view's (titled with the
    /// view), then the global ones.
    var paletteEntries: [PaletteModel.Entry] {
        var entries = activeBindings.map { PaletteModel.Entry($0) }
        for kind in availableViews where kind != activeKind {
            guard let view = views[kind] else { continue }
            for binding in view.keyBindings.readOnly(repositories.isReadOnly) where !Self.localOnly.contains(binding.action) {
                let titled = KeyBinding(binding.keys, binding.action, "\(kind.title): \(binding.title)",
                                        disabled: binding.disabledReason)
                entries.append(PaletteModel.Entry(titled, view: kind))
            }
        }
        return entries + reachableGlobalBindings.map { PaletteModel.Entry($0) }
    }

    /// Runs another view's action from the palette: that view first, then
    /// the action as its key table stands there now (a disabled one says why).
    /// `listedAs`: the entry as the palette listed it. One that had nothing
    /// to act on then ("Mark won (no deal here)") only switches: whatever
    /// the view happens to focus once open is not something the user chose.
    @discardableResult
    func run(_ action: ActionID, in kind: ViewKind, listedAs: KeyBinding? = nil) -> [Effect] {
        guard views[kind] != nil else { return [] }
        let switched = kind != activeKind
        if switched { run(kind.showAction) }
        guard let binding = activeBindings.binding(for: action) else {
            status("\(action.rawValue): not available in \(kind.title) here", .warning)
            return []
        }
        if let refusal = binding.refusal {
            status(refusal, .warning)
            return []
        }
        if switched, listedAs?.disabledReason != nil {
            status("\(binding.title): choose it here, then press \(binding.keys.first?.label ?? "its key")", .info)
            return []
        }
        activeView.perform(action)
        revision += 1
        return []
    }
}
