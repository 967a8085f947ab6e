import CRMCore
import CRMRepositories
import Foundation

/// Finds the contact another program means by a phone number or an email
/// address (`crm lookup`, `crm log`, `crm --call`, `crm log-email`), with the
/// same phone search the screen uses: any form of the number (`+49 171…`,
/// `0049…`, `0171…` read with `phone_region`, or a run of its digits).
public enum ContactFinder {
    /// Why `text` is not a phone number (one sentence), or nil when it is
    /// one: at least 3 digits (any script), and only + - ( ) . / and spaces.
    public static func phoneProblem(_ text: String) -> String? {
        let number = callerNumber(text)
        let digits = number.unicodeScalars.filter { $0.properties.numericType == .decimal }.count
        let punctuation = CharacterSet(charactersIn: "+-()./ ")
        guard digits >= 3, number.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal || punctuation.contains($0) }) else {
            return "\"\(text)\" is not a phone number; expected at least 3 digits and only + - ( ) . / and spaces, e.g. +49 171 9936679"
                + " (or a tel: or sip: address of one)"
        }
        return nil
    }

    /// The number in a caller ID as softphones and PBX hooks pass it
    /// (QA 29 #4): `tel:+98912…`, `sip:+98912…@provider`, `"Ana" <sip:0912…@pbx>`,
    /// `+98 912 869 4667;ext=12`, `callto:+98…`, `+98 912 869 4667 ext. 12` —
    /// the user part of a tel:/sip:/sips:/callto: address
    /// (a display name and angle brackets around it dropped), without its
    /// `;ext=` / `;phone-context=` parameters, `%2B` read as `+`. Anything else
    /// is given back trimmed, and `phoneProblem` judges it.
    public static func callerNumber(_ text: String) -> String {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if let open = s.lastIndex(of: "<"), let close = s[open...].firstIndex(of: ">") {
            s = s[s.index(after: open)..<close]
        }
        for scheme in ["tel:", "sips:", "sip:", "callto:"] where s.lowercased().hasPrefix(scheme) {
            s = s.dropFirst(scheme.count)
            if let at = s.firstIndex(of: "@") { s = s[..<at] }
            break
        }
        if let semicolon = s.firstIndex(of: ";") { s = s[..<semicolon] }
        let number = String(s).replacingOccurrences(of: "%2B", with: "+").replacingOccurrences(of: "%2b", with: "+")
            .replacingOccurrences(of: "%20", with: " ").trimmingCharacters(in: .whitespaces)
        // An extension as signatures write it ("ext. 12", "x12", "#3") is
        // dropped for the match, as `;ext=` is (QA 30 #14).
        return String(PhoneNumber.withoutExtension(number)).trimmingCharacters(in: .whitespaces)
    }

    /// The display name of a SIP caller ID (`"Ana Weber" <sip:…>` or
    /// `Ana Weber <sip:…>`), for a new contact's name; nil when it has none
    /// or it is only the number again.
    public static func callerName(_ text: String) -> String? {
        guard let open = text.lastIndex(of: "<") else { return nil }
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, phoneProblem(name) != nil else { return nil }
        return name
    }

    /// The contacts with a phone number matching `number`, in name order,
    /// each with the number that matched (`matchedPhone`); at most `limit`.
    /// A digit search also finds names and notes with those digits: only
    /// matches of a phone number count here.
    /// `region`: the settings' phone_region. A number written with its
    /// country code that finds nothing is looked up in the national form
    /// too: numbers stored before the database had a region have no
    /// international form until it is next opened to write (QA 40 #10:
    /// `crm lookup +98 912…` found nothing, `0912…` found the contact).
    public static func byPhone(_ number: String, in repositories: any CRMRepositories, limit: Int,
                               region: PhoneRegion? = nil) throws -> [ContactSummary] {
        func search(_ text: String) throws -> [ContactSummary] {
            try repositories.contactRepository.search(text, filter: ContactFilter(), limit: limit).filter { $0.matchedPhone != nil }
        }
        let caller = callerNumber(number)
        let found = try search(caller)
        guard found.isEmpty, let national = region?.nationalDigits(of: caller) else { return found }
        return try search(national)
    }

    /// The contacts with exactly this email address (case does not matter).
    public static func byEmail(_ address: String, in repositories: any CRMRepositories, limit: Int) throws -> [ContactSummary] {
        try repositories.externalLogRepository.contacts(withEmail: address, limit: limit)
    }
}

/// What a support agent wants to know when the phone rings: who it is, for
/// which company, whose customer, at what stage, what happened last, and
/// what is still to be done.
public struct CallerCard: Sendable {
    public var summary: ContactSummary
    public var contact: Contact
    /// The newest interaction (stage changes included), if any.
    public var lastInteraction: TimelineEntry?
    public var openFollowUps: [FollowUpRow]
    /// The stored value tier: an A customer gets answered first.
    public var valueTier: ValueTier?

    public static func load(_ summary: ContactSummary, from repositories: any CRMRepositories) throws -> CallerCard? {
        guard let contact = try repositories.contactRepository.get(summary.id) else { return nil }
        let last = try repositories.interactionRepository.timeline(.contact(summary.id), before: nil, limit: 1).first
        let followUps = try repositories.followUpRepository.open(contactID: summary.id)
        return CallerCard(summary: summary, contact: contact, lastInteraction: last, openFollowUps: followUps,
                          valueTier: try repositories.customerReportRepository.valueTier(contactID: summary.id))
    }
}
