import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// One deal: its fields, contact and company, stage history with the time
/// spent in each stage, open follow-ups, and its timeline.
enum DealDetailPane {
    static func render(_ vm: PipelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        guard let detail = vm.detail else {
            screen.box(rect, title: "Deal", style: .border)
            return
        }
        let (top, bottom) = rect.splitVertically(fraction: 0.55)
        let (left, right) = top.splitHorizontally(fraction: 0.5)
        renderFields(detail, vm: vm, in: left, on: screen, now: now, timeFormat: timeFormat)
        renderHistory(detail, in: right, on: screen, now: now, timeFormat: timeFormat)
        var window = ListWindow<TimelineEntry>()
        window.viewport = max(bottom.height - 2, 1)
        window.replace(detail.timeline, selected: detail.timelineTop)
        TimelinePane.render(window, expanded: [], title: "Timeline of the deal", focused: true,
                            in: bottom, on: screen, now: now, timeFormat: timeFormat)
    }

    private static func renderFields(_ detail: DealDetail, vm: PipelineViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        let deal = detail.card.deal
        screen.box(rect, title: deal.title, style: .borderFocused)
        let inner = rect.inset(dx: 1, dy: 1)
        var status: String
        switch deal.status {
        case .open: status = "open"
        case .won: status = "won"
        case .lost: status = "lost: \(deal.lostReason)"
        }
        if vm.isRotting(detail.card) { status += " · rotting (no activity for \(detail.stage?.rotDays ?? 0)+ days)" }
        // Weighted without forming value × probability (Money.weighted), and
        // not at all for a stored value out of range, which is flagged.
        // A won deal counts whole, a lost one not at all, whatever its stage says.
        let probability = switch deal.status {
        case .open: detail.stage?.probability ?? 0
        case .won: 100
        case .lost: 0
        }
        let weighted = deal.value.isInRange ? deal.value.weighted(percent: probability)?.formatted() : nil
        let days = vm.daysInStage(detail.card).map { "\($0) days" } ?? "days out of range"
        let rows: [(String, String, Style)] = [
            ("Value", timeFormat.number(deal.value.shown()), deal.value.isInRange && deal.value.currency.isKnown ? .normal : .warning),
            ("Weighted", timeFormat.number("\(weighted ?? "out of range") (\(probability)%)"), .dim),
            ("Stage", "\(detail.card.stageName) · \(timeFormat.number(days))", .normal),
            ("Status", status, deal.status == .lost || vm.isRotting(detail.card) ? .warning : (deal.status == .won ? .success : .normal)),
            ("Contact", (detail.card.contactName ?? "—") + (deal.contactID != nil ? "  (C: open)" : ""), .accent),
            ("Company", (detail.card.companyName ?? "—") + (deal.companyID != nil ? "  (O: open)" : ""), .accent),
            ("Owner", detail.card.ownerLogin ?? "nobody", .normal),
            ("Close by", deal.expectedClose.map { timeFormat.absolute($0, now: now) } ?? "—", .normal),
            ("Created", timeFormat.full(deal.createdAt), .dim),
        ]
        var y = inner.y
        for (label, value, style) in rows where y < inner.maxY {
            screen.put(DisplayWidth.pad(label, to: 10), at: Point(x: inner.x, y: y), style: .dim)
            screen.put(value, at: Point(x: inner.x + 10, y: y), style: style, width: inner.width - 10)
            y += 1
        }
        if !detail.followUps.isEmpty && y + 1 < inner.maxY {
            y += 1
            screen.put("Open follow-ups", at: Point(x: inner.x, y: y), style: .header)
            y += 1
            for row in detail.followUps where y < inner.maxY {
                let due = timeFormat.relative(row.followUp.dueAt, now: now)
                screen.put("\(due) · \(row.followUp.title)", at: Point(x: inner.x, y: y),
                           style: row.followUp.dueAt < now ? .warning : .normal, width: inner.width)
                y += 1
            }
        }
    }

    private static func renderHistory(_ detail: DealDetail, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        screen.box(rect, title: "Stage history", style: .border)
        let inner = rect.inset(dx: 1, dy: 1)
        // Newest first, so the current stage is always in view.
        for (n, stay) in detail.stays.reversed().prefix(inner.height).enumerated() {
            let days = stay.seconds / 86400
            let spent = timeFormat.number(days >= 1 ? "\(Int(days)) d" : "\(Int(stay.seconds / 3600)) h")
            let who = stay.movedBy.map { " by \($0)" } ?? ""
            let text = "\(timeFormat.absolute(stay.enteredAt, now: now)) \(stay.stageName)\(who) · \(spent)\(stay.isCurrent ? " so far" : "")"
            screen.put(text, at: Point(x: inner.x, y: inner.y + n), style: stay.isCurrent ? .title : .normal, width: inner.width)
        }
    }
}
