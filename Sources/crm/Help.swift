import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore

/// Usage lines and help texts. Every option, environment variable and file
/// the program reads is explained here.
enum Help {
    static let topics = ["demo", "check", "followups", "agenda", "lookup", "log", "log-email", "bench", "help"]

    /// The short usage printed after a usage error.
    static func usage(_ command: String?) -> String {
        switch command {
        case "demo": "usage: crm demo --db PATH [--contacts N] [--seed S] [--append]"
        case "check": "usage: crm check [--db PATH]"
        case "bench": "usage: crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]"
        case "followups": "usage: crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]"
        case "agenda": "usage: crm agenda [--user LOGIN] [--json] [--db PATH]"
        case "lookup": "usage: crm lookup NUMBER [--json] [--db PATH]"
        case "log": """
            usage: crm log --contact ID|--phone NUMBER|--email ADDRESS --type call|email|meeting|note|message
                           [--direction in|out] [--duration D] [--at DATE] [--subject S] [--outcome O]
                           [--body TEXT|-] [--user LOGIN] [--db PATH]
            """
        case "log-email": "usage: crm log-email [--direction in|out] [--create] [--force] [--contact ID] [--user LOGIN] [--db PATH] < MAIL"
        default: """
            usage: crm [--db PATH] [--user LOGIN] [--demo] [--call NUMBER]
                   crm demo --db PATH [--contacts N] [--seed S] [--append]
                   crm check [--db PATH]
                   crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]
                   crm agenda [--user LOGIN] [--json] [--db PATH]
                   crm lookup NUMBER [--json] [--db PATH]
                   crm log --contact ID|--phone NUMBER|--email ADDRESS --type TYPE [OPTIONS]
                   crm log-email [--direction in|out] [--create] [--force] [--contact ID] < MAIL
                   crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]
                   crm help [SUBCOMMAND] | --help | --version
            """
        }
    }

    static func text(_ topic: String?) -> String {
        switch topic {
        case "demo": demo
        case "check": check
        case "bench": bench
        case "followups": followups
        case "agenda": agenda
        case "lookup": lookup
        case "log": log
        case "log-email": logEmail
        case "help": "usage: crm help [SUBCOMMAND]\n\nExplains crm, or one subcommand: \(topics.joined(separator: ", "))."
        default: main
        }
    }

