import CNcursesw
public enum CRMTerminalModule { public static func width(_ c: UInt32) -> Int { Int(crm_wcwidth(wchar_t(c))) } }
