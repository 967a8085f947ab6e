import CRMCore

/// The derived columns of a contact and its phones, computed once: the
/// sort and duplicate keys of its name, and each phone's digits, E.164 form
/// and duplicate match key. An import needs them twice a row (its duplicate
/// lookup and its insert); computing them is most of a row's cost.
struct ContactKeys {
    struct Phone {
        let digits: String
        let e164: String?
        let matchKey: String
        /// The key a duplicate lookup compares; nil when too short to say anything.
        var lookupKey: String? { matchKey.count >= DuplicateKey.minimumPhoneDigits ? matchKey : nil }
    }

    let sortKey: String
    let nameKey: String
    let phones: [Phone]

    init(_ contact: Contact, region: PhoneRegion?) {
        sortKey = NameSortKey.of(contact.name)
        nameKey = DuplicateKey.name(contact.name)
        phones = contact.phones.map { phone in
            let e164 = PhoneNumber.storedE164(phone.number, region: region)
            return Phone(digits: PhoneNumber.digits(phone.number), e164: e164,
                         matchKey: DuplicateKey.storedPhone(phone.number, e164: e164))
        }
    }

    var phoneLookupKeys: Set<String> { Set(phones.compactMap(\.lookupKey)) }
}
