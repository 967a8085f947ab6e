import CRMCore
import CRMRepositories
import Foundation

extension AppModel {
    /// `crm --call NUMBER`, a softphone's "on incoming call" hook: the
    /// caller's card in call mode, the timer running, marked inbound. A
    /// number nobody has opens the new contact form with it filled in, and
    /// call mode on the contact once it is saved; a number several contacts
    /// have shows them (the list searched for it), to pick one and press c.
    public func answerCall(from callerID: String) {
        // The number a softphone's caller ID holds (`"Ana" <sip:+49…@pbx>`):
        // what is looked up, shown, searched and stored, never the address
        // itself (QA 30 #4: saved as typed, the contact was not found by
        // its own number on the next call).
        let number = ContactFinder.callerNumber(callerID)
        guard let found = read("the contacts with \(number)", { try ContactFinder.byPhone(number, in: repositories, limit: 2) }) else {
            return
        }
        run(.showContacts)
        // On the call just logged, as `c` in Contacts does (QA 44: after the
        // hook logged first, the selection stayed on the call before it).
        let onLogged: () -> Void = { [unowned self] in
            contacts.refresh()
            contacts.timeline.select(0)
        }
        switch found.count {
        case 1:
            contacts.show(contactID: found[0].id)
            ContactShortcuts.call(found[0].id, direction: .inbound, context: self, onLogged: onLogged)
            if case .call = overlay { status("Incoming call from \(number)", .info) }
        case 0:
            answerUnknownCaller(number, name: ContactFinder.callerName(callerID), rang: clock.now)
        default:
            contacts.showSearch(number)
            contacts.ringing = (search: contacts.searchText, rang: clock.now)
            status("Several contacts have \(number): choose the caller and press c", .info)
        }
    }

    /// The new contact form for a number nobody has, the number filled in;
    /// saved, call mode on the new contact. The call began when it rang, not
    /// when the caller's name was saved (QA 29 #15: the minutes spent typing
    /// it were lost); the form's purpose carries both, so a draft of it
    /// restored after a crash still starts the call (QA 30 #16).
    func answerUnknownCaller(_ number: String, name: String?, rang: Date) {
        // On the call just logged, as `c` in Contacts does (QA 44: after the
        // hook logged first, the selection stayed on the call before it).
        let onLogged: () -> Void = { [unowned self] in
            contacts.refresh()
            contacts.timeline.select(0)
        }
        contacts.addContact(prefilled: Contact(name: name ?? "", phones: [PhoneNumber(number)]),
                            purpose: .newCaller(number: number, rang: rang)) { [unowned self] created in
            ContactShortcuts.call(created.id, direction: .inbound, startedAt: rang, context: self, onLogged: onLogged)
        }
        // A customer someone deleted is no stranger (QA 30 #19): say who it
        // is before a second record of them is typed.
        if let trashed = read("the trash", { try repositories.trashRepository.contactsInTrash(withPhone: number, limit: 1) })?.first {
            let by = trashed.deletedBy.map { " by \($0)" } ?? ""
            status("\(number) is \(trashed.title)'s, in the trash (deleted\(by) \(timeFormat.day(trashed.deletedAt))): "
                   + "Esc, then Z restores them; or type a new contact, Ctrl-S saves and starts the call", .warning)
        } else {
            status("Unknown caller \(number): type the name, Ctrl-S saves and starts the call", .info)
        }
    }
}

extension ContactsViewModel {
    /// The contact list searched for `text` (as if typed after `/` and kept
    /// with Enter), the first match selected.
    func showSearch(_ text: String) {
        mode = .contacts
        filter = ContactFilter()
        focus = .list
        search = LineEditor(text)
        isSearching = false
        reloadList()
        selectionChanged()
    }
}
