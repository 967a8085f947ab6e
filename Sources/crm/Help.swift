import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore

/// Usage lines and help texts. Every option, environment variable and file
/// the program reads is explained here.
enum Help {
    static let topics = ["demo", "check", "followups", "agenda", "lookup", "import", "duplicates", "merge", "bench", "export", "help"]

    /// The short usage printed after a usage error.
    static func usage(_ command: String?) -> String {
        switch command {
        case "demo": "usage: crm demo --db PATH [--contacts N] [--seed S] [--append]"
        case "check": "usage: crm check [--db PATH]"
        case "bench": "usage: crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]"
        case "export": "usage: crm export [contacts|companies|deals|interactions|followups|all] [--format csv|vcard|json]\n"
            + "                  [--out FILE [--force]] [--vcard-version 3|4] [--db PATH]"
        case "followups": "usage: crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]"
        case "agenda": "usage: crm agenda [--user LOGIN] [--json] [--db PATH]"
        case "lookup": "usage: crm lookup NUMBER [--db PATH]"
        case "import": """
            usage: crm import FILE [--format csv|vcard|json] [--map SPEC] [--encoding NAME] [--dry-run]
                              [--on-duplicate skip|merge|create] [--owner LOGIN] [--tag TAG]
                              [--skip-invalid] [--user LOGIN] [--db PATH]
                   crm import --list [--db PATH]
                   crm import --undo BATCH [--force] [--user LOGIN] [--db PATH]
            """
        case "duplicates": "usage: crm duplicates [--json] [--limit N] [--db PATH]"
        case "merge": "usage: crm merge contact|company KEEP OTHER [--dry-run] [--user LOGIN] [--db PATH]"
        default: """
            usage: crm [--db PATH] [--user LOGIN] [--demo]
                   crm demo --db PATH [--contacts N] [--seed S] [--append]
                   crm check [--db PATH]
                   crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]
                   crm agenda [--user LOGIN] [--json] [--db PATH]
                   crm lookup NUMBER [--db PATH]
                   crm import FILE [--dry-run] [--on-duplicate skip|merge|create] [OPTIONS] | --list | --undo BATCH
                   crm duplicates [--json] [--limit N] [--db PATH]
                   crm merge contact|company KEEP OTHER [--dry-run] [--user LOGIN] [--db PATH]
                   crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]
                   crm export [KIND] [--format csv|vcard|json] [--out FILE [--force]] [--db PATH]
                   crm help [SUBCOMMAND] | --help | --version
            """
        }
    }

