import CRMCore
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

/// A real SQLite file in a temporary folder with one pipeline of `stageCount`
/// open stages, and the app around a pipeline view model.
final class PipelineFixture {
    let folder: URL
    let db: Database
    let app: AppModel
    let clock: ManualClock
    let pipeline: Pipeline
    let stages: [Stage]
    var vm: PipelineViewModel { app.pipeline }

    init(stageCount: Int = 4, login: String = "alice") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        db = try Database(path: folder.appendingPathComponent("crm.db").path, login: login)
        let names = ["Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Onboarding", "Review", "Signature"]
        let probabilities = [10, 25, 50, 75, 90, 95, 95, 99]
        pipeline = try db.pipelines.createPipeline("Sales", stages: (0..<stageCount).map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: probabilities[$0])
        })
        stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        clock = ManualClock(Date())
        app = AppModel(repositories: db, clock: clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func deal(_ title: String, stage: Int = 0, value: Int64 = 1000_00, currency: String = "EUR") throws -> Deal {
        try db.deals.create(Deal(pipelineID: pipeline.id, stageID: stages[stage].id, title: title,
                                 value: Money(minorUnits: value, currency: Currency(currency)!)))
    }

    /// Opens the pipeline view at a given size of board.
    func start(columns: Int = 3, cards: Int = 4) {
        app.start(in: .pipeline)
        vm.setViewport(columns: columns, cardsPerColumn: cards)
    }

    func press(_ keys: Key...) {
        for key in keys { app.handle(.key(key)) }
    }

    func type(_ text: String) {
        for c in text { app.handle(.key(.char(c))) }
    }
}
