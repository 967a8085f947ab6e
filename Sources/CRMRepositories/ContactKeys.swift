import CRMCore

/// The derived columns of a contact and its phones, computed once: the
/// sort and duplicate keys of its name, and each phone's digits, E.164 form
/// and duplicate match key. An import needs them twice a row (its duplicate
/// lookup and its insert); computing them is most of a row's cost. Both
/// engines' imports use it, so they store the same keys.
public struct ContactKeys: Sendable {
    public struct Phone: Sendable {
        public let digits: String
        public let e164: String?
        public let matchKey: String
        /// The key a duplicate lookup compares; nil when too short to say anything.
        public var lookupKey: String? { matchKey.count >= DuplicateKey.minimumPhoneDigits ? matchKey : nil }
    }

    public let sortKey: String
    public let nameKey: String
    public let phones: [Phone]

    public init(_ contact: Contact, region: PhoneRegion?) {
        sortKey = NameSortKey.of(contact.name)
        nameKey = DuplicateKey.name(contact.name)
        phones = contact.phones.map { phone in
            let e164 = PhoneNumber.storedE164(phone.number, region: region)
            return Phone(digits: PhoneNumber.digits(phone.number), e164: e164,
                         matchKey: DuplicateKey.storedPhone(phone.number, e164: e164))
        }
    }

    public var phoneLookupKeys: Set<String> { Set(phones.compactMap(\.lookupKey)) }
}
