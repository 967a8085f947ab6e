import CRMCore
import CRMRepositories
import CRMStore
import Foundation
import XCTest

/// Finding contacts by any part of a name, number, email, company, tag or
/// note, on both engines.
final class SearchContract {
    let store: ContractStore
    var db: any CRMRepositories

    init(store: ContractStore) throws {
        self.store = store
        db = try store.open("tester")
        let acme = try db.companyRepository.create(Company(name: "Acme Industries"))
        _ = try db.contactRepository.create(Contact(name: "Jürgen Müller", phones: [PhoneNumber("+49 30 1234-5678")]))
        _ = try db.contactRepository.create(Contact(name: "محمد رضایی", phones: [PhoneNumber("0912 777 6543")]))
        _ = try db.contactRepository.create(Contact(name: "王小明", companyID: acme.id))
        _ = try db.contactRepository.create(Contact(name: "Grace Hopper", emails: [EmailAddress("grace@navy.example")],
                                           phones: [PhoneNumber("(555) 867-5309")], tags: ["admiral"]))
        let ada = try db.contactRepository.create(Contact(name: "Ada Lovelace", notes: "Interested in the analytical engine"))
        _ = try db.interactionRepository.log(Interaction(contactID: ada.id, kind: .note, body: "Called about the difference engine"))
    }


    func names(_ text: String) throws -> [String] {
        try db.contactRepository.search(text, filter: .init(), limit: 20).map(\.name)
    }

    func nameWithDiacriticsFoundFromPlainPrefix() throws {
        XCTAssertEqual(try names("mul"), ["Jürgen Müller"])
        XCTAssertEqual(try names("MÜL"), ["Jürgen Müller"])
        XCTAssertEqual(try names("jur mul"), ["Jürgen Müller"])
    }

    func persianNameByFirstLetters() throws {
        XCTAssertEqual(try names("محم"), ["محمد رضایی"])
        XCTAssertEqual(try names("رض"), ["محمد رضایی"])
    }

    func chineseName() throws {
        XCTAssertEqual(try names("王"), ["王小明"])
        XCTAssertEqual(try names("王小明"), ["王小明"])
    }

    func emailCompanyTagAndNoteText() throws {
        XCTAssertEqual(try names("grace@navy"), ["Grace Hopper"])
        XCTAssertEqual(try names("acme"), ["王小明"])
        XCTAssertEqual(try names("admiral"), ["Grace Hopper"])
        XCTAssertEqual(try names("analytical"), ["Ada Lovelace"])
    }

    func anyRunOfPhoneDigits() throws {
        XCTAssertEqual(try names("5678"), ["Jürgen Müller"])
        XCTAssertEqual(try names("1234-56"), ["Jürgen Müller"])
        XCTAssertEqual(try names("7776"), ["محمد رضایی"])
        XCTAssertEqual(try names("867 5309"), ["Grace Hopper"])
        // Two digits: too short for trigrams, still found by a capped scan.
        XCTAssertEqual(try names("09"), ["Grace Hopper", "محمد رضایی"])
    }

    func quotesAndOperatorsAreTakenLiterally() throws {
        XCTAssertEqual(try names("\"mul"), ["Jürgen Müller"])
        XCTAssertEqual(try names("mul OR"), [])
        XCTAssertEqual(try names("*"), [], "no letter or digit: nothing, not everything")
    }
}

final class SQLiteSearchTests: XCTestCase {
    func contract() throws -> SearchContract { try SearchContract(store: .sqlite()) }

    func testNameWithDiacriticsFoundFromPlainPrefix() throws { try contract().nameWithDiacriticsFoundFromPlainPrefix() }
    func testPersianNameByFirstLetters() throws { try contract().persianNameByFirstLetters() }
    func testChineseName() throws { try contract().chineseName() }
    func testEmailCompanyTagAndNoteText() throws { try contract().emailCompanyTagAndNoteText() }
    func testAnyRunOfPhoneDigits() throws { try contract().anyRunOfPhoneDigits() }
    func testQuotesAndOperatorsAreTakenLiterally() throws { try contract().quotesAndOperatorsAreTakenLiterally() }
}

final class PGSearchTests: XCTestCase {
    func contract() throws -> SearchContract { try SearchContract(store: try .postgres()) }

    func testNameWithDiacriticsFoundFromPlainPrefix() throws { try contract().nameWithDiacriticsFoundFromPlainPrefix() }
    func testPersianNameByFirstLetters() throws { try contract().persianNameByFirstLetters() }
    func testChineseName() throws { try contract().chineseName() }
    func testEmailCompanyTagAndNoteText() throws { try contract().emailCompanyTagAndNoteText() }
    func testAnyRunOfPhoneDigits() throws { try contract().anyRunOfPhoneDigits() }
    func testQuotesAndOperatorsAreTakenLiterally() throws { try contract().quotesAndOperatorsAreTakenLiterally() }
}