    static let main = """
        crm \(CLI.version): a customer relationship manager for the terminal.

        \(usage(nil))

        Opens the CRM on one SQLite database file that everyone on the machine may share.
        When you may not write the file or its folder, it opens read-only: the top bar
        says "read-only", and keys that would write say why they do nothing.

        Options:
          --db PATH       the database file (created if missing). Default: see FILES.
          --user LOGIN    whose name your edits, notes and follow-ups carry; created on
                          first use. Default: your login name (getlogin, then $USER, then
                          the password database).
          --demo          open a separate demo database, demo.db in the folder of the real
                          one, filled with \(DemoData.defaultContacts) made-up contacts on first start,
                          as the demo user \(DemoData.users[0].login) unless --user says otherwise.
                          Your real data is never touched.
          --call NUMBER   open straight in call mode on the contact with this phone
                          number (any form, as for lookup), the call marked inbound:
                          for a softphone's "on incoming call" hook. Unknown number: the
                          new contact form with the number filled in, and call mode on
                          the contact once it is saved. Several contacts: the contact
                          list searched for the number, to pick one and press c.
                          Quote a number with spaces; not a phone number: exit 65.
          -h, --help      this text.  -V, --version   the version and schema version.

        Subcommands:
          demo            fill a database with realistic made-up data
          check           check a database for damage and show its schema version
          followups       print open follow-ups (overdue, today, this week) as text or JSON
          agenda          print the morning review: follow-ups and customers needing attention
          lookup          who is calling: the contacts with this phone number, with owner,
                          lifecycle, last interaction and open follow-ups
          log             log a call, email, meeting, note or message from a script
          log-email       log a mail (or an mbox of mails) piped from a mail client
          bench           measure how fast the database answers, on N contacts
          help            'crm help SUBCOMMAND' explains one of them

        Environment:
          CRM_DB          the database file, when --db is not given.
          XDG_DATA_HOME   the data folder (default ~/.local/share); the database is
                          $XDG_DATA_HOME/crm/crm.db unless --db or CRM_DB says otherwise.
          XDG_STATE_HOME  where your log is kept (default ~/.local/state).
          VISUAL, EDITOR  the editor for long notes (Ctrl-X in a form), run as git runs
                          it: sh -c '$EDITOR "$@"' sh FILE.
          USER            your login name, when getlogin() knows none (no terminal).
          TMPDIR          where 'crm bench' keeps its database (default /tmp).
          TERM            the terminal type. One that cannot show the screen (dumb, unset,
                          or unknown to terminfo) is refused in one line, exit 78.

        Files:
          ~/.local/share/crm/crm.db   the database (one SQLite file in WAL mode, plus
                                      crm.db-wal and crm.db-shm beside it while in use).
                                      Its folder is created with mode 0700, the file 0600
                                      (whatever the umask). A symbolic link there is
                                      followed only to an existing crm database; another
                                      program's SQLite file is refused (65), untouched.
          ~/.local/share/crm/demo.db  the demo database of 'crm --demo'.
          ~/.local/share/crm/drafts/  unsaved text (a form, a prompt, a call) kept when the
                                      screen went away without a save; offered at the next
                                      start on the same database as the same user.
          ~/.local/state/crm/crm.log  your log (0600, never written through a link): the
                                      screen's error output and the database engine's own
                                      words when something fails.

        Text from the database is printed with control characters and escape sequences
        shown as symbols (␛, ␇, �), never sent to your terminal raw; --json escapes
        every control character (C0, DEL, C1, bidi controls) as \\uXXXX instead.

        Exit status (sysexits.h): 0 ok; 1 check found problems or could not read the
        file, demo declined, or lookup, log or log-email found no such contact;
        64 wrong arguments; 65 database too new, damaged or not a crm database, or input
        that cannot be used (not a phone number, a mail that cannot be read, an
        address that belongs to several contacts); 66 database
        missing or cannot be opened; 73 cannot create the database or its folder (or a
        link at its path points nowhere); 74 read or write error, or the terminal went
        away under the screen; 75 database locked by another process; 78 the terminal
        cannot show the screen (TERM).
        After signal N (SIGHUP, SIGTERM, SIGINT, SIGQUIT) the status is 128+N. A crash
        gives the terminal back, and says so, before crm ends; the log tells what happened.
        """

    static let demo = """
        \(usage("demo"))

        Fills the database at PATH with realistic made-up data: 5 users (sara, omid, li,
        jan, maria), companies (N/10) with domains, N contacts named in many scripts
        (English, German, French, Spanish, Persian, Arabic, Chinese, Cyrillic, Japanese)
        with emails, phones, tags, owners and lifecycle stages, the pipelines "Sales" and
        "Renewals" with deals in every stage (won and lost ones too, with stage history),
        about ten interactions per contact over the last two years, and follow-ups
        overdue, due today and upcoming. All in one transaction: it is all there or none.

        Options:
          --db PATH       the database to fill (required; created if missing).
          --contacts N    how many contacts (default \(DemoData.defaultContacts); 1 to 10,000,000).
                          100,000 contacts make about 1,000,000 interactions.
          --seed S        the random seed (default \(DemoCommand.defaultSeed)). The same seed gives the
                          same data; times are relative to today (midnight UTC), so two
                          runs on the same day write identical rows.
          --append        add to a database that already has contacts. Without it, demo
                          refuses (exit 1) to add to a database that is not empty. Without
                          --seed, an append picks a seed from the number of contacts already
                          there, so it adds new people rather than the same ones again.
        """

