import CRMBench
import CRMDemo
import CRMExchange
import CRMRepositories
import CRMStore

/// Usage lines and help texts. Every option, environment variable and file
/// the program reads is explained here.
enum Help {
    static let topics = ["demo", "check", "followups", "agenda", "lookup", "contacts", "companies", "deals", "timeline", "show",
                         "query", "bench", "help"]

    /// The short usage printed after a usage error.
    static func usage(_ command: String?) -> String {
        switch command {
        case "demo": "usage: crm demo --db PATH [--contacts N] [--seed S] [--append]"
        case "check": "usage: crm check [--db PATH]"
        case "bench": "usage: crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]"
        case "followups": "usage: crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]"
        case "agenda": "usage: crm agenda [--user LOGIN] [--json] [--db PATH]"
        case "lookup": "usage: crm lookup NUMBER [--db PATH]"
        case "contacts": """
            usage: crm contacts [--search TEXT] [--tag T] [--owner LOGIN] [--lifecycle STAGE] [--company NAME]
                                [--sort name|last|created] [--limit N] [--json|--jsonl|--csv] [--db PATH]
            """
        case "companies": "usage: crm companies [--search TEXT] [--limit N] [--json|--jsonl|--csv] [--db PATH]"
        case "deals": """
            usage: crm deals [--pipeline P] [--stage S] [--status open|won|lost] [--owner LOGIN] [--limit N]
                             [--json|--jsonl|--csv] [--db PATH]
            """
        case "timeline": """
            usage: crm timeline [--contact ID] [--company ID] [--deal ID] [--since DATE] [--type T] [--limit N]
                                [--json|--jsonl|--csv] [--db PATH]
            """
        case "show": "usage: crm show contact|company|deal ID [--json] [--db PATH]"
        case "query": "usage: crm query TEXT [--aerc] [--db PATH]"
        default: """
            usage: crm [--db PATH] [--user LOGIN] [--demo]
                   crm demo --db PATH [--contacts N] [--seed S] [--append]
                   crm check [--db PATH]
                   crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]
                   crm agenda [--user LOGIN] [--json] [--db PATH]
                   crm lookup NUMBER [--db PATH]
                   crm contacts|companies|deals|timeline [FILTERS] [--limit N] [--json|--jsonl|--csv] [--db PATH]
                   crm show contact|company|deal ID [--json] [--db PATH]
                   crm query TEXT [--aerc] [--db PATH]
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
        case "contacts": contacts
        case "companies": companies
        case "deals": deals
        case "timeline": timeline
        case "show": show
        case "query": query
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
          -h, --help      this text.  -V, --version   the version and schema version.

        Subcommands:
          demo            fill a database with realistic made-up data
          check           check a database for damage and show its schema version
          followups       print open follow-ups (overdue, today, this week) as text or JSON
          agenda          print the morning review: follow-ups and customers needing attention
          lookup          who has this phone number: name, company, the number as stored
          contacts        list contacts for scripts: a table, JSON, JSON lines or CSV
          companies       list companies, likewise
          deals           list deals, likewise
          timeline        list calls, emails, meetings, notes and messages, likewise
          show            print one contact, company or deal with its deals, follow-ups and history
          query           find email addresses for mutt, neomutt (query_command) and aerc
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
        file, or demo declined, or lookup, query or show found nothing (or an id or name
        given to a listing is not there);
        64 wrong arguments; 67 a login given to --owner is no user; 65 database too new, damaged or not a crm database; 66 database
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

        \(agendaFields)
        """

    /// The JSON fields of followups and agenda.
    static let agendaFields = """
        JSON: an object with the lists "overdue", "today", "week" (and, from agenda,
        "needs_attention"). Each follow-up has: id, title, note, due (ISO 8601, UTC),
        due_local (as the screen shows it), contact_id, contact, company, deal_id, deal,
        assignee (login), last_interaction (the contact's, ISO 8601), contact_emails (array
        of {address, label}) and contact_phones (array of {number, label}); names and ids
        are null and the arrays empty when the follow-up has no contact or deal. Each
        customer needing attention has: contact_id, contact, company, lifecycle, cadence,
        cadence_days, due, last_interaction, contact_emails and contact_phones. The text
        lists add the contact's first phone (else first email) after the company.
        """

    static let lookup = """
        \(usage("lookup"))

        Prints the contacts with a phone number matching NUMBER, one a line: name, company
        and the number that matched as it is stored, separated by tabs (at most 50).
        NUMBER may be typed in any form: +49 171 9936679, 0049 171 9936679, 0171 9936679
        (a national number is read with phone_region from the settings file), or any run
        of at least 3 of its digits. Exits 1 when no contact matches. Reads the database
        without changing it, as followups does.

        Options:
          --db PATH       the database (default as for crm).
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

        \(agendaFields)
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
        call timer's ticks with a 3,000-character note; and 'crm query' (the mail
        clients' address lookup) in process and as a whole process, as mutt runs it.
        Build with 'swift build -c release' first: debug builds are far slower.

        Options:
          --contacts N    contacts in the bench database (default 100,000, with about
                          1,000,000 interactions, 30,000 deals and 50,000 follow-ups).
          --db PATH       the bench database (default $TMPDIR/crm-bench-N.db). Reused
                          when it has at least N contacts; created when missing or empty.
          --runs R        runs per read measurement (default 200).
          --only GROUP    only one group of rows: store, screens, query, or editing
                          (which needs no bench database and takes seconds).
        """
}

// The listings for scripts: contacts, companies, deals, timeline, show, query.
extension Help {
    /// What every listing shares: formats, paging, reading only.
    static let listingCommon = """
        Output: a table for people (columns measured in terminal columns, long text cut
        with "…", control characters shown as symbols), or for programs:
          --json          one JSON array of objects (control characters escaped as \\uXXXX).
          --jsonl         JSON lines: one object a line, for streaming into jq or a database.
          --csv           RFC 4180: a header line with the field names, then one record a line
                          (CRLF; quoted where needed). Arrays are joined by ", ". Text is exact
                          in a file or pipe; on a terminal control characters show as symbols.
          --limit N       at most N records (default: all of them).
          --db PATH       the database (default as for crm).
        Records are read and printed a page at a time (keyset paging: memory stays flat,
        however many there are). Reads the database without changing it, as lookup does.
        Times are ISO 8601 with the offset of your time zone (settings file: time_zone).
        Exit status: 0 also when nothing matches; 64 wrong arguments; 67 unknown --owner
        login; 1 an id or a name given to an option is not there; 65, 66 as for crm.
        """

    static let contacts = """
        \(usage("contacts"))

        Lists contacts in the order of the contact list, found by its search.

        Options:
          --search TEXT   what the contact list's search finds: every word begins a word
                          of the name, company, email, title, tags or notes (case, accents
                          and Persian/Arabic letter forms aside), or digits in a phone number.
          --tag T         only contacts with this tag.
          --owner LOGIN   only contacts this user owns.
          --lifecycle STAGE  lead, prospect, customer or former.
          --company NAME  only contacts of the company with this name (without case).
          --sort ORDER    name (A to Z, the default), last (last contacted first) or
                          created (newest first).

        \(listingCommon)

        Fields (JSON keys and CSV columns, in this order):
        \(ListingSchema.contacts.help())
        """

    static let companies = """
        \(usage("companies"))

        Lists companies by name.

        Options:
          --search TEXT   every word begins a word of the name, domain or notes.

        \(listingCommon)

        Fields (JSON keys and CSV columns, in this order):
        \(ListingSchema.companies.help())
        """

    static let deals = """
        \(usage("deals"))

        Lists deals of all pipelines, open, won and lost, in the order they were added.

        Options:
          --pipeline P    only this pipeline (its name without case, or its id).
          --stage S       only deals in this stage (its name without case, in every pipeline
                          or in --pipeline's, or its id). A won or lost deal is in the stage
                          it was closed in.
          --status S      open, won or lost.
          --owner LOGIN   only deals this user owns.

        \(listingCommon)

        Fields (JSON keys and CSV columns, in this order):
        \(ListingSchema.deals.help())
        """

    static let timeline = """
        \(usage("timeline"))

        Lists calls, emails, meetings, notes, messages and stage moves, newest first.

        Options:
          --contact ID    only this contact's interactions.
          --company ID    only this company's (its own and its contacts').
          --deal ID       only this deal's.
          --since DATE    only from DATE on: 2026-11-01, 2026-11-01 14:30, yesterday, today,
                          -7d, -2w, 3 days ago; with the Persian calendar 1405-09-10 or 10 azar;
                          a Persian month in Persian script (۱۰ آذر ۱۴۰۵) in either calendar;
                          Persian digits too. A day without a time means from its start (00:00),
                          in your time zone and calendar (settings file).
          --type T        call, email, meeting, note, message or stage; several separated by
                          commas (call,email).

        \(listingCommon)

        Fields (JSON keys and CSV columns, in this order):
        \(ListingSchema.timeline.help())
        """

    static let show = """
        \(usage("show"))

        Prints one record the way a support agent wants it on paper: a contact with its
        emails and phones (with their labels), tags, owner, lifecycle and company; a
        company with its contacts (the first \(ShowCommand.companyContacts) by name); a deal with its value,
        stage, contact and stage history. Each with its deals, its open follow-ups and
        its last \(ShowCommand.lastInteractions) interactions. Reads the database without changing it.

        Options:
          --json          one JSON object: "contact", "company" or "deal" (the fields of
                          'crm help contacts', 'companies' or 'deals'); "contacts" (a company's),
                          "deals", "interactions" (the fields of 'crm help timeline'),
                          "follow_ups", and for a deal "contact" (or null) and "stage_history"
                          (from_stage_id, from_stage, to_stage_id, to_stage, changed_at,
                          changed_by, changed_by_id).
          --db PATH       the database (default as for crm).

        Fields of each follow-up:
        \(ListingSchema.followUp.help())

        Exit status: 0 printed; 1 there is no such record (or it is in the trash); 64 the
        kind is not contact, company or deal, or the id is not a whole number.
        """

    static let query = """
        \(usage("query"))

        Finds email addresses for a mail client, with the contact list's own search (by
        name, email, company, …; case, accents and Persian/Arabic letter forms aside). Prints
        a first line for the status bar ("crm: 3 matches for "anna""), then one line per
        address: email, name and company, separated by tabs; a contact with three addresses
        gives three lines. Best matches first: the name is TEXT, the name begins with TEXT,
        the address begins with TEXT, then the rest by name. At most the first
        \(QueryCommand.maxContacts) contacts found are read; the first line says when there were more.
        Exits 1 when nothing matches (or TEXT is empty: nothing typed yet), after printing
        the first line (mutt and neomutt show it).

          neomutt/mutt:  set query_command = "crm query %s"
          aerc:          address-book-cmd = crm query --aerc %s

        Options:
          --aerc          no first line (aerc's address-book-cmd reads addresses only).
          --db PATH       the database (default as for crm).
        """
}
