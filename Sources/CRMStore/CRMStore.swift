import CSQLite
public enum CRMStoreModule { public static var version: String { String(cString: sqlite3_libversion()) } }