    static let followups = """
        \(usage("followups"))

        Prints the open follow-ups of everyone (or of one user, with --user) as the Today
        view shows them: overdue, due today, and due in the next 7 days; with --due, one of those
        lists only. For a morning mail or a status line; exits 0 when the lists print,
        even when they are empty. Reads the database without changing it (no upgrade,
        no new user, no files beside it); a file of an older schema is read as it is.

        Options:
          --due WHICH     overdue, today or week (the next 7 days).
          --user LOGIN    only this user's follow-ups (the login must exist; default: everyone's).
          --json          one JSON object per list (an array with --due) instead of text.
          --db PATH       the database (default as for crm).
        """

    static let lookup = """
        \(usage("lookup"))

        Who is calling: prints, for each contact with a phone number matching NUMBER
        (at most 50), its name and company, then the number that matched as stored,
        the owner, the lifecycle stage, the last interaction (when, type and
        direction, subject or first line) and every open follow-up (due, title).
        NUMBER may be typed in any form a phone system sends: +49 171 9936679,
        0049 171 9936679, 0171 9936679 (a national number is read with phone_region
        from the settings file), 1719936679, or any run of at least 3 of its digits;
        Persian digits too. Exits 1 when no contact matches, 65 when NUMBER is not a
        phone number. Reads the database without changing it, as followups does.

        Options:
          --json          a JSON array, one object per contact: id, name, company_id,
                          company, owner, lifecycle, matched_phone, phones [{number,
                          label}], emails [{address, label}], last_interaction ({id,
                          type, direction, at, subject, first_line, duration_seconds,
                          author} or null), open_follow_ups [{id, title, due, deal_id,
                          assignee}]. Times are ISO 8601 in UTC. No match: [] and exit 1.
          --db PATH       the database (default as for crm).
        """

    static let log = """
        \(usage("log"))

        Logs one interaction on a contact's timeline, as the screen's n and c keys do:
        for a softphone's hang-up hook (crm log --phone "$NUMBER" --type call
        --direction in --duration 3m), a cron job or a script. One transaction,
        recorded in the audit log as the user. Prints the new interaction's id.

        Whom it is about (exactly one of):
          --contact ID    the contact with this id (crm lookup --json shows it).
          --phone NUMBER  the contact with this phone number, in any form (as lookup).
          --email ADDRESS the contact with this email address (case does not matter).
        A number or address of several contacts is refused (exit 65) with their ids
        and names: say which with --contact. One of nobody: exit 1.

        Options:
          --type TYPE     call, email, meeting, note or message (required).
          --direction D   in (they reached us) or out (we reached them).
          --duration D    5m, 1h30m, 90s, minutes (25), mm:ss (12:30) or h:mm:ss; at
                          most 24 hours.
          --at DATE       when it happened, typed as due dates are: today 14:30,
                          yesterday 16:00, -2h, fri, 27 nov, 2026-11-27 14:30 (in the
                          calendar and time zone of the settings file; with the Persian
                          calendar 6 azar, 1405-09-06; Persian digits too). Default: now.
          --subject S     the subject line.
          --outcome O     how it ended ("left a voicemail").
          --body TEXT     the text; - reads it from stdin (UTF-8; a final line break is
                          dropped). A note needs a body or a subject.
          --user LOGIN    who logged it (default: your login name; created on first use).
          --db PATH       the database (default as for crm; it must exist).

        Exit status: 0 logged; 1 no such contact; 64 wrong arguments; 65 a value that
        cannot be used (not a phone number, a date or duration that cannot be read, a
        number or address of several contacts, a body that is not UTF-8).
        """

