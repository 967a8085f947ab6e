import CRMCore
import Foundation

/// Unsaved work kept when the program stops without a save: a signal, a
/// closed terminal, a failed `$EDITOR`. Enough to put the same form, prompt
/// or call card back up with the same text at the next start: which record
/// it was about, and the version it was based on (so a colleague's change
/// in between is still caught as a stale edit).
public struct Draft: Codable, Equatable, Sendable {
    /// Stays the same while the same work is kept again and again (a restored
    /// draft that is interrupted once more replaces its own file).
    public var id: String
    /// When it was written.
    public var savedAt: Date
    public var work: Work

    public enum Work: Codable, Equatable, Sendable {
        case form(FormDraft)
        case prompt(PromptDraft)
        case call(CallDraft)
    }

    public init(id: String = UUID().uuidString.lowercased(), savedAt: Date, work: Work) {
        self.id = id
        self.savedAt = savedAt
        self.work = work
    }
}

/// An open form: every field's text, which record it edits, its base version.
public struct FormDraft: Codable, Equatable, Sendable {
    /// nil for a form that cannot be built again: its text is still kept.
    public var purpose: FormPurpose?
    public var title: String
    /// Field name → text, for every field.
    public var values: [String: String]
    /// The values the form opened with: a Ctrl-O merge after a stale save
    /// keeps the fields that differ from these.
    public var initialValues: [String: String]
    public var baseVersion: Int64
    /// The name of the field the cursor was in.
    public var focus: String
    /// The fields in form order, with their labels: for showing the text.
    public var fields: [Label]

    public struct Label: Codable, Equatable, Sendable {
        public var name: String
        public var label: String

        public init(name: String, label: String) {
            self.name = name
            self.label = label
        }
    }

    public init(purpose: FormPurpose?, title: String, values: [String: String], initialValues: [String: String],
                baseVersion: Int64, focus: String, fields: [Label] = []) {
        self.purpose = purpose
        self.title = title
        self.values = values
        self.initialValues = initialValues
        self.baseVersion = baseVersion
        self.focus = focus
        self.fields = fields
    }
}

/// What a form is for: enough to build the same form again.
public enum FormPurpose: Codable, Equatable, Sendable {
    case newContact
    /// The new contact form an unknown caller opened (`crm --call`): saved,
    /// it starts call mode on the contact, timed from when the phone rang,
    /// also after a restore (QA 30 #16: the restored form forgot the call).
    case newCaller(number: String, rang: Date)
    case editContact(id: Int64)
    case newCompany
    case editCompany(id: Int64)
    /// A note, call, email… logged on a contact, or on a deal (and its contact and company).
    case log(contactID: Int64?, dealID: Int64?, about: String)
    case followUp(contactID: Int64?, dealID: Int64?, about: String)
    case newDeal(pipelineID: Int64, stageID: Int64)
    case editDeal(id: Int64)
    case settings
    /// A correction of a logged interaction.
    case editInteraction(id: Int64, about: String)
}

/// A one-line prompt: what was typed and what it was for.
public struct PromptDraft: Codable, Equatable, Sendable {
    public var title: String
    public var text: String
    /// How to ask the same question again; nil when it cannot be (the
    /// restore then shows the text).
    public var resume: PromptResume?

    public init(title: String, text: String, resume: PromptResume?) {
        self.title = title
        self.text = text
        self.resume = resume
    }
}

/// How a prompt is put back up. The restored prompt must have the same
/// title as the one that was interrupted, or it is not the same question.
public enum PromptResume: Codable, Equatable, Sendable {
    /// Asked by an action of a view that depends on nothing selected (a filter).
    case action(view: ViewKind, action: ActionID)
    /// Asked on the pipeline board about the pipeline or the focused stage.
    case board(pipelineID: Int64, stageID: Int64?, action: ActionID)
    /// The reason a deal was lost; `version`: the deal as it was then.
    case lostReason(dealID: Int64, version: Int64)
    /// Done on a follow-up: the outcome.
    case doneOutcome(followUpID: Int64, version: Int64)
    /// Done on a follow-up: the next one's due date, the outcome typed before.
    case nextFollowUp(followUpID: Int64, version: Int64, outcome: String)
    case snooze(followUpID: Int64, version: Int64)
    case reschedule(followUpID: Int64, version: Int64)

