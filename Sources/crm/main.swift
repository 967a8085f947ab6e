import CRMStore
import CRMTerminal
print(CRMStoreModule.version, CRMTerminalModule.width(0x4E2D))
