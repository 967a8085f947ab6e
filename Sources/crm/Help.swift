import CRMBench
import CRMDemo
import CRMRepositories
import CRMStore

/// Usage lines and help texts. Every option, environment variable and file
/// the program reads is explained here.
enum Help {
    static let topics = ["demo", "check", "followups", "agenda", "lookup", "bench", "help"]

    /// The short usage printed after a usage error.
    static func usage(_ command: String?) -> String {
        switch command {
        case "demo": "usage: crm demo --db PATH [--contacts N] [--seed S] [--append]"
        case "check": "usage: crm check [--db PATH]"
        case "bench": "usage: crm bench [--contacts N] [--db PATH] [--runs R] [--only GROUP]"
        case "followups": "usage: crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]"
        case "agenda": "usage: crm agenda [--user LOGIN] [--json] [--db PATH]"
        case "lookup": "usage: crm lookup NUMBER [--db PATH]"
        default: """
            usage: crm [--db PATH] [--user LOGIN] [--demo]
                   crm demo --db PATH [--contacts N] [--seed S] [--append]
                   crm check [--db PATH]
                   crm followups [--due overdue|today|week] [--user LOGIN] [--json] [--db PATH]
                   crm agenda [--user LOGIN] [--json] [--db PATH]
                   crm lookup NUMBER [--db PATH]
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
        file, or demo declined;
        64 wrong arguments; 65 database too new, damaged or not a crm database; 66 database
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
          --only GROUP    only one group of rows: store, screens, editing (which
                          needs no bench database and takes seconds), or search (the
                          store's search rows and the contacts screen's keys).
        """
}
