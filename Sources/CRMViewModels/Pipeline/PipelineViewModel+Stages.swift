import CRMCore
import CRMRepositories
import Foundation

// Pipelines and their stages, managed from the board with one-line prompts:
// the focused column is the stage being changed.
extension PipelineViewModel {
    var stageRepo: any PipelineRepository { repos.pipelineRepository }

    /// How a prompt about this pipeline or its focused stage is asked again
    /// when its answer was kept as a draft.
    func boardResume(_ action: ActionID, stage: Stage?) -> PromptResume? {
        pipeline.map { .board(pipelineID: $0.id, stageID: stage?.id, action: action) }
    }

    func switchPipeline() {
        guard pipelines.count > 1, let current = pipeline, let i = pipelines.firstIndex(where: { $0.id == current.id }) else { return }
        show(pipelineID: pipelines[(i + 1) % pipelines.count].id)
    }

    /// Shows one pipeline's board from its first column.
    public func show(pipelineID: Int64) {
        pipeline = pipelines.first { $0.id == pipelineID } ?? pipeline
        columns = []
        focusColumn = 0
        firstVisibleColumn = 0
        mode = .board
        reload()
        if let pipeline { context.status("Pipeline \(pipeline.name)", .info) }
    }

    func askNewPipeline() {
        context.present(.prompt(Prompt("New pipeline name (stages: Lead, Qualified, Proposal, Negotiation):",
                                       resume: boardResume(.addPipeline, stage: nil)) { [unowned self] name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            do {
                let stages = [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75)].enumerated().map {
                    Stage(pipelineID: 0, name: $0.element.0, position: $0.offset, probability: $0.element.1)
                }
                let created = try stageRepo.createPipeline(trimmed, stages: stages)
                pipelines = try stageRepo.pipelines()
                show(pipelineID: created.id)
            } catch { context.report(error) }
        }))
    }

    func askRenamePipeline() {
        guard let pipeline else { return }
        context.present(.prompt(Prompt("Rename pipeline \(pipeline.name) to:", initial: pipeline.name,
                                       resume: boardResume(.renamePipeline, stage: nil)) { [unowned self] name in
            do {
                try stageRepo.renamePipeline(pipeline.id, to: name.trimmingCharacters(in: .whitespaces))
                reload()
            } catch { context.report(error) }
        }))
    }

    func askAddStage() {
        guard let pipeline else { return }
        let after = focusedColumn?.stage
        context.present(.prompt(Prompt("New stage after \(after?.name ?? "the start"):",
                                       resume: boardResume(.addStage, stage: after)) { [unowned self] name in
            do {
                let probability = after?.probability ?? 10
                let stage = try stageRepo.addStage(Stage(pipelineID: pipeline.id, name: name.trimmingCharacters(in: .whitespaces),
                                                         position: 0, probability: probability), after: after?.id)
                reload()
                if let i = columns.firstIndex(where: { $0.stage.id == stage.id }) { focus(column: i) }
                context.status("Added stage \(stage.name)", .success)
            } catch { context.report(error) }
        }))
    }

    func askRenameStage() {
        guard let stage = focusedColumn?.stage else { return }
        context.present(.prompt(Prompt("Rename stage \(stage.name) to:", initial: stage.name,
                                       resume: boardResume(.renameStage, stage: stage)) { [unowned self] name in
            var s = stage
            s.name = name.trimmingCharacters(in: .whitespaces)
            saveStage(s, before: stage)
        }))
    }

    /// `initial`: what was typed before, when asking again after a refusal.
    func askProbability(initial: String? = nil) {
        guard let stage = focusedColumn?.stage else { return }
        context.present(.prompt(Prompt("Win probability of \(stage.name), in percent (0-100):",
                                       initial: initial ?? String(stage.probability),
                                       resume: boardResume(.stageProbability, stage: stage)) { [unowned self] text in
            var s = stage
            do { s.probability = try Stage.parseProbability(text) } catch {
                // Said in the status line; the prompt comes back with the text typed.
                context.status("Probability: \((error as? FieldError)?.message ?? "\(error)")", .error)
                askProbability(initial: text)
                return
            }
            saveStage(s, before: stage)
        }))
    }

    func askRotDays(initial: String? = nil) {
        guard let stage = focusedColumn?.stage else { return }
        context.present(.prompt(Prompt("Days without activity before a deal in \(stage.name) rots (1-3650, empty: never):",
                                       initial: initial ?? stage.rotDays.map(String.init) ?? "",
                                       resume: boardResume(.stageRotDays, stage: stage)) { [unowned self] text in
            var s = stage
            do { s.rotDays = try Stage.parseRotDays(text) } catch {
                context.status("Rotting days: \((error as? FieldError)?.message ?? "\(error)")", .error)
                askRotDays(initial: text)
                return
            }
            saveStage(s, before: stage)
        }))
    }

    /// Saves a stage's name, probability or rotting limit; `u` puts back
    /// what it was, unless a colleague changed the stage since (refused
    /// with who, as any stale edit).
    private func saveStage(_ stage: Stage, before: Stage) {
        do {
            let saved = try stageRepo.updateStage(stage)
            if saved.version != before.version {
                context.recordUndo("change of stage \(saved.name)") { [unowned self] in
                    var back = saved
                    back.name = before.name
                    back.probability = before.probability
                    back.rotDays = before.rotDays
                    _ = try stageRepo.updateStage(back)
                    reload()
                    return "Undone: stage \(before.name) is \(Self.limits(before)) again"
                }
            }
            reload()
            context.status("Saved stage \(saved.name) (\(Self.limits(saved)))", .success)
        } catch {
            refused(error, doing: "Stage not saved")
        }
    }

    /// "35%, rots after 14 d" (or "rots never"): what `%` and `T` set.
    static func limits(_ stage: Stage) -> String {
        "\(stage.probability)%, rots \(stage.rotDays.map { "after \($0) d" } ?? "never")"
    }

    /// Moving a stage changes the order of the columns and nothing in them:
    /// the stages are read again for their new positions and the columns
    /// follow with their totals, cards and selection (a column that comes
    /// into view is loaded). Two whole reloads did this before: the
    /// pipeline's totals and every visible column's cards, twice.
    func moveFocusedStage(by offset: Int) {
        guard let stage = focusedColumn?.stage else { return }
        do {
            // At either end there is nothing to move, and nothing to undo.
            let open = openStages.map(\.id)
            let canMove = open.firstIndex(of: stage.id).map { open.indices.contains($0 + (offset < 0 ? -1 : 1)) } ?? false
            try stageRepo.moveStage(stage.id, by: offset)
            if canMove, offset != 0 { context.recordUndo("move of stage \(stage.name)") { [unowned self] in
                try stageRepo.moveStage(stage.id, by: -offset)
                if try !reorderColumns(focusing: stage.id) { reload() }
                return nil
            } }
            if try reorderColumns(focusing: stage.id) { return }
            // Someone else added or removed a stage meanwhile: the whole board.
            let selected = columns[focusColumn].selectedCard?.id
            reload()
            if let i = columns.firstIndex(where: { $0.stage.id == stage.id }) {
                focusColumn = i
                keepFocusInView()
                reload()
                if let selected, let j = columns[i].cards.firstIndex(where: { $0.id == selected }) { columns[i].selected = j }
            }
        } catch { context.report(error) }
    }

    /// The columns in the order of the stages as they are now, each kept as
    /// it was; false (nothing changed) when the open stages are not the
    /// columns' stages any more.
    private func reorderColumns(focusing stageID: Int64) throws -> Bool {
        guard let pipeline else { return false }
        let fresh = try repos.pipelineRepository.stages(pipelineID: pipeline.id)
        let kept = Dictionary(columns.map { ($0.stage.id, $0) }, uniquingKeysWith: { a, _ in a })
        let open = fresh.filter { $0.kind == .open }
        guard open.count == kept.count, open.allSatisfy({ kept[$0.id] != nil }) else { return false }
        stages = fresh
        columns = open.map { stage in
            var column = kept[stage.id]!
            column.stage = stage
            return column
        }
        if let i = columns.firstIndex(where: { $0.stage.id == stageID }) { focusColumn = i }
        keepFocusInView()
        loadVisibleColumns()
        return true
    }

    /// Deleting a stage first asks where its deals go (never silently dropped).
    func askDeleteStage() {
        guard let stage = focusedColumn?.stage else { return }
        let others = columns.map(\.stage).filter { $0.id != stage.id }
        // Every open deal of the stage moves, whatever the board is filtered by.
        let count: Int
        do {
            count = try deals.stageTotals(stageID: stage.id, filter: DealFilter()).count
        } catch {
            context.report(error)
            return
        }
        let neighbour = focusColumn > 0 ? columns[focusColumn - 1].stage.name : others.first?.name ?? ""
        let title = count == 1 ? "Delete stage \(stage.name)? Its 1 open deal moves to:" : "Delete stage \(stage.name)? Its \(count) open deals move to:"
        context.present(.prompt(Prompt(title, initial: neighbour, suggestions: others.map(\.name),
                                       resume: boardResume(.deleteStage, stage: stage)) { [unowned self] name in
            let typed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let target = others.first(where: { $0.name.lowercased() == typed }) else {
                context.status("Stage not deleted: \"\(name)\" is not another open stage of this pipeline", .warning)
                return
            }
            do {
                let deletion = try stageRepo.deleteStage(stage.id, movingDealsTo: target.id)
                context.recordUndo("delete of stage \(stage.name)") { [unowned self] in
                    let restore: StageRestore
                    do {
                        restore = try stageRepo.restoreStage(deletion)
                    } catch RepositoryError.notFound {
                        throw UndoRefusal("Not undone: stage \(stage.name) was restored meanwhile")
                    }
                    return restore.kept == 0 ? nil
                        : "Restored stage \(stage.name); moved back \(Self.deals(restore.movedBack)), left \(restore.kept) that colleagues moved or changed since"
                }
                reload()
                if let i = columns.firstIndex(where: { $0.stage.id == target.id }) { focus(column: i) }
                let closed = deletion.moved.count - deletion.openMoved
                context.status("Deleted stage \(stage.name); \(deletion.openMoved) open deal\(deletion.openMoved == 1 ? "" : "s") moved to \(target.name)\(closed == 0 ? "" : " (and \(closed) won or lost)") — u to undo", .success)
            } catch { context.report(error) }
        }))
    }

    /// "1 deal", "6 deals".
    static func deals(_ n: Int) -> String { n == 1 ? "1 deal" : "\(n) deals" }
}