    /// Holds text typed earlier (the outcome before the next follow-up's
    /// date), so the prompt is worth keeping even with nothing typed in it.
    var carriesText: Bool {
        if case .nextFollowUp(_, _, let outcome) = self { return !outcome.isEmpty }
        return false
    }
}

/// The call card: who, which way, the note and outcome, and when the call
/// really started (the restored timer counts from then).
public struct CallDraft: Codable, Equatable, Sendable {
    public var contactID: Int64
    public var contactName: String
    public var dealID: Int64?
    public var startedAt: Date
    public var direction: Direction
    public var note: String
    public var outcome: String
    public var editingOutcome: Bool
    public var followUpAfter: Bool
    /// The "when" line as typed (absent in drafts from before it existed).
    public var when: String?

    public init(contactID: Int64, contactName: String, dealID: Int64?, startedAt: Date, direction: Direction,
                note: String, outcome: String, editingOutcome: Bool, followUpAfter: Bool, when: String? = nil) {
        self.when = when
        self.contactID = contactID
        self.contactName = contactName
        self.dealID = dealID
        self.startedAt = startedAt
        self.direction = direction
        self.note = note
        self.outcome = outcome
        self.editingOutcome = editingOutcome
        self.followUpAfter = followUpAfter
    }
}

extension ViewKind: Codable {}
extension ActionID: Codable {}

extension Draft {
    /// The offer's question, e.g. "Restore the call with Günter Müller you
    /// were logging at 14:03?"; `time` formats a moment for the user.
    public func question(time: (Date) -> String) -> String {
        switch work {
        case .call(let call):
            return "Restore the call with \(call.contactName) you were logging at \(time(call.startedAt))?"
        case .form(let form):
            return "Restore the form \u{201C}\(form.title)\u{201D} you were filling in at \(time(savedAt))?"
        case .prompt(let prompt):
            return "Restore your answer to \u{201C}\(Self.question(ofPrompt: prompt.title))\u{201D} from \(time(savedAt))?"
        }
    }

    /// A prompt's title as the question it asked: without the colon and
    /// without the keys it named at its end ("(Enter saves, Esc: keep it
    /// open)"), which mean nothing in the offer (QA 38 A-F10).
    static func question(ofPrompt title: String) -> String {
        var question = title.trimmingCharacters(in: .whitespaces)
        if question.hasSuffix(":") { question.removeLast() }
        if question.hasSuffix(")"), let open = question.lastIndex(of: "("),
           question[open...].contains("Enter") || question[open...].contains("Esc") {
            question = String(question[..<open]).trimmingCharacters(in: .whitespaces)
        }
        return question
    }

    /// The text kept, for the offer to show before anything is decided.
    public var text: [(label: String, text: String)] {
        switch work {
        case .call(let call):
            return [("Note", call.note), ("Outcome", call.outcome)].filter { !$0.1.isEmpty }
        case .form(let form):
            // What was typed: the fields that differ from what the form opened with.
            return form.fields.compactMap { field in
                guard let value = form.values[field.name], !value.isEmpty, value != form.initialValues[field.name] else { return nil }
                return (field.label, value)
            }
        case .prompt(let prompt):
            return [("Answer", prompt.text)]
        }
    }
}

extension TimeFormat {
    /// When a draft's work happened: "14:03" today, "27 Nov 14:03" before.
    public func draftMoment(_ date: Date, now: Date) -> String {
        if calendar.isDate(date, inSameDayAs: now) { return spell(date, "HH:mm") }
        return absolute(date, now: now) + " " + spell(date, "HH:mm")
    }
}

extension AppModel {
    /// The question the draft offer asks, in the user's time zone.
    public func offerQuestion(_ draft: Draft) -> String {
        draft.question { [timeFormat, clock] in timeFormat.draftMoment($0, now: clock.now) }
    }
}