    static func text(_ topic: String?) -> String {
        switch topic {
        case "demo": demo
        case "check": check
        case "bench": bench
        case "export": export
        case "followups": followups
        case "agenda": agenda
        case "lookup": lookup
        case "import": importHelp
        case "duplicates": duplicates
        case "merge": merge
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
          import          bring contacts in from a CSV, vCard or JSON file (dry run, undo)
          duplicates      list contacts and companies that look like one, strongest first
          merge           merge one contact (or company) into another, as the merge screen does
          bench           measure how fast the database answers, on N contacts
          export          write contacts, companies, deals, … as CSV, vCard or JSON, or a full copy
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
        file, or demo declined;
        64 wrong arguments; 65 database too new, damaged or not a crm database (import: a
        file that is not what it claims, or rows rejected); 66 database (or import file)
        missing or cannot be opened; 67 no such user (import --owner); 73 cannot create the database or its folder (or a
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

        Prints the contacts with a phone number matching NUMBER, one a line: name, company
        and the number that matched as it is stored, separated by tabs (at most 50).
        NUMBER may be typed in any form: +49 171 9936679, 0049 171 9936679, 0171 9936679
        (a national number is read with phone_region from the settings file), or any run
        of at least 3 of its digits. Exits 1 when no contact matches. Reads the database
        without changing it, as followups does.

        Options:
          --db PATH       the database (default as for crm).
        """

    static let importHelp = """
        \(usage("import"))

        Brings contacts in from FILE: a CSV export of Google Contacts (both layouts),
        Outlook, HubSpot, Pipedrive, abook or crm itself (recognised by the header), any
        other CSV with --map, vCard 2.1, 3.0 or 4.0, or crm's own JSON export. Companies are
        found by name (case and accents ignored) or created. Every row is checked against
        the contacts already there: same email, same phone, or a similar name at the same
        company makes it a duplicate, named with the reason.

        A real import is one transaction: all of the file goes in, or nothing does (an
        interruption, even kill -9, leaves the database as it was). A row that cannot be
        taken (no name, "bob@" as an email, ...) refuses the whole import: every rejected
        line is listed with its line number, column and what is expected, and nothing is
        written; --skip-invalid imports the other rows instead. The import is recorded as
        one batch (one audit entry: "sara imported 12,004 contacts from google.csv"), listed
        by --list and taken back whole by --undo.

        Output: one line per row that is not a plain new contact (merged, skipped,
        created despite a duplicate, rejected), then the counts, which add up to the rows
        read, then the batch number. While it runs on a terminal, a progress line on stderr
        every 10,000 rows.

        Options:
          --dry-run       read and check everything, say what would happen, write nothing
                          (the database is opened read-only; a missing one counts as empty).
                          Exits as the real import would: 0, or 65 when rows would be rejected
                          (and no --skip-invalid), so 'crm import F --dry-run && crm import F'
                          imports only a clean file.
          --on-duplicate  what to do with a row that looks like an existing contact:
                          skip (default) leaves the existing one alone; merge fills its
                          empty fields (title, company, source, notes) and adds the row's new
                          emails, phones and tags, never overwriting a value that is set;
                          create adds a new contact anyway.
          --format F      csv, vcard or json; default: from the extension, else the content.
                          JSON is crm's own export: 'crm export contacts --format json' is
                          imported as contacts; a complete copy ('crm export all') is loaded
                          whole into a new, empty --db instead (no dry run).
          --map SPEC      for a CSV whose header is not recognised, or to override it: where
                          each column goes, e.g. 'Vorname=first_name,Nachname=last_name,
                          Firma=company,Tel=phone:work'. Fields: name, first_name, middle_name,
                          last_name, title, company, email[:label], phone[:label], tags,
                          lifecycle, source, notes, owner, id, extra, skip.
          --encoding E    the file's text encoding when it is not detected: utf-8, utf-16,
                          utf-16le, utf-16be, windows-1252, latin1. Default: UTF-8 (a UTF-16
                          byte-order mark is recognised).
          --owner LOGIN   the owner of every new contact (the login must exist; default: the
                          owner the file names, else you).
          --tag TAG       a tag added to every contact created or merged.
          --skip-invalid  import the valid rows when some are rejected (they are listed).
          --user LOGIN    who imports (default: your login name).
          --db PATH       the database (default as for crm).
          --list          the batches, newest first: number, time, who, file, counts.
          --undo BATCH    take a whole batch back in one transaction: the contacts and
                          companies it created are removed, the contacts it merged into get
                          their old values back. Refused (exit 1), naming who changed what,
                          when someone edited one of them since.
          --force         with --undo: undo anyway; contacts with interactions, deals or
                          follow-ups added since go to the trash instead of away.

        Exit status: 0 imported (or a clean dry run); 1 undo refused or no such batch;
        64 wrong arguments (an unknown --on-duplicate, a bad --map); 65 the file is not what
        it claims (empty, binary, not CSV/vCard/JSON; the message names the line) or rows
        were rejected; 66 FILE missing or unreadable; 67 --owner is no user (the nearest
        login is suggested). Nothing is written in any of these cases.

        Example:
          crm import Resources/samples/google.csv --dry-run
          crm import contacts.vcf --on-duplicate merge --tag fair-2026
          crm import --undo 3
        """

    static let duplicates = """
        \(usage("duplicates"))

        Lists the pairs of contacts that look like one person, then the pairs of companies
        that look like one, strongest reason first, as the Duplicates list in Contacts
        (key D) shows them. Contacts: the same email address (ignoring case), then the
        same phone number (compared on its international form, so +49 171 9936679,
        0049 171 9936679 and, with phone_region DE, 0171 9936679 are one number; else on
        its digits), then a similar name at the same company (case, accents, Persian and
        Arabic letter forms, punctuation and word order ignored: "Müller, Günter" and
        "gunter muller"). Companies: the same web domain, then a similar name. A group
        of several (five "Günter Müller" at one company) is listed as pairs with its
        oldest record. Each line: both records (#id name · company or domain) and every
        reason they share. Reads the database without changing it.

        Options:
          --json          a JSON object: "contacts" and "companies", each a list of
                          {"first", "second": {"id", "name", "context", "updated_at"},
                          "strength", "reasons": [{"reason", "value"}]}, and "more"
                          (true when the list was cut at --limit).
          --limit N       at most N pairs of each (1 to 100000; default 100).
          --db PATH       the database (default as for crm).

        Exit status: 0 (also when none are found); 64 usage; 65 a file at an older
        schema (open it once with crm to upgrade it); 66 no database.
        """

    static let merge = """
        \(usage("merge"))

        Merges OTHER into KEEP (both ids, as crm duplicates and the screen show them),
        with the merge screen's defaults: each field from the record that has it set,
        and from the more recently edited one when both do; a contact's emails, phones
        and tags joined. Everything that points at OTHER moves to KEEP: a contact's
        interactions, deals and follow-ups; a company's contacts, deals and interactions.
        OTHER goes to the trash, pointing to KEEP. One transaction, recorded in the
        audit log as yours; refused when either record changed while it ran. To choose
        fields one by one, or to undo with u, merge on the screen (Contacts, D).

        Options:
          --dry-run       print the merged record and what would move; write nothing.
          --user LOGIN    who the audit log names (default: your login name).
          --db PATH       the database (default as for crm).

        Exit status: 0 merged; 1 no such record (or in the trash); 64 usage; 66 no
        database; 75 the database was busy or a record changed meanwhile.
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
        Persian, Chinese), search by four phone digits, the duplicate check a contact
        form runs before saving and pages of the Duplicates list, a contact's timeline, and the
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
          --only GROUP    only one group of rows: store, screens, editing (which
                          needs no bench database and takes seconds), or import: 100,000
                          rows of a Google Contacts CSV imported by crm and, from the same
                          file in the same run, by the sqlite3 shell (.import into an
                          indexed table, then an FTS5 index rebuilt; needs sqlite3 on PATH).
        """

    static let export = """
        \(usage("export"))

        Writes one kind of record to FILE, or to standard output without --out. Reads the
        database without changing it, as lookup does, and exports one consistent moment
        of it even while others keep writing. Live records only; the trash goes into
        'all' alone.

        Kinds (default contacts):
          contacts        CSV columns id,name,title,company,lifecycle,owner,source,tags,notes,
                          created_at,updated_at, then email_1,email_1_label,… and
                          phone_1,phone_1_label,… as many pairs as the contact with the most
                          has. Tags are joined by ", ", owner is a login, times are ISO 8601
                          in UTC (2026-03-01T09:30:00Z). 'crm import' reads this file back
                          without a mapping.
          companies       id,name,domain,phone,address,notes,owner,created_at,updated_at
          deals           id,title,pipeline,stage,status,value,currency,probability,
                          expected_close,owner,contact_id,contact,company_id,company,
                          lost_reason,stage_entered_at,closed_at,created_at,updated_at
                          (value in major units of its currency: 1234.50)
          interactions    id,kind,direction,occurred_at,duration_s,subject,body,outcome,
                          contact_id,contact,company_id,company,deal_id,deal,author,created_at
          followups       id,title,note,due_at,status,done_at,assignee,contact_id,contact,
                          deal_id,deal,created_by,created_at,updated_at
          all             a complete, lossless copy (JSON only): users, companies, contacts
                          with their emails, phones and tags, pipelines, stages, deals,
                          stage history, interactions, follow-ups and the audit log, the
                          trash included, every row with its ids and values as stored.
                          'crm import FILE' loads it into a new, empty database; exported
                          again, it gives the same file byte for byte.

        Formats:
          csv             RFC 4180: UTF-8 without a byte-order mark, a header row, fields
                          with a comma, quote or line break in double quotes, CRLF records.
                          The default, except for all.
          vcard           contacts only: vCard 4.0 (RFC 6350), or 3.0 with --vcard-version 3:
                          FN, N, ORG, TITLE, EMAIL and TEL with their label as TYPE,
                          CATEGORIES (tags), NOTE, UID (urn:uuid:, the same on every export)
                          and REV. Lines longer than 75 bytes are folded.
          json            JSON lines: a header line {"type":"header","format":"crm-export",
                          "version":1,"schema":N,"kind":KIND}, then one object a line with a
                          "type" (contact, company, deal, …). jq reads it as it is.
          Without --format the extension of FILE decides (.vcf vcard, .json/.jsonl json),
          else csv.

        Options:
          --out FILE, -o FILE
                          write FILE: created new with mode 0600, never through a symbolic
                          link; written under a temporary name in the same folder and put in
                          place only when complete, so a failure leaves nothing half written.
                          A FILE that exists (or a link at its name) is refused (exit 73).
          --force         replace an existing FILE (a symbolic link is replaced itself; the
                          file it points to is not touched).
          --vcard-version 3|4
                          the vCard version (default 4).
          --db PATH       the database (default as for crm).

        Without --out the export goes to standard output as data, byte for byte, for a
        pipe or a redirection. When standard output is a terminal, each line is shown
        sanitised instead (a control character or escape sequence stored in a record
        becomes a visible symbol), so a record cannot drive the terminal.

        Exit status: 0 done; 64 a wrong option or a kind and format that do not go
        together (vcard is for contacts; all is JSON); 66 no database; 73 FILE exists or
        cannot be created; 74 a write failed; 75 the database changed during an export to
        standard output (run it again).
        """
}