    static let logEmail = """
        \(usage("log-email"))

        Reads one mail (RFC 5322), or an mbox of several, on stdin and logs each as an
        email on its contact's timeline, with the subject, the Date header as the time
        (now when it has none) and the text: the text/plain part, else the HTML part
        reduced to text; headers with RFC 2047 words, quoted-printable and base64 parts
        in any charset are decoded. Made for mail clients:
          neomutt:  macro index,pager L "<pipe-message>crm log-email<enter>"
          aerc:     L = :pipe -m crm log-email<Enter>   (in binds.conf)

        Whose timeline: a mail from someone else is received (in) and goes to the
        contact with its From address; a mail from one of your own addresses is sent
        (out) and goes to the contact of the first To, then Cc, address that has one.
        Your own addresses are the setting my_addresses in the settings file
        (~/.config/crm/settings, e.g. my_addresses = sara@example.com, @example.com;
        @domain means every address there).

        Each mail is logged once: its Message-ID is stored, and the same mail piped
        again prints "already logged" (exit 0). A mail without a Message-ID gets one
        made from its From, Date, Subject and text. Mail from a mailing list or a robot
        (a List-Id header, Auto-Submitted other than no, Precedence: bulk, list or
        junk) is skipped unless --force.

        The whole input is read before anything is written: when any mail in it cannot
        be read (no From, a header that is not UTF-8, cut off inside its header or a
        MIME part, not a mail at all), nothing is logged and crm says which mail and
        line (exit 65). All mails of one run are then logged in one transaction. An
        mbox ends with a summary line.

        Options:
          --direction D   in or out, whatever the addresses say.
          --create        an unknown correspondent becomes a new contact (a lead named
                          after the display name, else the part before the @).
          --force         log mail from lists and robots too.
          --contact ID    log on this contact, whatever the addresses say.
          --user LOGIN    who logged it (default: your login name).
          --db PATH       the database (default as for crm; it must exist).

        Exit status: 0 every mail logged, already logged or skipped; 1 a mail whose
        correspondent is no contact (the others are logged); 65 a mail that cannot be
        read (nothing logged), or an address that belongs to several contacts (that
        mail is not logged; say which with --contact).
        """

    static let agenda = """
        \(usage("agenda"))

        Prints the whole morning review: overdue, today and upcoming follow-ups, and the
        customers nobody has contacted for longer than their cadence (settings file:
        cadence.customer, cadence.prospect, cadence.tag.NAME). Reads the database
        without changing it, as followups does.

        Options:
          --user LOGIN    only this user's agenda (the login must exist; default: everyone's).
          --json          a JSON object with one list per section.
          --db PATH       the database (default as for crm).
        """

    static let check = """
        \(usage("check"))

        Runs SQLite's integrity check on the database and prints "ok" or the problems
        found, then the schema version of the file and the newest version this crm
        understands. The file is only read: never created, migrated or changed, and
        nothing is made beside it.

        Options:
          --db PATH       the database to check (default: $CRM_DB, else
                          $XDG_DATA_HOME/crm/crm.db, else ~/.local/share/crm/crm.db).

        Exit status: 0 ok; 1 problems found or not readable; 65 not a crm database, or
        written by a newer crm (the report is printed first); 66 no such file.
        """

    static let bench = """
        \(usage("bench"))

        Measures the database on N contacts and prints, for each operation, the median
        and 99th percentile time over R runs: opening the database, the first page of
        contacts, a page 50,000 rows deep, searches by name prefix (Latin, German,
        Persian, Chinese), search by four phone digits, a contact's timeline, and the
        rate of bulk inserts (100,000 interactions, rolled back afterwards); then the
        screens end to end (a key to its frame); then editing long texts: a key in a
        10,000-character note, a key after pasting a 4,000-character line, and the
        call timer's ticks with a 3,000-character note.
        Build with 'swift build -c release' first: debug builds are far slower.

        Options:
          --contacts N    contacts in the bench database (default 100,000, with about
                          1,000,000 interactions, 30,000 deals and 50,000 follow-ups).
          --db PATH       the bench database (default $TMPDIR/crm-bench-N.db). Reused
                          when it has at least N contacts; created when missing or empty.
          --runs R        runs per read measurement (default 200).
          --only GROUP    only one group of rows: store, screens, or editing (which
                          needs no bench database and takes seconds).
        """
}
