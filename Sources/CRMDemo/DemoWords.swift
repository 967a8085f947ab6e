import CRMRepositories
import CRMStore
/// Word lists for demo data. Each name carries an ASCII form for email
/// addresses, since addresses stay ASCII while names are in any script.
enum DemoWords {
    struct Name {
        let text: String
        let ascii: String
        init(_ text: String, _ ascii: String) { self.text = text; self.ascii = ascii }
    }

    /// A naming culture: given and family names, how they are joined, and the
    /// phone formats and top-level domain seen with it.
    struct Culture {
        let script: String
        let given: [Name]
        let family: [Name]
        /// Family name first, without a space (Chinese) or with one (Japanese).
        let familyFirst: Bool
        let separator: String
        let phoneFormats: [String]
        let tld: String
        /// Relative frequency among demo contacts.
        let weight: Int
    }

    static func names(_ pairs: [(String, String)]) -> [Name] { pairs.map { Name($0.0, $0.1) } }

    // Phone formats: "#" is a random digit.
    static let cultures: [Culture] = [
        Culture(script: "Latin (English)",
                given: names([("James", "james"), ("Emily", "emily"), ("Michael", "michael"), ("Sarah", "sarah"),
                              ("David", "david"), ("Olivia", "olivia"), ("Robert", "robert"), ("Hannah", "hannah"),
                              ("Daniel", "daniel"), ("Grace", "grace"), ("Thomas", "thomas"), ("Chloe", "chloe")]),
                family: names([("Smith", "smith"), ("Johnson", "johnson"), ("Brown", "brown"), ("Taylor", "taylor"),
                               ("Wilson", "wilson"), ("Clarke", "clarke"), ("Walker", "walker"), ("O'Brien", "obrien"),
                               ("Miller", "miller"), ("Davies", "davies"), ("Evans", "evans"), ("Hughes", "hughes")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["(###) ###-####", "+1 ###-###-####", "+44 20 #### ####", "###.###.####"],
                tld: "com", weight: 26),
        Culture(script: "Latin (German)",
                given: names([("Jürgen", "juergen"), ("Jörg", "joerg"), ("Käthe", "kaethe"), ("Günter", "guenter"),
                              ("Anna", "anna"), ("Lukas", "lukas"), ("Sophie", "sophie"), ("Björn", "bjoern"),
                              ("Ursula", "ursula"), ("Matthias", "matthias"), ("Lena", "lena"), ("Uwe", "uwe")]),
                family: names([("Müller", "mueller"), ("Schröder", "schroeder"), ("Weiß", "weiss"), ("Schäfer", "schaefer"),
                               ("Fischer", "fischer"), ("Becker", "becker"), ("Hoffmann", "hoffmann"), ("Krüger", "krueger"),
                               ("Wagner", "wagner"), ("Böhm", "boehm"), ("Schmidt", "schmidt"), ("Köhler", "koehler")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["+49 30 ####-####", "+49 89 ######", "0171 #######", "+43 1 ### ####"],
                tld: "de", weight: 18),
        Culture(script: "Latin (French)",
                given: names([("Amélie", "amelie"), ("François", "francois"), ("Hélène", "helene"), ("Jérôme", "jerome"),
                              ("Zoé", "zoe"), ("Gaël", "gael"), ("Léa", "lea"), ("Noël", "noel")]),
                family: names([("Lefèvre", "lefevre"), ("Dubois", "dubois"), ("Girard", "girard"), ("Béranger", "beranger"),
                               ("Fournier", "fournier"), ("Moreau", "moreau"), ("Lemaître", "lemaitre"), ("Rousseau", "rousseau")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["+33 1 ## ## ## ##", "06 ## ## ## ##"],
                tld: "fr", weight: 8),
        Culture(script: "Latin (Spanish)",
                given: names([("José", "jose"), ("María", "maria"), ("Iñigo", "inigo"), ("Lucía", "lucia"),
                              ("Andrés", "andres"), ("Begoña", "begona"), ("Raúl", "raul"), ("Sofía", "sofia")]),
                family: names([("García", "garcia"), ("Muñoz", "munoz"), ("Fernández", "fernandez"), ("López", "lopez"),
                               ("Martínez", "martinez"), ("Sánchez", "sanchez"), ("Núñez", "nunez"), ("Ibáñez", "ibanez")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["+34 91 ### ## ##", "6## ### ###"],
                tld: "es", weight: 8),
        Culture(script: "Persian",
                given: names([("محمد", "mohammad"), ("زهرا", "zahra"), ("علی", "ali"), ("فاطمه", "fatemeh"),
                              ("رضا", "reza"), ("مریم", "maryam"), ("حسین", "hossein"), ("نرگس", "narges"),
                              ("امید", "omid"), ("شیرین", "shirin")]),
                family: names([("رضایی", "rezaei"), ("احمدی", "ahmadi"), ("محمدی", "mohammadi"), ("حسینی", "hosseini"),
                               ("کریمی", "karimi"), ("موسوی", "mousavi"), ("جعفری", "jafari"), ("صادقی", "sadeghi")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["0912 ### ####", "+98 21 #### ####", "0935-###-####"],
                tld: "ir", weight: 10),
        Culture(script: "Arabic",
                given: names([("أحمد", "ahmed"), ("فاطمة", "fatima"), ("يوسف", "youssef"), ("ليلى", "layla"),
                              ("خالد", "khaled"), ("نور", "nour"), ("عمر", "omar"), ("سارة", "sara")]),
                family: names([("الحسن", "alhassan"), ("المصري", "almasri"), ("العلي", "alali"), ("حداد", "haddad"),
                               ("الخطيب", "alkhatib"), ("منصور", "mansour")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["+971 4 ### ####", "+20 10 #### ####", "05# ### ####"],
                tld: "ae", weight: 7),
        Culture(script: "Chinese",
                given: names([("小明", "xiaoming"), ("娜", "na"), ("伟", "wei"), ("芳", "fang"), ("静", "jing"),
                              ("强", "qiang"), ("秀英", "xiuying"), ("俊杰", "junjie")]),
                family: names([("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
                               ("杨", "yang"), ("黄", "huang"), ("赵", "zhao")]),
                familyFirst: true, separator: "",
                phoneFormats: ["+86 10 #### ####", "138 #### ####", "+852 #### ####"],
                tld: "cn", weight: 8),
        Culture(script: "Cyrillic",
                given: names([("Иван", "ivan"), ("Ольга", "olga"), ("Дмитрий", "dmitry"), ("Наталья", "natalya"),
                              ("Сергей", "sergey"), ("Анна", "anna"), ("Алексей", "alexey"), ("Елена", "elena")]),
                family: names([("Иванов", "ivanov"), ("Смирнова", "smirnova"), ("Кузнецов", "kuznetsov"),
                               ("Попова", "popova"), ("Соколов", "sokolov"), ("Волкова", "volkova")]),
                familyFirst: false, separator: " ",
                phoneFormats: ["+7 495 ###-##-##", "8 (9##) ###-##-##", "+380 44 ### ####"],
                tld: "ru", weight: 8),
        Culture(script: "Japanese",
                given: names([("太郎", "taro"), ("花子", "hanako"), ("健", "ken"), ("由美", "yumi"), ("翔", "sho"),
                              ("さくら", "sakura")]),
                family: names([("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
                               ("渡辺", "watanabe"), ("山本", "yamamoto")]),
                familyFirst: true, separator: " ",
                phoneFormats: ["+81 3-####-####", "090-####-####"],
                tld: "jp", weight: 7),
    ]

    static let companyStems = [
        "Nordwind", "Alpenblick", "Bluebird", "Sonnenhof", "Atlas", "Kestrel", "Lumière", "Pyramid", "Sakura",
        "Polaris", "Rheinland", "Meridian", "Harbor", "Cedar", "Zagros", "Taiga", "Orion", "Vega", "Granite",
        "Silverline", "Marigold", "Aurora", "Keystone", "Falcon", "Ibérica", "Golden Gate", "Bergmann",
        "Delta", "Evergreen", "Pinnacle", "Summit", "Quantum", "Northstar", "Riverbend", "Oakridge", "Lotus",
    ]
    static let companyTrades = [
        "Logistik", "Software", "Consulting", "Maschinenbau", "Foods", "Textiles", "Energy", "Media", "Health",
        "Robotics", "Analytics", "Bau", "Design", "Trading", "Pharma", "Solar", "Print", "Travel", "Labs", "Motors",
    ]
    static let companyForms = ["GmbH", "AG", "Ltd", "Inc.", "SARL", "S.L.", "LLC", "Co.", "KG", "Group", ""]

    static let titles = [
        "CEO", "CTO", "Head of Purchasing", "Procurement Manager", "Office Manager", "Sales Director",
        "IT Administrator", "Operations Lead", "Marketing Manager", "Founder", "CFO", "Project Manager",
        "Geschäftsführer", "Einkaufsleiter", "Responsable achats", "Directora comercial", "",
    ]
    static let sources = ["website", "referral", "trade fair 2025", "cold call", "newsletter", "LinkedIn", "partner",
                          "webinar", "CeBIT", "inbound call"]
    static let tags = ["vip", "newsletter", "partner", "reseller", "enterprise", "smb", "churn-risk", "beta",
                       "german-speaking", "needs-invoice", "key-account", "event-2025"]
    static let freeMailDomains = ["example.com", "example.org", "example.net", "mail.example.com"]

    static let callOutcomes = ["Reached", "Left voicemail", "No answer", "Call back later", "Interested",
                               "Not interested", "Meeting booked", "Wrong number"]
    static let topics = [
        "pricing", "the renewal", "the proposal", "onboarding", "the invoice", "delivery dates", "the contract",
        "a discount", "support tickets", "the roadmap", "training", "the integration", "licence count",
        "the pilot project", "payment terms", "the new version",
    ]
    static let subjectPatterns = [
        "Re: %", "Question about %", "Follow-up on %", "Update on %", "Meeting about %", "Call regarding %",
        "Fwd: %", "Quick note on %",
    ]
    static let sentences = [
        "Customer asked about %.", "Sent the updated figures for %.", "They want to discuss % with their team first.",
        "Agreed to revisit % next quarter.", "Budget is approved, waiting for sign-off on %.",
        "Concerned about %; promised a written answer.", "Very positive about %.",
        "Needs a German-language version of the documents.", "Decision maker is on holiday until the end of the month.",
        "Competitor offered a lower price; we stressed support quality.", "Asked for references from similar companies.",
        "Will send the signed copy by Friday.", "Technical questions forwarded to engineering.",
        "Prefers calls in the morning.", "Invoice address has changed.", "Wants to add five more seats.",
        "Kunde wünscht ein Angebot bis nächste Woche.", "Le client souhaite une démo en français.",
        "مشتری درخواست پیش‌فاکتور جدید دارد.", "客户希望下周安排演示。",
    ]
    static let dealNouns = ["licences", "support plan", "rollout", "pilot", "upgrade", "hardware", "consulting days",
                            "training package", "renewal", "integration", "subscription", "expansion"]
    static let lostReasons = ["Price too high", "Went with a competitor", "No budget this year", "No decision",
                              "Project cancelled", "Missing feature", "Timing"]
    static let followUpTitles = [
        "Call back about %", "Send proposal for %", "Check in on %", "Send invoice for %", "Book a demo of %",
        "Ask for feedback on %", "Confirm %", "Prepare quote for %",
    ]
}

/// A phrase with one "%" slot, split once: filling it is a plain
/// concatenation (Foundation's replacingOccurrences costs microseconds per
/// call, and the demo fills millions).
struct Template {
    let head: String
    let tail: String?

    init(_ pattern: String) {
        if let slot = pattern.firstIndex(of: "%") {
            head = String(pattern[..<slot])
            tail = String(pattern[pattern.index(after: slot)...])
        } else {
            head = pattern
            tail = nil
        }
    }

    func fill(_ word: String) -> String {
        guard let tail else { return head }
        return head + word + tail
    }

    static func all(_ patterns: [String]) -> [Template] { patterns.map(Template.init) }
}

extension DemoWords {
    static let sentenceTemplates = Template.all(sentences)
    static let subjectTemplates = Template.all(subjectPatterns)
    static let followUpTemplates = Template.all(followUpTitles)
}
