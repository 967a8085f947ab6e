import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMViewModels
import Foundation

// `crm deals [--pipeline P] [--stage S] [--status open|won|lost] [--owner LOGIN]
//            [--limit N] [--json|--jsonl|--csv] [--db PATH]`
//
// Deals of every pipeline (or one), open, won and lost, in the order they
// were added (by id), read a page at a time.
enum DealsCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "deals")
        var options = ListingOptions()
        var pipeline: String?, stage: String?, owner: String?
        var filter = DealListFilter()
        while let arg = reader.next() {
            if try options.take(arg, &reader) { continue }
            switch arg {
            case .option("--pipeline", let v): pipeline = try reader.value("--pipeline", inline: v, expected: "a pipeline's name or id")
            case .option("--stage", let v): stage = try reader.value("--stage", inline: v, expected: "a stage's name or id")
            case .option("--owner", let v): owner = try reader.value("--owner", inline: v, expected: "a user's login")
            case .option("--status", let v):
                let text = try reader.value("--status", inline: v, expected: "open, won or lost")
                guard let status = DealStatus(rawValue: text.lowercased()) else {
                    throw reader.fail("--status is \"\(text)\"; expected open, won or lost")
                }
                filter.status = status
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("deals"))
                return ExitCode.ok
            default: throw reader.unknown(arg)
            }
        }
        let session = try ListingSession(dbOption: options.db)
        if let owner { filter.ownerID = try session.ownerID(owner) }
        let (pipelines, stages) = try session.read { db in
            let pipelines = try db.pipelineRepository.pipelines()
            return (pipelines, try pipelines.flatMap { try db.pipelineRepository.stages(pipelineID: $0.id) })
        }
        if let pipeline {
            guard let found = Self.named(pipeline, in: pipelines, \.name, \.id).first else {
                throw Failure("--pipeline: there is no pipeline \"\(pipeline)\"; pipelines: \(pipelines.map(\.name).joined(separator: ", "))",
                              status: ExitCode.failure)
            }
            filter.pipelineID = found.id
        }
        if let stage {
            let candidates = stages.filter { filter.pipelineID == nil || $0.pipelineID == filter.pipelineID }
            let found = Self.named(stage, in: candidates, \.name, \.id)
            guard !found.isEmpty else {
                let names = Array(Set(candidates.map(\.name))).sorted()
                throw Failure("--stage: there is no stage \"\(stage)\"\(pipeline.map { " in \($0)" } ?? ""); stages: \(names.joined(separator: ", "))",
                              status: ExitCode.failure)
            }
            filter.stageIDs = Set(found.map(\.id))
        }
        let records = try session.records()
        let pipelinesByID = Dictionary(pipelines.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let stagesByID = Dictionary(stages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let time = TimeFormat(settings: session.settings.settings)
        let writer = ListingWriter(format: options.format, schema: .deals, columns: table)
        writer.begin()
        var after: Int64?
        var written = 0
        while let size = options.nextPage(after: written) {
            let cards = try session.read { try $0.listingRepository.deals(filter, afterID: after, limit: size) }
            for card in cards {
                let d = card.deal
                writer.add(records.deal(card, pipelines: pipelinesByID, stages: stagesByID),
                               cells: [String(d.id), d.title, pipelinesByID[d.pipelineID]?.name ?? "", card.stageName, d.status.rawValue,
                                       d.value.shown(), card.contactName ?? "", card.companyName ?? "", card.ownerLogin ?? "",
                                       d.expectedClose.map(time.day) ?? ""])
            }
            written += cards.count
            guard cards.count == size, let last = cards.last else { break }
            after = last.id
        }
        writer.end()
        return ExitCode.ok
    }

    /// The items named `text`: by id when it is a number that is one, else
    /// by name without case.
    static func named<T>(_ text: String, in items: [T], _ name: KeyPath<T, String>, _ id: KeyPath<T, Int64>) -> [T] {
        if let n = Int64(LocalDigits.ascii(text)), let item = items.first(where: { $0[keyPath: id] == n }) { return [item] }
        return NameMatch.named(text, in: items) { $0[keyPath: name] }
    }

    static let table = [
        TableColumn(header: "ID", cap: 9, right: true), TableColumn(header: "TITLE", cap: 32), TableColumn(header: "PIPELINE", cap: 14),
        TableColumn(header: "STAGE", cap: 16), TableColumn(header: "STATUS", cap: 6), TableColumn(header: "VALUE", cap: 22, right: true),
        TableColumn(header: "CONTACT", cap: 24), TableColumn(header: "COMPANY", cap: 24), TableColumn(header: "OWNER", cap: 10),
        TableColumn(header: "CLOSE", cap: 16),
    ]
}
