import CRMStore
import CRMTerminal
print(CRMStoreModule.version, DisplayWidth.width(of: "中" as Unicode.Scalar))
