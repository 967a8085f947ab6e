import CRMCore
import CRMRepositories
import CRMViewModels
import Foundation

/// The selected contact's (or company's) fields, deals and open follow-ups.
enum DetailPane {
    /// Lines of a pane: text plus style, cut to the pane's height.
    struct Line {
        var text: String
        var style: Style = .normal
        var label: String? = nil
    }

    static func render(_ vm: ContactsViewModel, in rect: Rect, on screen: Screen, now: Date, timeFormat: TimeFormat) {
        let focused = vm.focus == .details
        screen.box(rect, title: "Details", style: focused ? .borderFocused : .border)
        let inner = rect.inset(dx: 1, dy: 1)
        var lines: [Line] = []
        var selectedLine: Int?
        if let detail = vm.detail {
            lines = contactLines(detail, now: now, timeFormat: timeFormat)
        } else if let company = vm.companyDetail {
            (lines, selectedLine) = companyLines(company, selected: vm.companyContactSelected)
        } else {
            lines = [Line(text: "Nothing selected.", style: .dim)]
        }
        // Keep a selected line (a company's contact) in view; a contact's
        // details scroll with j/k when the pane has the focus.
        let maxTop = max(0, lines.count - inner.height)
        vm.limitDetailScroll(to: maxTop)
        let top = selectedLine.map { max(0, $0 - inner.height + 1) } ?? min(vm.detailScroll, maxTop)
        for (i, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + i
            var style = line.style
            if let s = selectedLine, top + i == s { style = focused ? .selected : .selectedInactive }
            if let label = line.label {
                screen.put(DisplayWidth.pad(label, to: 10), at: Point(x: inner.x + 1, y: y), style: .dim)
                screen.put(line.text, at: Point(x: inner.x + 11, y: y), style: style, width: inner.width - 11)
            } else {
                screen.put(line.text, at: Point(x: inner.x + 1, y: y), style: style, width: inner.width - 1)
            }
        }
        // Say that there is more than fits, and how to see it.
        if top < maxTop {
            let more = focused ? " ↓ j " : " ↓ more: Tab, j "
            screen.put(more, at: Point(x: rect.maxX - DisplayWidth.width(of: more) - 2, y: rect.maxY - 1), style: .accent)
        }
        if top > 0 {
            screen.put(" ↑ k ", at: Point(x: rect.maxX - 7, y: rect.y), style: .accent)
        }
    }

    static func contactLines(_ d: ContactDetail, now: Date, timeFormat: TimeFormat) -> [Line] {
        let c = d.contact
        var lines = [Line(text: c.name + "  (" + c.lifecycle.title + ")", style: .title)]
        let role = [c.title, d.companyName ?? ""].filter { !$0.isEmpty }.joined(separator: " @ ")
        if !role.isEmpty { lines.append(Line(text: role)) }
        for (i, email) in c.emails.enumerated() {
            lines.append(Line(text: email.address + (email.label.isEmpty ? "" : "  (\(email.label))"), label: i == 0 ? "Email" : ""))
        }
        for (i, phone) in c.phones.enumerated() {
            lines.append(Line(text: phone.number + (phone.label.isEmpty ? "" : "  (\(phone.label))"), label: i == 0 ? "Phone" : ""))
        }
        if !c.tags.isEmpty { lines.append(Line(text: c.tags.map { "#" + $0 }.joined(separator: " "), label: "Tags")) }
        lines.append(Line(text: d.ownerLogin ?? "—", label: "Owner"))
        if let tier = d.valueTier { lines.append(Line(text: tier.rawValue + " (value tier)", label: "Tier")) }
        if !c.source.isEmpty { lines.append(Line(text: c.source, label: "Source")) }
        lines.append(Line(text: timeFormat.absolute(c.createdAt, now: now), label: "Since"))
        if !c.notes.isEmpty {
            for (i, note) in TextSanitizer.lines(c.notes).prefix(3).enumerated() {
                lines.append(Line(text: note, label: i == 0 ? "Notes" : ""))
            }
        }
        lines.append(Line(text: timeFormat.number("Deals (\(d.deals.count))"), style: .header))
        if d.deals.isEmpty { lines.append(Line(text: "none", style: .dim)) }
        for card in d.deals.prefix(5) {
            let state = card.deal.status == .open ? card.stageName : card.deal.status.rawValue
            lines.append(Line(text: "\(card.deal.title) · \(state) · \(timeFormat.number(card.deal.value.shown()))"))
        }
        lines.append(Line(text: timeFormat.number("Open follow-ups (\(d.followUps.count))"), style: .header))
        if d.followUps.isEmpty { lines.append(Line(text: "none", style: .dim)) }
        for row in d.followUps.prefix(5) {
            let due = row.followUp.dueAt
            lines.append(Line(text: "\(timeFormat.relative(due, now: now)) · \(row.followUp.title)",
                              style: due < now ? .warning : .normal))
        }
        return lines
    }

    static func companyLines(_ d: CompanyDetail, selected: Int) -> ([Line], Int?) {
        let c = d.company
        var lines = [Line(text: c.name, style: .title)]
        if !c.domain.isEmpty { lines.append(Line(text: c.domain, label: "Domain")) }
        if !c.phone.isEmpty { lines.append(Line(text: c.phone, label: "Phone")) }
        for (i, line) in TextSanitizer.lines(c.address).prefix(2).enumerated() where !line.isEmpty {
            lines.append(Line(text: line, label: i == 0 ? "Address" : ""))
        }
        lines.append(Line(text: d.ownerLogin ?? "—", label: "Owner"))
        if !c.notes.isEmpty { lines.append(Line(text: TextSanitizer.lines(c.notes).first ?? "", label: "Notes")) }
        lines.append(Line(text: "Deals (\(d.deals.count))", style: .header))
        for card in d.deals.prefix(3) {
            lines.append(Line(text: "\(card.deal.title) · \(card.stageName) · \(card.deal.value.shown())"))
        }
        lines.append(Line(text: "Contacts (\(d.contacts.count)) — Enter opens", style: .header))
        let first = lines.count
        for contact in d.contacts {
            lines.append(Line(text: contact.name + (contact.phone.map { "  " + $0 } ?? "")))
        }
        return (lines, d.contacts.isEmpty ? nil : first + selected)
    }
}
