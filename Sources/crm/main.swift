import CRMStore
print(Database.supportedSchemaVersion)
